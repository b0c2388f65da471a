//! Everything sigblock says to the person: results on stdout, notes and refusals on
//! stderr. Saying never panics and never stops a run: a closed pipe
//! (`sigblock ... | head -1`) or a full stream (`2>/dev/full`) loses the message, not the
//! files; the exit status still says what happened to them.

use std::fmt;
use std::io::Write;

/// A result line on stdout (`wrote ana-ruiz.html`).
pub(crate) fn say(args: fmt::Arguments<'_>) {
    if cfg!(test) {
        println!("{args}"); // the test harness captures print!, not the raw stream
    } else {
        let _ = writeln!(std::io::stdout().lock(), "{args}");
    }
}

/// Something the person should know, on stderr as `note: ...`.
pub(crate) fn note(args: fmt::Arguments<'_>) {
    tell(format_args!("note: {args}"));
}

/// A line on stderr as it is (`line 7: name: is empty`).
pub(crate) fn tell(args: fmt::Arguments<'_>) {
    if cfg!(test) {
        eprintln!("{args}");
    } else {
        let _ = writeln!(std::io::stderr().lock(), "{args}");
    }
}

/// The error that stopped a run, as `error: what: why`: each cause once, even when an
/// error's own message already quotes its source (a TOML or SVG parser's message).
pub(crate) fn error(error: &anyhow::Error) {
    let mut line = String::from("error: ");
    let mut previous = String::new();
    for (i, cause) in error.chain().enumerate() {
        let text = cause.to_string();
        if i > 0 {
            if previous.contains(&text) {
                continue;
            }
            line.push_str(": ");
        }
        line.push_str(&text);
        previous = text;
    }
    tell(format_args!("{line}"));
}

macro_rules! say {
    ($($arg:tt)*) => { $crate::messages::say(format_args!($($arg)*)) };
}

macro_rules! note {
    ($($arg:tt)*) => { $crate::messages::note(format_args!($($arg)*)) };
}

macro_rules! tell {
    ($($arg:tt)*) => { $crate::messages::tell(format_args!($($arg)*)) };
}
