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

use std::collections::HashMap;
use std::time::Duration;

use resvg::usvg::filter::Kind;
use resvg::usvg::{roxmltree, Group, Node, Paint, Tree};

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
/// Bitmaps alive at once while drawing: layers inside layers, and a filter's results.
const MAX_LAYER_BYTES: u64 = 256 * 1024 * 1024;

/// The SVG as roxmltree reads it for usvg (entities expanded, DTD allowed).
fn document(svg: &str) -> Option<roxmltree::Document<'_>> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(svg, options).ok()
}

/// "line 12: " for the element, from its place in the source.
fn at(doc: &roxmltree::Document<'_>, node: roxmltree::Node<'_, '_>) -> String {
    format!("line {}: ", doc.text_pos_at(node.range().start).row)
}

/// "line 12: " for the first element that `matches`, or nothing when none does.
pub(super) fn place(svg: &str, matches: impl Fn(&roxmltree::Node<'_, '_>) -> bool) -> String {
    document(svg)
        .and_then(|doc| {
            let node = doc.descendants().find(|n| n.is_element() && matches(n))?;
            Some(at(&doc, node))
        })
        .unwrap_or_default()
}

/// Refuses, before usvg parses it, an SVG whose text is longer than a banner's (laying
/// out text is what takes the time) or whose `<use>` copies multiply into more elements
/// than the budget (usvg makes every copy while parsing). An SVG that does not parse is
/// left to usvg to name.
pub(super) fn check_source(svg: &str) -> Result<(), String> {
    let Some(doc) = document(svg) else {
        return Ok(());
    };
    let mut total = 0;
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        total += node
            .descendants()
            .filter(|n| n.is_text())
            .map(|n| n.text().unwrap_or("").chars().count())
            .sum::<usize>();
        if total > MAX_TEXT_CHARS {
            return Err(format!(
                "{}<text>: more than {} characters of text in the banner; \
                 a banner says a sentence or two",
                at(&doc, node),
                indicatif::HumanCount(MAX_TEXT_CHARS as u64)
            ));
        }
    }
    let mut copies = Copies {
        counted: HashMap::new(),
        ids: doc
            .descendants()
            .filter_map(|n| Some((n.attribute("id")?, n)))
            .collect(),
    };
    if copies.count(doc.root_element(), 0) > MAX_NODES {
        return Err(format!("<svg>: {}", too_many_shapes()));
    }
    Ok(())
}

fn too_many_shapes() -> String {
    format!(
        "more than {} shapes once <use> copies are made; simplify the artwork",
        indicatif::HumanCount(MAX_NODES as u64)
    )
}

/// Elements in the SVG once each `<use>` is replaced by a copy of what it names.
struct Copies<'a, 'input> {
    /// Elements already counted, by node; `None` while being counted (a `<use>` loop,
    /// which usvg refuses, counts nothing).
    counted: HashMap<roxmltree::NodeId, Option<usize>>,
    /// Elements by id, for what a `<use>` names.
    ids: HashMap<&'a str, roxmltree::Node<'a, 'input>>,
}

impl<'a, 'input> Copies<'a, 'input> {
    fn count(&mut self, node: roxmltree::Node<'a, 'input>, depth: usize) -> usize {
        // Deeper than any drawing goes: over the budget without looking further.
        if depth > 4096 {
            return MAX_NODES + 1;
        }
        match self.counted.get(&node.id()) {
            Some(Some(n)) => return *n,
            Some(None) => return 0,
            None => {}
        }
        self.counted.insert(node.id(), None);
        let mut n = 1usize;
        for child in node.children().filter(|c| c.is_element()) {
            n = n.saturating_add(self.count(child, depth + 1));
        }
        if node.has_tag_name("use") {
            let href = node
                .attribute("href")
                .or_else(|| node.attribute(("http://www.w3.org/1999/xlink", "href")));
            let target = href
                .and_then(|h| h.strip_prefix('#'))
                .and_then(|id| self.ids.get(id).copied());
            if let Some(target) = target {
                n = n.saturating_add(self.count(target, depth + 1));
            }
        }
        self.counted.insert(node.id(), Some(n));
        n
    }
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
        let place = document(svg)
            .and_then(|doc| {
                let holder = doc
                    .descendants()
                    .find(|n| !self.id.is_empty() && n.attribute("id") == Some(&*self.id));
                let node = match holder {
                    // A filter is found by its id: name its first primitive of the kind.
                    Some(holder) => holder
                        .descendants()
                        .find(|n| n.has_tag_name(self.tag))
                        .unwrap_or(holder),
                    None if matches!(self.tag, "g" | "svg") => return None,
                    None => doc.descendants().find(|n| n.has_tag_name(self.tag))?,
                };
                Some(at(&doc, node))
            })
            .unwrap_or_default();
        let of = if self.id.is_empty() {
            String::new()
        } else {
            format!(" (in {:?})", self.id)
        };
        format!("{place}<{}>{of}: {}", self.tag, self.why)
    }
}

struct Walk {
    scale: f32,
    canvas_bytes: u64,
    nodes: usize,
    passes: usize,
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
                Node::Image(_) | Node::Text(_) => {}
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
