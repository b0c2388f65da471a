//! `sigblock units`: the known units, their aliases and their contact sentence.

use std::path::Path;

use super::directory;
use crate::exit::Outcome;

pub(super) fn run(config: Option<&Path>) -> anyhow::Result<Outcome> {
    let directory = directory(config)?;
    for unit in &directory.units {
        say!("{}", unit.name);
        if !unit.aliases.is_empty() {
            say!("  aliases: {}", unit.aliases.join(", "));
        }
        say!("  contact: {}", unit.contact.line());
    }
    Ok(Outcome::Done)
}
