//! The banner: campaign SVG ─► usvg/resvg at 2x with the bundled fonts ([`render`]) ─►
//! the unit logo composited ([`logo`]) ─► palette quantisation and an indexed PNG by
//! oxipng ([`encode`]) ─► bytes, kept in a content-addressed [`cache`].
//! Made once per run and shared by every signature of that run.

mod budget;
mod cache;
pub(crate) mod check;
mod encode;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod images;
mod logo;
mod quantise;
mod render;

use std::borrow::Cow;
use std::path::Path;

use base64::Engine;

use crate::campaign::Campaign;
use crate::error::BannerError;
pub(crate) use logo::Logo;

/// Bitmap pixels per display pixel: a 600 px banner is drawn 1200 px wide for sharp
/// text on high-density screens.
pub(crate) const SCALE: u32 = 2;

/// How the PNG is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Palette-quantised and losslessly optimised: what goes into signatures.
    Optimised,
    /// The exact render, RGBA, for comparison and print.
    Lossless,
}

/// The campaign's banner as this run uses it: the picture, the size to show it at, what
/// it says (alt text, and the line that stands for it in plain text), and where it is
/// hosted when it is not carried in the message.
#[derive(Debug, Clone)]
pub struct Banner {
    pub png: Vec<u8>,
    /// Display size in CSS pixels (the SVG's own size); the bitmap is [`SCALE`] times this.
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// The plain-text signature's stand-in for the picture.
    pub text: String,
    /// `--image-url`: the hosted copy, referenced instead of the bytes everywhere.
    hosted: Option<String>,
    data_uri: String,
}

/// Where an output would like the banner's bytes to be. A hosted banner is referenced by
/// its URL instead, whatever the output would like.
#[derive(Debug, Clone, Copy)]
pub enum ImageSource<'a> {
    /// In the HTML itself, as a `data:` URI (the clipboard, `<slug>.html`).
    Inline,
    /// A MIME part of the message (`cid:`), in the `.eml`.
    ContentId(&'a str),
    /// A file beside the page, by relative path (Outlook's `_files`, the gallery).
    File(&'a str),
}

impl Banner {
    /// A banner of `width`×`height` display pixels (the PNG is [`SCALE`] times that),
    /// carried in each output, or referenced at `hosted` (a checked https URL).
    pub fn new(
        png: Vec<u8>,
        width: u32,
        height: u32,
        alt: String,
        text: String,
        hosted: Option<String>,
    ) -> Banner {
        let mut data_uri = String::from("data:image/png;base64,");
        base64::engine::general_purpose::STANDARD.encode_string(&png, &mut data_uri);
        Banner {
            png,
            width,
            height,
            alt,
            text,
            hosted,
            data_uri,
        }
    }

    /// The same banner, referenced at a hosted https URL (Gmail shows no `data:` images).
    pub(crate) fn hosted_at(self, url: Option<String>) -> Banner {
        Banner {
            hosted: url,
            ..self
        }
    }

    /// The URL the banner is hosted at, when it is referenced rather than carried.
    pub fn hosted(&self) -> Option<&str> {
        self.hosted.as_deref()
    }

    /// Whether the banner is referenced by URL rather than carried with each output.
    pub(crate) fn is_hosted(&self) -> bool {
        self.hosted.is_some()
    }

    /// The `src` attribute for an output that would like the bytes at `source`, ready for
    /// a double-quoted HTML attribute. The URL a person typed is escaped; the data URI is
    /// base64 and our own names are slugs, so they have nothing to escape.
    pub(crate) fn src(&self, source: ImageSource<'_>) -> Cow<'_, str> {
        match (&self.hosted, source) {
            (Some(url), _) => Cow::Owned(crate::templates::escape_html(url)),
            (None, ImageSource::Inline) => Cow::Borrowed(&self.data_uri),
            (None, ImageSource::ContentId(cid)) => Cow::Owned(format!("cid:{cid}")),
            (None, ImageSource::File(path)) => Cow::Owned(crate::templates::escape_html(path)),
        }
    }

    /// The PNG as a `data:` URI.
    pub(crate) fn data_uri(&self) -> &str {
        &self.data_uri
    }
}

/// Makes the campaign's banner, with the logo if one is given.
///
/// With a `cache_dir`, the PNG is kept in a content-addressed cache (keyed by the
/// artwork, fonts, logo and the encoder's own source): drawing, quantising and optimising
/// cost more than the whole rest of a signature; the cached bytes are exactly what a
/// fresh run makes.
pub(crate) fn make(
    campaign: &Campaign,
    logo: Option<&Logo>,
    encoding: Encoding,
    cache_dir: Option<&Path>,
) -> Result<Banner, BannerError> {
    let banner = |png, width, height| {
        Banner::new(
            png,
            width,
            height,
            campaign.alt.clone(),
            campaign.text.clone(),
            None,
        )
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
