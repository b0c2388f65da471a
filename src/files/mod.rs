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

pub(crate) use owned::{Finished, OutputFolder, Ownership, Staged};

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

/// What a file-system error means, in plain words (the OS's own text for the rare rest).
pub(crate) fn plain(error: &io::Error) -> String {
    use io::ErrorKind::*;
    let words = match error.kind() {
        PermissionDenied => "permission denied (the folder or file is not writable by you)",
        StorageFull => "the disk is full",
        QuotaExceeded => "your disk quota is used up",
        ReadOnlyFilesystem => "the disk is read-only",
        InvalidFilename => "the name is too long or not allowed on this disk",
        NotADirectory => "a file stands where a folder should be",
        IsADirectory => "a folder stands where the file should be",
        AlreadyExists => "something else already has that name",
        NotFound => "the folder does not exist",
        _ => return error.to_string(),
    };
    words.to_owned()
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
    }
}
