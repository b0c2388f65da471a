//! sigblock: email signature blocks with the month's awareness-campaign banner.
//!
//! The pipeline, one module a stage (`docs/ARCHITECTURE.md` has the map):
//!
//! ```text
//! job (cli ─► job) ─► person (flags, or CSV: staff) ─► validate (person)
//!                                          └─► unit → contact line (units)
//! campaign + banner.svg + fonts (campaign, assets) ─► render, logo, encode, cache (banner)
//! person + banner ─► the signature, rendered once (signature, templates)
//! ─► files, atomically (output: html, text, eml, outlook; batch adds report and gallery)
//! ─► clipboard
//! ```
//!
//! The binary (`src/main.rs`, `src/cli.rs`) parses flags into a [`job::Job`], reads the
//! environment into a [`job::Environment`], and calls [`run`].

use std::process::ExitCode;

#[macro_use]
mod messages;

mod assets;
pub mod banner;
mod batch;
pub mod campaign;
pub mod clipboard;
mod commands;
mod error;
mod exit;
mod files;
mod install;
pub mod job;
pub mod output;
pub mod person;
pub mod signature;
pub mod slug;
pub mod staff;
pub mod templates;
pub mod units;

/// Runs one job, says what went wrong if anything did, and gives the exit status.
pub fn run(job: job::Job, env: &job::Environment) -> ExitCode {
    exit::status(commands::run(job, env))
}

/// The detached clipboard server's whole life (the hidden subcommand, on Linux).
pub fn serve_clipboard() -> ExitCode {
    exit::status(clipboard::serve_from_stdin().map(|()| exit::Outcome::Done))
}

/// A refusal found before there is a job (a flag's value): said like every other
/// error, with the same exit status.
pub fn refuse(error: anyhow::Error) -> ExitCode {
    exit::status(Err(error))
}
