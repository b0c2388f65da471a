//! The clipboard for real: each test starts its own X server (Xvfb), runs sigblock with
//! DISPLAY set, waits for it to exit, and only then reads the clipboard with `xclip` —
//! the way a person pastes after the command has returned.
//!
//! Needs `Xvfb` and `xclip` (Debian packages `xvfb` and `xclip`; `.ci/run` installs them).
//! Their absence fails the tests: a clipboard that is never tested is a broken one.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::{self, fragment_of, read, require, ANA, IN_CAMPAIGN, LI};
use tempfile::TempDir;

/// How long an X server, an `xclip` or a sigblock run may take before the test gives up.
const PATIENCE: Duration = Duration::from_secs(20);

/// How long a clipboard server that should leave may take to do so.
const LEAVING: Duration = Duration::from_secs(5);

/// The hidden subcommand sigblock's detached clipboard server runs as.
const SERVE_COMMAND: &str = "__serve-clipboard";

/// An X server of our own for one test. Dropping it stops the server and any clipboard
/// server sigblock left on it, also when the test panics.
struct Xvfb {
    server: Option<Child>,
    /// `:N`
    display: String,
    /// Clipboard servers seen on this display, to stop if they outlive the test.
    seen: Vec<u32>,
}

impl Xvfb {
    fn start() -> Xvfb {
        require("Xvfb", "xvfb");
        require("xclip", "xclip");
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp"])
            .args(["-screen", "0", "1280x800x24", "-noreset"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        // Xvfb writes the display number it chose once it accepts connections.
        let stdout = server.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(PATIENCE) {
            Ok(line) => line,
            Err(_) => {
                let _ = server.kill();
                let _ = server.wait();
                panic!("Xvfb did not say its display number in {PATIENCE:?}");
            }
        };
        let number: u32 = match line.trim().parse() {
            Ok(n) => n,
            Err(_) => {
                let _ = server.kill();
                let _ = server.wait();
                panic!("Xvfb said {line:?}, not a display number");
            }
        };
        Xvfb {
            server: Some(server),
            display: format!(":{number}"),
            seen: Vec::new(),
        }
    }

    /// Stops the X server (as when a person logs out).
    fn stop(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.kill();
            let _ = server.wait();
        }
    }

    /// Runs sigblock for a person on this display (no --no-clipboard) and waits for it.
    fn sigblock(&mut self, dir: &Path, person: &[&str]) -> std::process::Output {
        let output = common::sigblock()
            .env("DISPLAY", &self.display)
            .current_dir(dir)
            .args(person)
            .args(["--date", IN_CAMPAIGN])
            .timeout(PATIENCE)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "sigblock failed on {}:\n{}",
            self.display,
            String::from_utf8_lossy(&output.stderr)
        );
        let servers = self.clipboard_servers();
        self.seen.extend(servers);
        output
    }

    /// The running sigblock clipboard servers whose DISPLAY is this one.
    fn clipboard_servers(&self) -> Vec<u32> {
        let wanted = format!("DISPLAY={}", self.display);
        let mut found = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if !is_clipboard_server(pid) {
                continue;
            }
            let on_display = std::fs::read(entry.path().join("environ"))
                .map(|e| e.split(|&b| b == 0).any(|var| var == wanted.as_bytes()))
                .unwrap_or(false);
            if on_display && is_running(pid) {
                found.push(pid);
            }
        }
        found
    }

    /// What the clipboard holds for `target` (`text/html`, `UTF8_STRING`), read by xclip.
    fn paste(&self, target: &str) -> Result<String, String> {
        let mut child = Command::new("xclip")
            .args(["-selection", "clipboard", "-o", "-t", target])
            .env("DISPLAY", &self.display)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("xclip starts");
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stdout.read_to_end(&mut bytes);
            bytes
        });
        let err = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("xclip -o -t {target} did not answer in {PATIENCE:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let (out, err) = (out.join().unwrap(), err.join().unwrap());
        if status.success() {
            String::from_utf8(out).map_err(|e| format!("not UTF-8: {e}"))
        } else {
            Err(format!("xclip -t {target}: {status}: {}", err.trim()))
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // Clipboard servers this test made, if still there: stop them by their id.
        for &pid in &self.seen {
            if is_running(pid) && is_clipboard_server(pid) {
                let _ = Command::new("kill").arg(pid.to_string()).status();
            }
        }
        self.stop();
    }
}

/// Whether a process exists and is not a zombie.
fn is_running(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // "pid (comm) S ...": the state follows the last parenthesis.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next());
    !matches!(state, None | Some('Z') | Some('X'))
}

fn is_clipboard_server(pid: u32) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    cmdline
        .split(|&b| b == 0)
        .any(|arg| arg == SERVE_COMMAND.as_bytes())
}

/// Waits until none of `pids` runs; returns those still running after [`LEAVING`].
fn wait_for_exit(pids: &[u32]) -> Vec<u32> {
    let deadline = Instant::now() + LEAVING;
    loop {
        let left: Vec<u32> = pids.iter().copied().filter(|&p| is_running(p)).collect();
        if left.is_empty() || Instant::now() > deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_signature_can_be_pasted_after_sigblock_has_returned() {
    let mut x = Xvfb::start();
    let dir = TempDir::new().unwrap();
    let output = x.sigblock(dir.path(), ANA);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("copied") && l.contains("clipboard")),
        "says it copied the signature:\n{stdout}"
    );

    let html = x.paste("text/html").expect("HTML on the clipboard");
    assert!(html.contains("Ana Ruiz"), "{html}");
    assert!(
        html.starts_with("<table"),
        "the fragment, not a page: {html}"
    );
    assert!(
        html.contains("data:image/png;base64,"),
        "the banner inlined"
    );
    assert!(!html.contains("<html"), "the fragment, not a page");
    let document = read(dir.path().join("ana-ruiz.html"));
    assert_eq!(
        html,
        fragment_of(&document),
        "the same signature as the file"
    );

    let text = x.paste("UTF8_STRING").expect("text on the clipboard");
    assert!(text.starts_with("-- \n"), "{text:?}");
    assert_eq!(text, read(dir.path().join("ana-ruiz.txt")));
}

#[test]
fn copying_another_signature_replaces_the_first_and_its_server_leaves() {
    let mut x = Xvfb::start();
    let dir = TempDir::new().unwrap();
    x.sigblock(dir.path(), ANA);
    let first = x.clipboard_servers();
    assert_eq!(
        first.len(),
        1,
        "one clipboard server serves Ana's signature"
    );

    x.sigblock(dir.path(), LI);
    let html = x.paste("text/html").expect("HTML on the clipboard");
    assert!(
        html.contains("Li Wei") && !html.contains("Ana Ruiz"),
        "{html}"
    );
    let text = x.paste("UTF8_STRING").expect("text on the clipboard");
    assert_eq!(text, read(dir.path().join("li-wei.txt")));

    let lingering = wait_for_exit(&first);
    assert!(
        lingering.is_empty(),
        "the first clipboard server ({lingering:?}) still runs after its signature was replaced"
    );
    assert_eq!(
        x.clipboard_servers().len(),
        1,
        "one clipboard server for the one signature on the clipboard"
    );
}

#[test]
fn the_clipboard_server_leaves_when_the_display_closes() {
    // Logging out closes the display: nothing is left to serve, so nothing may linger.
    let mut x = Xvfb::start();
    let dir = TempDir::new().unwrap();
    x.sigblock(dir.path(), ANA);
    let servers = x.clipboard_servers();
    assert_eq!(servers.len(), 1);
    x.stop();
    let lingering = wait_for_exit(&servers);
    assert!(
        lingering.is_empty(),
        "the clipboard server {lingering:?} still runs {LEAVING:?} after its display closed"
    );
}

#[test]
fn no_clipboard_leaves_the_clipboard_alone() {
    let x = Xvfb::start();
    let dir = TempDir::new().unwrap();
    let output = common::sigblock()
        .env("DISPLAY", &x.display)
        .current_dir(dir.path())
        .args(ANA)
        .args(["--date", IN_CAMPAIGN, "--no-clipboard"])
        .timeout(PATIENCE)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("clipboard"), "{stdout}");
    assert!(x.clipboard_servers().is_empty());
    assert!(
        x.paste("text/html").is_err(),
        "nothing was put on the clipboard"
    );
}

#[test]
fn an_unreachable_display_still_gives_the_files_and_says_so() {
    let dir = TempDir::new().unwrap();
    let output = common::sigblock()
        .env("DISPLAY", ":99999")
        .current_dir(dir.path())
        .args(ANA)
        .args(["--date", IN_CAMPAIGN])
        .timeout(PATIENCE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(common::names(dir.path()), ["ana-ruiz.html", "ana-ruiz.txt"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let about_clipboard: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("wrote "))
        .collect();
    assert_eq!(about_clipboard.len(), 1, "one line:\n{stdout}");
    assert_eq!(
        about_clipboard[0],
        format!(
            "no clipboard here: the signature is in {}; open it in a browser, select all, \
             copy, and paste it into your email client's signature settings",
            dir.path().join("ana-ruiz.html").display()
        ),
        "says there is no clipboard, in words, and where the signature is (in full)"
    );
}
