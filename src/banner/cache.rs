//! A content-addressed store of finished banners, so the optimiser runs once per artwork
//! rather than once per command. The folder comes from the caller (`main` reads
//! `SIGBLOCK_CACHE_DIR` or the user's cache folder). A missing or unwritable cache only
//! costs time; an entry that is not what we would make is ignored, never trusted.

use std::path::{Path, PathBuf};

use super::{Encoding, Logo, SCALE};
use crate::assets::FONTS;
use crate::campaign::Campaign;

/// The largest entry we read: a banner PNG is some kilobytes (lossless, some tens).
const MAX_ENTRY_BYTES: u64 = 4 * 1024 * 1024;

/// What decides the encoder's bytes besides its input: its own source and the locked
/// versions of the crates it uses (resvg, oxipng, ...). Any change to them, released or
/// not, makes new keys, so no build is ever served another build's banner.
const ENCODER: &[&[u8]] = &[
    include_bytes!("mod.rs"),
    include_bytes!("render.rs"),
    include_bytes!("logo.rs"),
    include_bytes!("encode.rs"),
    include_bytes!("quantise.rs"),
    include_bytes!("../../Cargo.lock"),
];

pub(super) struct Hit {
    pub(super) png: Vec<u8>,
    pub(super) width: u32,
    pub(super) height: u32,
}

/// The cache file for one artwork, logo and encoding, and the size its banner is.
pub(super) struct Entry {
    path: PathBuf,
    /// The display size the SVG declares: an entry of any other size is not this banner.
    size: (u32, u32),
}

impl Entry {
    /// The entry, or `None` when the banner must not be cached: a campaign file's SVG may
    /// draw images beside it, which the key cannot see.
    pub(super) fn new(
        dir: &Path,
        campaign: &Campaign,
        logo: Option<&Logo>,
        encoding: Encoding,
    ) -> Option<Entry> {
        if campaign.banner_dir.is_some() {
            return None;
        }
        let size = declared_size(&campaign.banner_svg)?;
        let mut hasher = blake3::Hasher::new();
        for part in ENCODER {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        hasher.update(format!("{encoding:?}").as_bytes());
        for font in FONTS {
            hasher.update(&(font.len() as u64).to_le_bytes());
            hasher.update(font);
        }
        hasher.update(&(campaign.banner_svg.len() as u64).to_le_bytes());
        hasher.update(campaign.banner_svg.as_bytes());
        if let Some(logo) = logo {
            hasher.update(&logo.bytes);
        }
        let key = hasher.finalize().to_hex();
        Some(Entry {
            path: dir.join(format!("banner-{key}.png")),
            size,
        })
    }

    /// The entry at `path` for a banner of `size` display pixels, whatever its key.
    #[cfg(feature = "fuzzing")]
    pub(super) fn at(path: PathBuf, size: (u32, u32)) -> Entry {
        Entry { path, size }
    }

    /// The cached banner, when the entry is a regular file of at most
    /// [`MAX_ENTRY_BYTES`], a PNG of exactly this banner's size, that decodes whole.
    /// Anything else is passed over (and made anew), never trusted.
    pub(super) fn read(&self) -> Option<Hit> {
        let png = crate::files::read_bytes(&self.path, MAX_ENTRY_BYTES).ok()?;
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .ok()?;
        // The header's size first: a header that claims 65535×65535 is not decoded.
        let (width, height) = self.size;
        if (decoder.info().width, decoder.info().height) != (width * SCALE, height * SCALE) {
            return None;
        }
        // Written atomically, but a person may have damaged it: decode it whole (the png
        // crate checks every chunk's CRC) before trusting it. About a millisecond.
        let mut pixels = vec![0; decoder.output_buffer_size()?];
        decoder.next_frame(&mut pixels).ok()?;
        decoder.finish().ok()?;
        Some(Hit { width, height, png })
    }

    /// Keeps `png`, a banner of `size` display pixels, when that is the size the SVG
    /// declares (a banner that comes out another size is never served from the cache).
    pub(super) fn keep(&self, png: &[u8], size: (u32, u32)) {
        if size == self.size {
            self.write(png);
        }
    }

    fn write(&self, png: &[u8]) {
        if let Some(dir) = self.path.parent() {
            if std::fs::create_dir_all(dir).is_err() {
                return;
            }
        }
        let _ = crate::files::write_atomic(&self.path, png);
    }
}

/// The display size an SVG's root element declares, as usvg reads it for the plain
/// cases: `width` and `height` in pixels (or unitless), else the `viewBox`'s. `None` for
/// anything else (percentages, other units): such a banner is not cached.
fn declared_size(svg: &str) -> Option<(u32, u32)> {
    let doc = super::budget::document(svg).ok()?;
    let root = doc.root_element();
    let view_box: Option<Vec<f32>> = root.attribute("viewBox").map(|v| {
        v.split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|n| n.parse().ok())
            .collect()
    });
    let side = |name: &str, index: usize| -> Option<u32> {
        let value: f32 = match root.attribute(name) {
            Some(v) => v.trim().trim_end_matches("px").parse().ok()?,
            None => *view_box.as_ref().filter(|v| v.len() == 4)?.get(index)?,
        };
        (value.is_finite() && value >= 1.0).then(|| value.round() as u32)
    };
    Some((side("width", 2)?, side("height", 3)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_size_is_read_from_the_root_or_its_view_box() {
        let svg = |attrs: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\" {attrs}/>");
        assert_eq!(
            declared_size(&svg(r#"width="600" height="100""#)),
            Some((600, 100))
        );
        assert_eq!(
            declared_size(&svg(r#"width="600px" height="99.6""#)),
            Some((600, 100))
        );
        assert_eq!(
            declared_size(&svg(r#"viewBox="0 0 640 120""#)),
            Some((640, 120))
        );
        assert_eq!(declared_size(&svg(r#"width="100%" height="100""#)), None);
        assert_eq!(declared_size(&svg(r#"width="16cm" height="3cm""#)), None);
        assert_eq!(declared_size("not svg"), None);
        // The built-in banner: its size is known without drawing it.
        let embedded = Campaign::embedded();
        assert_eq!(declared_size(&embedded.banner_svg), Some((600, 100)));
    }
}
