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
