//! sigblock: email signature blocks with the month's awareness-campaign banner.
//!
//! The pipeline, one module a stage (see design.md):
//!
//! ```text
//! person (flags: cli, or CSV: staff) ──► validate (person) ──► unit → contact line (units)
//! campaign + banner.svg + fonts (campaign, assets) ──► resvg, image, quantise, oxipng (banner)
//! minijinja templates (templates) ──► HTML fragment, document, plain text
//! ──► files, atomically (output; batch adds report and gallery) ──► clipboard
//! ```

pub mod app;
pub mod assets;
pub mod banner;
pub mod batch;
pub mod campaign;
pub mod cli;
pub mod clipboard;
pub mod error;
pub mod output;
pub mod person;
pub mod quantise;
pub mod slug;
pub mod staff;
pub mod templates;
pub mod units;
