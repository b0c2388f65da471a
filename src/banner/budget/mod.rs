//! The render budget: what an office's SVG may ask of the renderer. resvg draws whatever
//! it is given, however long it takes: a `feTurbulence` of a billion octaves, a
//! `feMorphology` of radius 100,000 or a 2 MB line of text run for minutes, a pattern
//! tile of 100,000 units asks for 160 GB. So the SVG is measured first, and what is
//! beyond the budget is refused with a message naming the element and its line:
//!
//! - before parsing, the text it lays out ([`check_source`]);
//! - after parsing, what drawing the parsed tree would cost ([`check_tree`]): shapes
//!   (after `<use>` copies), filter passes and their sizes, pattern tiles, and the
//!   layers (groups with opacity, a mask, a clip or a filter) open at once.
//!
//! What the checks cannot foresee is caught by time: drawing has [`TIME`] in all
//! (`render::within_time`).

use std::time::Duration;

mod source;
pub(super) use source::check_source;

use resvg::usvg::filter::Kind;
use resvg::usvg::{roxmltree, Group, ImageKind, Node, Paint, Tree};

use crate::text::Shown;

/// The longest an office's SVG may take to parse and draw. Ours takes about 10 ms.
pub(super) const TIME: Duration = Duration::from_secs(5);
/// Characters of text in the whole SVG: a banner says a sentence or two (ours, 150).
const MAX_TEXT_CHARS: usize = 2_000;
/// Shapes after `<use>` copies: a detailed logo has some thousands.
const MAX_NODES: usize = 100_000;
/// Filter passes over the banner, counted at every use of a filter.
const MAX_FILTER_PASSES: usize = 256;
/// `feTurbulence`: each octave is a pass of noise over the whole filter region.
const MAX_OCTAVES: u32 = 8;
/// `feMorphology` radius, in bitmap pixels: each pixel looks at (2r+1)² others.
const MAX_MORPHOLOGY_PX: f32 = 10.0;
/// `feGaussianBlur` and `feDropShadow` deviation, in bitmap pixels: more than the
/// largest banner blurs it into one colour.
const MAX_BLUR_PX: f32 = 1000.0;
/// `feConvolveMatrix` order: each pixel takes order² products.
const MAX_KERNEL_ORDER: u32 = 9;
/// A pattern's tile, in bitmap pixels a side (drawn once into a bitmap of that size).
const MAX_TILE_PX: f32 = 2048.0;
/// Picture pixels decoded while drawing, counted at every copy of a picture (resvg
/// decodes a picture each time it draws it): four pictures of 4096×4096.
const MAX_PICTURE_PIXELS: u64 = 64 * 1024 * 1024;
/// Bitmaps alive at once while drawing: layers inside layers, and a filter's results.
const MAX_LAYER_BYTES: u64 = 256 * 1024 * 1024;

/// The SVG as roxmltree reads it for usvg (entities expanded, DTD allowed).
pub(super) fn document(svg: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(svg, options)
}

/// "line 12: " for the element, from its place in the source.
fn at(doc: &roxmltree::Document<'_>, node: roxmltree::Node<'_, '_>) -> String {
    format!("line {}: ", doc.text_pos_at(node.range().start).row)
}

/// "line 12: " for the first element that `matches`, or nothing when none does.
pub(super) fn place(svg: &str, matches: impl Fn(&roxmltree::Node<'_, '_>) -> bool) -> String {
    document(svg)
        .ok()
        .and_then(|doc| {
            let node = doc.descendants().find(|n| n.is_element() && matches(n))?;
            Some(at(&doc, node))
        })
        .unwrap_or_default()
}

/// Why an SVG with too many shapes is refused.
fn too_many_shapes() -> String {
    format!(
        "more than {} shapes once <use> copies and markers are made; simplify the artwork",
        crate::text::thousands(MAX_NODES as u64)
    )
}

/// Refuses a parsed SVG that would cost more to draw than the budget, `scale` being the
/// bitmap pixels per SVG unit and `canvas` the bitmap's size.
pub(super) fn check_tree(
    tree: &Tree,
    svg: &str,
    scale: f32,
    canvas: (u32, u32),
) -> Result<(), String> {
    let mut walk = Walk {
        scale,
        canvas_bytes: u64::from(canvas.0) * u64::from(canvas.1) * 4,
        nodes: 0,
        passes: 0,
        pictures: 0,
    };
    walk.group(tree.root(), 1).map_err(|over| over.say(svg))
}

/// What is over the budget, and which element (by id, when it has one) to name.
struct Over {
    tag: &'static str,
    id: String,
    why: String,
}

impl Over {
    /// "line 3: <feTurbulence> in filter "f": …", locating the element in the source.
    fn say(self, svg: &str) -> String {
        let doc = document(svg).ok();
        let doc = doc.as_ref();
        // The element with the id, when the source has it: usvg makes up ids
        // ("filter1") for what has none, such as a CSS `filter: blur()`.
        let holder = doc.and_then(|doc| {
            doc.descendants()
                .find(|n| !self.id.is_empty() && n.attribute("id") == Some(&*self.id))
        });
        let place = match (doc, holder) {
            // A filter is found by its id: name its first primitive of the kind.
            (Some(doc), Some(holder)) => {
                let node = holder
                    .descendants()
                    .find(|n| n.has_tag_name(self.tag))
                    .unwrap_or(holder);
                at(doc, node)
            }
            _ => String::new(),
        };
        let of = match holder {
            Some(_) => format!(" (in {})", Shown(&self.id)),
            None => String::new(),
        };
        format!("{place}<{}>{of}: {}", self.tag, self.why)
    }
}

struct Walk {
    scale: f32,
    canvas_bytes: u64,
    nodes: usize,
    passes: usize,
    /// Picture pixels decoded so far.
    pictures: u64,
}

impl Walk {
    /// Walks a group with `layers` bitmaps already open above it.
    fn group(&mut self, group: &Group, layers: u64) -> Result<(), Over> {
        let layers = layers + u64::from(group.should_isolate());
        let (sx, sy) = group.abs_transform().get_scale();
        let (sx, sy) = (sx * self.scale, sy * self.scale);
        for filter in group.filters() {
            let over = |tag, why| Over {
                tag,
                id: filter.id().to_owned(),
                why,
            };
            let primitives = filter.primitives();
            self.passes += primitives.len();
            if self.passes > MAX_FILTER_PASSES {
                return Err(over(
                    "filter",
                    format!("more than {MAX_FILTER_PASSES} filter passes in the banner"),
                ));
            }
            self.memory(layers + primitives.len() as u64 + 1)
                .map_err(|why| over("filter", why))?;
            for primitive in primitives {
                primitive_cost(primitive.kind(), sx, sy).map_err(|(tag, why)| over(tag, why))?;
            }
        }
        self.memory(layers).map_err(|why| Over {
            tag: "g",
            id: group.id().to_owned(),
            why,
        })?;
        for child in group.children() {
            self.nodes += 1;
            if self.nodes > MAX_NODES {
                return Err(Over {
                    tag: "svg",
                    id: String::new(),
                    why: too_many_shapes(),
                });
            }
            match child {
                Node::Group(inner) => self.group(inner, layers)?,
                Node::Path(path) => {
                    let paints = [
                        path.fill().map(|f| f.paint()),
                        path.stroke().map(|s| s.paint()),
                    ];
                    for paint in paints.into_iter().flatten() {
                        if let Paint::Pattern(pattern) = paint {
                            let (px, py) = path
                                .abs_transform()
                                .pre_concat(pattern.transform())
                                .get_scale();
                            let rect = pattern.rect();
                            let (w, h) = (
                                rect.width() * px * self.scale,
                                rect.height() * py * self.scale,
                            );
                            if w > MAX_TILE_PX || h > MAX_TILE_PX {
                                return Err(Over {
                                    tag: "pattern",
                                    id: pattern.id().to_owned(),
                                    why: format!(
                                        "its tile is {w:.0}×{h:.0} pixels at the banner's \
                                         scale; at most {MAX_TILE_PX}×{MAX_TILE_PX}"
                                    ),
                                });
                            }
                        }
                    }
                }
                Node::Image(image) => {
                    self.pictures += picture_pixels(image.kind());
                    if self.pictures > MAX_PICTURE_PIXELS {
                        return Err(Over {
                            tag: "image",
                            id: image.id().to_owned(),
                            why: format!(
                                "pictures drawn here add up to more than {} million pixels \
                                 (each copy of a picture is decoded again); draw fewer or \
                                 smaller pictures",
                                MAX_PICTURE_PIXELS / (1024 * 1024)
                            ),
                        });
                    }
                }
                Node::Text(_) => {}
            }
            // Clip paths, masks, patterns, a filter's pictures and a text's glyphs: each
            // drawn into a bitmap of its own.
            let mut inner = Ok(());
            child.subroots(|root| {
                if inner.is_ok() {
                    inner = self.group(root, layers + 1);
                }
            });
            inner?;
        }
        Ok(())
    }

    /// Refuses `layers` bitmaps the size of the banner alive at once beyond the budget.
    fn memory(&self, layers: u64) -> Result<(), String> {
        let bytes = layers.saturating_mul(self.canvas_bytes);
        if bytes > MAX_LAYER_BYTES {
            return Err(format!(
                "drawing it needs {layers} bitmaps of the banner's size at once (groups \
                 with opacity, masks, clips or filters inside each other), more than \
                 {} MB; nest fewer",
                MAX_LAYER_BYTES / (1024 * 1024)
            ));
        }
        Ok(())
    }
}

/// The pixels of a picture as the resolver hands it over (a PNG, `images::raster`):
/// its header's width × height.
fn picture_pixels(kind: &ImageKind) -> u64 {
    let ImageKind::PNG(png) = kind else {
        return 0;
    };
    let side = |at: usize| {
        png.get(at..at + 4).map_or(0, |b| {
            u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        })
    };
    side(16) * side(20)
}

/// What one filter primitive costs, at `sx`×`sy` bitmap pixels per unit; the tag and
/// why, when it is beyond the budget.
fn primitive_cost(kind: &Kind, sx: f32, sy: f32) -> Result<(), (&'static str, String)> {
    let deviation = |tag, x: f32, y: f32| {
        if x * sx > MAX_BLUR_PX || y * sy > MAX_BLUR_PX {
            Err((
                tag,
                format!(
                    "stdDeviation {} is more than a banner can show (at most {:.0} here)",
                    x.max(y),
                    MAX_BLUR_PX / sx.max(sy)
                ),
            ))
        } else {
            Ok(())
        }
    };
    match kind {
        Kind::Turbulence(fe) if fe.num_octaves() > MAX_OCTAVES => Err((
            "feTurbulence",
            format!(
                "numOctaves {} is more than sigblock draws (at most {MAX_OCTAVES}; \
                 each octave is a pass over the whole banner)",
                fe.num_octaves()
            ),
        )),
        Kind::GaussianBlur(fe) => {
            deviation("feGaussianBlur", fe.std_dev_x().get(), fe.std_dev_y().get())
        }
        Kind::DropShadow(fe) => {
            deviation("feDropShadow", fe.std_dev_x().get(), fe.std_dev_y().get())
        }
        Kind::Morphology(fe)
            if fe.radius_x().get() * sx > MAX_MORPHOLOGY_PX
                || fe.radius_y().get() * sy > MAX_MORPHOLOGY_PX =>
        {
            Err((
                "feMorphology",
                format!(
                    "radius {} is more than sigblock draws (at most {:.0} here; each pixel \
                     looks at every pixel within the radius)",
                    fe.radius_x().get().max(fe.radius_y().get()),
                    (MAX_MORPHOLOGY_PX / sx.max(sy)).floor()
                ),
            ))
        }
        Kind::ConvolveMatrix(fe)
            if fe.matrix().columns() > MAX_KERNEL_ORDER
                || fe.matrix().rows() > MAX_KERNEL_ORDER =>
        {
            Err((
                "feConvolveMatrix",
                format!(
                    "order {}×{} is more than sigblock draws (at most \
                     {MAX_KERNEL_ORDER}×{MAX_KERNEL_ORDER})",
                    fe.matrix().columns(),
                    fe.matrix().rows()
                ),
            ))
        }
        _ => Ok(()),
    }
}
