//! Campaign SVG ─► pixels: usvg parses it with the bundled fonts only (never the
//! system's, so the banner is the same on every machine), resvg draws it at [`SCALE`].

use std::sync::Arc;

use image::RgbaImage;

use super::SCALE;
use crate::assets::FONTS;
use crate::campaign::Campaign;
use crate::error::BannerError;

/// The straight-alpha bitmap and the display size it is drawn for.
pub(crate) struct Rendered {
    pub(crate) pixels: RgbaImage,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// Parses the campaign's SVG with the bundled fonts only.
pub(crate) fn parse(campaign: &Campaign) -> Result<resvg::usvg::Tree, BannerError> {
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
    resvg::usvg::Tree::from_str(&campaign.banner_svg, &options).map_err(|source| {
        BannerError::Parse {
            origin: campaign.banner_origin.clone(),
            source,
        }
    })
}

/// Draws the SVG at [`SCALE`] with the bundled fonts only.
pub(crate) fn render(campaign: &Campaign) -> Result<Rendered, BannerError> {
    rasterise(campaign, &parse(campaign)?)
}

pub(crate) fn rasterise(
    campaign: &Campaign,
    tree: &resvg::usvg::Tree,
) -> Result<Rendered, BannerError> {
    let svg_error = |message: String| BannerError::Svg {
        origin: campaign.banner_origin.clone(),
        message,
    };
    let size = tree.size();
    let (width, height) = (size.width().round() as u32, size.height().round() as u32);
    if !(16..=2000).contains(&width) || !(8..=1000).contains(&height) {
        return Err(svg_error(format!(
            "is {width}×{height}; a banner is about 600×100"
        )));
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width * SCALE, height * SCALE)
        .ok_or_else(|| svg_error("cannot allocate the bitmap".into()))?;
    resvg::render(
        tree,
        resvg::tiny_skia::Transform::from_scale(
            (width * SCALE) as f32 / size.width(),
            (height * SCALE) as f32 / size.height(),
        ),
        &mut pixmap.as_mut(),
    );
    // tiny-skia stores premultiplied alpha; `image` works with straight alpha.
    let pixels = RgbaImage::from_raw(width * SCALE, height * SCALE, pixmap.take_demultiplied())
        .expect("buffer matches size");
    Ok(Rendered {
        pixels,
        width,
        height,
    })
}
