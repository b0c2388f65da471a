//! Errors callers act on. Every message names the input it is about; the underlying
//! cause is kept as the error's source, not flattened into text.

use std::path::PathBuf;

/// A data file (units, campaign) that could not be read or does not make sense.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Why, in plain words (said by whoever read it: the OS error's number is no help).
    #[error("cannot read {}: {why}", crate::text::plain(&path.to_string_lossy()))]
    Read { path: PathBuf, why: String },
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
