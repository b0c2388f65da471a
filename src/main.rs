//! The edge: parse the command line into a job, read the environment, run, and turn the
//! outcome into an exit status. Everything else is the library.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use sigblock::clipboard::ClipboardServer;
use sigblock::exit::FATAL;
use sigblock::job::Environment;

fn main() -> ExitCode {
    let result = match cli::parse() {
        cli::Request::Run(job) => sigblock::run(*job, &environment()),
        cli::Request::Completions(shell) => {
            sigblock::messages::print(&cli::completions(shell));
            Ok(sigblock::exit::Outcome::Done)
        }
        cli::Request::ServeClipboard => {
            sigblock::clipboard::serve_from_stdin().map(|()| sigblock::exit::Outcome::Done)
        }
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(error) => {
            sigblock::messages::error(&error);
            ExitCode::from(FATAL)
        }
    }
}

/// The banner cache (`SIGBLOCK_CACHE_DIR`, empty for none; else the user's cache folder)
/// and the way back to this very program for the clipboard server.
fn environment() -> Environment {
    let cache_dir = match std::env::var_os("SIGBLOCK_CACHE_DIR") {
        Some(dir) if dir.is_empty() => None,
        Some(dir) => Some(PathBuf::from(dir)),
        None => dirs::cache_dir().map(|d| d.join("sigblock")),
    };
    let clipboard_server = std::env::current_exe().ok().map(|exe| ClipboardServer {
        exe,
        args: vec![cli::SERVE_CLIPBOARD.into()],
    });
    Environment {
        cache_dir,
        clipboard_server,
    }
}
