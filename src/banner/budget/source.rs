//! The budget's checks before usvg parses the SVG: what usvg would build while parsing.
//! usvg copies the target of every `<use>` and a marker's content at every vertex of a
//! path, and lays out every copy of a text; a few kilobytes of SVG can ask for gigabytes
//! that way, before any check of the parsed tree could run. So the copies are counted in
//! the XML first, with what each copy holds.

use std::collections::HashMap;

use resvg::usvg::roxmltree::{Document, Node, NodeId};

use super::{at, too_many_shapes, MAX_NODES, MAX_TEXT_CHARS};

/// Refuses an SVG whose text is longer than a banner's (laying out text is what takes
/// the time), counted as written and then with every copy usvg would make, or whose
/// copies make more elements than the budget.
pub(in crate::banner) fn check_source(doc: &Document<'_>) -> Result<(), String> {
    let mut total = 0;
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        total += text_chars(node);
        if total > MAX_TEXT_CHARS {
            return Err(format!(
                "{}<text>: more than {} characters of text in the banner; \
                 a banner says a sentence or two",
                at(doc, node),
                crate::text::thousands(MAX_TEXT_CHARS as u64)
            ));
        }
    }
    let mut copies = Copies::new(doc);
    let drawn = copies.count(doc.root_element(), 0);
    if drawn.elements > MAX_NODES {
        return Err(format!("<svg>: {}", too_many_shapes()));
    }
    if drawn.chars > MAX_TEXT_CHARS {
        return Err(format!(
            "<text>: its <use> copies and markers make more than {} characters of text; \
             a banner says a sentence or two",
            crate::text::thousands(MAX_TEXT_CHARS as u64)
        ));
    }
    Ok(())
}

/// The characters a `<text>` element lays out, its `<tspan>`s included.
fn text_chars(text: Node<'_, '_>) -> usize {
    text.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or("").chars().count())
        .sum()
}

/// What an element makes once usvg has made its copies: elements, and characters of text.
#[derive(Clone, Copy, Default)]
struct Tally {
    elements: usize,
    chars: usize,
}

impl Tally {
    fn add(self, other: Tally) -> Tally {
        Tally {
            elements: self.elements.saturating_add(other.elements),
            chars: self.chars.saturating_add(other.chars),
        }
    }

    fn times(self, n: usize) -> Tally {
        Tally {
            elements: self.elements.saturating_mul(n),
            chars: self.chars.saturating_mul(n),
        }
    }

    const OVER: Tally = Tally {
        elements: MAX_NODES + 1,
        chars: MAX_TEXT_CHARS + 1,
    };
}

/// Counts elements and text with every copy usvg would make.
struct Copies<'a, 'input> {
    /// Elements already counted; `None` while being counted (a `<use>` loop, which usvg
    /// refuses, counts nothing).
    counted: HashMap<NodeId, Option<Tally>>,
    /// Elements by id, for what a `<use>` names.
    ids: HashMap<&'a str, Node<'a, 'input>>,
    /// What the largest marker holds: copied to each vertex of a path that has markers.
    marker: Tally,
    /// A style sheet sets markers: any shape may have them.
    styled_markers: bool,
}

impl<'a, 'input> Copies<'a, 'input> {
    fn new(doc: &'a Document<'input>) -> Copies<'a, 'input> {
        let mut copies = Copies {
            counted: HashMap::new(),
            ids: doc
                .descendants()
                .filter_map(|n| Some((n.attribute("id")?, n)))
                .collect(),
            marker: Tally::default(),
            styled_markers: doc
                .descendants()
                .any(|n| n.has_tag_name("style") && n.text().is_some_and(|t| t.contains("marker"))),
        };
        for marker in doc.descendants().filter(|n| n.has_tag_name("marker")) {
            let holds = copies.count(marker, 0);
            copies.marker = Tally {
                elements: copies.marker.elements.max(holds.elements),
                chars: copies.marker.chars.max(holds.chars),
            };
        }
        copies
    }

    fn count(&mut self, node: Node<'a, 'input>, depth: usize) -> Tally {
        // Deeper than any drawing goes: over the budget without looking further.
        if depth > 4096 {
            return Tally::OVER;
        }
        match self.counted.get(&node.id()) {
            Some(Some(tally)) => return *tally,
            Some(None) => return Tally::default(),
            None => {}
        }
        self.counted.insert(node.id(), None);
        let mut tally = Tally {
            elements: 1,
            chars: if node.has_tag_name("text") {
                text_chars(node)
            } else {
                0
            },
        };
        for child in node.children().filter(|c| c.is_element()) {
            tally = tally.add(self.count(child, depth + 1));
        }
        if node.has_tag_name("use") {
            let href = node
                .attribute("href")
                .or_else(|| node.attribute(("http://www.w3.org/1999/xlink", "href")));
            let target = href
                .and_then(|h| h.strip_prefix('#'))
                .and_then(|id| self.ids.get(id).copied());
            if let Some(target) = target {
                tally = tally.add(self.count(target, depth + 1));
            }
        }
        if self.has_markers(node) {
            tally = tally.add(self.marker.times(vertices(node)));
        }
        self.counted.insert(node.id(), Some(tally));
        tally
    }

    /// Whether usvg may draw markers on this element: a shape with a marker property in
    /// its attributes or style, or any shape when a style sheet sets markers.
    fn has_markers(&self, node: Node<'_, '_>) -> bool {
        let shape = ["path", "line", "polyline", "polygon"]
            .iter()
            .any(|tag| node.has_tag_name(*tag));
        let own = ["marker", "marker-start", "marker-mid", "marker-end"]
            .iter()
            .any(|name| node.attribute(*name).is_some())
            || node
                .attribute("style")
                .is_some_and(|s| s.contains("marker"));
        shape && (own || self.styled_markers)
    }
}

/// At most how many vertices a shape has: the numbers in its geometry (a vertex has at
/// least one).
fn vertices(node: Node<'_, '_>) -> usize {
    let geometry = node
        .attribute("d")
        .or_else(|| node.attribute("points"))
        .unwrap_or("0 0");
    let mut runs = 0;
    let mut in_digits = false;
    for c in geometry.chars() {
        let digit = c.is_ascii_digit();
        if digit && !in_digits {
            runs += 1;
        }
        in_digits = digit;
    }
    runs.max(2)
}
