//! sigblock's own folder inside an output folder (`.sigblock/`): made only where nothing
//! else stands, its files only regular files (a link planted there would send writes and
//! deletions elsewhere), its lock, and the temporaries a killed run left. Its permissions
//! follow the output folder's, so a folder colleagues share stays one they can all write.

use std::fs::{self, File, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::words::{kind, Refusal};
use crate::text::ShownPath;

/// sigblock's own folder inside an output folder.
pub(crate) const STATE: &str = ".sigblock";

/// Why a folder cannot be written into at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FolderError {
    #[error("cannot write {}", ShownPath(path))]
    Create { path: PathBuf, source: io::Error },
    #[error(
        "another sigblock run is writing into {}; run again when it has finished",
        ShownPath(path)
    )]
    Busy { path: PathBuf },
    /// sigblock's record in a shared folder was made by someone else, who alone may
    /// write into it.
    #[error(
        "{} keeps sigblock's record of the signatures in {}, and it belongs to {owner}: \
         you cannot write into it. Ask {owner} to let the folder's group write it \
         (chmod -R g+w {}), or to delete it (sigblock then treats the signatures there as \
         not its own), or choose another --out",
        ShownPath(state),
        ShownPath(folder),
        ShownPath(state)
    )]
    NotYours {
        state: PathBuf,
        folder: PathBuf,
        owner: String,
    },
    #[error(transparent)]
    Refused(#[from] Refusal),
}

/// Makes `dir` (sigblock's own folder, or one in it) unless it is there, with the
/// permissions of the output folder `like`; refuses anything there that is not a real
/// folder.
pub(super) fn own_dir(dir: &Path, like: &Metadata) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(meta) => Err(io::Error::other(format!(
            "{} is {}, not sigblock's folder; move it away",
            ShownPath(dir),
            kind(&meta)
        ))),
        // Another run may make it at the same moment: theirs is as good as ours.
        Err(_) => match fs::create_dir(dir) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match fs::symlink_metadata(dir) {
                Ok(meta) if meta.is_dir() => Ok(()),
                _ => Err(e),
            },
            Err(e) => Err(e),
            Ok(()) => {
                follow(dir, like, true);
                Ok(())
            }
        },
    }
}

/// Gives a file or folder sigblock made in its own folder the output folder's
/// permissions (a folder its group may write: so may the group here), beyond the umask.
pub(super) fn follow(path: &Path, like: &Metadata, dir: bool) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = like.permissions().mode() & if dir { 0o7777 } else { 0o666 };
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (path, like, dir);
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

/// Why sigblock's own folder `state` cannot be written, when it is because another user
/// made it (a shared folder): said as theirs, with what to do.
pub(super) fn not_yours(state: &Path, folder: &Path, error: &io::Error) -> Option<FolderError> {
    if error.kind() != io::ErrorKind::PermissionDenied {
        return None;
    }
    let owner = owner_of(&fs::symlink_metadata(state).ok()?)?;
    Some(FolderError::NotYours {
        state: state.to_owned(),
        folder: folder.to_owned(),
        owner,
    })
}

/// The name of the user who owns a file, when it is not the one running sigblock.
#[cfg(unix)]
fn owner_of(meta: &Metadata) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions.
    if meta.uid() == unsafe { libc::geteuid() } {
        return None;
    }
    let mut record = std::mem::MaybeUninit::<libc::passwd>::uninit();
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: every pointer is to memory we own and sized as passed; on success `found`
    // points at `record`, whose strings point into `buf`, both alive below.
    let status = unsafe {
        libc::getpwuid_r(
            meta.uid(),
            record.as_mut_ptr(),
            buf.as_mut_ptr(),
            buf.len(),
            &mut found,
        )
    };
    if status == 0 && !found.is_null() {
        // SAFETY: `found` is `record`, filled in by getpwuid_r, its name NUL-terminated.
        let name = unsafe { std::ffi::CStr::from_ptr((*found).pw_name) };
        return Some(name.to_string_lossy().into_owned());
    }
    Some(format!("the user with id {}", meta.uid()))
}

#[cfg(not(unix))]
fn owner_of(_meta: &Metadata) -> Option<String> {
    Some("another user".to_owned())
}

/// Takes the folder's lock, waiting up to `wait` for another run to let it go.
pub(super) fn lock(
    state: &Path,
    root: &Path,
    wait: Duration,
    like: &Metadata,
) -> Result<File, FolderError> {
    let path = state.join("lock");
    own_file(&path)?;
    let made = !path.exists();
    let file = match File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    {
        // A lock file another user made (a shared folder): holding it needs only reading.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && !made => File::open(&path),
        opened => opened,
    }
    .map_err(|source| match not_yours(state, root, &source) {
        Some(theirs) => theirs,
        None => FolderError::Create {
            path: path.clone(),
            source,
        },
    })?;
    if made {
        follow(&path, like, false);
    }
    let deadline = Instant::now() + wait;
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                if !said {
                    // In full: `--out two.html` has the folder "." (said as such, it names nothing).
                    let folder = std::path::absolute(root).unwrap_or_else(|_| root.to_owned());
                    note!(
                        "waiting for another sigblock run to finish writing into {}",
                        ShownPath(&folder)
                    );
                    said = true;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(FolderError::Busy {
                    path: std::path::absolute(root).unwrap_or_else(|_| root.to_owned()),
                })
            }
            Err(fs::TryLockError::Error(source)) => {
                return Err(FolderError::Create { path, source })
            }
        }
    }
}

/// Removes what a killed run left in sigblock's temporaries folder (regular files only),
/// except what `keep` names: this run's own inputs, should someone have put one there.
pub(super) fn clear(tmp: &Path, keep: &dyn Fn(&Path) -> bool) {
    for entry in fs::read_dir(tmp).into_iter().flatten().flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_file()) && !keep(&path) {
            let _ = fs::remove_file(path);
        }
    }
}
