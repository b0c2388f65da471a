//! The edge: parse the command line into a job, read the environment, run, and turn the
//! outcome into an exit status. Everything else is the library.

mod cli;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use sigblock::clipboard::ClipboardServer;
use sigblock::job::Environment;

fn main() -> ExitCode {
    match cli::parse() {
        cli::Request::Run(job) => sigblock::run(*job, &environment()),
        cli::Request::Refused(error) => sigblock::refuse(error),
        cli::Request::Completions(shell) => {
            // A closed pipe (`| head`) is no failure: the script was asked for, not kept.
            let mut out = std::io::stdout().lock();
            let _ = out
                .write_all(&cli::completions(shell))
                .and_then(|()| out.flush());
            ExitCode::SUCCESS
        }
        cli::Request::ServeClipboard => sigblock::serve_clipboard(),
    }
}

/// The banner cache (`SIGBLOCK_CACHE_DIR`, empty for none; else the user's cache folder),
/// the way back to this very program for the clipboard server, and how long to wait for
/// a busy output folder (`SIGBLOCK_LOCK_WAIT`, seconds; default 10).
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
    // How long a run waits for another one writing into the same folder.
    let lock_wait = std::env::var("SIGBLOCK_LOCK_WAIT")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(Duration::from_secs(10), Duration::from_secs_f64);
    Environment {
        cache_dir,
        clipboard_server,
        lock_wait,
    }
}
