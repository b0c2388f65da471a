//! The files an office hands sigblock (units, campaign, banner SVG, logo, pictures, the
//! banner cache, the staff CSV): opened without waiting, checked by their own metadata,
//! read within a size cap.

use std::io;
use std::path::Path;

use super::words::{kind, size_words};

/// A text file an office hands sigblock (units, campaign, banner SVG): a regular file
/// only, at most `max` bytes, UTF-8. See [`read_bytes`].
pub(crate) fn read_text(path: &Path, max: u64) -> io::Result<String> {
    String::from_utf8(read_bytes(path, max)?)
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidData))
}

/// A file an office hands sigblock (a text file, a logo, an image beside a campaign's
/// SVG, a cached banner): a regular file only (a FIFO would wait forever, `/dev/zero`
/// never end), at most `max` bytes. What is opened is what is checked: the file is
/// opened without waiting (a FIFO opens at once, then is refused) and its own metadata
/// is read, so nothing can be swapped in between the check and the read.
pub(crate) fn read_bytes(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let (file, meta) = open_input(path)?;
    if meta.is_dir() {
        return Err(io::Error::from(io::ErrorKind::IsADirectory));
    }
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", kind(&meta)),
        ));
    }
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "it is larger than {}, far more than such a file needs",
                size_words(max)
            ),
        ));
    }
    Ok(bytes)
}

/// Opens a file handed to sigblock without waiting, with its own metadata (not the
/// path's: nothing can be swapped in between), for the caller to refuse what is not a
/// regular file. A FIFO opens at once here instead of waiting for a writer.
pub(crate) fn open_input(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        // Windows will not open a folder as a file: say what it is, not "access denied".
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => io::Error::from(io::ErrorKind::IsADirectory),
            _ => e,
        }
    })?;
    let meta = file.metadata()?;
    Ok((file, meta))
}
