use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = sigblock::cli::Cli::parse();
    match sigblock::app::run(cli) {
        Ok(outcome) => outcome.into(),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(sigblock::app::EXIT_FATAL)
        }
    }
}
