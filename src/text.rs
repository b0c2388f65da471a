//! Rules about text that every part of sigblock shares, at the bottom of the module graph:
//! what may stand on one line of a signature, what counts as blank, how a value is quoted
//! in a message, and the key names are compared by. Nothing here knows HTML or files.

use std::fmt;

/// A value quoted for a message: control characters escaped (`\n`, `\u{1b}`), cut short
/// when long, so a message stays one readable line whatever the spreadsheet or the
/// folder held, and nothing a value holds can move the terminal's cursor or colour it.
pub struct Shown<'a>(pub &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 60;
        let mut chars = self.0.chars();
        let head: String = chars.by_ref().take(MAX).collect();
        let cut = chars.next().is_some();
        write!(f, "{head:?}")?;
        if cut {
            f.write_str(" (cut short)")?;
        }
        Ok(())
    }
}

/// Text for a terminal as it is, but with every control and bidirectional control
/// character escaped (`\u{1b}`): for paths and names said without quotes.
pub fn plain(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(escaped) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A path for a terminal, as [`plain`] says text: a file or folder name can hold
/// anything a file system allows, escape sequences included.
pub struct ShownPath<'a>(pub &'a std::path::Path);

impl fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain(&self.0.to_string_lossy()))
    }
}

fn escaped(c: char) -> bool {
    c.is_control() || is_line_break(c) || is_bidi_control(c)
}

/// The characters that end a line: besides `\n` and `\r`, NEL and Unicode's line and
/// paragraph separators, which some programs show as a new line.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The bidirectional embedding, override and isolate controls (U+202A–202E, U+2066–2069):
/// in a one-line field they reorder what follows them, so a name could show as other text
/// (the "Trojan Source" trick). Marks such as U+200F stay allowed: right-to-left names
/// need them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no space and show nothing on their own: zero-width spaces and
/// joiners, word joiner and invisible operators, the byte-order mark, the soft hyphen,
/// the Hangul fillers, the blank Braille pattern, the Mongolian vowel separator, and
/// variation selectors. A field made only of these (and white space) says nothing.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{2800}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    ) || is_combining_mark(c)
}

/// Combining marks (the common blocks): on their own, with no letter to sit on, they
/// show as nothing or as a dotted circle.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Whether `value` shows nothing: empty, white space, or only characters that are
/// invisible on their own ([`is_invisible`]).
pub fn is_blank(value: &str) -> bool {
    value.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// How text was damaged on its way here, when it plainly was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// A `?` between two letters ("Nguy?n"): a letter the file's encoding had no room for,
    /// replaced when it was saved.
    Question,
    /// U+FFFD, the mark a program leaves where it could not read a character.
    Replacement,
    /// UTF-8 read as Windows-1252: "Ã©" for "é", "â€™" for "’" (the pair as found).
    Mojibake(String),
}

/// How `value` was damaged, if it plainly was.
pub fn damage(value: &str) -> Option<Damage> {
    if value.contains('\u{FFFD}') {
        return Some(Damage::Replacement);
    }
    // A word of letters with a `?` between two of them ("Nguy?n"); a word with other
    // signs in it ("=?utf-8?q?…", a URL) is not a lost letter.
    let lost_letter = |word: &str| {
        let chars: Vec<char> = word.chars().collect();
        chars
            .iter()
            .all(|&c| c.is_alphabetic() || matches!(c, '?' | '\'' | '’' | '-' | '.'))
            && chars
                .windows(3)
                .any(|w| w[1] == '?' && w[0].is_alphabetic() && w[2].is_alphabetic())
    };
    if value.split_whitespace().any(lost_letter) {
        return Some(Damage::Question);
    }
    let chars: Vec<char> = value.chars().collect();
    mojibake(&chars).map(Damage::Mojibake)
}

/// The first run of characters that are the Windows-1252 reading of one UTF-8
/// character of two to four bytes ("Ã©" is C3 A9, "é"), if any.
fn mojibake(chars: &[char]) -> Option<String> {
    for start in 0..chars.len() {
        let Some(lead) = windows_1252(chars[start]) else {
            continue;
        };
        let len = match lead {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => continue,
        };
        let Some(run) = chars.get(start..start + len) else {
            continue;
        };
        let bytes: Option<Vec<u8>> = run.iter().map(|&c| windows_1252(c)).collect();
        let Some(bytes) = bytes else { continue };
        if bytes[1..].iter().all(|b| (0x80..=0xBF).contains(b))
            && std::str::from_utf8(&bytes).is_ok()
        {
            return Some(run.iter().collect());
        }
    }
    None
}

/// The Windows-1252 byte of a character, for the characters that have one above ASCII.
fn windows_1252(c: char) -> Option<u8> {
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    match u32::from(c) {
        code @ 0x80..=0xFF => Some(code as u8),
        _ => HIGH.iter().find(|(h, _)| *h == c).map(|&(_, b)| b),
    }
}

/// A count with thousands separated by commas, as the command line says it: 3,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An office's own text (the units file, a campaign file): one line with no control,
/// line-break or bidirectional control character, at most `max` characters — the same
/// rules as a person's fields, so nothing an office types can fake a line or a `-- `
/// block.
pub fn office_text(value: &str, max: usize) -> Result<(), String> {
    if let Some(c) = value
        .chars()
        .find(|&c| c.is_control() || is_bidi_control(c))
    {
        return Err(format!(
            "{} contains the control character U+{:04X}",
            Shown(value),
            c as u32
        ));
    }
    if value.chars().any(is_line_break) {
        return Err(format!(
            "{} contains a line break; it must be one line",
            Shown(value)
        ));
    }
    let len = value.chars().count();
    if len > max {
        return Err(format!(
            "{} is too long ({len} characters; at most {max})",
            Shown(value)
        ));
    }
    Ok(())
}

/// How names that people type differently are compared: letters and digits only,
/// case-folded ("C.T.R.T." and "ctrt" are one key; "E-mail Address" and "email address"
/// too). Units by name or alias, and CSV headers, are matched by this key.
pub fn key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_values_are_one_line_and_cut_short() {
        assert_eq!(Shown("a\nb").to_string(), "\"a\\nb\"");
        let long = "x".repeat(61);
        assert!(Shown(&long).to_string().ends_with("\" (cut short)"));
        assert_eq!(plain("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(plain("Ana Ruiz/ok.html"), "Ana Ruiz/ok.html");
        assert_eq!(plain("a\u{2028}b\u{202E}"), "a\\u{2028}b\\u{202e}");
    }

    #[test]
    fn invisible_only_values_are_blank() {
        for blank in [
            "",
            " \t",
            "\u{200B}",
            "\u{2060}",
            "\u{FEFF}",
            "\u{3164}",
            "\u{2800}",
            "\u{301}",
            "\u{AD}",
            " \u{200B} \u{FEFF}",
        ] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for seen in ["a", "é", "e\u{301}", "王", "🙂", "نور"] {
            assert!(!is_blank(seen), "{seen:?}");
        }
    }

    #[test]
    fn damaged_text_is_found_and_names_are_not() {
        assert_eq!(damage("Nguy?n V?n An"), Some(Damage::Question));
        assert_eq!(damage("Jos\u{FFFD} N"), Some(Damage::Replacement));
        assert_eq!(damage("JosÃ© Núñez"), Some(Damage::Mojibake("Ã©".into())));
        assert_eq!(
            damage("Director â€“ CTRT"),
            Some(Damage::Mojibake("â€“".into()))
        );
        assert_eq!(damage("O\u{2019}Brien"), None);
        for fine in [
            "José Núñez",
            "São Paulo",
            "Zoë O'Brien",
            "Who? Me",
            "Q&A Lead?",
            "Ñandú",
            "Ångström",
            "王小明",
            "نور الهدى",
            "Ana (?)",
            "ÃO",
            "=?utf-8?q?Bcc:_x@evil.com?=",
        ] {
            assert_eq!(damage(fine), None, "{fine}");
        }
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3000), "3,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn office_text_is_one_line() {
        assert!(office_text("Refugee Programs Bureau", 200).is_ok());
        for bad in ["a\u{2028}b", "a\u{2029}b"] {
            assert!(
                office_text(bad, 200).unwrap_err().contains("line break"),
                "{bad:?}"
            );
        }
        assert!(office_text("a\u{7}b", 200).unwrap_err().contains("U+0007"));
        assert!(office_text(&"x".repeat(201), 200).is_err());
    }

    #[test]
    fn keys_keep_letters_and_digits_only() {
        assert_eq!(key("C.T.R.T."), "ctrt");
        assert_eq!(key("E-mail Address"), "emailaddress");
        assert_eq!(key(" Asylee & Trafficking "), "asyleetrafficking");
    }
}
