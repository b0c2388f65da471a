//! Reading what sigblock wrote: text files, folders, the signature inside a document, the
//! banner inlined in it, `report.csv`, UTF-16 files.

use std::collections::BTreeMap;
use std::path::Path;

/// sigblock's own folder in every folder it writes into: its record of what it made
/// there, its lock and its temporaries (tests/ownership.rs checks what is in it).
pub const RECORD: &str = ".sigblock";

/// Reads a file as UTF-8 text, naming it if that fails.
pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Sorted file names in a folder (not recursive), leaving out sigblock's [`RECORD`].
pub fn names(dir: impl AsRef<Path>) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.as_ref())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != RECORD)
        .collect();
    names.sort();
    names
}

/// Every file under `dir`, relative to it with `/`, sorted; sigblock's [`RECORD`]
/// folders left out.
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == RECORD) {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, found);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found);
    found.sort();
    found
}

/// Everything under `root` (sigblock's record included), by relative path: a folder as
/// `name/` with no bytes, a link as its target, a file with its bytes. Two snapshots are
/// equal when nothing under `root` was made, removed or changed.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, found: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                found.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, found);
            } else if kind.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                found.insert(rel, target.to_string_lossy().as_bytes().to_vec());
            } else {
                found.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(root, root, &mut found);
    found
}

/// Copies `from` (recursively) into a fresh temporary folder: a browser only ever sees
/// a copy, so a script added to a page never touches an output.
pub fn copy_of(from: &Path) -> tempfile::TempDir {
    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let copy = tempfile::tempdir().unwrap();
    copy_dir(from, copy.path());
    copy
}

/// The signature in a generated document (`.html`, Outlook's `.htm`): its `<body>`,
/// trimmed, which is one `<table>` — exactly what is pasted (the clipboard and the
/// gallery's "Copy" carry this fragment, never the `<body>`).
pub fn fragment_of(html: &str) -> &str {
    let body = html.find("<body").expect("a <body> element");
    let start = body + html[body..].find('>').expect("the end of <body ...>") + 1;
    let end = html.find("</body>").expect("a </body> tag");
    let fragment = html[start..end].trim();
    assert!(
        fragment.starts_with("<table")
            && fragment.ends_with("</table>")
            && fragment.matches("<table").count() == 1,
        "the body is one table (the signature), not: {}",
        &fragment[..fragment.len().min(200)]
    );
    fragment
}

/// The `data:image/png;base64,...` banner inlined in an HTML document, decoded.
pub fn inlined_banner(html: &str) -> Vec<u8> {
    use base64::Engine;
    let start = html.find("data:image/png;base64,").expect("an inlined PNG") + 22;
    let end = start + html[start..].find('"').expect("a closing quote");
    base64::engine::general_purpose::STANDARD
        .decode(&html[start..end])
        .expect("valid base64")
}

/// `report.csv` in `out`, as Excel reads it: it starts with a BOM (checked, then
/// dropped); its records under the header.
pub fn report(out: &Path) -> Vec<csv::StringRecord> {
    let bytes = std::fs::read(out.join("report.csv")).unwrap();
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM")).unwrap();
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}

/// A UTF-16 LE file with a BOM (what Windows' `reg` and sigblock's `.reg` write), decoded.
pub fn utf16(bytes: &[u8], what: &str) -> String {
    assert_eq!(&bytes[..2], [0xFF, 0xFE], "{what}: a UTF-16 LE BOM");
    assert_eq!(bytes.len() % 2, 0, "{what}: an odd number of bytes");
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).unwrap_or_else(|e| panic!("{what}: not UTF-16: {e}"))
}

/// `text` in UTF-16 LE, without a BOM.
pub fn utf16_le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}
