//! A content-addressed store of finished banners, so the optimiser runs once per artwork
//! rather than once per command. The folder comes from the caller (`main` reads
//! `SIGBLOCK_CACHE_DIR` or the user's cache folder). A missing or unwritable cache only
//! costs time; an entry that is not what we would make is ignored, never trusted.

use std::io::Read;
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

/// The cache file for one artwork, logo and encoding.
pub(super) struct Entry {
    path: PathBuf,
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
        })
    }

    pub(super) fn read(&self) -> Option<Hit> {
        // Only a regular file: opening a FIFO would wait for a writer forever.
        if !std::fs::metadata(&self.path).ok()?.is_file() {
            return None;
        }
        let file = std::fs::File::open(&self.path).ok()?;
        let mut png = Vec::new();
        file.take(MAX_ENTRY_BYTES + 1).read_to_end(&mut png).ok()?;
        if png.len() as u64 > MAX_ENTRY_BYTES {
            return None;
        }
        // Written atomically, but a person may have damaged it: decode it whole (the png
        // crate checks every chunk's CRC) before trusting it. About a millisecond.
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .ok()?;
        let (w, h) = (decoder.info().width, decoder.info().height);
        // A banner is at most 2000×1000 display pixels: refuse a header that claims more
        // before allocating for it.
        if w > 2000 * SCALE || h > 1000 * SCALE || w % SCALE != 0 || h % SCALE != 0 {
            return None;
        }
        let mut pixels = vec![0; decoder.output_buffer_size()?];
        decoder.next_frame(&mut pixels).ok()?;
        decoder.finish().ok()?;
        Some(Hit {
            width: w / SCALE,
            height: h / SCALE,
            png,
        })
    }

    pub(super) fn write(&self, png: &[u8]) {
        if let Some(dir) = self.path.parent() {
            if std::fs::create_dir_all(dir).is_err() {
                return;
            }
        }
        let _ = crate::files::write_atomic(&self.path, png);
    }
}
