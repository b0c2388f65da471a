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

#[macro_use]
pub mod messages;

mod assets;
pub mod banner;
mod batch;
pub mod campaign;
pub mod clipboard;
mod commands;
pub mod error;
pub mod exit;
mod files;
pub mod job;
pub mod output;
pub mod person;
pub mod signature;
pub mod slug;
pub mod staff;
pub mod templates;
pub mod units;

pub use commands::run;
