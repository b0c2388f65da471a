//! The edge: parse the command line into a job, read the environment, run, and turn the
//! outcome into an exit status. Everything else is the library.

mod cli;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use sigblock::clipboard::ClipboardServer;
use sigblock::job::{Environment, Job};

fn main() -> ExitCode {
    match cli::parse() {
        cli::Request::Run(job) => match environment(&job) {
            Ok(env) => sigblock::run(*job, &env),
            Err(error) => sigblock::refuse(error),
        },
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
/// the way back to this very program for the clipboard server, how long to wait for
/// a busy output folder (`SIGBLOCK_LOCK_WAIT`, seconds; default 10), and for `install`,
/// `%APPDATA%` and, on Windows, classic Outlook's registry values.
fn environment(job: &Job) -> anyhow::Result<Environment> {
    let cache_dir = match std::env::var_os("SIGBLOCK_CACHE_DIR") {
        Some(dir) if dir.is_empty() => None,
        Some(dir) => Some(PathBuf::from(dir)),
        None => dirs::cache_dir().map(|d| d.join("sigblock")),
    };
    let clipboard_server = std::env::current_exe().ok().map(|exe| ClipboardServer {
        exe,
        args: vec![cli::SERVE_CLIPBOARD.into()],
    });
    let lock_wait = match std::env::var_os("SIGBLOCK_LOCK_WAIT") {
        None => Duration::from_secs(10),
        Some(value) => lock_wait(&value.to_string_lossy())?,
    };
    // `install` reads %APPDATA% everywhere (elsewhere its --dry-run shows the plan under
    // it), and classic Outlook's registry values on Windows only: elsewhere there are none,
    // and install says it is for Windows.
    let appdata = match job {
        Job::Install { .. } => std::env::var_os("APPDATA")
            .filter(|a| !a.is_empty())
            .map(PathBuf::from),
        _ => None,
    };
    #[cfg(not(windows))]
    let registry = None;
    #[cfg(windows)]
    let registry = match job {
        Job::Install { .. } => Some(sigblock::install::registry::snapshot()),
        _ => None,
    };
    Ok(Environment {
        cache_dir,
        clipboard_server,
        lock_wait,
        appdata,
        registry,
    })
}

/// `SIGBLOCK_LOCK_WAIT`: seconds to wait for another run writing into the same folder,
/// from 0 to a day (a fraction is fine); anything else is refused, naming it.
fn lock_wait(value: &str) -> anyhow::Result<Duration> {
    const DAY: f64 = 86_400.0;
    match value.trim().parse::<f64>() {
        Ok(seconds) if (0.0..=DAY).contains(&seconds) => Ok(Duration::from_secs_f64(seconds)),
        _ => anyhow::bail!(
            "SIGBLOCK_LOCK_WAIT={}: is not a number of seconds from 0 to 86400 (how long to \
             wait for another sigblock run writing into the same folder); unset it for the \
             default of 10",
            sigblock::text::Shown(value)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_waits_are_seconds_from_zero_to_a_day() {
        assert_eq!(lock_wait("2.5").unwrap(), Duration::from_millis(2500));
        assert_eq!(lock_wait(" 0 ").unwrap(), Duration::ZERO);
        for bad in [
            "-1", "nan", "NaN", "inf", "-inf", "1e300", "ten", "", "86401",
        ] {
            let error = lock_wait(bad).unwrap_err().to_string();
            assert!(error.starts_with("SIGBLOCK_LOCK_WAIT="), "{bad}: {error}");
        }
    }
}
