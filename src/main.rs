//! The edge: parse the command line into a job, read the environment, run, and turn the
//! outcome into an exit status. Everything else is the library.

mod cli;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use sigblock::clipboard::ClipboardServer;
use sigblock::job::{Environment, Job};

#[cfg(windows)]
/// Registry values by key and name: (`REG_*` type number, raw bytes).
type Registry =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, (u32, Vec<u8>)>>;

fn main() -> ExitCode {
    match cli::parse() {
        cli::Request::Run(job) => {
            let env = environment(&job);
            sigblock::run(*job, &env)
        }
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
/// a busy output folder (`SIGBLOCK_LOCK_WAIT`, seconds; default 10), and for `install`
/// on Windows, `%APPDATA%` and classic Outlook's registry values.
fn environment(job: &Job) -> Environment {
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
    // Elsewhere there is no Outlook for Windows: `install` says so.
    #[cfg(not(windows))]
    let (appdata, registry) = {
        let _ = job;
        (None, None)
    };
    #[cfg(windows)]
    let (appdata, registry) = match job {
        Job::Install { .. } => (
            std::env::var_os("APPDATA").map(PathBuf::from),
            Some(outlook_registry()),
        ),
        _ => (None, None),
    };
    Environment {
        cache_dir,
        clipboard_server,
        lock_wait,
        appdata,
        registry,
    }
}

/// What the registry holds for `install`: the values of `HKCU\Software\Microsoft\Office\16.0`'s
/// `Common\General` (the Signatures folder), `Outlook` (the default profile), `Outlook\Setup`
/// and its policy twin (roaming signatures), and of each profile's mail-account keys.
/// Raw: the library makes sense of them (and tests that on Linux).
#[cfg(windows)]
fn outlook_registry() -> Registry {
    use winreg::enums::HKEY_CURRENT_USER;
    use winreg::RegKey;

    const OFFICE: &str = r"Software\Microsoft\Office\16.0";
    const ACCOUNTS: &str = "9375CFF0413111d3B88A00104B2A6676";
    let hkcu = RegKey::predef(HKEY_CURRENT_USER);
    let mut snapshot = std::collections::BTreeMap::new();
    let mut read = |path: String| {
        if let Ok(key) = hkcu.open_subkey(&path) {
            let values = key
                .enum_values()
                .flatten()
                .map(|(name, value)| (name, (value.vtype as u32, value.bytes.into_owned())))
                .collect();
            snapshot.insert(format!(r"HKCU\{path}"), values);
        }
    };
    for path in [
        format!(r"{OFFICE}\Common\General"),
        format!(r"{OFFICE}\Outlook"),
        format!(r"{OFFICE}\Outlook\Setup"),
        r"Software\Policies\Microsoft\Office\16.0\Outlook\Setup".to_owned(),
    ] {
        read(path);
    }
    let profiles = format!(r"{OFFICE}\Outlook\Profiles");
    let names: Vec<String> = hkcu
        .open_subkey(&profiles)
        .map(|k| k.enum_keys().flatten().collect())
        .unwrap_or_default();
    for profile in names {
        let accounts = format!(r"{profiles}\{profile}\{ACCOUNTS}");
        let subkeys: Vec<String> = hkcu
            .open_subkey(&accounts)
            .map(|k| k.enum_keys().flatten().collect())
            .unwrap_or_default();
        for account in subkeys {
            read(format!(r"{accounts}\{account}"));
        }
    }
    snapshot
}
