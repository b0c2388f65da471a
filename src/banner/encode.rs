//! Pixels ─► PNG bytes: the exact render (RGBA), or the palette-optimised one that goes
//! into signatures. Both say 96 dpi, so Outlook shows them at their display size.

use image::RgbaImage;

/// Outlook sizes images by their physical size, assuming 96 dpi: say exactly that
/// (96 / 0.0254 = 3779.5 pixels per metre).
const PIXELS_PER_METRE_96_DPI: u32 = 3780;

/// The exact render as an RGBA PNG.
pub(crate) fn lossless(image: &RgbaImage) -> Vec<u8> {
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
pub(crate) fn optimised(image: &RgbaImage) -> Vec<u8> {
    let (palette, indices) = super::quantise::quantise(image.as_raw());
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
pub(crate) fn flatten_on_white(image: &mut RgbaImage) {
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
