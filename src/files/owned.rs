//! An output folder sigblock owns, the way a package manager owns what it installed:
//! `.sigblock/` inside it holds the record of what sigblock made there (with hashes),
//! the lock that keeps one writer at a time, and the temporaries of the run that holds
//! the lock. A file is replaced or removed only when the record says sigblock made it
//! and it is unchanged since (or `--force` says so); only regular files are written,
//! never through a symbolic link, never over one of the run's inputs.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use same_file::Handle;

pub(crate) use super::staged::Staged;
use super::state::{clear, lock, own_dir, own_file, STATE};
use super::{kind, record, Refusal};

/// What a run tells the folder about itself.
#[derive(Default)]
pub(crate) struct Ownership {
    /// Replace files sigblock did not make (or that were changed since), and say so.
    pub(crate) force: bool,
    /// The files this run reads (CSV, units, campaign, logo): never written over.
    pub(crate) inputs: Vec<PathBuf>,
    /// How long to wait for another run that is writing into the same folder.
    pub(crate) wait: Duration,
}

/// Why a folder cannot be written into at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FolderError {
    #[error("cannot write {}", path.display())]
    Create { path: PathBuf, source: io::Error },
    #[error(
        "another sigblock run is writing into {}; run again when it has finished",
        path.display()
    )]
    Busy { path: PathBuf },
    #[error(transparent)]
    Refused(#[from] Refusal),
}

pub(crate) struct OutputFolder {
    root: PathBuf,
    state: PathBuf,
    tmp: PathBuf,
    /// Held for the whole run: one writer per folder.
    _lock: File,
    force: bool,
    inputs: Vec<(u64, Handle)>,
    /// Files an earlier run made: path fingerprint ─► (hash, rewritten by this run). Read
    /// by every writer thread at once: no lock, the flag is atomic.
    made: HashMap<u64, (u64, AtomicBool)>,
    /// Opened to append: each write of a few lines lands whole, from any thread.
    journal: File,
    forced: Mutex<Vec<PathBuf>>,
}

/// What finishing a run did besides writing.
#[derive(Debug, Default)]
pub(crate) struct Finished {
    /// Files an earlier run made that this one did not, removed.
    pub(crate) removed: usize,
    /// Files sigblock had not made, replaced because of `--force`.
    pub(crate) forced: Vec<PathBuf>,
}

impl OutputFolder {
    /// Makes the folder if need be, takes its lock (waiting up to `ownership.wait` for
    /// another run), clears the temporaries a killed run left, reads the record, and
    /// refuses the run when an input is where an output could go (`may_write`).
    pub(crate) fn open(
        root: &Path,
        ownership: Ownership,
        may_write: &dyn Fn(&str) -> bool,
    ) -> Result<OutputFolder, FolderError> {
        // Whatever of sigblock's own files cannot be made, the person hears about the
        // folder they named.
        let create = |_: &Path| {
            let path = root.to_owned();
            move |source| FolderError::Create { path, source }
        };
        fs::create_dir_all(root).map_err(create(root))?;
        // sigblock's own folder and what is in it must be what sigblock put there: a link
        // planted in their place would send its writes and deletions elsewhere.
        let state = root.join(STATE);
        own_dir(&state).map_err(create(&state))?;
        let lock = lock(&state, root, ownership.wait)?;
        let tmp = state.join("tmp");
        own_dir(&tmp).map_err(create(&tmp))?;
        clear(&tmp);

        let manifest = state.join("manifest");
        let journal = state.join("journal");
        own_file(&manifest)?;
        own_file(&journal)?;
        if let Some(lines) = record::recover(&manifest, &journal, root).map_err(create(&journal))? {
            let mut file = tempfile::NamedTempFile::new_in(&tmp).map_err(create(&manifest))?;
            record::write_all(&mut file, &lines).map_err(create(&manifest))?;
            file.persist(&manifest)
                .map_err(|e| create(&manifest)(e.error))?;
            fs::remove_file(&journal).map_err(create(&journal))?;
        }
        let mut made = HashMap::new();
        record::each_line(&manifest, |hash, rel| {
            made.insert(record::fingerprint(rel), (hash, AtomicBool::new(false)));
        })
        .map_err(create(&manifest))?;
        let mut journal_file = File::options()
            .append(true)
            .create_new(true)
            .open(&journal)
            .map_err(create(&journal))?;
        record::write_all(&mut journal_file, b"").map_err(create(&journal))?;

        let inputs = ownership
            .inputs
            .iter()
            .filter_map(|p| Some((fs::metadata(p).ok()?.len(), Handle::from_path(p).ok()?)))
            .collect();
        let folder = OutputFolder {
            root: root.to_owned(),
            state,
            tmp,
            _lock: lock,
            force: ownership.force,
            inputs,
            made,
            journal: journal_file,
            forced: Mutex::new(Vec::new()),
        };
        folder.refuse_inputs_in_the_way(may_write)?;
        Ok(folder)
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// A scratch file in sigblock's own temporaries folder, gone when dropped.
    pub(crate) fn scratch(&self) -> Result<File, Refusal> {
        tempfile::tempfile_in(&self.tmp).map_err(Refusal::io(&self.tmp))
    }

    /// Writes a person's files, all or none refused: every target is checked before the
    /// first is written. Returns their paths.
    pub(crate) fn write_all(&self, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, Refusal> {
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let hashes: Vec<u64> = files.iter().map(|(_, bytes)| record::hash(bytes)).collect();
        let mut paths = Vec::with_capacity(files.len());
        for ((rel, _), &hash) in files.iter().zip(&hashes) {
            paths.push(self.claim(rel, Some(hash))?);
        }
        let mut temporaries = Vec::with_capacity(files.len());
        for ((_, bytes), path) in files.iter().zip(&paths) {
            let mut file = self.temporary(path)?;
            file.write_all(bytes).map_err(Refusal::io(path))?;
            temporaries.push(file);
        }
        // One journal write for the whole set, then the renames.
        let lines: String = files
            .iter()
            .zip(&hashes)
            .map(|((rel, _), &hash)| record::line(hash, rel))
            .collect();
        self.journal(&lines, &paths[0])?;
        for ((file, (rel, _)), path) in temporaries.into_iter().zip(files).zip(&paths) {
            self.put(file, rel, path)?;
        }
        Ok(paths)
    }

    /// Starts a file that is written whole at the end; refuses at once when it could
    /// not be put in place.
    pub(crate) fn stage(&self, rel: &str) -> Result<Staged, Refusal> {
        let path = self.claim(rel, None)?;
        Ok(Staged {
            file: io::BufWriter::with_capacity(64 * 1024, self.temporary(&path)?),
            rel: rel.to_owned(),
            path,
            hasher: blake3::Hasher::new(),
        })
    }

    /// Puts a staged file in place.
    pub(crate) fn commit(&self, staged: Staged) -> Result<PathBuf, Refusal> {
        let path = self.claim(&staged.rel, None)?;
        let hash = u64::from_le_bytes(
            staged.hasher.finalize().as_bytes()[..8]
                .try_into()
                .expect("8 bytes"),
        );
        let file = staged
            .file
            .into_inner()
            .map_err(|e| Refusal::io(&path)(e.into_error()))?;
        self.journal(&record::line(hash, &staged.rel), &path)?;
        self.put(file, &staged.rel, &path)?;
        Ok(path)
    }

    /// For [`OutputFolder::finish`]: a run that removes nothing.
    pub(crate) const KEEP: &'static dyn Fn(&str) -> bool = &|_| false;

    /// Ends the run: removes the files an earlier run made that this one did not write
    /// and that `stale` says are no longer wanted (still unchanged: a person's edit is
    /// theirs); then the record becomes what is in the folder.
    pub(crate) fn finish(self, stale: &dyn Fn(&str) -> bool) -> Result<Finished, FolderError> {
        let manifest = self.state.join("manifest");
        let journal = self.state.join("journal");
        let create = |source| FolderError::Create {
            path: manifest.clone(),
            source,
        };
        let made = self.made;
        let mut journal_file = self.journal;
        let mut removed = 0;
        let mut kept = Vec::new();
        record::each_line(&manifest, |hash, rel| {
            let rewritten = made
                .get(&record::fingerprint(rel))
                .is_none_or(|(_, rewritten)| rewritten.load(Ordering::Relaxed));
            if rewritten {
                return; // rewritten by this run: its journal line says so
            }
            let path = self.root.join(rel);
            let unchanged = fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
                && record::hash_file(&path) == Some(hash);
            if !unchanged {
                return; // gone, or a person's now: no longer ours
            }
            if stale(rel) && fs::remove_file(&path).is_ok() {
                removed += 1;
                if let Some(parent) = Path::new(rel)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                {
                    let _ = fs::remove_dir(self.root.join(parent)); // only when empty
                }
            } else {
                kept.extend_from_slice(record::line(hash, rel).as_bytes());
            }
        })
        .map_err(create)?;
        journal_file.write_all(&kept).map_err(create)?;
        drop(journal_file);
        fs::rename(&journal, &manifest).map_err(create)?;
        Ok(Finished {
            removed,
            forced: self.forced.into_inner().expect("not poisoned"),
        })
    }

    /// Whether `rel` may be written: nothing there, or a regular, writable file that
    /// sigblock made and nobody changed since (or that already holds exactly `new`, or
    /// `--force`). Folders on the way must be real folders inside this one.
    fn claim(&self, rel: &str, new: Option<u64>) -> Result<PathBuf, Refusal> {
        let path = self.root.join(rel);
        if let Some(parent) = Path::new(rel)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            let dir = self.root.join(parent);
            match fs::symlink_metadata(&dir) {
                Ok(meta) if meta.is_dir() => {}
                Ok(meta) => {
                    return Err(Refusal::NotAFile {
                        path: dir,
                        what: kind(&meta),
                    })
                }
                Err(_) => fs::create_dir(&dir).map_err(Refusal::io(&dir))?,
            }
        }
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(path),
            Err(e) => return Err(Refusal::io(&path)(e)),
        };
        if !meta.is_file() {
            return Err(Refusal::NotAFile {
                path,
                what: kind(&meta),
            });
        }
        if self.is_input(&path, meta.len()) {
            return Err(Refusal::Input { path });
        }
        if meta.permissions().readonly() {
            return Err(Refusal::ReadOnly { path });
        }
        let recorded = self
            .made
            .get(&record::fingerprint(rel))
            .map(|(hash, _)| *hash);
        let on_disk = record::hash_file(&path);
        if on_disk.is_some() && (on_disk == recorded || on_disk == new) {
            return Ok(path);
        }
        if self.force {
            self.forced.lock().expect("not poisoned").push(path.clone());
            return Ok(path);
        }
        Err(Refusal::NotOurs { path })
    }

    fn is_input(&self, path: &Path, len: u64) -> bool {
        self.inputs
            .iter()
            .any(|(l, handle)| *l == len && Handle::from_path(path).is_ok_and(|h| h == *handle))
    }

    /// A temporary file in sigblock's own folder, for `path`.
    fn temporary(&self, path: &Path) -> Result<tempfile::NamedTempFile, Refusal> {
        super::temporary_in(&self.tmp).map_err(Refusal::io(path))
    }

    /// Records files in the journal before they are renamed into place: a run killed in
    /// between leaves a journal line the file does not match, which the next run ignores.
    fn journal(&self, lines: &str, path: &Path) -> Result<(), Refusal> {
        (&self.journal)
            .write_all(lines.as_bytes())
            .map_err(Refusal::io(path))
    }

    /// Renames a journalled temporary into place.
    fn put(&self, file: tempfile::NamedTempFile, rel: &str, path: &Path) -> Result<(), Refusal> {
        file.persist(path).map_err(|e| Refusal::io(path)(e.error))?;
        if let Some((_, rewritten)) = self.made.get(&record::fingerprint(rel)) {
            rewritten.store(true, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Refuses the run when one of its inputs stands where an output could go (the same
    /// file, by identity, not by name), before anything is written.
    fn refuse_inputs_in_the_way(&self, may_write: &dyn Fn(&str) -> bool) -> Result<(), Refusal> {
        if self.inputs.is_empty() {
            return Ok(());
        }
        let Ok(entries) = fs::read_dir(&self.root) else {
            return Ok(());
        };
        let check = |rel: String, meta: fs::Metadata| {
            let path = self.root.join(&rel);
            if may_write(&rel) && meta.is_file() && self.is_input(&path, meta.len()) {
                return Err(Refusal::Input { path });
            }
            Ok(())
        };
        for entry in entries.flatten() {
            let (Ok(name), Ok(meta)) = (entry.file_name().into_string(), entry.metadata()) else {
                continue;
            };
            if meta.is_dir() && name.ends_with("_files") {
                for inner in fs::read_dir(entry.path()).into_iter().flatten().flatten() {
                    if let (Ok(file), Ok(meta)) =
                        (inner.file_name().into_string(), inner.metadata())
                    {
                        check(format!("{name}/{file}"), meta)?;
                    }
                }
            } else {
                check(name, meta)?;
            }
        }
        Ok(())
    }
}
