//! What a CSV file is written in: its encoding (UTF-8, UTF-16 with or without BOM, or
//! Windows-1252) and its delimiter (comma, semicolon or tab), recognised from its start
//! (and, for UTF-8 against Windows-1252, from counts over the whole file).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// UTF-8 (with or without BOM) unless the bytes say otherwise: a UTF-16 BOM or NUL
/// pattern in the file's start (`prefix`), or a whole file that cannot be UTF-8 at all:
/// it has bytes UTF-8 never has (`invalid`) and not one character only UTF-8 text means
/// (`multibyte`: an accented letter, Greek, Cyrillic, anything of three or four bytes),
/// which we take to be Windows-1252. A UTF-8 file with one stray byte stays
/// UTF-8: the row with the byte is refused, and every other row's accents are read right.
pub(super) fn sniff_encoding(prefix: &[u8], multibyte: u64, invalid: u64) -> &'static Encoding {
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return UTF_16LE;
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return UTF_16BE;
    }
    // UTF-16 without a BOM ("Unicode text" from some tools): ASCII text in it has a NUL
    // in every other byte, which UTF-8 text never has.
    let sample = &prefix[..prefix.len().min(1024)];
    let nuls_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nuls_at(0), nuls_at(1));
    if sample.len() >= 8 && odd * 3 > sample.len() && even == 0 {
        return UTF_16LE;
    }
    if sample.len() >= 8 && even * 3 > sample.len() && odd == 0 {
        return UTF_16BE;
    }
    if invalid > 0 && multibyte == 0 {
        WINDOWS_1252
    } else {
        UTF_8
    }
}

/// The delimiter that occurs most in the header line, outside quotes: `,`, `;` or tab.
pub(super) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            _ if !quoted => {
                for (delimiter, count) in &mut counts {
                    if c as u32 == u32::from(*delimiter) {
                        *count += 1;
                    }
                }
            }
            _ => {}
        }
    }
    // Ties (including none at all: a one-column file) go to the comma.
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}
