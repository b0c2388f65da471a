//! Errors callers act on. Every message names the input it is about; the underlying
//! cause is kept as the error's source, not flattened into text.

use std::io;
use std::path::PathBuf;

/// A data file (units, campaign) that could not be read or does not make sense.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigError {
    /// Said in plain words (the OS error is kept, not chained: it would say its number).
    #[error("cannot read {}: {}", path.display(), crate::files::reading(cause))]
    Read { path: PathBuf, cause: io::Error },
    /// The toml crate's own words (where, an excerpt with a caret, what is wrong), each
    /// line cut short: a syntax error on a 1 MB line is not echoed whole.
    #[error("{origin}: {}", toml_words(cause))]
    Toml {
        origin: String,
        cause: toml::de::Error,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

/// `error`'s message with every line cut at 200 characters.
fn toml_words(error: &toml::de::Error) -> String {
    const MAX: usize = 200;
    let message = error.to_string();
    let lines: Vec<String> = message
        .trim_end()
        .lines()
        .filter_map(|line| match line.char_indices().nth(MAX) {
            // The caret under a column past the cut points at nothing shown: left out.
            Some((cut, _)) if line[..cut].trim_matches([' ', '|']).is_empty() => None,
            Some((cut, _)) => Some(format!("{}… (cut short)", &line[..cut])),
            None => Some(line.to_owned()),
        })
        .collect();
    lines.join("\n")
}

/// The banner could not be made from its artwork or the logo.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BannerError {
    #[error("banner {origin}: {message}")]
    Svg { origin: String, message: String },
    #[error("logo {}: {message}", path.display())]
    Logo { path: PathBuf, message: String },
}
