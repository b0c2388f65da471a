//! `N.rtf`: the signature as real RTF, for Outlook's rich-text mail. Text in Unicode
//! escapes (`\uN?`), links as `HYPERLINK` fields, the banner as a PNG picture
//! (`\pict\pngblip`, hex) sized for its 96-dpi display size. Debian's `unrtf` reads it
//! back (tests).

use std::fmt::Write;

/// How a line looks: the signature's own sizes and colours (templates/signature.html).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Style {
    /// Bold, 16 px, navy.
    Name,
    /// 14 px, dark grey.
    Normal,
    /// 12 px, grey: the contact line.
    Small,
}

/// A piece of a line: text, or a link around its text.
#[derive(Debug, Clone)]
pub(crate) enum Run {
    Text(String),
    Link { url: String, text: String },
}

/// What the document holds, top to bottom.
#[derive(Debug, Clone)]
pub(crate) enum Block<'a> {
    Line(Style, Vec<Run>),
    /// A PNG of `pixels` (width, height) shown at `display` CSS pixels (96 dpi).
    Picture {
        png: &'a [u8],
        pixels: (u32, u32),
        display: (u32, u32),
    },
}

/// Twips (1/1440 inch) per CSS pixel at 96 dpi.
const TWIPS_PER_PX: u32 = 15;

/// The RTF document of `blocks`, in ASCII (everything else is escaped), CRLF line ends.
pub(crate) fn document(blocks: &[Block<'_>]) -> String {
    let mut out = String::from(
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\\deflang1033\r\n\
         {\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}\r\n\
         {\\colortbl ;\\red11\\green37\\blue69;\\red31\\green41\\blue55;\\red11\\green92\\blue173;\\red55\\green65\\blue81;}\r\n\
         {\\*\\generator sigblock}\\uc1\\pard\\plain\\f0\\fs21\\cf2\r\n",
    );
    for block in blocks {
        match block {
            Block::Line(style, runs) => {
                let (size, colour, bold) = match style {
                    Style::Name => (24, 1, "\\b"),
                    Style::Normal => (21, 2, ""),
                    Style::Small => (18, 4, ""),
                };
                let _ = write!(out, "{{{bold}\\fs{size}\\cf{colour} ");
                for run in runs {
                    match run {
                        Run::Text(text) => escape(&mut out, text),
                        Run::Link { url, text } => {
                            out.push_str("{\\field{\\*\\fldinst{HYPERLINK \"");
                            escape(&mut out, &url.replace('"', "%22"));
                            out.push_str("\"}}{\\fldrslt{\\ul\\cf3 ");
                            escape(&mut out, text);
                            out.push_str("}}}");
                        }
                    }
                }
                out.push_str("}\\par\r\n");
            }
            Block::Picture {
                png,
                pixels,
                display,
            } => {
                let _ = write!(
                    out,
                    "\\par\r\n{{\\pict\\pngblip\\picw{}\\pich{}\\picwgoal{}\\pichgoal{}\r\n",
                    pixels.0,
                    pixels.1,
                    display.0 * TWIPS_PER_PX,
                    display.1 * TWIPS_PER_PX
                );
                for chunk in png.chunks(64) {
                    for byte in chunk {
                        let _ = write!(out, "{byte:02x}");
                    }
                    out.push_str("\r\n");
                }
                out.push_str("}\\par\r\n");
            }
        }
    }
    out.push_str("}\r\n");
    out
}

/// Text as RTF: `\`, `{`, `}` escaped, everything past ASCII as `\uN` (UTF-16 units,
/// signed, as RTF wants them) followed by the one character an older reader shows
/// instead, written `\'xx` as Word does (the Latin-1 character, else `?`; a bare `?`
/// makes `unrtf` drop the rest of the word), control characters dropped (no checked
/// field has one).
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii_control() => {}
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                let fallback = if ('\u{a0}'..='\u{ff}').contains(&c) {
                    c as u32
                } else {
                    u32::from(b'?')
                };
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{}\\'{fallback:02x}", *unit as i16);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_non_ascii_is_unicode() {
        let mut out = String::new();
        escape(&mut out, "a{b}\\ José 😀");
        assert_eq!(
            out,
            "a\\{b\\}\\\\ Jos\\u233\\'e9 \\u-10179\\'3f\\u-8704\\'3f"
        );
    }

    #[test]
    fn links_are_fields_and_pictures_are_sized_in_twips() {
        let png = [0x89, b'P', b'N', b'G'];
        let rtf = document(&[
            Block::Line(
                Style::Normal,
                vec![Run::Link {
                    url: "mailto:a@b.org".into(),
                    text: "a@b.org".into(),
                }],
            ),
            Block::Picture {
                png: &png,
                pixels: (1200, 200),
                display: (600, 100),
            },
        ]);
        assert!(rtf.starts_with("{\\rtf1\\ansi"));
        assert!(rtf.contains(
            "{\\field{\\*\\fldinst{HYPERLINK \"mailto:a@b.org\"}}{\\fldrslt{\\ul\\cf3 a@b.org}}}"
        ));
        assert!(rtf
            .contains("\\pngblip\\picw1200\\pich200\\picwgoal9000\\pichgoal1500\r\n89504e47\r\n}"));
        assert!(rtf.is_ascii());
        assert_eq!(rtf.matches('{').count(), rtf.matches('}').count());
    }
}
