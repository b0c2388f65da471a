//! File names from people's names: lower-case ASCII words joined by `-`, transliterated
//! where possible ("José Núñez" ─► `jose-nunez`), never a path.

#[cfg(feature = "cli")]
use std::collections::HashMap;

#[cfg(feature = "cli")]
use hashbrown::hash_table::{Entry, HashTable};

/// The longest slug, in bytes: far below every file system's name limit, with room for
/// a `-N` suffix and an extension.
const MAX_LEN: usize = 64;

/// The slug for a name. Never empty, only `[a-z0-9-]`, so never a path, a hidden file
/// or a reserved device name once an extension is added.
pub fn slug(name: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(name, " ");
    let mut out = String::with_capacity(ascii.len().min(MAX_LEN));
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let room = MAX_LEN.saturating_sub(out.len() + usize::from(!out.is_empty()));
        if room == 0 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().take(room).map(|c| c.to_ascii_lowercase()));
    }
    if out.is_empty() {
        out.push_str("signature");
    }
    // Windows reserves these names whatever the extension (`con.html` cannot be made).
    if is_device_name(&out) {
        out.push_str("-signature");
    }
    out
}

/// The slug of one person's own files (the one-person command's, the signature page's
/// downloads): [`slug`], numbered when it is one of a batch's own names, as in a batch
/// (someone named "Index" gets `index-2`, never the gallery's name).
pub fn of_one(name: &str) -> String {
    let base = slug(name);
    if crate::output::names::RESERVED.contains(&base.as_str()) {
        format!("{base}-2")
    } else {
        base
    }
}

/// Whether `s` could be a slug: `[a-z0-9-]`, not empty.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether Windows takes a file of this stem (the name before its first dot, trailing
/// spaces ignored, in any case) for a device: CON, PRN, AUX, NUL, COM0–9 and LPT0–9,
/// the superscript digits ¹ ² ³ included (Microsoft, "Naming Files, Paths, and
/// Namespaces"). Such a file cannot be made, whatever its extension.
pub(crate) fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end();
    let upper = stem.to_uppercase();
    if matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL") {
        return true;
    }
    let mut chars = upper.chars();
    let head: String = chars.by_ref().take(3).collect();
    let digit = chars.next();
    (head == "COM" || head == "LPT")
        && chars.next().is_none()
        && digit.is_some_and(|d| d.is_ascii_digit() || matches!(d, '¹' | '²' | '³'))
}

/// Hands out slugs in input order so that two people whose names give the same slug both
/// get files: `ana-ruiz`, then `ana-ruiz-2`, `ana-ruiz-3`. Remembers only this run's
/// slugs, so a rerun into the same folder makes the same names again.
///
/// It keeps a 64-bit hash of each slug, not the slug: 8 bytes a person, so a batch's
/// memory stays flat however many rows it has. (Two different slugs with the same hash
/// — about one chance in 10^10 for 40,000 people — would only number the second one.)
#[cfg(feature = "cli")]
#[derive(Debug, Default)]
pub struct Slugs {
    /// Each slug handed out, and the row of the person who got it (0: reserved). The row
    /// tells HR "same name as row 7": kept here, not in a map of its own, so a batch's
    /// memory stays flat with rows.
    ///
    /// In 16 shards by fingerprint: a table that grows doubles, and for a moment holds
    /// the old and the new; sixteen small ones grow one at a time (a single table was
    /// most of a 40,000-row batch's peak memory at that moment: massif).
    taken: [HashTable<Slot>; 16],
    /// For a slug claimed more than once, the next number to try: 40,000 "Vacant" rows
    /// take linear time, not the 144 s of CPU that counting from 2 each time took.
    next: HashMap<u64, u32>,
}

#[cfg(feature = "cli")]
impl Slugs {
    /// Slugs to hand out in a folder that holds (or may hold) a batch's own files: none
    /// of [`RESERVED`](crate::output::names::RESERVED) is handed out, so someone named
    /// "Index" gets `index-2`, never the gallery's name.
    pub(crate) fn reserved() -> Slugs {
        let mut slugs = Slugs::default();
        for slug in crate::output::names::RESERVED {
            let _ = slugs.take(fingerprint(slug), 0);
        }
        slugs
    }

    /// Takes `key` for `row`, or says which row has it.
    fn take(&mut self, key: u64, row: u32) -> Result<(), u32> {
        match self.taken[shard(key)].entry(key, |s| s.key() == key, Slot::key) {
            Entry::Occupied(slot) => Err(slot.get().row()),
            Entry::Vacant(slot) => {
                slot.insert(Slot::new(key, row));
                Ok(())
            }
        }
    }

    fn get(&self, key: u64) -> Option<u32> {
        self.taken[shard(key)]
            .find(key, |s| s.key() == key)
            .map(|s| s.row())
    }

    /// Whether this run handed out `slug` (or reserved it).
    pub(crate) fn is_claimed(&self, slug: &str) -> bool {
        self.get(fingerprint(slug)).is_some()
    }

    pub fn claim(&mut self, name: &str) -> String {
        self.claim_at(name, 0).0
    }

    /// The slug for the person of `row`, and the row of an earlier person whose name
    /// gave the same slug, if any.
    pub(crate) fn claim_at(&mut self, name: &str, row: u32) -> (String, Option<u32>) {
        let base = slug(name);
        let key = fingerprint(&base);
        let earlier = match self.take(key, row) {
            Ok(()) => return (base, None),
            Err(first) => first,
        };
        let mut n = self.next.get(&key).copied().unwrap_or(2);
        let candidate = loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if self.take(fingerprint(&candidate), row).is_ok() {
                break candidate;
            }
        };
        self.next.insert(key, n);
        (candidate, Some(earlier).filter(|&r| r > 0))
    }

    /// The row of a person whose name gives the same slug as `name`, for a row that
    /// gets none (refused).
    pub(crate) fn row_of(&self, name: &str) -> Option<u32> {
        self.get(fingerprint(&slug(name))).filter(|&r| r > 0)
    }
}

/// A taken slug: its fingerprint and the row that took it, in 12 bytes (a `(u64, u32)`
/// pair would be padded to 16).
#[cfg(feature = "cli")]
#[derive(Debug, Clone, Copy)]
struct Slot([u32; 3]);

#[cfg(feature = "cli")]
impl Slot {
    fn new(key: u64, row: u32) -> Slot {
        Slot([key as u32, (key >> 32) as u32, row])
    }

    fn key(&self) -> u64 {
        u64::from(self.0[0]) | (u64::from(self.0[1]) << 32)
    }

    fn row(&self) -> u32 {
        self.0[2]
    }
}

/// The shard of a fingerprint: bits the table itself does not use (it places by the low
/// bits and tags by the top seven).
#[cfg(feature = "cli")]
fn shard(key: u64) -> usize {
    ((key >> 32) & 15) as usize
}

#[cfg(feature = "cli")]
fn fingerprint(slug: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    slug.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "cli")]
    fn one_persons_slug_is_the_first_a_batch_would_hand_out() {
        for name in [
            "Ana Ruiz",
            "Index",
            "REPORT",
            "Banner!",
            "José Núñez",
            "<>",
            "con",
        ] {
            assert_eq!(of_one(name), Slugs::reserved().claim(name), "{name}");
        }
        assert_eq!(of_one("Index"), "index-2");
    }

    #[test]
    fn transliterates_and_joins_words() {
        assert_eq!(slug("Ana Ruiz"), "ana-ruiz");
        assert_eq!(slug("  José   Núñez-García "), "jose-nunez-garcia");
        assert_eq!(slug("Zoë O'Brien"), "zoe-o-brien");
        assert_eq!(slug("王小明"), "wang-xiao-ming");
        assert_eq!(slug("Ἀθηνᾶ"), "athena");
    }

    #[test]
    fn never_a_path_and_never_empty() {
        for name in [
            "../../etc/passwd",
            "..",
            "/",
            "C:\\Windows\\x",
            ".hidden",
            "a\0b",
            "🙂🙂",
            "",
            "CON",
        ] {
            let s = slug(name);
            assert!(!s.is_empty(), "{name:?}");
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name:?} -> {s}"
            );
            assert!(!s.starts_with('-') && !s.ends_with('-') && !s.starts_with('.'));
        }
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("CON"), "con-signature");
        assert_eq!(slug("lpt1"), "lpt1-signature");
        assert_eq!(slug("Connie"), "connie");
    }

    #[test]
    fn long_names_are_cut_at_a_word() {
        let s = slug(&"abcdefghij ".repeat(20));
        assert!(s.len() <= MAX_LEN, "{}", s.len());
        assert!(!s.ends_with('-'));
    }

    #[test]
    fn forty_thousand_people_of_one_name_are_all_numbered() {
        // (Counting from 2 for each row took minutes here: the next number is kept.)
        let mut slugs = Slugs::default();
        let last = (0..40_000).map(|_| slugs.claim("Vacant")).last().unwrap();
        assert_eq!(last, "vacant-40000");
        assert_eq!(slugs.claim("Vacant 2"), "vacant-2-2");
    }

    #[test]
    fn windows_devices_are_never_file_names() {
        for device in [
            "con", "CON.html", "nul", "Aux", "com1", "LPT9.txt", "COM¹", "lpt³", "com0", "con .txt",
        ] {
            assert!(is_device_name(device), "{device}");
        }
        for name in ["connie", "com10", "com", "lpt", "console", "comé", "COM⁴"] {
            assert!(!is_device_name(name), "{name}");
        }
    }

    #[test]
    fn collisions_are_numbered_in_order() {
        let mut slugs = Slugs::default();
        assert_eq!(slugs.claim("Ana Ruiz"), "ana-ruiz");
        assert_eq!(slugs.claim("ANA RUIZ"), "ana-ruiz-2");
        assert_eq!(slugs.claim("Ana Ruiz 2"), "ana-ruiz-2-2");
        assert_eq!(slugs.claim("Ana  Ruíz"), "ana-ruiz-3");
    }
}
