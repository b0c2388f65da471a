//! The signature on the clipboard: the HTML fragment, with the plain text as its
//! alternative (Windows "HTML Format", macOS `public.html`, X11 `text/html` +
//! `UTF8_STRING`), via arboard.
//!
//! On Linux a clipboard lives only as long as the process that set it. So there we hand
//! the signature to a detached copy of ourselves that serves it until something else is
//! copied, as `xclip` does, and return once the clipboard reads back what we set.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

/// How to start the detached clipboard server: this program, with the hidden
/// subcommand that runs [`serve_from_stdin`]. `main` knows both.
#[derive(Debug, Clone)]
pub struct ClipboardServer {
    pub exe: PathBuf,
    pub args: Vec<OsString>,
}

/// How long to wait for the detached server to take the clipboard.
#[cfg(target_os = "linux")]
const HANDOVER_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the whole clipboard step may take: a display that accepts the connection but
/// never answers (an `ssh -X` forward whose client went away, a stopped X server) must
/// not keep sigblock from ending once its files are written.
const CLIPBOARD_TIMEOUT: Duration = Duration::from_secs(8);

/// Puts the signature on the clipboard. An error says in words why it could not ("no
/// clipboard here"); the caller tells the person which file holds the signature.
/// `server` starts the detached copy that keeps the clipboard on Linux.
pub(crate) fn copy(html: &str, text: &str, server: Option<&ClipboardServer>) -> Result<(), String> {
    let (html, text, server) = (html.to_owned(), text.to_owned(), server.cloned());
    let (done, answer) = std::sync::mpsc::channel();
    // A thread of its own, given up on after the timeout: the process ends soon after
    // and takes it along.
    std::thread::spawn(move || {
        // No display (a server, an SSH session): arboard's own words are about X11
        // connections, not about what the person can do.
        let result = arboard::Clipboard::new()
            .map_err(|_| "no clipboard here".to_owned())
            .and_then(|mut clipboard| {
                platform::copy(&mut clipboard, &html, &text, server.as_ref())
            });
        let _ = done.send(result);
    });
    answer.recv_timeout(CLIPBOARD_TIMEOUT).unwrap_or_else(|_| {
        Err(format!(
            "the clipboard did not answer within {} seconds (is the display still there?)",
            CLIPBOARD_TIMEOUT.as_secs()
        ))
    })
}

#[cfg(not(target_os = "linux"))]
mod platform {
    use super::ClipboardServer;

    pub(super) fn copy(
        clipboard: &mut arboard::Clipboard,
        html: &str,
        text: &str,
        _server: Option<&ClipboardServer>,
    ) -> Result<(), String> {
        clipboard
            .set_html(html, Some(text))
            .map_err(|_| "the clipboard did not take the signature".to_owned())
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use std::io::Write;
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    use std::time::Instant;

    use super::{encode, ClipboardServer, HANDOVER_TIMEOUT};

    pub(super) fn copy(
        clipboard: &mut arboard::Clipboard,
        html: &str,
        text: &str,
        server: Option<&ClipboardServer>,
    ) -> Result<(), String> {
        let server = server
            .ok_or("the clipboard cannot be kept after sigblock ends (it cannot find itself)")?;
        let mut child = Command::new(&server.exe)
            .args(&server.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .current_dir("/")
            // Its own process group: a terminal's Ctrl-C or closing the terminal that ran
            // sigblock does not take the clipboard away with it.
            .process_group(0)
            .spawn()
            .map_err(|_| {
                "the clipboard cannot be kept after sigblock ends (its helper did not start)"
            })?;
        {
            let mut stdin = child.stdin.take().expect("stdin is piped");
            stdin
                .write_all(&encode(html, text))
                .map_err(|_| "the clipboard did not take the signature (its helper stopped)")?;
        }

        // Read the clipboard back until it holds our text: then it survives our exit.
        let deadline = Instant::now() + HANDOVER_TIMEOUT;
        loop {
            if clipboard.get_text().ok().as_deref() == Some(text) {
                return Ok(());
            }
            if let Ok(Some(_)) = child.try_wait() {
                return Err("the clipboard did not take the signature (its helper stopped)".into());
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err("the clipboard did not take the signature in time".into());
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    /// The detached server: set the clipboard, serve it until another copy replaces it
    /// or the display goes away.
    pub(super) fn serve(html: String, text: String) -> Result<(), arboard::Error> {
        use arboard::SetExtLinux;
        use std::sync::atomic::{AtomicU64, Ordering};
        use std::sync::Arc;
        use std::time::Duration;

        // arboard's `wait()` never returns once the X server is gone (its serving thread
        // stops without waking the waiter): look at the display now and then, and leave
        // with it. While we own the clipboard this costs one round trip a second. A
        // display that stops answering (suspended, a dead ssh forward) blocks that look
        // forever: a watchdog leaves when no answer came for 10 seconds.
        const SILENCE: u64 = 10;
        let started = Instant::now();
        let answered = Arc::new(AtomicU64::new(0));
        let heard = Arc::clone(&answered);
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            if started.elapsed().as_secs() > heard.load(Ordering::Relaxed) + SILENCE {
                std::process::exit(0);
            }
        });
        let mut watch = arboard::Clipboard::new()?;
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            match watch.get_text() {
                Ok(_) | Err(arboard::Error::ContentNotAvailable) => {
                    answered.store(started.elapsed().as_secs(), Ordering::Relaxed);
                }
                Err(_) => std::process::exit(0),
            }
        });
        arboard::Clipboard::new()?
            .set()
            .wait()
            .html(html, Some(text))
    }
}

/// Runs the detached clipboard server (Linux); reads the signature from standard input.
pub(crate) fn serve_from_stdin() -> anyhow::Result<()> {
    use std::io::Read;
    let mut payload = Vec::new();
    std::io::stdin().read_to_end(&mut payload)?;
    let (html, text) = decode(&payload).ok_or_else(|| anyhow::anyhow!("malformed payload"))?;
    #[cfg(target_os = "linux")]
    platform::serve(html, text)?;
    #[cfg(not(target_os = "linux"))]
    arboard::Clipboard::new()?.set_html(html, Some(text))?;
    Ok(())
}

/// `<html length>\n<html><text>`: the payload handed to the server.
#[cfg(any(target_os = "linux", test))]
fn encode(html: &str, text: &str) -> Vec<u8> {
    let mut out = format!("{}\n", html.len()).into_bytes();
    out.extend_from_slice(html.as_bytes());
    out.extend_from_slice(text.as_bytes());
    out
}

fn decode(payload: &[u8]) -> Option<(String, String)> {
    let newline = payload.iter().position(|&b| b == b'\n')?;
    let len: usize = std::str::from_utf8(&payload[..newline])
        .ok()?
        .parse()
        .ok()?;
    let rest = &payload[newline + 1..];
    let html = std::str::from_utf8(rest.get(..len)?).ok()?.to_owned();
    let text = std::str::from_utf8(&rest[len..]).ok()?.to_owned();
    Some((html, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips() {
        let (html, text) = ("<b>Zoë\n</b>", "-- \nZoë\n");
        assert_eq!(
            decode(&encode(html, text)),
            Some((html.to_owned(), text.to_owned()))
        );
        assert_eq!(decode(b"99\nshort"), None);
    }
}
