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
    #[error("{origin}: {source}")]
    Toml {
        origin: String,
        source: toml::de::Error,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

/// The banner could not be made from its artwork or the logo.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BannerError {
    #[error("banner {origin}: {message}")]
    Svg { origin: String, message: String },
    #[error("logo {}: {message}", path.display())]
    Logo { path: PathBuf, message: String },
}
