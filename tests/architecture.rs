//! The shape of the code, read from `src/` itself: the modules' imports form no circle,
//! no module below `output` knows HTML, and docs/ARCHITECTURE.md names every module. A
//! change that brings a circle back fails here, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::read;

/// A module's path in the library (`files::owned`), from its file's path under `src/`.
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

/// Every `.rs` file of the library (the binary's `main.rs` and `cli` left out).
fn library_files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path: PathBuf = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&src).unwrap().to_owned();
                let module = module_of(&rel);
                if module == "main" || module == "cli" || module.starts_with("cli::") {
                    continue;
                }
                files.push((module, read(&path)));
            }
        }
    }
    files.sort();
    files
}

/// The nodes of the drawing: top-level modules and the modules of a folder module.
fn node_of(path: &str, nodes: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len().min(2))
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|candidate| nodes.contains(candidate))
}

/// Which node imports which, from `crate::a::b` and `super::x` in each file's code (its
/// comments left out). A folder module's declarations of its own children are not
/// imports; its children's uses of it are.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let files = library_files();
    let nodes: BTreeSet<String> = files
        .iter()
        .map(|(m, _)| m.split("::").take(2).collect::<Vec<_>>().join("::"))
        .filter(|m| !m.is_empty())
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &files {
        let Some(from) = node_of(module, &nodes) else {
            continue;
        };
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let code: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
        for token in code.split(|c: char| !word(c)) {
            let path = if let Some(rest) = token.strip_prefix("crate::") {
                rest.to_owned()
            } else if let Some(rest) = token.strip_prefix("super::") {
                if parent.is_empty() {
                    rest.to_owned()
                } else {
                    format!("{parent}::{rest}")
                }
            } else {
                continue;
            };
            let Some(to) = node_of(&path, &nodes) else {
                continue;
            };
            // Not a node's use of itself or of a module inside it.
            if to == from || to.starts_with(&format!("{from}::")) {
                continue;
            }
            edges.entry(from.clone()).or_default().insert(to);
        }
    }
    edges
}

/// A circle in `edges`, if there is one, as the modules around it.
fn circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, edges, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

#[test]
fn the_modules_imports_form_no_circle() {
    let edges = imports();
    // The reader finds what it should: a known import, and a child's use of its parent.
    assert!(edges["commands"].contains("files"), "{edges:#?}");
    assert!(
        edges["files::owned"].contains("files::record"),
        "{edges:#?}"
    );
    assert!(edges["person"].contains("units"));
    if let Some(found) = circle(&edges) {
        panic!("the imports go round: {}", found.join(" -> "));
    }
}

#[test]
fn no_module_below_output_escapes_html() {
    // What the signature and the gallery are made of knows nothing of HTML: the banner,
    // the person, the units, the campaign, the text rules, the folder's floor.
    let edges = imports();
    let below: Vec<&str> = [
        "banner", "person", "units", "campaign", "text", "files", "slug",
    ]
    .into_iter()
    .collect();
    for (module, text) in library_files() {
        let top = module.split("::").next().unwrap_or("");
        if below.contains(&top) {
            assert!(
                !text.contains("escape_html") && !text.contains("&amp;"),
                "{module} escapes HTML"
            );
            assert!(
                !edges.get(top).is_some_and(|to| to.contains("output")),
                "{module} imports output"
            );
        }
    }
}

#[test]
fn the_architecture_page_lists_the_modules_from_the_bottom_of_the_imports_up() {
    let page = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md"));
    let table = page
        .split("## Modules, one line each")
        .nth(1)
        .expect("a module table");
    let order: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('`').nth(1))
        .collect();
    let place = |module: &str| order.iter().position(|m| *m == module);
    for (from, to) in imports()
        .iter()
        .flat_map(|(from, tos)| tos.iter().map(move |to| (from, to)))
    {
        let (from, to) = (
            from.split("::").next().unwrap(),
            to.split("::").next().unwrap(),
        );
        if from == to {
            continue;
        }
        let (Some(a), Some(b)) = (place(from), place(to)) else {
            panic!("the module table lacks {from} or {to}: {order:?}");
        };
        assert!(
            b < a,
            "{from} imports {to}, which the table lists after it: {order:?}"
        );
    }
}

#[test]
fn the_architecture_page_names_every_module() {
    let page = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md"));
    let tops: BTreeSet<String> = library_files()
        .into_iter()
        .filter_map(|(m, _)| m.split("::").next().map(str::to_owned))
        .filter(|m| !m.is_empty())
        .collect();
    for module in tops {
        assert!(
            page.contains(&format!("`{module}")),
            "docs/ARCHITECTURE.md does not name the module `{module}`"
        );
    }
}
