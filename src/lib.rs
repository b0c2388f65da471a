//! sigblock: email signature blocks with the month's awareness-campaign banner.
//!
//! One library, two front ends (`docs/ARCHITECTURE.md` has the map):
//!
//! ```text
//! the core (always; the signature page compiles it to WebAssembly):
//!   person (as typed ─► checked, text) ─► unit → contact line (units)
//!   campaign (its window, texts) · banner (the picture and what it says)
//!   person + banner ─► output: the signature rendered once (templates), every format's
//!   bytes, the classic Outlook set (install's plan); notes (what to tell the person)
//!   page: the signature page's engine (office data in, a form's answer out), and its
//!   WebAssembly exports (target wasm32 only)
//! the command line (feature "cli"):
//!   job (cli ─► job) · inputs (office files) · banner: render, logo, encode, cache
//!   staff (HR's CSV) ─► batch (report, gallery) · files (the folders it owns)
//!   commands (one per subcommand) · clipboard · install (folder, registry)
//!   page::document: the signature page itself (the core as WebAssembly, the office's
//!   data, the form), written by `sigblock page`
//! ```
//!
//! The binary (`src/main.rs`, `src/cli.rs`) parses flags into a [`job::Job`], reads the
//! environment into a [`job::Environment`], and calls [`run`].

// The core.
pub mod banner;
pub mod campaign;
mod error;
pub mod install;
pub mod notes;
pub mod output;
pub mod page;
pub mod person;
pub mod slug;
pub mod text;
pub mod units;

// The command line.
#[cfg(feature = "cli")]
#[macro_use]
mod messages;
#[cfg(feature = "cli")]
mod assets;
#[cfg(feature = "cli")]
mod batch;
#[cfg(feature = "cli")]
pub mod clipboard;
#[cfg(feature = "cli")]
mod commands;
#[cfg(feature = "cli")]
mod exit;
#[cfg(feature = "cli")]
mod files;
#[cfg(feature = "cli")]
mod inputs;
#[cfg(feature = "cli")]
pub mod job;
#[cfg(feature = "cli")]
pub mod staff;

pub use error::ConfigError;

#[cfg(feature = "cli")]
use std::process::ExitCode;

/// Runs one job, says what went wrong if anything did, and gives the exit status.
#[cfg(feature = "cli")]
pub fn run(job: job::Job, env: &job::Environment) -> ExitCode {
    exit::status(commands::run(job, env))
}

/// The detached clipboard server's whole life (the hidden subcommand, on Linux).
#[cfg(feature = "cli")]
pub fn serve_clipboard() -> ExitCode {
    exit::status(clipboard::serve_from_stdin().map(|()| exit::Outcome::Done))
}

/// A refusal found before there is a job (a flag's value): said like every other
/// error, with the same exit status.
#[cfg(feature = "cli")]
pub fn refuse(error: anyhow::Error) -> ExitCode {
    exit::status(Err(error))
}
