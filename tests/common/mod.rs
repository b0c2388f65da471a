//! What every integration test shares: the real binary, run hermetically, and what a run
//! said and wrote. `browser` runs Chromium; `files` reads what sigblock wrote.

pub mod browser;
mod files;

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;

pub use files::{
    copy_of, files_under, fragment_of, inlined_banner, names, read, report, snapshot, utf16,
    utf16_le, RECORD,
};

/// The real `sigblock` binary, with its banner cache in this build's temporary folder
/// (never the user's), no clipboard display unless a test gives one, and a fixed day
/// inside the campaign so that no note about the date depends on when tests run.
pub fn sigblock() -> Command {
    Command::from_std(spawnable())
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

// ---------------------------------------------------------------------------------------
// A finished run

/// One finished run of sigblock: how it ended and what it said, as text (sigblock says
/// everything in UTF-8). Whatever the story, a run that panicked fails the test here.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` when a signal ended the run.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        let run = Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("sigblock's stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("sigblock's stderr is UTF-8"),
        };
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
            "sigblock panicked:\n{}",
            run.stderr
        );
        run
    }
}

impl Run {
    /// Whether stderr has exactly this line.
    pub fn says(&self, line: &str) -> bool {
        self.stderr.lines().any(|l| l == line)
    }

    /// Panics with everything the run said unless it exited with `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "sigblock's exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

// ---------------------------------------------------------------------------------------
// The batch

/// The arguments of `sigblock batch CSV --out OUT --date <a January day> EXTRA`.
pub fn batch_args(csv: &Path, out: &Path, extra: &[&str]) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["batch".into(), csv.into(), "--out".into(), out.into()];
    args.extend(["--date", IN_CAMPAIGN].map(OsString::from));
    args.extend(extra.iter().map(OsString::from));
    args
}

/// `sigblock batch CSV --out OUT` in January, with `extra`, run to its end.
pub fn batch(csv: &Path, out: &Path, extra: &[&str]) -> Run {
    Run::from(
        sigblock()
            .args(batch_args(csv, out, extra))
            .output()
            .unwrap(),
    )
}

// ---------------------------------------------------------------------------------------
// Hostile input: bounded runs

/// The hostile-input bounds: every such run must end within this time...
pub const HOSTILE_TIME: Duration = Duration::from_secs(10);
/// ...and within this much address space (`ulimit -v`, in KiB: 512 MB).
pub const HOSTILE_MEMORY_KIB: u64 = 512 * 1024;

/// Runs the real binary (set up like [`sigblock`]) with `args` in `dir`, under
/// [`HOSTILE_MEMORY_KIB`] of address space, killed after [`HOSTILE_TIME`]. Panics, naming
/// the run, when it had to be killed: a hostile input must end the run, not hang it.
pub fn bounded<I, S>(dir: &Path, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    bounded_with_cache(dir, args, &cache_dir())
}

/// [`bounded`], with the banner cache in `cache`.
pub fn bounded_with_cache<I, S>(dir: &Path, args: I, cache: &Path) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
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
    let started = Instant::now();
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
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
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

// ---------------------------------------------------------------------------------------
// Other programs the tests run

/// `program` on PATH, or a failure naming it and the Debian package it comes in. One
/// policy for every tool a test needs: a missing one FAILS the test, never skips it
/// (`bash .ci/run` installs them all; CI runs as root).
#[track_caller]
pub fn require(program: &str, package: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    });
    let Some(found) = found else {
        panic!(
            "`{program}` is not installed (not on PATH): this test needs it. Install Debian's \
             {package}; `bash .ci/run` installs every tool the tests need"
        )
    };
    found
}

/// Runs `cmd` in its own process group; after `limit`, kills that group (the tool and
/// every process it started, e.g. Chromium's zygote and renderers) and fails.
pub fn run_with_timeout(
    mut cmd: std::process::Command,
    limit: Duration,
    what: &str,
) -> std::process::ExitStatus {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            // The group made above, by its id (= the child's pid): ours alone.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}: killed it and its process group");
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}
