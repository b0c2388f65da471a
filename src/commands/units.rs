//! `sigblock units`: the known units, their aliases and their contact sentence; or
//! `--write FILE.toml`: the built-in units file, for an office to edit and pass back
//! with `--config`.

use std::path::Path;

use super::{directory, file_in_folder, open_folder, say_forced, NamedFile};
use crate::exit::Outcome;
use crate::files::Source;
use crate::job::Environment;
use crate::text::ShownPath;
use crate::units::BUILT_IN;

pub(super) fn run(
    config: Option<&Path>,
    write: Option<&Path>,
    env: &Environment,
) -> anyhow::Result<Outcome> {
    if let Some(path) = write {
        return write_built_in(path, env);
    }
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

/// `--write` of `sigblock units`.
const TOML: NamedFile = NamedFile {
    flag: "--write",
    ext: "toml",
    example: "units.toml",
    what: "the units file is TOML text",
};

/// Writes the built-in units file at `path`, by the output folder's rules: never over a
/// file sigblock did not make.
fn write_built_in(path: &Path, env: &Environment) -> anyhow::Result<Outcome> {
    let (dir, name) = file_in_folder(path, &TOML)?;
    let folder = open_folder(&dir, Source::Named, false, Vec::new(), env)?;
    let written = folder.write_all(&[(name, BUILT_IN.as_bytes().to_vec())], None)?;
    say_forced(&folder.finish()?);
    let shown = written
        .paths
        .first()
        .map(|p| super::full(p))
        .unwrap_or_default();
    say!(
        "wrote {}: edit its units, aliases and contact lines, then pass it with --config {}",
        ShownPath(&shown),
        ShownPath(path)
    );
    Ok(Outcome::Done)
}
