//! `--print-reg FILE.reg`: the registry values `--set-default` would set, as a file IT
//! can read, sign off and import (`reg import FILE.reg`, or double-click): regedit's
//! format 5.00, UTF-16 LE with a BOM and CRLF, as regedit itself exports.
//!
//! A `.reg` file is lines: a key is `[its path]` on a line of its own, a value
//! `"name"="data"`. Keys come from the registry (a profile's name is whatever made it),
//! so a key, a name or a value holding a line break or another control character is
//! refused: written as it is, it would end its line and start lines sigblock did not mean.

use super::RegValue;
use crate::output::windows_text;

/// A key, value name or value that cannot stand on its line of a `.reg` file.
#[derive(Debug, thiserror::Error)]
#[error(
    "the registry {what} {} holds a line break or a control character, which a .reg file \
     cannot carry; sigblock does not write it (rename the Outlook profile, or leave out \
     --print-reg)",
    crate::text::Shown(value)
)]
pub(crate) struct Unwritable {
    what: &'static str,
    value: String,
}

/// The `.reg` file setting `values` (REG_SZ), grouped by key in the order given.
pub(crate) fn file(values: &[RegValue]) -> Result<Vec<u8>, Unwritable> {
    let mut text = String::from("Windows Registry Editor Version 5.00\n");
    let mut key: Option<&str> = None;
    for value in values {
        one_line("key", &value.key)?;
        one_line("value name", &value.name)?;
        one_line("value", &value.data)?;
        if key != Some(value.key.as_str()) {
            let full = match value.key.strip_prefix(r"HKCU\") {
                Some(rest) => format!(r"HKEY_CURRENT_USER\{rest}"),
                None => value.key.clone(),
            };
            text.push_str(&format!("\n[{full}]\n"));
            key = Some(&value.key);
        }
        text.push_str(&format!(
            "\"{}\"=\"{}\"\n",
            quote(&value.name),
            quote(&value.data)
        ));
    }
    text.push('\n');
    Ok(windows_text(&text))
}

fn one_line(what: &'static str, value: &str) -> Result<(), Unwritable> {
    if value
        .chars()
        .any(|c| c.is_control() || crate::text::is_line_break(c))
    {
        return Err(Unwritable {
            what,
            value: value.to_owned(),
        });
    }
    Ok(())
}

/// A string in a .reg file: `\` and `"` escaped with `\`.
fn quote(text: &str) -> String {
    text.replace('\\', r"\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(key: &str, name: &str, data: &str) -> RegValue {
        RegValue {
            key: key.into(),
            name: name.into(),
            data: data.into(),
        }
    }

    #[test]
    fn a_reg_file_is_utf16_with_its_header_keys_and_escaped_strings() {
        let bytes = file(&[
            value(r"HKCU\A\1", "New Signature", "CDSS - José \"J\" \\ Núñez"),
            value(r"HKCU\A\1", "Reply-Forward Signature", "r"),
            value(r"HKCU\A\2", "New Signature", "n"),
        ])
        .unwrap();
        assert_eq!(&bytes[..2], [0xFF, 0xFE]);
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let text = String::from_utf16(&units).unwrap();
        assert_eq!(
            text,
            "Windows Registry Editor Version 5.00\r\n\r\n\
             [HKEY_CURRENT_USER\\A\\1]\r\n\
             \"New Signature\"=\"CDSS - José \\\"J\\\" \\\\ Núñez\"\r\n\
             \"Reply-Forward Signature\"=\"r\"\r\n\r\n\
             [HKEY_CURRENT_USER\\A\\2]\r\n\"New Signature\"=\"n\"\r\n\r\n"
        );
    }

    #[test]
    fn a_key_that_would_break_out_of_its_line_is_refused() {
        let planted =
            "HKCU\\Software\\Profiles\\x]\r\n[HKEY_CURRENT_USER\\Run]\r\n\"evil\"=\"calc\"\r\n[y";
        let error = file(&[value(planted, "New Signature", "n")])
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("the registry key \""), "{error}");
        assert!(!error.contains('\r') && !error.contains('\n'), "{error}");
        assert!(file(&[value(r"HKCU\A", "New Signature", "a\u{2028}b")]).is_err());
        assert!(file(&[value(r"HKCU\A", "New\u{1b}", "a")]).is_err());
    }
}
