//! The CSV's raw bytes: a regular file only, read twice. A pre-pass over the whole file
//! (bounded memory) counts what decides its encoding and fingerprints it (length, blake3,
//! size and time of change); the main read hashes the same bytes as it passes them on and
//! stops at the first sign that the file is no longer the one the pre-pass saw. A file
//! rewritten while a batch runs must not pass for a shorter staff list: that would make
//! too few people and then remove the others' earlier signatures as "no longer in the CSV".

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read, Seek};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::text::thousands;

/// How much of the file's start is kept to recognise UTF-16 and the delimiter.
pub(super) const SNIFF_BYTES: usize = 64 * 1024;

/// What the pre-pass saw of the whole file.
pub(super) struct Census {
    /// The file's first [`SNIFF_BYTES`].
    pub(super) prefix: Vec<u8>,
    /// Valid UTF-8 characters that only UTF-8 text means (see [`plainly_utf8`]).
    pub(super) multibyte: u64,
    /// Bytes (or cut-short sequences) that UTF-8 text never has.
    pub(super) invalid: u64,
    fingerprint: Fingerprint,
}

impl Census {
    /// The file's length in bytes.
    pub(super) fn len(&self) -> u64 {
        self.fingerprint.len
    }
}

/// The file as the pre-pass saw it; the main read must see the same.
#[derive(Clone, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    hash: blake3::Hash,
    modified: Option<SystemTime>,
}

/// The size and time of change the OS gives for the open file now.
fn stat(file: &File) -> io::Result<(u64, Option<SystemTime>)> {
    let meta: Metadata = file.metadata()?;
    Ok((meta.len(), meta.modified().ok()))
}

/// Reads all of `file` once, in 64 KB steps, and rewinds it for the main read. Ends with
/// [`Changed`] when its size or time of change moved while it was read.
pub(super) fn census(file: &mut File) -> io::Result<Result<Census, Changed>> {
    let (len_before, modified) = stat(file)?;
    let mut prefix = Vec::with_capacity(SNIFF_BYTES.min(len_before as usize + 1));
    let mut hasher = blake3::Hasher::new();
    let mut utf8 = Utf8Census::default();
    let mut chunk = vec![0; SNIFF_BYTES];
    let mut len = 0u64;
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let bytes = &chunk[..n];
        let room = SNIFF_BYTES - prefix.len();
        prefix.extend_from_slice(&bytes[..n.min(room)]);
        hasher.update(bytes);
        utf8.feed(bytes);
        len += n as u64;
        if len > len_before {
            break; // growing as we read: said below
        }
    }
    utf8.end();
    file.rewind()?;
    let now = stat(file)?;
    if (len, modified) != (len_before, now.1) || now.0 != len {
        return Ok(Err(Changed::size(len_before, now.0)));
    }
    Ok(Ok(Census {
        prefix,
        multibyte: utf8.multibyte,
        invalid: utf8.invalid,
        fingerprint: Fingerprint {
            len,
            hash: hasher.finalize(),
            modified,
        },
    }))
}

/// Counts valid multi-byte UTF-8 sequences and invalid bytes in a stream of chunks.
#[derive(Default)]
struct Utf8Census {
    multibyte: u64,
    invalid: u64,
    /// The start of a sequence cut off at the end of the last chunk (at most 3 bytes).
    carry: Vec<u8>,
}

impl Utf8Census {
    fn feed(&mut self, bytes: &[u8]) {
        if self.carry.is_empty() {
            self.count(bytes);
        } else {
            // A sequence was cut at the last chunk's end: count it joined to this one
            // (a copy, at most once per chunk).
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(bytes);
            self.count(&joined);
        }
    }

    /// Counts `bytes`; a sequence cut off at their end is kept in `carry`.
    fn count(&mut self, bytes: &[u8]) {
        let mut at = 0;
        loop {
            match std::str::from_utf8(&bytes[at..]) {
                Ok(text) => {
                    self.multibyte += plainly_utf8(text.as_bytes());
                    return;
                }
                Err(e) => {
                    self.multibyte += plainly_utf8(&bytes[at..at + e.valid_up_to()]);
                    at += e.valid_up_to();
                    match e.error_len() {
                        Some(bad) => {
                            self.invalid += 1;
                            at += bad;
                        }
                        None => {
                            self.carry = bytes[at..].to_vec();
                            return;
                        }
                    }
                }
            }
        }
    }

    /// A sequence still cut off at the end of the file is not UTF-8.
    fn end(&mut self) {
        if !self.carry.is_empty() {
            self.carry.clear();
            self.invalid += 1;
        }
    }
}

/// The characters in valid UTF-8 that only UTF-8 text means: letters with accents
/// (U+00C0–U+024F), Greek and Cyrillic (U+0370–U+052F), and anything of three or four
/// bytes. A Windows-1252 file makes other two-byte sequences by chance: a capital
/// accented letter before a no-break space or a curly quote ("É\u{A0}" reads as U+0260),
/// which must not make a whole Windows-1252 file UTF-8.
fn plainly_utf8(valid: &[u8]) -> u64 {
    let text = std::str::from_utf8(valid).unwrap_or_default();
    text.chars()
        .filter(|&c| matches!(u32::from(c), 0xC0..=0x24F | 0x370..=0x52F) || c.len_utf8() >= 3)
        .count() as u64
}

/// The file changed while it was read: what was seen, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed(String);

impl Changed {
    fn size(before: u64, now: u64) -> Changed {
        Changed(if before == now {
            format!(
                "it was saved again while it was read; it has {} bytes, as before",
                thousands(now)
            )
        } else {
            format!(
                "it had {} bytes when the run began and has {} now",
                thousands(before),
                thousands(now)
            )
        })
    }
}

impl fmt::Display for Changed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether the main read found the file changed: shared between [`Watched`] (which
/// finds it) and the staff file (which stops yielding rows once it is found).
#[derive(Clone, Default)]
pub(super) struct ChangeFlag(Arc<Mutex<Option<Changed>>>);

impl ChangeFlag {
    pub(super) fn get(&self) -> Option<Changed> {
        self.0.lock().expect("not poisoned").clone()
    }

    fn set(&self, changed: Changed) {
        let mut flag = self.0.lock().expect("not poisoned");
        flag.get_or_insert(changed);
    }
}

/// The main read of the file: passes its bytes on, hashing them, and checks the file's
/// size and time of change at every step. On the first difference from the pre-pass it
/// raises the flag and ends, so bytes read after a change never become rows.
pub(super) struct Watched {
    file: File,
    expected: Fingerprint,
    hasher: blake3::Hasher,
    read: u64,
    flag: ChangeFlag,
    ended: bool,
}

impl Watched {
    pub(super) fn new(file: File, census: &Census, flag: ChangeFlag) -> Watched {
        Watched {
            file,
            expected: census.fingerprint.clone(),
            hasher: blake3::Hasher::new(),
            read: 0,
            flag,
            ended: false,
        }
    }

    /// What differs from the pre-pass now, if anything (`at_end`: all was read).
    fn difference(&self, at_end: bool) -> io::Result<Option<Changed>> {
        let (len, modified) = stat(&self.file)?;
        let expected = &self.expected;
        if len != expected.len || self.read > expected.len {
            return Ok(Some(Changed::size(expected.len, len.max(self.read))));
        }
        if modified != expected.modified
            || at_end && (self.read != expected.len || self.hasher.finalize() != expected.hash)
        {
            return Ok(Some(Changed::size(expected.len, len)));
        }
        Ok(None)
    }
}

impl Read for Watched {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ended {
            return Ok(0);
        }
        let n = self.file.read(buf)?;
        self.read += n as u64;
        self.hasher.update(&buf[..n]);
        if let Some(changed) = self.difference(n == 0)? {
            self.flag.set(changed);
            self.ended = true;
            return Ok(0);
        }
        Ok(n)
    }
}

/// Why a batch did not read the whole file: then who is missing from the rows says
/// nothing about who is in it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Interrupted {
    #[error(
        "{} changed while it was being read ({changed})",
        crate::text::ShownPath(path)
    )]
    Changed { path: PathBuf, changed: Changed },
    #[error(
        "reading {} stopped at line {line}: {reason}",
        crate::text::ShownPath(path)
    )]
    Stopped {
        path: PathBuf,
        line: u64,
        reason: String,
    },
}

/// Whether the staff file was read to its end, known once its rows are all yielded.
#[derive(Clone, Default)]
pub struct Ending(Arc<Mutex<Option<Interrupted>>>);

impl Ending {
    /// Why reading ended early, if it did.
    pub fn interrupted(&self) -> Option<Interrupted> {
        self.0.lock().expect("not poisoned").clone()
    }

    pub(super) fn set(&self, why: Interrupted) {
        self.0.lock().expect("not poisoned").get_or_insert(why);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(chunks: &[&[u8]]) -> (u64, u64) {
        let mut census = Utf8Census::default();
        for chunk in chunks {
            census.feed(chunk);
        }
        census.end();
        (census.multibyte, census.invalid)
    }

    #[test]
    fn utf8_is_counted_across_chunk_boundaries() {
        let text = "José Núñez, Zoë 😀".as_bytes();
        let whole = counted(&[text]);
        assert_eq!(whole, (5, 0));
        for cut in 0..=text.len() {
            assert_eq!(
                counted(&[&text[..cut], &text[cut..]]),
                whole,
                "cut at {cut}"
            );
        }
        // Three chunks, each cut inside the emoji.
        let e = text.len() - 4;
        assert_eq!(
            counted(&[&text[..e + 1], &text[e + 1..e + 2], &text[e + 2..]]),
            whole
        );
    }

    #[test]
    fn invalid_bytes_are_counted_once_each() {
        assert_eq!(counted(&[b"Jos\xe9 N\xfa\xf1ez"]), (0, 3));
        assert_eq!(counted(&[b"Jos\xe9", b" ok"]), (0, 1));
        // A lead byte cut off by the end of the file.
        assert_eq!(counted(&[b"ok\xc3"]), (0, 1));
        assert_eq!(counted(&["é".as_bytes(), b"\xe9,x"]), (1, 1));
        assert_eq!(counted(&[b"\xc3", b"\xc3\xa9"]), (1, 1));
    }
}
