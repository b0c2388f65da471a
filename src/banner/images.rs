//! Pictures a campaign's SVG draws (`<image>`, `<feImage>`): raster pictures only (PNG,
//! JPEG, GIF, WebP), from a `data:` URI or a file inside the campaign's own folder,
//! checked before a pixel is decoded and decoded whole before they are drawn.
//!
//! usvg's own resolver opens any path it is given (`/etc/passwd`, another office's SVG,
//! `/dev/zero`, a FIFO) and skips what it cannot read with a log line nobody sees, which
//! left a blank banner. Here every picture is drawn or the banner is refused, naming it.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use image::{ImageFormat, ImageReader, Limits};
use resvg::usvg::{ImageHrefResolver, ImageKind};

use crate::text::Shown;

/// The largest picture file: a logo or a photograph for a banner, not a poster.
const IMAGE_MAX_BYTES: u64 = 4 * 1024 * 1024;
/// The largest picture, in its own pixels: twice the widest banner, with room to spare.
const IMAGE_MAX_SIDE: u32 = 4096;

/// Why the first picture the SVG asked for cannot be drawn. (usvg's resolver can only
/// say "no picture", so the reason is kept here and said once parsing is done.)
#[derive(Clone, Default)]
pub(super) struct Refusal(Arc<Mutex<Option<Refused>>>);

/// A picture that cannot be drawn: its `href` (for a `data:` URI, its start) and why.
pub(super) struct Refused {
    pub(super) href: String,
    pub(super) why: String,
}

impl Refused {
    /// `line 4: image "logo.png": why`, locating the element in `svg`.
    pub(super) fn say(&self, svg: &str) -> String {
        let data = self.href.starts_with("data:");
        let place = super::budget::place(svg, |node| {
            [node.attribute("href"), node.attribute((XLINK, "href"))]
                .into_iter()
                .flatten()
                .any(|href| match data {
                    true => href.starts_with(&self.href),
                    false => href == self.href,
                })
        });
        let shown = if data {
            format!("{},…", self.href)
        } else {
            self.href.clone()
        };
        format!("{place}image {}: {}", Shown(&shown), self.why)
    }
}

const XLINK: &str = "http://www.w3.org/1999/xlink";

impl Refusal {
    fn keep(&self, href: String, why: String) {
        let mut first = self.0.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert(Refused { href, why });
    }

    /// The first picture refused, if any.
    pub(super) fn take(&self) -> Option<Refused> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// The resolver for a campaign whose SVG lives in `folder` (`None`: the built-in one,
/// which may draw `data:` pictures only). Each picture is read and checked once, however
/// many `<use>` copies draw it: usvg asks again for every copy.
pub(super) fn resolver(folder: Option<PathBuf>, refusal: Refusal) -> ImageHrefResolver<'static> {
    let seen = Seen::default();
    let (data_seen, data_refusal) = (seen.clone(), refusal.clone());
    ImageHrefResolver {
        resolve_data: Box::new(move |mime, data, _| {
            let key = format!("data:{mime};{}", blake3::hash(&data));
            data_seen
                .get_or(key, || match mime {
                    "image/svg+xml" => Err(NESTED_SVG.to_owned()),
                    _ => raster(&data),
                })
                .map_err(|why| data_refusal.keep(format!("data:{mime}"), why))
                .ok()
        }),
        resolve_string: Box::new(move |href, _| {
            seen.get_or(href.to_owned(), || from_folder(folder.as_deref(), href))
                .map_err(|why| refusal.keep(href.to_owned(), why))
                .ok()
        }),
    }
}

/// Pictures already resolved in this parse, by href (by content for a `data:` URI).
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<HashMap<String, Result<ImageKind, String>>>>);

impl Seen {
    fn get_or(
        &self,
        key: String,
        resolve: impl FnOnce() -> Result<ImageKind, String>,
    ) -> Result<ImageKind, String> {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        seen.entry(key).or_insert_with(resolve).clone()
    }
}

const NESTED_SVG: &str = "an SVG picture inside the banner cannot be drawn; \
     put its shapes in the banner's SVG itself, or use a PNG";

/// A picture file named by a relative path that stays inside the campaign's folder.
fn from_folder(folder: Option<&Path>, href: &str) -> Result<ImageKind, String> {
    let Some(folder) = folder else {
        return Err("the built-in banner draws no files".into());
    };
    let relative = inside(href).ok_or_else(|| {
        "only a picture inside the campaign's folder can be drawn: \
         give a relative path such as \"logo.png\""
            .to_owned()
    })?;
    let unreadable = |e: std::io::Error| format!("cannot read it: {}", crate::files::reading(&e));
    // A campaign file named without a folder ("campaign.toml") is in the current one.
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let path = folder.join(relative);
    // A link inside the folder may still point out of it: compare where both really are.
    let (real, real_folder) = (
        path.canonicalize().map_err(unreadable)?,
        folder.canonicalize().map_err(unreadable)?,
    );
    if !real.starts_with(&real_folder) {
        return Err("it links to a file outside the campaign's folder".into());
    }
    if matches!(
        real.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("svg" | "svgz")
    ) {
        return Err(NESTED_SVG.into());
    }
    raster(&crate::files::read_bytes(&real, IMAGE_MAX_BYTES).map_err(unreadable)?)
}

/// `href` as a path relative to the campaign's folder that stays inside it: no scheme
/// (`file:`, `http:`), no root or drive, and no `..` that climbs out.
fn inside(href: &str) -> Option<PathBuf> {
    let scheme = href
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '\\']));
    if scheme || href.is_empty() {
        return None;
    }
    let mut relative = PathBuf::new();
    for part in Path::new(href).components() {
        match part {
            Component::Normal(name) => relative.push(name),
            Component::CurDir => {}
            Component::ParentDir if relative.pop() => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!relative.as_os_str().is_empty()).then_some(relative)
}

/// A raster picture, checked and decoded whole here, then handed to resvg as a plain
/// RGBA PNG: what resvg draws is exactly what was checked (it skips, silently, a picture
/// it cannot decode, such as a CMYK JPEG).
fn raster(bytes: &[u8]) -> Result<ImageKind, String> {
    let reader = || {
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())?;
        match reader.format() {
            Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) => {
                Ok(reader)
            }
            _ => Err("it is not a PNG, JPEG, GIF or WebP picture".to_owned()),
        }
    };
    // The size its header declares, before a pixel is decoded.
    let (width, height) = reader()?
        .into_dimensions()
        .map_err(|e| format!("it is not a readable picture ({e})"))?;
    if width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE {
        return Err(format!(
            "it is {width}×{height} pixels; a banner's picture is at most \
             {IMAGE_MAX_SIDE}×{IMAGE_MAX_SIDE}"
        ));
    }
    if width == 0 || height == 0 {
        return Err("it has no pixels".into());
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(IMAGE_MAX_SIDE);
    limits.max_image_height = Some(IMAGE_MAX_SIDE);
    limits.max_alloc = Some(u64::from(IMAGE_MAX_SIDE).pow(2) * 8);
    let mut decoder = reader()?;
    decoder.limits(limits);
    let pixels = decoder
        .decode()
        .map_err(|e| format!("it is not a readable picture ({e})"))?
        .into_rgba8();
    let mut png = Vec::new();
    pixels
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| format!("it cannot be prepared for drawing ({e})"))?;
    Ok(ImageKind::PNG(Arc::new(png)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_paths_that_stay_inside() {
        assert_eq!(inside("logo.png"), Some(PathBuf::from("logo.png")));
        assert_eq!(inside("./art/../logo.png"), Some(PathBuf::from("logo.png")));
        assert_eq!(inside("art/logo.png"), Some(PathBuf::from("art/logo.png")));
        for outside in [
            "/etc/passwd",
            "../other/banner.png",
            "art/../../x.png",
            "file:///etc/passwd",
            "https://example.org/x.png",
            "C:/Windows/x.png",
            "",
            ".",
        ] {
            assert_eq!(inside(outside), None, "{outside}");
        }
    }

    #[test]
    fn a_picture_is_checked_before_it_is_decoded() {
        // A valid PNG header that claims 65535×65535: refused from the header alone.
        let mut huge = Vec::new();
        let mut encoder = png::Encoder::new(&mut huge, 65535, 65535);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Sixteen);
        let mut writer = encoder.write_header().unwrap();
        writer
            .write_chunk(png::chunk::IDAT, &[0x78, 0x9c, 0x03, 0x00])
            .unwrap();
        drop(writer);
        let why = raster(&huge).unwrap_err();
        assert!(why.contains("65535×65535 pixels"), "{why}");
        assert!(raster(b"GIF89a nonsense").is_err());
        assert_eq!(
            raster(b"<svg/>").unwrap_err(),
            "it is not a PNG, JPEG, GIF or WebP picture"
        );
    }
}
