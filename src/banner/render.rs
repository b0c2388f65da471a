//! Campaign SVG ─► pixels: usvg parses it with the bundled fonts only (never the
//! system's, so the banner is the same on every machine), resvg draws it at [`SCALE`].

use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;

use image::RgbaImage;

use super::BannerError;
use super::{budget, images, SCALE};
use crate::assets::FONTS;
use crate::campaign::Campaign;

/// The straight-alpha bitmap and the display size it is drawn for.
pub(crate) struct Rendered {
    pub(crate) pixels: RgbaImage,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// Parses the campaign's SVG with the bundled fonts only, drawing pictures only from
/// inside its folder ([`images`]), within the [`budget`].
pub(crate) fn parse(campaign: &Campaign) -> Result<resvg::usvg::Tree, BannerError> {
    let svg_error = |message: String| BannerError::Svg {
        origin: campaign.banner_origin.clone(),
        message,
    };
    // One XML parse, as usvg parses it: measured by the budget, then converted by usvg.
    // usvg's parser quotes the character it stopped at, a line break among them: said
    // escaped, so the message stays one line.
    let doc = budget::document(&campaign.banner_svg)
        .map_err(|e| svg_error(one_line(&resvg::usvg::Error::ParsingFailed(e).to_string())))?;
    budget::check_source(&doc).map_err(svg_error)?;
    let mut fonts = resvg::usvg::fontdb::Database::new();
    for font in FONTS {
        fonts.load_font_data(font.to_vec());
    }
    let refused = images::Refusal::default();
    let options = resvg::usvg::Options {
        resources_dir: campaign.banner_dir.clone(),
        fontdb: Arc::new(fonts),
        // Fonts named in the SVG that we do not bundle fall back to ours, never the system's.
        font_family: "Open Sans".into(),
        image_href_resolver: images::resolver(campaign.banner_dir.clone(), refused.clone()),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_xmltree(&doc, &options)
        .map_err(|e| svg_error(one_line(&e.to_string())))?;
    // A picture that cannot be drawn refuses the banner: never a banner without it.
    if let Some(refused) = refused.take() {
        return Err(svg_error(refused.say(&campaign.banner_svg)));
    }
    Ok(tree)
}

/// `text` with its control characters escaped (`\n`): one line, whatever it quotes.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

/// Draws the SVG at [`SCALE`] with the bundled fonts only, within the [`budget`]'s time.
pub(crate) fn render(campaign: &Campaign) -> Result<Rendered, BannerError> {
    within_time(campaign, |campaign| rasterise(campaign, &parse(campaign)?))
}

/// Runs `work` on the campaign in a thread of its own, waiting at most [`budget::TIME`]:
/// an SVG the budget's checks did not foresee ends the run with a message instead of
/// running on. (The thread is left behind; the run ends soon after with the error.)
pub(crate) fn within_time<T: Send + 'static>(
    campaign: &Campaign,
    work: fn(&Campaign) -> Result<T, BannerError>,
) -> Result<T, BannerError> {
    let svg_error = |message: String| BannerError::Svg {
        origin: campaign.banner_origin.clone(),
        message,
    };
    let (done, result) = std::sync::mpsc::channel();
    let owned = campaign.clone();
    let drawing = std::thread::Builder::new()
        .name("banner".into())
        // usvg and resvg recurse once per nested element.
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let _ = done.send(work(&owned));
        })
        .map_err(|e| svg_error(format!("cannot start drawing it: {e}")))?;
    match result.recv_timeout(budget::TIME) {
        Ok(result) => {
            // Done: let the thread finish whole (it has only its exit left).
            let _ = drawing.join();
            result
        }
        Err(RecvTimeoutError::Timeout) => Err(svg_error(format!(
            "drawing it takes longer than {} s (a banner takes a fraction of a second); \
             simplify its pictures, filters, patterns, markers and text",
            budget::TIME.as_secs()
        ))),
        Err(RecvTimeoutError::Disconnected) => Err(svg_error("it could not be drawn".into())),
    }
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
    budget::check_tree(
        tree,
        &campaign.banner_svg,
        (width * SCALE) as f32 / size.width(),
        (width * SCALE, height * SCALE),
    )
    .map_err(svg_error)?;
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
