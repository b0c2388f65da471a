//! The floor every writer stands on. Nothing here knows what a signature is.
//!
//! - [`OutputFolder`]: a folder sigblock writes into and owns what it made there. It
//!   records each file it makes (with its hash) in `.sigblock/`, replaces or removes
//!   only its own unchanged files, writes only regular files, never an input, never
//!   through a symbolic link, one run at a time (an advisory lock).
//! - [`write_atomic`]: a whole file or nothing, for places sigblock does not own (the
//!   banner cache).

mod owned;
mod record;
mod staged;
mod state;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub(crate) use owned::{Finished, FolderError, OutputFolder, Ownership, Staged};

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename,
/// so `path` is either absent, the old file, or the whole new file — never a part.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = temporary_in(dir)?;
    file.write_all(bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file in `dir`, readable like any other file once renamed (tempfile's
/// default is owner-only; the process umask still applies).
fn temporary_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".sigblock-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Why a file was not written. Each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(
        "{} is not a file sigblock made, or it was changed since; move it away, \
         or run again with --force to replace it",
        path.display()
    )]
    NotOurs { path: PathBuf },
    #[error(
        "{} is read-only; sigblock does not replace it (make it writable, or choose \
         another --out)",
        path.display()
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "{} is {what}; sigblock writes only regular files (move it away, or choose \
         another --out)",
        path.display()
    )]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "{} is one of this run's inputs; sigblock never writes over its inputs \
         (choose another --out)",
        path.display()
    )]
    Input { path: PathBuf },
    /// The OS said no; said in plain words (the error is kept, not chained: its own
    /// text would say it again, with a temporary file's path).
    #[error("cannot write {}: {}", path.display(), plain(cause))]
    Io { path: PathBuf, cause: io::Error },
}

impl Refusal {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Refusal {
        let path = path.into();
        move |cause| Refusal::Io { path, cause }
    }
}

/// What a file-system error means, in plain words: never a temporary file's path or
/// a bare error number (for the rare rest, the system's own sentence without them).
pub(crate) fn plain(error: &io::Error) -> String {
    use io::ErrorKind::*;
    // Windows: another program has the file open (ERROR_SHARING_VIOLATION, _LOCK_VIOLATION).
    if cfg!(windows) && matches!(os_code(error), Some(32 | 33)) {
        return "another program has the file open (close it, then run again)".into();
    }
    let words = match error.kind() {
        PermissionDenied => "permission denied (you cannot write there)",
        StorageFull => "the disk is full",
        QuotaExceeded => "your disk quota is used up",
        ReadOnlyFilesystem => "the disk is read-only",
        InvalidFilename => "the name is too long or not allowed on this disk",
        NotADirectory => "a file stands where a folder should be",
        IsADirectory => "a folder stands where the file should be",
        AlreadyExists => "something else already has that name",
        NotFound => "that folder does not exist and cannot be made",
        _ => return system_words(error),
    };
    words.to_owned()
}

/// The OS error number of `error`, or of the error it wraps (tempfile adds the path of
/// its temporary file around the system's error).
fn os_code(error: &io::Error) -> Option<i32> {
    error.raw_os_error().or_else(|| {
        let inner = std::error::Error::source(error.get_ref()?)?;
        inner.downcast_ref::<io::Error>()?.raw_os_error()
    })
}

/// The system's sentence for `error`, without " (os error N)" and without the path a
/// wrapper added: "Too many levels of symbolic links".
fn system_words(error: &io::Error) -> String {
    let text = match os_code(error) {
        Some(code) => io::Error::from_raw_os_error(code).to_string(),
        None => error.to_string(),
    };
    let text = text.split(" at path ").next().unwrap_or(&text);
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => text,
    };
    let mut words = text.trim().trim_end_matches('.').to_owned();
    if let Some(first) = words.get(..1) {
        let lower = first.to_lowercase();
        words.replace_range(..1, &lower);
    }
    words
}

/// Why a file could not be read, in plain words (no OS error number).
pub(crate) fn reading(error: &io::Error) -> String {
    use io::ErrorKind::*;
    match error.kind() {
        // read_text's own refusals say themselves.
        InvalidInput | FileTooLarge => error.to_string(),
        NotFound => "there is no such file (check the name and folder)".into(),
        PermissionDenied => "permission denied (you cannot read it)".into(),
        IsADirectory => "it is a folder, not a file".into(),
        InvalidData => "it is not UTF-8 text".into(),
        _ => plain(error),
    }
}

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

/// "8 MB", "512 KB": a size limit in words.
pub(crate) fn size_words(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// What kind of thing stands at a path, in words, when it is not a regular file.
pub(crate) fn kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_symlink() {
        return "a symbolic link";
    }
    if t.is_dir() {
        return "a folder";
    }
    if t.is_file() {
        return "a file";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn os_errors_in_plain_words() {
        let full = io::Error::from_raw_os_error(28); // ENOSPC
        assert_eq!(plain(&full), "the disk is full");
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert!(plain(&denied).starts_with("permission denied"));
        #[cfg(unix)]
        {
            let loop_ = io::Error::from_raw_os_error(40); // ELOOP
            assert_eq!(plain(&loop_), "too many levels of symbolic links");
            // tempfile's wrapping, with the temporary's path: neither it nor the number.
            let wrapped = tempfile::Builder::new()
                .tempfile_in("/proc/sigblock-nowhere")
                .unwrap_err();
            let words = plain(&wrapped);
            assert!(
                !words.contains("os error") && !words.contains("/proc"),
                "{words}"
            );
        }
    }
}
