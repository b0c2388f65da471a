//! The accessibility check of the artwork as drawn, not as intended: every text run of
//! the banner against what the render puts behind it (`sigblock banner --check`).

use image::RgbaImage;

use super::render::{parse, rasterise, within_time};
use super::BannerError;
use super::SCALE;
use crate::campaign::Campaign;

/// The WCAG 2 AA minimum for normal text.
pub(crate) const AA_CONTRAST: f64 = 4.5;

/// A run of banner text, its colour, and the colour behind it in the render.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextOnBanner {
    pub(crate) text: String,
    pub(crate) colour: [u8; 3],
    pub(crate) background: [u8; 3],
    /// WCAG 2 contrast ratio of `colour` on `background` (1 to 21).
    pub(crate) contrast: f64,
}

/// Every text run of the banner with its contrast against what the render puts behind it
/// (the most common colour in the text's box): the accessibility check of the artwork
/// as drawn, not as intended.
pub(crate) fn text_on_banner(campaign: &Campaign) -> Result<Vec<TextOnBanner>, BannerError> {
    within_time(campaign, measure)
}

fn measure(campaign: &Campaign) -> Result<Vec<TextOnBanner>, BannerError> {
    use resvg::usvg::{Node, Paint};
    let tree = parse(campaign)?;
    let image = rasterise(campaign, &tree)?.pixels;

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
pub(crate) fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::banner::render::render;

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
        let rendered = render(&Campaign::embedded()).unwrap();
        assert_eq!((rendered.width, rendered.height), (600, 100));
        assert_eq!(rendered.pixels.dimensions(), (1200, 200));
    }
}
