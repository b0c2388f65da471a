//! What went wrong with a file, in plain words: the refusals of the output folder, and
//! the OS's errors said without their numbers or a temporary file's path. The leaf of
//! `files/`: everything else there says its errors through this.

use std::io;
use std::path::PathBuf;

use crate::text::ShownPath;

/// Why a file was not written. Each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(
        "{} is not a file sigblock made, or it was changed since; move it away, \
         or run again with --force to replace it",
        ShownPath(path)
    )]
    NotOurs { path: PathBuf },
    /// Another person's signature (the folder's record says whose) where this one's goes.
    #[error(
        "{} is the signature of {theirs}, not of {yours}: both names give the file name \
         {stem}. To keep both, make this one in another folder (--out OTHER-FOLDER); to \
         replace theirs, run again with --force",
        ShownPath(path)
    )]
    Theirs {
        path: PathBuf,
        theirs: String,
        yours: String,
        stem: String,
    },
    #[error(
        "{} is read-only; sigblock does not replace it (make it writable, or choose \
         another --out)",
        ShownPath(path)
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "{} is {what}; sigblock writes only regular files (move it away, or choose \
         another --out)",
        ShownPath(path)
    )]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "{} is one of this run's inputs; sigblock never writes over its inputs \
         (choose another --out)",
        ShownPath(path)
    )]
    Input { path: PathBuf },
    /// The OS said no; said in plain words (the error is kept, not chained: its own
    /// text would say it again, with a temporary file's path).
    #[error("cannot write {}: {}", ShownPath(path), plain(cause))]
    Io { path: PathBuf, cause: io::Error },
    /// One of a signature's files could not be replaced: the others, already put in
    /// place, were put back as they were.
    #[error(
        "cannot replace {}: {}; none of this signature's files were changed",
        ShownPath(path),
        plain(cause)
    )]
    Kept { path: PathBuf, cause: io::Error },
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
