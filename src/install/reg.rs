//! `--print-reg FILE.reg`: the registry values `--set-default` would set, as a file IT
//! can read, sign off and import (`reg import FILE.reg`, or double-click): regedit's
//! format 5.00, UTF-16 LE with a BOM and CRLF, as regedit itself exports.

use super::RegValue;

/// The `.reg` file setting `values` (REG_SZ), grouped by key in the order given.
pub(crate) fn file(values: &[RegValue]) -> Vec<u8> {
    let mut text = String::from("Windows Registry Editor Version 5.00\r\n");
    let mut key: Option<&str> = None;
    for value in values {
        if key != Some(value.key.as_str()) {
            let full = match value.key.strip_prefix(r"HKCU\") {
                Some(rest) => format!(r"HKEY_CURRENT_USER\{rest}"),
                None => value.key.clone(),
            };
            text.push_str(&format!("\r\n[{full}]\r\n"));
            key = Some(&value.key);
        }
        text.push_str(&format!(
            "\"{}\"=\"{}\"\r\n",
            quote(&value.name),
            quote(&value.data)
        ));
    }
    text.push_str("\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// A string in a .reg file: `\` and `"` escaped with `\`.
fn quote(text: &str) -> String {
    text.replace('\\', r"\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reg_file_is_utf16_with_its_header_keys_and_escaped_strings() {
        let value = |key: &str, name: &str, data: &str| RegValue {
            key: key.into(),
            name: name.into(),
            data: data.into(),
        };
        let bytes = file(&[
            value(r"HKCU\A\1", "New Signature", "CDSS - José \"J\" \\ Núñez"),
            value(r"HKCU\A\1", "Reply-Forward Signature", "r"),
            value(r"HKCU\A\2", "New Signature", "n"),
        ]);
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
}
