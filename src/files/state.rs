//! sigblock's own folder inside an output folder (`.sigblock/`): made only where nothing
//! else stands, its files only regular files (a link planted there would send writes and
//! deletions elsewhere), its lock, and the temporaries a killed run left.

use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use super::owned::FolderError;
use super::{kind, Refusal};

/// sigblock's own folder inside an output folder.
pub(super) const STATE: &str = ".sigblock";

/// Makes `dir` unless it is there; refuses anything there that is not a real folder.
pub(super) fn own_dir(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(meta) => Err(io::Error::other(format!(
            "{} is {}, not sigblock's folder; move it away",
            dir.display(),
            kind(&meta)
        ))),
        // Another run may make it at the same moment: theirs is as good as ours.
        Err(_) => match fs::create_dir(dir) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match fs::symlink_metadata(dir) {
                Ok(meta) if meta.is_dir() => Ok(()),
                _ => Err(e),
            },
            made => made,
        },
    }
}

/// Refuses anything but a regular file (or nothing) at one of sigblock's own files.
pub(super) fn own_file(path: &Path) -> Result<(), Refusal> {
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_file() => Err(Refusal::NotAFile {
            path: path.to_owned(),
            what: kind(&meta),
        }),
        _ => Ok(()),
    }
}

/// Takes the folder's lock, waiting up to `wait` for another run to let it go.
pub(super) fn lock(state: &Path, root: &Path, wait: Duration) -> Result<File, FolderError> {
    let path = state.join("lock");
    own_file(&path)?;
    let file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| FolderError::Create {
            path: path.clone(),
            source,
        })?;
    let deadline = Instant::now() + wait;
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                if !said {
                    note!(
                        "waiting for another sigblock run to finish writing into {}",
                        root.display()
                    );
                    said = true;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(FolderError::Busy {
                    path: root.to_owned(),
                })
            }
            Err(fs::TryLockError::Error(source)) => {
                return Err(FolderError::Create { path, source })
            }
        }
    }
}

/// Removes what a killed run left in sigblock's temporaries folder (regular files only).
pub(super) fn clear(tmp: &Path) {
    for entry in fs::read_dir(tmp).into_iter().flatten().flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}
