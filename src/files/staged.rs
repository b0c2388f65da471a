//! A file written whole at the end of a run (a batch's report and gallery): streamed
//! into a temporary file in sigblock's own folder, hashed as it goes, and put in place by
//! [`super::OutputFolder::commit`].

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::words::Refusal;

/// A file written whole at the end of a run (a batch's report and gallery), streamed
/// into a temporary file until then.
pub(crate) struct Staged {
    /// Buffered: a batch adds a card or a report line per row.
    pub(super) file: io::BufWriter<tempfile::NamedTempFile>,
    pub(super) rel: String,
    pub(super) path: PathBuf,
    pub(super) hasher: blake3::Hasher,
}

impl Staged {
    /// Where the file goes once committed.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn put(&mut self, bytes: &[u8]) -> Result<(), Refusal> {
        self.hasher.update(bytes);
        self.file.write_all(bytes).map_err(Refusal::io(&self.path))
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}
