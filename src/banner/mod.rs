//! The banner: what a signature shows ([`Banner`]: the picture and what it says), and,
//! for the command line, how it is made: the campaign's SVG ─► usvg/resvg at 2x with the
//! bundled fonts ([`render`]) ─► the unit logo composited ([`logo`]) ─► palette
//! quantisation and an indexed PNG by oxipng ([`encode`]) ─► bytes, kept in a
//! content-addressed [`cache`]. Made once per run and shared by every signature of that
//! run. The signature page gets the finished PNG: it draws nothing.
//!
//! Nothing here knows HTML: how an output refers to the picture (inline, `cid:`, a file
//! beside it, a hosted URL) is the output's business ([`crate::output::Picture`]).

#[cfg(feature = "cli")]
mod budget;
#[cfg(feature = "cli")]
mod cache;
#[cfg(feature = "cli")]
pub(crate) mod check;
#[cfg(feature = "cli")]
mod encode;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
#[cfg(feature = "cli")]
mod images;
#[cfg(feature = "cli")]
mod logo;
#[cfg(feature = "cli")]
mod quantise;
#[cfg(feature = "cli")]
mod render;

#[cfg(feature = "cli")]
use std::path::{Path, PathBuf};

#[cfg(feature = "cli")]
use crate::campaign::Campaign;
#[cfg(feature = "cli")]
pub(crate) use logo::Logo;

/// Bitmap pixels per display pixel: a 600 px banner is drawn 1200 px wide for sharp
/// text on high-density screens.
pub(crate) const SCALE: u32 = 2;

/// How the PNG is encoded.
#[cfg(feature = "cli")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Palette-quantised and losslessly optimised: what goes into signatures.
    Optimised,
    /// The exact render, RGBA, for comparison and print.
    Lossless,
}

/// The campaign's banner as a signature shows it: the picture, the size to show it at,
/// and what it says (alt text, and the line that stands for it in plain text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    pub png: Vec<u8>,
    /// Display size in CSS pixels (the SVG's own size); the bitmap is [`SCALE`] times this.
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// The plain-text signature's stand-in for the picture.
    pub text: String,
}

/// The banner could not be made from its artwork or the logo.
#[cfg(feature = "cli")]
#[derive(Debug, thiserror::Error)]
pub(crate) enum BannerError {
    #[error("banner {origin}: {message}")]
    Svg { origin: String, message: String },
    #[error("logo {}: {message}", crate::text::plain(&path.to_string_lossy()))]
    Logo { path: PathBuf, message: String },
}

/// Makes the campaign's banner, with the logo if one is given.
///
/// With a `cache_dir`, the PNG is kept in a content-addressed cache (keyed by the
/// artwork, fonts, logo and the encoder's own source): drawing, quantising and optimising
/// cost more than the whole rest of a signature; the cached bytes are exactly what a
/// fresh run makes.
#[cfg(feature = "cli")]
pub(crate) fn make(
    campaign: &Campaign,
    logo: Option<&Logo>,
    encoding: Encoding,
    cache_dir: Option<&Path>,
) -> Result<Banner, BannerError> {
    let banner = |png, width, height| Banner {
        png,
        width,
        height,
        alt: campaign.alt.clone(),
        text: campaign.text.clone(),
    };
    let cache = cache_dir.and_then(|dir| cache::Entry::new(dir, campaign, logo, encoding));
    if let Some(hit) = cache.as_ref().and_then(cache::Entry::read) {
        return Ok(banner(hit.png, hit.width, hit.height));
    }
    let render::Rendered {
        mut pixels,
        width,
        height,
    } = render::render(campaign)?;
    if let Some(logo) = logo {
        logo.place_on(&mut pixels);
    }
    encode::flatten_on_white(&mut pixels);
    let png = match encoding {
        Encoding::Lossless => encode::lossless(&pixels),
        Encoding::Optimised => encode::optimised(&pixels),
    };
    if let Some(cache) = &cache {
        cache.keep(&png, (width, height));
    }
    Ok(banner(png, width, height))
}
