//! `.sigblock/manifest`: the files sigblock made in a folder, one line each, with a hash
//! of what it wrote (`<16 hex digits> <path relative to the folder, with />`). While a
//! run writes, each file's line goes to `.sigblock/journal` just before the file is put
//! in place, so a run that is killed leaves a record the next run can trust: a journal
//! line counts only when the file on disk still has that hash.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

/// The largest file whose hash is looked at: everything sigblock writes is far smaller,
/// so a larger file is not one of its own.
const MAX_HASHED_BYTES: u64 = 64 * 1024 * 1024;

const HEADER: &str = "# sigblock: the files it made in this folder and a hash of each; \
                      delete this folder and sigblock treats them as not its own\n";

/// A file's content, in 64 bits: enough to know whether a person changed it.
pub(super) fn hash(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(
        blake3::hash(bytes).as_bytes()[..8]
            .try_into()
            .expect("8 bytes"),
    )
}

/// A path's name, in 64 bits, for the set of paths a run has written.
pub(super) fn fingerprint(rel: &str) -> u64 {
    u64::from_le_bytes(
        blake3::hash(rel.as_bytes()).as_bytes()[..8]
            .try_into()
            .expect("8 bytes"),
    )
}

/// The hash of a regular file on disk, or `None` when it cannot be read or is too large
/// to be one of ours. The caller has checked that it is a regular file.
pub(super) fn hash_file(path: &Path) -> Option<u64> {
    let file = File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_HASHED_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    (bytes.len() as u64 <= MAX_HASHED_BYTES).then(|| hash(&bytes))
}

/// The longest line a record file can hold: a hash, a space and a path sigblock makes.
const MAX_LINE: u64 = 1024;

/// Every `(hash, path)` line of a record file, in order; a missing file has none, and
/// a line that is not ours (a person's edit, garbage) is passed over, read in bounded
/// pieces whatever the file holds.
pub(super) fn each_line(path: &Path, mut f: impl FnMut(u64, &str)) -> io::Result<()> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader.by_ref().take(MAX_LINE).read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        if buf.last() != Some(&b'\n') && n as u64 == MAX_LINE {
            // Too long to be ours: skip to the end of that line.
            while !buf.ends_with(b"\n") {
                buf.clear();
                if reader.by_ref().take(MAX_LINE).read_until(b'\n', &mut buf)? == 0 {
                    return Ok(());
                }
            }
            continue;
        }
        let Ok(line) = std::str::from_utf8(&buf) else {
            continue;
        };
        let line = line.trim_end_matches(['\n', '\r']);
        let Some((hash, rel)) = line.split_once(' ') else {
            continue;
        };
        if let Ok(hash) = u64::from_str_radix(hash, 16) {
            if is_plain(rel) && !line.starts_with('#') {
                f(hash, rel);
            }
        }
    }
}

/// Whether a recorded path is one sigblock could have made: a name in the folder, or in
/// a `<name>_files` folder beside it. Anything else (`..`, an absolute path, sigblock's
/// own folder) is not trusted, so a planted line can never send a removal elsewhere.
fn is_plain(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let normal =
        |p: &&str| !p.is_empty() && *p != "." && *p != ".." && !p.contains(['\\', ':', '\0']);
    parts.iter().all(normal)
        && parts[0] != super::state::STATE
        && match parts.len() {
            1 => true,
            2 => parts[0].ends_with("_files"),
            _ => false,
        }
}

/// A line of a record file.
pub(super) fn line(hash: u64, rel: &str) -> String {
    format!("{hash:016x} {rel}\n")
}

/// Writes a whole record file: the header, then the lines.
pub(super) fn write_all(out: &mut impl Write, lines: &[u8]) -> io::Result<()> {
    out.write_all(HEADER.as_bytes())?;
    out.write_all(lines)
}

/// After a killed run: the manifest's lines, with each journal line that the file on
/// disk still matches taking its path's place. `None` when there was no journal.
pub(super) fn recover(manifest: &Path, journal: &Path, root: &Path) -> io::Result<Option<Vec<u8>>> {
    if !journal.exists() {
        return Ok(None);
    }
    let mut entries: HashMap<String, u64> = HashMap::new();
    let mut order = Vec::new();
    let mut keep = |hash: u64, rel: &str| {
        if entries.insert(rel.to_owned(), hash).is_none() {
            order.push(rel.to_owned());
        }
    };
    each_line(manifest, &mut keep)?;
    let mut written = Vec::new();
    each_line(journal, |hash, rel| written.push((hash, rel.to_owned())))?;
    for (hash, rel) in written {
        let on_disk = std::fs::symlink_metadata(root.join(&rel))
            .ok()
            .filter(|m| m.is_file())
            .and_then(|_| hash_file(&root.join(&rel)));
        if on_disk == Some(hash) {
            keep(hash, &rel);
        }
    }
    let mut lines = Vec::new();
    for rel in order {
        lines.extend_from_slice(line(entries[&rel], &rel).as_bytes());
    }
    Ok(Some(lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_are_trusted() {
        for ok in ["ana-ruiz.html", "ana-ruiz_files/banner.png", "b.png"] {
            assert!(is_plain(ok), "{ok}");
        }
        for bad in [
            "../etc/passwd",
            "/etc/passwd",
            "a/b/c",
            "x/banner.png",
            ".sigblock/lock",
            "..",
            "",
            "a\\..\\b",
            "C:x",
        ] {
            assert!(!is_plain(bad), "{bad}");
        }
    }

    #[test]
    fn garbage_and_long_lines_are_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest");
        let mut text = String::from("# header\n0123456789abcdef ana.html\n");
        text.push_str(&"x".repeat(10_000));
        text.push_str(
            "\nnot-hex b.html\nfedcba9876543210 ../../etc/passwd\n00000000000000ff c.txt",
        );
        std::fs::write(&path, text).unwrap();
        let mut seen = Vec::new();
        each_line(&path, |hash, rel| seen.push((hash, rel.to_owned()))).unwrap();
        assert_eq!(
            seen,
            [
                (0x0123456789abcdef, "ana.html".into()),
                (0xff, "c.txt".into())
            ]
        );
    }
}
