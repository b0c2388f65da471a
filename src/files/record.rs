//! `.sigblock/manifest`: the record of what sigblock made in a folder, which run made
//! each file, and for whom. One line each:
//!
//! ```text
//! # sigblock record 2: …                      the header
//! source 3 {"run":"batch","csv":"/hr/staff.csv"} a run that wrote here, by number
//! file 0123456789abcdef 3 ana-ruiz.html\t{"for":"ana-ruiz","name":"Ana Ruiz",…}
//! ```
//!
//! A file line holds a hash of what sigblock wrote, the source that wrote it, the path
//! (relative, with `/`) and, after a tab, whose signature it is. A line of the first
//! record (`<hash> <path>`) is a file of source 0: an earlier sigblock that did not say.
//!
//! While a run writes, each file's line goes to `.sigblock/journal` just before the file
//! is put in place, so a run that is killed leaves a record the next run can trust: a
//! journal line counts only when the file on disk still has that hash. A run keeps only
//! an [`Index`] in memory (16 bytes a file); whose files they are is read from the record
//! when it matters, so a rerun of a million rows needs little more memory than the first.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::state::STATE;
use crate::person::Identity;

const HEADER: &str = "# sigblock record 2: the files it made in this folder, which run made \
                      each and for whom; delete this folder and sigblock treats them as not its own\n";

/// The longest line a record file can hold: a path and whose file it is, with room.
const MAX_LINE: u64 = 16 * 1024;

/// What made a file: the runs a record tells apart. A batch removes only what earlier
/// runs of the same staff list made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "run", rename_all = "kebab-case")]
pub(crate) enum Source {
    /// A batch from the staff list at this path (as given, made absolute).
    Batch { csv: String },
    /// One person at a time: the one-person command, `install`.
    OneByOne,
    /// A single file named on the command line (`banner --out`, `--print-reg`).
    Named,
}

/// The source number of files an earlier sigblock recorded without saying which run.
pub(crate) const UNKNOWN: u16 = 0;

/// Whose signature a file is: the name its files share (a slug, an Outlook signature's
/// name) and the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Owner {
    #[serde(rename = "for")]
    pub(crate) stem: String,
    #[serde(flatten)]
    pub(crate) who: Identity,
}

/// A file's content, in 64 bits: enough to know whether a person changed it.
pub(super) fn hash(bytes: &[u8]) -> u64 {
    first_64(blake3::hash(bytes))
}

/// The first 64 bits of a blake3 hash.
pub(super) fn first_64(hash: blake3::Hash) -> u64 {
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"))
}

/// A path's name, in 64 bits, for the index.
pub(super) fn fingerprint(rel: &str) -> u64 {
    hash(rel.as_bytes())
}

/// The hash of a regular file on disk, read in pieces whatever its size, or `None` when
/// it cannot be read. The caller has checked that it is a regular file.
pub(super) fn hash_file(path: &Path) -> Option<u64> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(File::open(path).ok()?).ok()?;
    Some(first_64(hasher.finalize()))
}

/// One line of a record file.
pub(super) enum Line<'a> {
    Source(u16, Source),
    File(FileLine<'a>),
}

/// A file line: its hash, source, path, and whose it is (the raw JSON, read on demand).
pub(super) struct FileLine<'a> {
    pub(super) hash: u64,
    pub(super) source: u16,
    pub(super) rel: &'a str,
    owner: &'a str,
}

impl FileLine<'_> {
    /// Whose file it is, when the record says.
    pub(super) fn owner(&self) -> Option<Owner> {
        serde_json::from_str(self.owner).ok()
    }

    /// The line as written.
    pub(super) fn to_line(&self) -> String {
        file_line(self.hash, self.source, self.rel, self.owner)
    }
}

/// A file line for the record.
pub(super) fn line(hash: u64, source: u16, rel: &str, owner: Option<&Owner>) -> String {
    let owner = owner
        .map(|o| serde_json::to_string(o).expect("an owner is JSON"))
        .unwrap_or_default();
    file_line(hash, source, rel, &owner)
}

fn file_line(hash: u64, source: u16, rel: &str, owner: &str) -> String {
    format!("file {hash:016x} {source} {rel}\t{owner}\n")
}

/// A source line for the record.
pub(super) fn source_line(id: u16, source: &Source) -> String {
    format!(
        "source {id} {}\n",
        serde_json::to_string(source).expect("a source is JSON")
    )
}

/// Starts a record file: the header, then the sources.
pub(super) fn start(out: &mut impl Write, sources: &BTreeMap<u16, Source>) -> io::Result<()> {
    out.write_all(HEADER.as_bytes())?;
    for (id, source) in sources {
        out.write_all(source_line(*id, source).as_bytes())?;
    }
    Ok(())
}

/// Every line of a record file that sigblock could have written, in order; a missing
/// file has none, and a line that is not ours (a person's edit, garbage, a path that
/// leaves the folder) is passed over, read in bounded pieces whatever the file holds.
pub(super) fn each_line(path: &Path, mut f: impl FnMut(Line<'_>)) -> io::Result<()> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut reader = BufReader::with_capacity(64 * 1024, file);
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
        if let Some(line) = std::str::from_utf8(&buf).ok().and_then(parse) {
            f(line);
        }
    }
}

fn parse(text: &str) -> Option<Line<'_>> {
    let text = text.trim_end_matches(['\n', '\r']);
    if let Some(rest) = text.strip_prefix("source ") {
        let (id, json) = rest.split_once(' ')?;
        return Some(Line::Source(
            id.parse().ok()?,
            serde_json::from_str(json).ok()?,
        ));
    }
    let (hash, source, rest) = match text.strip_prefix("file ") {
        Some(rest) => {
            let (hash, rest) = rest.split_once(' ')?;
            let (source, rest) = rest.split_once(' ')?;
            (hash, source.parse().ok()?, rest)
        }
        // The first record's lines: `<hash> <path>`.
        None if !text.starts_with('#') => {
            let (hash, rel) = text.split_once(' ')?;
            (hash, UNKNOWN, rel)
        }
        None => return None,
    };
    let (rel, owner) = rest.split_once('\t').unwrap_or((rest, ""));
    let hash = u64::from_str_radix(hash, 16).ok()?;
    is_plain(rel).then_some(Line::File(FileLine {
        hash,
        source,
        rel,
        owner,
    }))
}

/// Whether a recorded path is one sigblock could have made: a name in the folder, or in
/// a folder beside it. Anything else (`..`, an absolute path, sigblock's own folder, a
/// tab or a line break) is not trusted, so a planted line can never send a removal
/// elsewhere.
pub(super) fn is_plain(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let normal = |p: &&str| {
        !p.is_empty() && *p != "." && *p != ".." && !p.contains(['\\', ':', '\0', '\t', '\n'])
    };
    parts.iter().all(normal) && parts[0] != STATE && parts.len() <= 2
}

/// What a run knows of the record while it writes: each recorded file's path (as a
/// fingerprint), hash and source, sorted for lookup, 16 bytes a file; and which of them
/// this run has replaced or removed (a bit each), so that finishing keeps the others.
pub(super) struct Index {
    /// (path fingerprint, hash's top 48 bits << 16 | source), sorted by fingerprint.
    entries: Vec<(u64, u64)>,
    done: Vec<AtomicU64>,
}

/// A recorded file, as the index gives it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Recorded {
    at: usize,
    hash: u64,
    pub(super) source: u16,
}

impl Recorded {
    /// Whether the file on disk, of hash `on_disk`, is still what sigblock wrote.
    pub(super) fn unchanged(&self, on_disk: u64) -> bool {
        on_disk >> 16 == self.hash
    }
}

impl Index {
    /// The record at `manifest`, and its sources.
    pub(super) fn load(manifest: &Path) -> io::Result<(Index, BTreeMap<u16, Source>)> {
        // Counted first, so the index takes exactly the memory it needs.
        let mut count = 0;
        each_line(manifest, |line| {
            count += usize::from(matches!(line, Line::File(_)))
        })?;
        let mut entries = Vec::with_capacity(count);
        let mut sources = BTreeMap::new();
        each_line(manifest, |line| match line {
            Line::Source(id, source) => {
                sources.insert(id, source);
            }
            Line::File(file) if entries.len() < count => entries.push((
                fingerprint(file.rel),
                (file.hash >> 16) << 16 | u64::from(file.source),
            )),
            Line::File(_) => {}
        })?;
        entries.sort_unstable_by_key(|&(key, _)| key);
        entries.dedup_by_key(|&mut (key, _)| key);
        let done = (0..entries.len().div_ceil(64))
            .map(|_| AtomicU64::new(0))
            .collect();
        Ok((Index { entries, done }, sources))
    }

    /// The recorded file at `rel`, if any.
    pub(super) fn get(&self, rel: &str) -> Option<Recorded> {
        let key = fingerprint(rel);
        let at = self.entries.binary_search_by_key(&key, |&(k, _)| k).ok()?;
        let value = self.entries[at].1;
        Some(Recorded {
            at,
            hash: value >> 16,
            source: value as u16,
        })
    }

    /// Marks a recorded file as replaced or removed by this run (or clears the mark when
    /// a replacement was undone).
    pub(super) fn set_done(&self, file: Recorded, done: bool) {
        let (word, bit) = (file.at / 64, 1u64 << (file.at % 64));
        if done {
            self.done[word].fetch_or(bit, Ordering::Relaxed);
        } else {
            self.done[word].fetch_and(!bit, Ordering::Relaxed);
        }
    }

    pub(super) fn is_done(&self, file: Recorded) -> bool {
        self.done[file.at / 64].load(Ordering::Relaxed) & (1 << (file.at % 64)) != 0
    }
}

/// The owner the record gives for files of `stem`, reading it through (a one-person
/// run's single question).
pub(super) fn owner_of(manifest: &Path, stem: &str) -> io::Result<Option<Owner>> {
    let mut found = None;
    each_line(manifest, |line| {
        if let Line::File(file) = line {
            if let Some(owner) = file.owner().filter(|o| o.stem == stem) {
                found = Some(owner);
            }
        }
    })?;
    Ok(found)
}

/// The owners of every file not made by `source`, by stem (a batch's question, asked
/// once when one of its people meets a file another run made).
pub(super) fn owners_besides(
    manifest: &Path,
    source: u16,
) -> io::Result<std::collections::HashMap<String, Owner>> {
    let mut owners = std::collections::HashMap::new();
    each_line(manifest, |line| {
        if let Line::File(file) = line {
            if file.source != source {
                if let Some(owner) = file.owner() {
                    owners.insert(owner.stem.clone(), owner);
                }
            }
        }
    })?;
    Ok(owners)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_are_trusted() {
        for ok in [
            "ana-ruiz.html",
            "ana-ruiz_files/banner.png",
            "b.png",
            "CDSS - Ana.htm",
        ] {
            assert!(is_plain(ok), "{ok}");
        }
        for bad in [
            "../etc/passwd",
            "/etc/passwd",
            "a/b/c",
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
    fn garbage_long_lines_and_both_generations_of_lines_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest");
        let mut text = String::from("# header\n0123456789abcdef ana.html\n");
        text.push_str(&"x".repeat(100_000));
        text.push_str(
            "\nnot-hex b.html\nfedcba9876543210 ../../etc/passwd\n00000000000000ff c.txt\n",
        );
        text.push_str("source 3 {\"run\":\"batch\",\"csv\":\"/hr/staff.csv\"}\n");
        text.push_str(
            "file 00000000000000aa 3 li-wei.txt\t{\"for\":\"li-wei\",\"name\":\"Li Wei\",\"unit\":\"RPB\"}\n",
        );
        text.push_str("file 00000000000000bb 3 index.html\t\n");
        std::fs::write(&path, text).unwrap();
        let mut seen = Vec::new();
        each_line(&path, |line| match line {
            Line::File(file) => seen.push((
                file.hash,
                file.source,
                file.rel.to_owned(),
                file.owner().map(|o| o.who.name),
            )),
            Line::Source(id, source) => {
                assert_eq!(
                    (id, source),
                    (
                        3,
                        Source::Batch {
                            csv: "/hr/staff.csv".into()
                        }
                    )
                )
            }
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                (0x0123456789abcdef, UNKNOWN, "ana.html".into(), None),
                (0xff, UNKNOWN, "c.txt".into(), None),
                (0xaa, 3, "li-wei.txt".into(), Some("Li Wei".into())),
                (0xbb, 3, "index.html".into(), None),
            ]
        );
        let (index, sources) = Index::load(&path).unwrap();
        assert_eq!(sources.len(), 1);
        let li = index.get("li-wei.txt").unwrap();
        assert_eq!(li.source, 3);
        assert!(li.unchanged(0xaa) && !li.unchanged(0xab_0000));
        assert!(index.get("nobody.txt").is_none());
        assert!(!index.is_done(li));
        index.set_done(li, true);
        assert!(index.is_done(li));
    }
}
