//! What every integration test shares: the real binary, run hermetically.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The real `sigblock` binary, with its banner cache in this build's temporary folder
/// (never the user's), no clipboard display unless a test gives one, and a fixed day
/// inside the campaign so that no note about the date depends on when tests run.
pub fn sigblock() -> Command {
    let mut cmd = Command::cargo_bin("sigblock").expect("the sigblock binary is built");
    cmd.env("SIGBLOCK_CACHE_DIR", cache_dir())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("NO_COLOR", "1");
    cmd
}

/// The real binary as a `std::process::Command` (to spawn, poll and kill it), set up
/// like [`sigblock`]: hermetic banner cache, no display.
pub fn spawnable() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sigblock"));
    cmd.env("SIGBLOCK_CACHE_DIR", cache_dir())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("NO_COLOR", "1");
    cmd
}

/// The sample person, as flags.
pub const ANA: &[&str] = &[
    "--name",
    "Ana Ruiz",
    "--title",
    "Program Analyst",
    "--unit",
    "CTRT",
    "--email",
    "ana.ruiz@dss.ca.gov",
    "--phone",
    "(916) 555-0100",
];

/// Another sample person, with no email or phone.
pub const LI: &[&str] = &[
    "--name",
    "Li Wei",
    "--title",
    "Case Worker",
    "--unit",
    "RPB",
];

/// Debian's headless Chromium on this closed network, as root: no sandbox (it refuses
/// root otherwise), no GPU, and none of its background connections (refused here, many
/// at a time). Every browser test starts from these, with a fresh `--user-data-dir`.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// A day inside the January campaign window.
pub const IN_CAMPAIGN: &str = "2027-01-15";

pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sigblock-cache")
}

/// The path of a fixture under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Reads a file as UTF-8 text, naming it if that fails.
pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// sigblock's own folder in every folder it writes into: its record of what it made
/// there, its lock and its temporaries (tests/ownership.rs checks what is in it).
pub const RECORD: &str = ".sigblock";

/// Sorted file names in a folder (not recursive), leaving out sigblock's [`RECORD`].
pub fn names(dir: impl AsRef<Path>) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.as_ref())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != RECORD)
        .collect();
    names.sort();
    names
}

/// The `data:image/png;base64,...` banner inlined in an HTML document, decoded.
pub fn inlined_banner(html: &str) -> Vec<u8> {
    use base64::Engine;
    let start = html.find("data:image/png;base64,").expect("an inlined PNG") + 22;
    let end = start + html[start..].find('"').expect("a closing quote");
    base64::engine::general_purpose::STANDARD
        .decode(&html[start..end])
        .expect("valid base64")
}

/// The hostile-input bounds: every such run must end within this time...
pub const HOSTILE_TIME: std::time::Duration = std::time::Duration::from_secs(10);
/// ...and within this much address space (`ulimit -v`, in KiB: 512 MB).
pub const HOSTILE_MEMORY_KIB: u64 = 512 * 1024;

/// Runs the real binary (set up like [`sigblock`]) with `args` in `dir`, under
/// [`HOSTILE_MEMORY_KIB`] of address space, killed after [`HOSTILE_TIME`]. Panics, naming
/// the run, when it had to be killed: a hostile input must end the run, not hang it.
pub fn bounded<I, S>(dir: &Path, args: I) -> std::process::Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    bounded_with_cache(dir, args, &cache_dir())
}

/// [`bounded`], with the banner cache in `cache`.
pub fn bounded_with_cache<I, S>(dir: &Path, args: I, cache: &Path) -> std::process::Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {HOSTILE_MEMORY_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_sigblock"))
        .args(args)
        .current_dir(dir)
        .env("SIGBLOCK_CACHE_DIR", cache)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let shown = format!("{cmd:?}");
    let mut child = cmd.spawn().expect("sh runs");
    // Read both streams as they come, so a talkative run never waits on a full pipe.
    let drain = |mut stream: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stream.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped")));
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waitable") {
            break status;
        }
        if started.elapsed() > HOSTILE_TIME {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = stderr.join().unwrap_or_default();
            panic!(
                "still running after {HOSTILE_TIME:?}, killed: {shown}\nstderr: {}",
                String::from_utf8_lossy(&stderr[..stderr.len().min(4000)])
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Makes a named pipe (FIFO) at `path`: where a file should be, something that would
/// make a reader wait for a writer forever.
pub fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}
