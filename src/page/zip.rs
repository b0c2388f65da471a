//! A zip of a few small files, stored (not compressed), for the page's classic Outlook
//! download: its folder (`N_files/`) kept, which separate downloads would lose. Names in
//! UTF-8, flagged as such (bit 11), as Windows' Explorer, 7-Zip and unzip read them; every
//! date 1980-01-01, so the same signature makes the same bytes.
//!
//! (The `zip` crate pulls in `getrandom`, which does not build for the page's target
//! without a JavaScript shim; what is written here is PKWARE's APPNOTE 4.3, stored
//! entries only.)

/// The general-purpose flag that says names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// 1980-01-01 00:00 in MS-DOS form.
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;
/// Version 2.0: what stored entries and folders need.
const VERSION: u16 = 20;
/// The MS-DOS attribute of a folder.
const DIRECTORY: u32 = 0x10;

/// A zip holding `files` (relative names with `/`, and their bytes), in order, each
/// folder on the way to one as an entry of its own before it.
pub fn stored(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut entries: Vec<(String, &[u8])> = Vec::new();
    for (name, bytes) in files {
        let mut at = 0;
        while let Some(slash) = name[at..].find('/') {
            let folder = &name[..at + slash + 1];
            if !entries.iter().any(|(n, _)| n == folder) {
                entries.push((folder.to_owned(), &[]));
            }
            at += slash + 1;
        }
        entries.push((name.clone(), bytes));
    }

    let mut zip = Vec::new();
    let mut central = Vec::new();
    for (name, bytes) in &entries {
        let offset = len32(zip.len());
        let crc = crc32fast::hash(bytes);
        let size = len32(bytes.len());
        let name_len = u16::try_from(name.len()).expect("a file name under 64 KB");
        // Local header.
        put32(&mut zip, 0x0403_4b50);
        for n in [VERSION, UTF8_NAMES, 0, DOS_TIME, DOS_DATE] {
            put16(&mut zip, n);
        }
        for n in [crc, size, size] {
            put32(&mut zip, n);
        }
        put16(&mut zip, name_len);
        put16(&mut zip, 0);
        zip.extend_from_slice(name.as_bytes());
        zip.extend_from_slice(bytes);
        // Its central directory entry.
        put32(&mut central, 0x0201_4b50);
        for n in [VERSION, VERSION, UTF8_NAMES, 0, DOS_TIME, DOS_DATE] {
            put16(&mut central, n);
        }
        for n in [crc, size, size] {
            put32(&mut central, n);
        }
        for n in [name_len, 0, 0, 0, 0] {
            put16(&mut central, n);
        }
        put32(
            &mut central,
            if name.ends_with('/') { DIRECTORY } else { 0 },
        );
        put32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_at = len32(zip.len());
    let count = u16::try_from(entries.len()).expect("fewer than 65,536 files");
    zip.extend_from_slice(&central);
    put32(&mut zip, 0x0605_4b50);
    for n in [0, 0, count, count] {
        put16(&mut zip, n);
    }
    put32(&mut zip, len32(central.len()));
    put32(&mut zip, central_at);
    put16(&mut zip, 0);
    zip
}

fn len32(len: usize) -> u32 {
    u32::try_from(len).expect("a signature's files stay far under 4 GB")
}

fn put16(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u16_at(b: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([b[at], b[at + 1]])
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    #[test]
    fn entries_folders_and_the_directory_are_where_the_end_record_says() {
        let files = vec![
            ("CDSS - José_files/banner.png".to_owned(), vec![1, 2, 3]),
            ("CDSS - José.htm".to_owned(), b"<p>hi</p>".to_vec()),
        ];
        let zip = stored(&files);
        let end = zip.len() - 22;
        assert_eq!(u32_at(&zip, end), 0x0605_4b50);
        assert_eq!(u16_at(&zip, end + 10), 3, "the folder, then the two files");
        let (size, at) = (
            u32_at(&zip, end + 12) as usize,
            u32_at(&zip, end + 16) as usize,
        );
        assert_eq!(at + size, end);
        // Walk the central directory: each entry's local header holds its bytes.
        let mut names = Vec::new();
        let mut p = at;
        while p < end {
            assert_eq!(u32_at(&zip, p), 0x0201_4b50);
            assert_eq!(u16_at(&zip, p + 8), UTF8_NAMES);
            let name_len = u16_at(&zip, p + 28) as usize;
            let name = String::from_utf8(zip[p + 46..p + 46 + name_len].to_vec()).unwrap();
            let local = u32_at(&zip, p + 42) as usize;
            assert_eq!(u32_at(&zip, local), 0x0403_4b50);
            let size = u32_at(&zip, local + 22) as usize;
            let data_at = local + 30 + u16_at(&zip, local + 26) as usize;
            let data = &zip[data_at..data_at + size];
            assert_eq!(crc32fast::hash(data), u32_at(&zip, p + 16));
            if let Some((_, bytes)) = files.iter().find(|(n, _)| *n == name) {
                assert_eq!(data, &bytes[..]);
            }
            names.push(name);
            p += 46 + name_len;
        }
        assert_eq!(
            names,
            [
                "CDSS - José_files/",
                "CDSS - José_files/banner.png",
                "CDSS - José.htm"
            ]
        );
        assert_eq!(stored(&files), zip, "the same files make the same bytes");
    }
}
