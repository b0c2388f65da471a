//! A unit logo (`--logo FILE.png`), placed at the banner's right end.

use std::path::Path;

use image::{imageops, RgbaImage};

use super::{BannerError, SCALE};

/// The largest logo file and bitmap we accept: a unit logo, not a photograph.
const LOGO_MAX_BYTES: u64 = 5 * 1024 * 1024;
const LOGO_MAX_SIDE: u32 = 4096;

/// A decoded logo, and its file's bytes (part of the banner cache's key).
#[derive(Debug, Clone)]
pub(crate) struct Logo {
    pub(crate) bytes: Vec<u8>,
    image: RgbaImage,
}

impl Logo {
    /// Reads and decodes a PNG logo, refusing what is not a readable PNG of a sane size.
    pub(crate) fn load(path: &Path) -> Result<Logo, BannerError> {
        let refuse = |message: String| BannerError::Logo {
            path: path.to_owned(),
            message,
        };
        // A regular file of at most LOGO_MAX_BYTES: a FIFO or /dev/zero is refused at once.
        let bytes = crate::files::read_bytes(path, LOGO_MAX_BYTES).map_err(|e| match e.kind() {
            std::io::ErrorKind::FileTooLarge => refuse(format!(
                "is larger than {} MB; a logo needs a few kilobytes",
                LOGO_MAX_BYTES / 1024 / 1024
            )),
            _ => refuse(format!("cannot open: {}", crate::files::reading(&e))),
        })?;
        if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(refuse("is not a PNG file".into()));
        }
        let mut reader =
            image::ImageReader::with_format(std::io::Cursor::new(&bytes), image::ImageFormat::Png);
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(LOGO_MAX_SIDE);
        limits.max_image_height = Some(LOGO_MAX_SIDE);
        limits.max_alloc = Some(256 * 1024 * 1024);
        reader.limits(limits);
        let image = reader
            .decode()
            .map_err(|e| match e {
                image::ImageError::Limits(_) => refuse(format!(
                    "is too large; at most {LOGO_MAX_SIDE}×{LOGO_MAX_SIDE} pixels"
                )),
                other => refuse(format!("is not a readable PNG ({other})")),
            })?
            .into_rgba8();
        if image.width() == 0 || image.height() == 0 {
            return Err(refuse("has no pixels".into()));
        }
        Ok(Logo { bytes, image })
    }

    /// Places the logo at the banner's right end, scaled to fit a box of
    /// 100×(height − 20) display pixels, vertically centred.
    pub(crate) fn place_on(&self, banner: &mut RgbaImage) {
        let margin = 10 * SCALE;
        let box_width = 100 * SCALE;
        let box_height = banner.height().saturating_sub(2 * margin).max(1);
        let (w, h) = (self.image.width() as f64, self.image.height() as f64);
        let fit = (box_width as f64 / w).min(box_height as f64 / h);
        let (new_w, new_h) = (
            ((w * fit).round() as u32).max(1),
            ((h * fit).round() as u32).max(1),
        );
        let scaled = imageops::resize(&self.image, new_w, new_h, imageops::FilterType::Lanczos3);
        let x = banner.width().saturating_sub(margin + new_w);
        let y = (banner.height() - new_h) / 2;
        imageops::overlay(banner, &scaled, x as i64, y as i64);
    }
}
