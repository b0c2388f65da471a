//! The banner: campaign SVG ─► usvg/resvg at 2x with the bundled fonts ─► `image`
//! (composite the logo) ─► palette quantisation ─► indexed PNG ─► oxipng ─► bytes.
//! Made once per run and shared by every signature of that run.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use image::{imageops, RgbaImage};

use crate::assets::FONTS;
use crate::campaign::Campaign;
use crate::error::BannerError;

/// Bitmap pixels per display pixel: a 600 px banner is drawn 1200 px wide for sharp
/// text on high-density screens.
pub const SCALE: u32 = 2;

/// Outlook sizes images by their physical size, assuming 96 dpi: say exactly that
/// (96 / 0.0254 = 3779.5 pixels per metre).
const PIXELS_PER_METRE_96_DPI: u32 = 3780;

/// The largest logo file and bitmap we accept: a unit logo, not a photograph.
const LOGO_MAX_BYTES: u64 = 5 * 1024 * 1024;
const LOGO_MAX_SIDE: u32 = 4096;

/// How the PNG is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Palette-quantised and losslessly optimised: what goes into signatures.
    Optimised,
    /// The exact render, RGBA, for comparison and print.
    Lossless,
}

/// A finished banner: the PNG and the size to show it at.
#[derive(Debug, Clone)]
pub struct Banner {
    pub png: Vec<u8>,
    /// Display size in CSS pixels (the SVG's own size); the bitmap is [`SCALE`] times this.
    pub display_width: u32,
    pub display_height: u32,
    pub alt: String,
}

impl Banner {
    /// The PNG as a `data:` URI, for clients that show inlined images.
    pub fn data_uri(&self) -> String {
        let mut uri = String::from("data:image/png;base64,");
        base64::engine::general_purpose::STANDARD.encode_string(&self.png, &mut uri);
        uri
    }
}

/// A unit logo to place on the banner (`--logo FILE.png`).
#[derive(Debug, Clone)]
pub struct Logo {
    pub path: PathBuf,
    bytes: Vec<u8>,
    image: RgbaImage,
}

impl Logo {
    /// Reads and decodes a PNG logo, refusing what is not a readable PNG of a sane size.
    pub fn load(path: &Path) -> Result<Logo, BannerError> {
        let refuse = |message: String| BannerError::Logo {
            path: path.to_owned(),
            message,
        };
        let file = std::fs::File::open(path).map_err(|e| refuse(format!("cannot open: {e}")))?;
        let mut bytes = Vec::new();
        file.take(LOGO_MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(format!("cannot read: {e}")))?;
        if bytes.len() as u64 > LOGO_MAX_BYTES {
            return Err(refuse(format!(
                "is larger than {} MB; a logo needs a few kilobytes",
                LOGO_MAX_BYTES / 1024 / 1024
            )));
        }
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
        Ok(Logo {
            path: path.to_owned(),
            bytes,
            image,
        })
    }
}

/// Makes the campaign's banner, with the logo if one is given.
///
/// The optimised PNG is kept in a content-addressed cache (keyed by the artwork, fonts,
/// logo and the encoder's own source): drawing, quantising and optimising cost more than
/// the whole rest of a signature; the cached bytes are exactly what a fresh run makes.
pub fn make(
    campaign: &Campaign,
    logo: Option<&Logo>,
    encoding: Encoding,
) -> Result<Banner, BannerError> {
    let key = cache::key(campaign, logo, encoding);
    let (pixels, display_width, display_height) = match cache::read(key.as_deref()) {
        Some(hit) => {
            return Ok(Banner {
                png: hit.png,
                display_width: hit.display_width,
                display_height: hit.display_height,
                alt: campaign.alt.clone(),
            })
        }
        None => render(campaign)?,
    };
    let mut pixels = pixels;
    if let Some(logo) = logo {
        place_logo(&mut pixels, logo);
    }
    flatten_on_white(&mut pixels);
    let png = match encoding {
        Encoding::Lossless => encode_lossless(&pixels),
        Encoding::Optimised => encode_optimised(&pixels),
    };
    cache::write(key.as_deref(), &png);
    Ok(Banner {
        png,
        display_width,
        display_height,
        alt: campaign.alt.clone(),
    })
}

/// Parses the campaign's SVG with the bundled fonts only.
fn parse(campaign: &Campaign) -> Result<resvg::usvg::Tree, BannerError> {
    let mut fonts = resvg::usvg::fontdb::Database::new();
    for font in FONTS {
        fonts.load_font_data(font.to_vec());
    }
    let options = resvg::usvg::Options {
        resources_dir: campaign.banner_dir.clone(),
        fontdb: Arc::new(fonts),
        // Fonts named in the SVG that we do not bundle fall back to ours, never the system's.
        font_family: "Open Sans".into(),
        ..Default::default()
    };
    resvg::usvg::Tree::from_str(&campaign.banner_svg, &options)
        .map_err(|e| svg_error(campaign, e.to_string()))
}

fn svg_error(campaign: &Campaign, message: String) -> BannerError {
    BannerError::Svg {
        origin: campaign.banner_origin.clone(),
        message,
    }
}

/// Draws the SVG at [`SCALE`] with the bundled fonts only; returns the straight-alpha
/// bitmap and the display size.
pub fn render(campaign: &Campaign) -> Result<(RgbaImage, u32, u32), BannerError> {
    rasterise(campaign, &parse(campaign)?)
}

fn rasterise(
    campaign: &Campaign,
    tree: &resvg::usvg::Tree,
) -> Result<(RgbaImage, u32, u32), BannerError> {
    let size = tree.size();
    let (display_width, display_height) =
        (size.width().round() as u32, size.height().round() as u32);
    if !(16..=2000).contains(&display_width) || !(8..=1000).contains(&display_height) {
        return Err(svg_error(
            campaign,
            format!("is {display_width}×{display_height}; a banner is about 600×100"),
        ));
    }
    let (width, height) = (display_width * SCALE, display_height * SCALE);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| svg_error(campaign, "cannot allocate the bitmap".into()))?;
    resvg::render(
        tree,
        resvg::tiny_skia::Transform::from_scale(
            width as f32 / size.width(),
            height as f32 / size.height(),
        ),
        &mut pixmap.as_mut(),
    );
    // tiny-skia stores premultiplied alpha; `image` works with straight alpha.
    let mut straight = Vec::with_capacity((width * height * 4) as usize);
    for pixel in pixmap.pixels() {
        let c = pixel.demultiply();
        straight.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    let image = RgbaImage::from_raw(width, height, straight).expect("buffer matches size");
    Ok((image, display_width, display_height))
}

/// A run of banner text, its colour, and the colour behind it in the render.
#[derive(Debug, Clone, PartialEq)]
pub struct TextOnBanner {
    pub text: String,
    pub colour: [u8; 3],
    pub background: [u8; 3],
    /// WCAG 2 contrast ratio of `colour` on `background` (1 to 21).
    pub contrast: f64,
}

/// Every text run of the banner with its contrast against what the render puts behind it
/// (the most common colour in the text's box): the accessibility check of the artwork
/// as drawn, not as intended.
pub fn text_on_banner(campaign: &Campaign) -> Result<Vec<TextOnBanner>, BannerError> {
    use resvg::usvg::{Node, Paint};
    let tree = parse(campaign)?;
    let (image, _, _) = rasterise(campaign, &tree)?;

    fn texts<'t>(group: &'t resvg::usvg::Group, out: &mut Vec<&'t resvg::usvg::Text>) {
        for node in group.children() {
            match node {
                Node::Group(g) => texts(g, out),
                Node::Text(t) => out.push(t),
                _ => {}
            }
        }
    }
    let mut nodes = Vec::new();
    texts(tree.root(), &mut nodes);

    let mut found = Vec::new();
    for node in nodes {
        let bbox = node.abs_bounding_box();
        let background = dominant_colour(&image, bbox);
        for chunk in node.chunks() {
            for span in chunk.spans() {
                let Some(Paint::Color(c)) = span.fill().map(|f| f.paint()) else {
                    continue;
                };
                let colour = [c.red, c.green, c.blue];
                let text = chunk.text()[span.start()..span.end()].trim().to_owned();
                if text.is_empty() {
                    continue;
                }
                found.push(TextOnBanner {
                    text,
                    colour,
                    background,
                    contrast: contrast_ratio(colour, background),
                });
            }
        }
    }
    Ok(found)
}

/// The most common opaque colour of the render inside `rect` (display coordinates).
fn dominant_colour(image: &RgbaImage, rect: resvg::usvg::Rect) -> [u8; 3] {
    let scale = SCALE as f32;
    let clamp_x = |v: f32| (v * scale).clamp(0.0, image.width() as f32) as u32;
    let clamp_y = |v: f32| (v * scale).clamp(0.0, image.height() as f32) as u32;
    let mut counts = std::collections::HashMap::new();
    for y in clamp_y(rect.top())..clamp_y(rect.bottom()) {
        for x in clamp_x(rect.left())..clamp_x(rect.right()) {
            let p = image.get_pixel(x, y);
            *counts.entry([p[0], p[1], p[2]]).or_insert(0u32) += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(colour, n)| (n, colour))
        .map_or([0, 0, 0], |(colour, _)| colour)
}

/// WCAG 2 contrast ratio between two sRGB colours.
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    fn luminance([r, g, b]: [u8; 3]) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Places the logo at the banner's right end, scaled to fit a box of 100×(height − 20)
/// display pixels, vertically centred.
fn place_logo(banner: &mut RgbaImage, logo: &Logo) {
    let margin = 10 * SCALE;
    let box_width = 100 * SCALE;
    let box_height = banner.height().saturating_sub(2 * margin).max(1);
    let (w, h) = (logo.image.width() as f64, logo.image.height() as f64);
    let fit = (box_width as f64 / w).min(box_height as f64 / h);
    let (new_w, new_h) = (
        ((w * fit).round() as u32).max(1),
        ((h * fit).round() as u32).max(1),
    );
    let scaled = imageops::resize(&logo.image, new_w, new_h, imageops::FilterType::Lanczos3);
    let x = banner.width().saturating_sub(margin + new_w);
    let y = (banner.height() - new_h) / 2;
    imageops::overlay(banner, &scaled, x as i64, y as i64);
}

/// The exact render as an RGBA PNG.
pub fn encode_lossless(image: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, image.width(), image.height());
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: PIXELS_PER_METRE_96_DPI,
        yppu: PIXELS_PER_METRE_96_DPI,
        unit: png::Unit::Meter,
    }));
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().expect("writing to memory");
    writer
        .write_image_data(image.as_raw())
        .expect("writing to memory");
    writer.finish().expect("writing to memory");
    out
}

/// Palette-quantised (the smallest palette within 45 dB of the render), then written as
/// an indexed PNG by oxipng: unfiltered, libdeflate level 9, pHYs 96 dpi. One trial, no
/// search: measured best for flat artwork (see `benches/README.md`).
pub fn encode_optimised(image: &RgbaImage) -> Vec<u8> {
    let (palette, indices) = crate::quantise::quantise(image.as_raw());
    let palette = palette
        .iter()
        .map(|c| oxipng::RGBA8::new(c[0], c[1], c[2], 255))
        .collect();
    let mut raw = oxipng::RawImage::new(
        image.width(),
        image.height(),
        oxipng::ColorType::Indexed { palette },
        oxipng::BitDepth::Eight,
        indices,
    )
    .expect("indices match the image size");
    let mut phys = Vec::with_capacity(9);
    phys.extend_from_slice(&PIXELS_PER_METRE_96_DPI.to_be_bytes());
    phys.extend_from_slice(&PIXELS_PER_METRE_96_DPI.to_be_bytes());
    phys.push(1); // unit: metre
    raw.add_png_chunk(*b"pHYs", phys);

    let mut options = oxipng::Options::from_preset(2);
    options.filters = oxipng::indexset! { oxipng::FilterStrategy::NONE };
    options.fast_evaluation = false;
    // The palette comes sorted by luma already; re-sorting tries cost time, not bytes.
    options.palette_reduction = false;
    options.deflater = oxipng::Deflater::Libdeflater { compression: 9 };
    raw.create_optimized_png(&options)
        .expect("oxipng encodes a valid indexed image")
}

/// Banners are opaque (a filled background reads in dark mode too); an artwork with
/// transparent parts is shown on white, as most clients would show it.
fn flatten_on_white(image: &mut RgbaImage) {
    for pixel in image.pixels_mut() {
        let alpha = u32::from(pixel[3]);
        if alpha < 255 {
            for c in 0..3 {
                pixel[c] = ((u32::from(pixel[c]) * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
            }
            pixel[3] = 255;
        }
    }
}

mod cache {
    //! A content-addressed store of finished banners, so the optimiser runs once per
    //! artwork rather than once per command. A missing or unwritable cache only costs time.

    use std::path::PathBuf;

    use super::{Encoding, Logo};
    use crate::assets::FONTS;
    use crate::campaign::Campaign;

    pub struct Hit {
        pub png: Vec<u8>,
        pub display_width: u32,
        pub display_height: u32,
    }

    fn dir() -> Option<PathBuf> {
        match std::env::var_os("SIGBLOCK_CACHE_DIR") {
            Some(dir) if dir.is_empty() => None,
            Some(dir) => Some(PathBuf::from(dir)),
            None => dirs::cache_dir().map(|d| d.join("sigblock")),
        }
    }

    /// What decides the encoder's bytes besides its input: its own source and the locked
    /// versions of the crates it uses (resvg, oxipng, ...). Any change to them, released
    /// or not, makes new keys, so no build is ever served another build's banner.
    const ENCODER: &[&[u8]] = &[
        include_bytes!("banner.rs"),
        include_bytes!("quantise.rs"),
        include_bytes!("../Cargo.lock"),
    ];

    /// The cache key, or `None` when the banner must not be cached: a campaign file's SVG
    /// may draw images beside it, which the key cannot see.
    pub fn key(campaign: &Campaign, logo: Option<&Logo>, encoding: Encoding) -> Option<String> {
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
        Some(hasher.finalize().to_hex().to_string())
    }

    fn path(key: &str) -> Option<PathBuf> {
        dir().map(|d| d.join(format!("banner-{key}.png")))
    }

    pub fn read(key: Option<&str>) -> Option<Hit> {
        let path = path(key?)?;
        let png = std::fs::read(&path).ok()?;
        // Written atomically, but a person may have damaged it: decode it whole (the png
        // crate checks every chunk's CRC) before trusting it. About a millisecond.
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .ok()?;
        let mut pixels = vec![0; decoder.output_buffer_size()?];
        decoder.next_frame(&mut pixels).ok()?;
        decoder.finish().ok()?;
        let (w, h) = (decoder.info().width, decoder.info().height);
        Some(Hit {
            display_width: w / super::SCALE,
            display_height: h / super::SCALE,
            png,
        })
    }

    pub fn write(key: Option<&str>, png: &[u8]) {
        let Some(path) = key.and_then(path) else {
            return;
        };
        if let Some(dir) = path.parent() {
            if std::fs::create_dir_all(dir).is_err() {
                return;
            }
        }
        let _ = crate::output::write_atomic(&path, png);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratios_match_wcag_examples() {
        assert!((contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio([119, 119, 119], [255, 255, 255]) - 4.48).abs() < 0.01);
        assert_eq!(contrast_ratio([10, 20, 30], [10, 20, 30]), 1.0);
    }

    #[test]
    fn every_banner_text_meets_wcag_aa_against_what_is_behind_it() {
        let texts = text_on_banner(&Campaign::embedded()).unwrap();
        assert!(texts.len() >= 2, "the banner has text: {texts:?}");
        for t in &texts {
            assert!(
                t.contrast >= 4.5,
                "{:?} in {:?} on {:?} has contrast {:.2} < 4.5",
                t.text,
                t.colour,
                t.background,
                t.contrast
            );
        }
    }

    #[test]
    fn low_contrast_text_is_measured_as_such() {
        let mut campaign = Campaign::embedded();
        campaign.banner_svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="100">
            <rect width="600" height="100" fill="#777777"/>
            <text x="10" y="60" font-family="Open Sans" font-size="30" fill="#999999">Faint</text>
            </svg>"##
            .into();
        let texts = text_on_banner(&campaign).unwrap();
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].text, "Faint");
        assert_eq!(texts[0].background, [0x77, 0x77, 0x77]);
        assert!(texts[0].contrast < 1.7, "{}", texts[0].contrast);
    }

    #[test]
    fn the_alt_text_says_what_the_banner_says() {
        let campaign = Campaign::embedded();
        let normal = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let alt = normal(&campaign.alt);
        for t in text_on_banner(&campaign).unwrap() {
            assert!(
                alt.contains(&normal(&t.text)),
                "the alt text {alt:?} does not say {:?}",
                t.text
            );
        }
    }

    #[test]
    fn the_banner_is_drawn_with_the_bundled_fonts() {
        // Text that found no font would be missing from the render: the text box must
        // hold more than one colour.
        let texts = text_on_banner(&Campaign::embedded()).unwrap();
        assert!(texts.iter().all(|t| t.colour != t.background));
        let (image, w, h) = render(&Campaign::embedded()).unwrap();
        assert_eq!((w, h), (600, 100));
        assert_eq!(image.dimensions(), (1200, 200));
    }
}
