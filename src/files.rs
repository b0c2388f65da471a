//! The floor every writer stands on: atomic writes, sigblock's own temporary files, and
//! preparing an output folder. Nothing here knows what a signature is.
//!
//! Every file is written atomically: a temporary file in the same folder, then a rename,
//! so a crash never leaves a half-written file under its name.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::WriteError;

const TEMP_PREFIX: &str = ".sigblock-";
const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename,
/// so `path` is either absent, the old file, or the whole new file — never a part.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = temporary_in(dir)?;
    file.write_all(bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file in `dir`, named so [`remove_stale_temporaries`] knows it, readable
/// like any other file once renamed (tempfile's default is owner-only).
fn temporary_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The process umask still applies, as for any file the person creates.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Removes temporary files a killed run left behind in `dir` (ours only, by name).
pub(crate) fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Makes `dir` (and its parents) for output, naming it if that fails.
pub(crate) fn prepare_dir(dir: &Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir).map_err(WriteError::at(dir))?;
    remove_stale_temporaries(dir);
    Ok(())
}

/// A file written whole at the end of a run, streamed into a temporary file until then
/// (a batch's report and gallery): its name holds the old file, or the new one whole.
pub(crate) struct Staged {
    file: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Staged {
    pub(crate) fn new(dir: &Path, name: &str) -> Result<Staged, WriteError> {
        let path = dir.join(name);
        let file = temporary_in(dir).map_err(WriteError::at(&path))?;
        Ok(Staged { file, path })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn put(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.file
            .write_all(bytes)
            .map_err(WriteError::at(&self.path))
    }

    pub(crate) fn persist(self) -> Result<(), WriteError> {
        let Staged { file, path } = self;
        file.persist(&path).map_err(|e| WriteError {
            path,
            source: e.error,
        })?;
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
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
    fn stale_temporaries_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".sigblock-x.tmp"), "half").unwrap();
        std::fs::write(dir.path().join("keep.tmp"), "mine").unwrap();
        remove_stale_temporaries(dir.path());
        assert!(!dir.path().join(".sigblock-x.tmp").exists());
        assert!(dir.path().join("keep.tmp").exists());
    }
}
