//! sigblock's integration tests, one test binary (as ripgrep does): every file here is a
//! module of this crate, so `cargo test` links scraper, proptest and the rest once, not
//! once per file. tests/README.md says what each module covers and how to run one
//! (`cargo test --test tests cli::`).

mod common;

mod architecture;

mod banner_reference;
mod batch;
mod bounded;
mod campaign;
mod cli;
mod clients;
mod clipboard;
mod faults;
mod first_minutes;
mod fonts;
mod hostile_campaign;
mod hostile_csv;
mod hostile_round3;
mod hr_desk;
mod hr_exports;
mod install;
mod ownership;
mod page;
mod properties;
mod terminal;
mod windows;
