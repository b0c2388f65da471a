//! The data files an office hands the command line: a units file (`--config`) and a
//! campaign file (`--campaign`) with its banner SVG. Each is read only when it is a
//! regular file within its size cap ([`crate::files::read_text`]), then parsed by the
//! core ([`Directory::parse`], [`Campaign::parse`]), exactly as the built-in ones are.

use std::path::Path;

use crate::campaign::Campaign;
use crate::error::ConfigError;
use crate::units::Directory;

/// The largest units or campaign file: a few units and lines of text, not a megabyte.
const DATA_MAX_BYTES: u64 = 1024 * 1024;
/// The largest banner SVG.
const SVG_MAX_BYTES: u64 = 8 * 1024 * 1024;

/// The units file at `path`, or the built-in one.
pub(crate) fn units(path: Option<&Path>) -> Result<Directory, ConfigError> {
    match path {
        Some(path) => Directory::parse(&read(path, DATA_MAX_BYTES)?, &shown(path)),
        None => Ok(Directory::embedded()),
    }
}

/// The units file at `path` (or the built-in one) as text, with the name messages give
/// it, once it parses: what the signature page carries and parses again.
pub(crate) fn units_text(path: Option<&Path>) -> Result<(String, String), ConfigError> {
    let (text, origin) = match path {
        Some(path) => (read(path, DATA_MAX_BYTES)?, shown(path)),
        None => (
            crate::units::BUILT_IN.to_owned(),
            "built-in units.toml".to_owned(),
        ),
    };
    Directory::parse(&text, &origin)?;
    Ok((text, origin))
}

/// The campaign file at `path` (its banner path is relative to the file), or the
/// built-in one.
pub(crate) fn campaign(path: Option<&Path>) -> Result<Campaign, ConfigError> {
    let Some(path) = path else {
        return Ok(Campaign::embedded());
    };
    let text = read(path, DATA_MAX_BYTES)?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_owned();
    Campaign::parse(
        &text,
        &shown(path),
        |banner| read(&dir.join(banner), SVG_MAX_BYTES),
        Some(dir.clone()),
    )
}

fn read(path: &Path, max: u64) -> Result<String, ConfigError> {
    crate::files::read_text(path, max).map_err(|cause| ConfigError::Read {
        path: path.to_owned(),
        why: crate::files::reading(&cause),
    })
}

/// A file's name as messages say it: its control characters escaped.
fn shown(path: &Path) -> String {
    crate::text::plain(&path.to_string_lossy()).into_owned()
}
