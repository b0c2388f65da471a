//! An output folder sigblock owns, the way a package manager owns what it installed:
//! `.sigblock/` inside it holds the record of what sigblock made there (which run, for
//! whom, with hashes), the lock that keeps one writer at a time, and the temporaries of
//! the run that holds the lock.
//!
//! - A file is replaced or removed only when the record says sigblock made it and it is
//!   unchanged since (or `--force` says so); another person's signature (the record says
//!   whose) is not replaced by someone else's without `--force`.
//! - Only regular files are written or removed, never through a symbolic link at any
//!   depth below the folder, never over one of the run's inputs.
//! - A person's files change all together or not at all: each is put in place by a
//!   rename, and should one fail, those already replaced are put back.
//! - A batch removes only what earlier runs of the same staff list made.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use same_file::Handle;

use super::atomic::temporary_in;
use super::record::{self, Index, Line, Recorded};
pub(crate) use super::record::{Owner, Source};
pub(crate) use super::staged::Staged;
use super::state::{clear, follow, lock, not_yours, own_dir, own_file, FolderError, STATE};
use super::words::{kind, Refusal};
use crate::person::Identity;

/// What a run tells the folder about itself.
pub(crate) struct Ownership {
    /// Which run this is: a batch removes only what its own staff list made.
    pub(crate) source: Source,
    /// Replace files sigblock did not make (or that were changed since), or another
    /// person's signature, and say so.
    pub(crate) force: bool,
    /// The files this run reads (CSV, units, campaign, logo): never written over.
    pub(crate) inputs: Vec<PathBuf>,
    /// How long to wait for another run that is writing into the same folder.
    pub(crate) wait: Duration,
}

impl Default for Ownership {
    fn default() -> Ownership {
        Ownership {
            source: Source::OneByOne,
            force: false,
            inputs: Vec::new(),
            wait: Duration::ZERO,
        }
    }
}

pub(crate) struct OutputFolder {
    root: PathBuf,
    state: PathBuf,
    tmp: PathBuf,
    manifest: PathBuf,
    /// Held for the whole run: one writer per folder.
    _lock: File,
    source: Source,
    /// This run's number in the record.
    id: u16,
    sources: BTreeMap<u16, Source>,
    force: bool,
    inputs: Vec<(u64, Handle, Option<u64>)>,
    /// What earlier runs made. Read by every writer thread at once: no lock.
    index: Index,
    /// Opened to append: each write of a few lines lands whole, from any thread.
    journal: File,
    /// The owners of files other runs made, by stem, read from the record the first
    /// time a batch meets one.
    others: OnceLock<HashMap<String, Owner>>,
    /// Journal lines of sets whose files were put back as they were, by their text, each
    /// with how many times it was written: they do not count. By the whole line, not the
    /// path: the earlier run's line for the same file, which finishing copies into the
    /// journal after them, still does (the file put back is that one).
    undone: Mutex<HashMap<String, usize>>,
    /// Files started to be written whole at the end (a batch's report and gallery).
    staged: Mutex<HashSet<String>>,
    forced: Mutex<Vec<PathBuf>>,
}

/// What writing one person's files found there before.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub(crate) paths: Vec<PathBuf>,
    /// The signature these files replaced, when the record says whose: the same person
    /// (their own, made again), or another one (only with `--force`).
    pub(crate) replaced: Option<Identity>,
}

/// What finishing a run did besides writing.
#[derive(Debug, Default)]
pub(crate) struct Finished {
    /// Files sigblock had not made, replaced because of `--force`.
    pub(crate) forced: Vec<PathBuf>,
}

/// What a batch's removal of people gone from its staff list did.
#[derive(Debug, Default)]
pub(crate) struct Removed {
    /// Files removed.
    pub(crate) files: usize,
    /// Files other runs made, kept: by the source that made them.
    pub(crate) kept: BTreeMap<KeptFrom, usize>,
}

/// Who made files a batch keeps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum KeptFrom {
    /// Another staff list (its path).
    Batch(String),
    /// The one-person command or `install`.
    OneByOne,
    /// `banner --out`, `--print-reg`.
    Named,
    /// An earlier sigblock that did not record which run.
    Unknown,
}

impl OutputFolder {
    /// Makes the folder if need be, takes its lock (waiting up to `ownership.wait` for
    /// another run), clears the temporaries a killed run left, reads the record (first
    /// completing a killed run's), and refuses the run when an input is where an output
    /// could go (`may_write`).
    pub(crate) fn open(
        root: &Path,
        ownership: Ownership,
        may_write: &dyn Fn(&str) -> bool,
    ) -> Result<OutputFolder, FolderError> {
        // Whatever of sigblock's own files cannot be made, the person hears about the
        // folder they named.
        let state = root.join(STATE);
        let create = |_: &Path| {
            let (root, state) = (root.to_owned(), state.clone());
            move |source: io::Error| match not_yours(&state, &root, &source) {
                Some(theirs) => theirs,
                None => FolderError::Create { path: root, source },
            }
        };
        fs::create_dir_all(root).map_err(create(root))?;
        let like = fs::metadata(root).map_err(create(root))?;
        // sigblock's own folder and what is in it must be what sigblock put there: a link
        // planted in their place would send its writes and deletions elsewhere.
        own_dir(&state, &like).map_err(create(&state))?;
        let lock = lock(&state, root, ownership.wait, &like)?;
        let tmp = state.join("tmp");
        own_dir(&tmp, &like).map_err(create(&tmp))?;
        let inputs: Vec<(u64, Handle, Option<u64>)> = ownership
            .inputs
            .iter()
            .filter_map(|p| {
                let meta = fs::metadata(p).ok()?;
                Some((meta.len(), Handle::from_path(p).ok()?, inode(&meta)))
            })
            .collect();
        let is_input = |path: &Path| {
            fs::metadata(path).is_ok_and(|meta| {
                inputs.iter().any(|(len, handle, _)| {
                    *len == meta.len() && Handle::from_path(path).is_ok_and(|h| h == *handle)
                })
            })
        };
        clear(&tmp, &is_input);

        let manifest = state.join("manifest");
        let journal = state.join("journal");
        own_file(&manifest)?;
        own_file(&journal)?;
        if journal.exists() {
            recover(&manifest, &journal, root, &tmp).map_err(create(&journal))?;
        }
        let (index, mut sources) = Index::load(&manifest).map_err(create(&manifest))?;
        let id = match sources.iter().find(|(_, s)| **s == ownership.source) {
            Some((id, _)) => *id,
            None => {
                let id = sources.keys().next_back().map_or(1, |last| last + 1);
                sources.insert(id, ownership.source.clone());
                id
            }
        };
        let mut journal_file = File::options()
            .append(true)
            .create_new(true)
            .open(&journal)
            .map_err(create(&journal))?;
        follow(&journal, &like, false);
        let mut start = Vec::new();
        record::start(&mut start, &sources).map_err(create(&journal))?;
        journal_file.write_all(&start).map_err(create(&journal))?;

        let folder = OutputFolder {
            root: root.to_owned(),
            state,
            tmp,
            manifest,
            _lock: lock,
            source: ownership.source,
            id,
            sources,
            force: ownership.force,
            inputs,
            index,
            journal: journal_file,
            others: OnceLock::new(),
            undone: Mutex::new(HashMap::new()),
            staged: Mutex::new(HashSet::new()),
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

    /// Writes one person's files (`owner`'s; none for a batch's own files): all of them,
    /// or none. Every target is checked before the first is written; each is put in
    /// place by a rename, and when one cannot be, those already replaced are put back
    /// and the refusal names the file that stopped it.
    pub(crate) fn write_all(
        &self,
        files: &[(String, Vec<u8>)],
        owner: Option<&Owner>,
    ) -> Result<Written, Refusal> {
        let mut written = Written::default();
        if files.is_empty() {
            return Ok(written);
        }
        let hashes: Vec<u64> = files.iter().map(|(_, bytes)| record::hash(bytes)).collect();
        let mut claims = Vec::with_capacity(files.len());
        for ((rel, _), &hash) in files.iter().zip(&hashes) {
            let claim = self.claim(rel, Some(hash), owner)?;
            if written.replaced.is_none() {
                written.replaced = claim.replaced.clone();
            }
            claims.push(claim);
        }
        let mut temporaries = Vec::with_capacity(files.len());
        for ((_, bytes), claim) in files.iter().zip(&claims) {
            let mut file = self.temporary(&claim.path)?;
            file.write_all(bytes).map_err(Refusal::io(&claim.path))?;
            temporaries.push(file);
        }
        // One journal write for the whole set, then the renames.
        let lines: Vec<String> = files
            .iter()
            .zip(&hashes)
            .map(|((rel, _), &hash)| record::line(hash, self.id, rel, owner))
            .collect();
        self.journal(&lines.concat(), &claims[0].path)?;
        let mut swapped: Vec<Swapped> = Vec::with_capacity(files.len());
        let last = claims.len() - 1;
        for (i, (file, claim)) in temporaries.into_iter().zip(&claims).enumerate() {
            // What a file replaces is kept aside until the set is whole; the last file's
            // rename either happens or leaves the old one in place.
            let aside = claim.existed && i < last;
            match self.swap(file, &claim.path, aside) {
                Ok(aside) => swapped.push(Swapped {
                    path: &claim.path,
                    aside,
                }),
                Err(cause) => {
                    self.undo(lines, swapped);
                    return Err(Refusal::Kept {
                        path: claim.path.clone(),
                        cause,
                    });
                }
            }
        }
        for (swapped, claim) in swapped.into_iter().zip(&claims) {
            if let Some(aside) = swapped.aside {
                let _ = fs::remove_file(aside);
            }
            if let Some(recorded) = claim.recorded {
                self.index.set_done(recorded, true);
            }
        }
        written.paths = claims.into_iter().map(|c| c.path).collect();
        Ok(written)
    }

    /// Puts `file` at `path`; with `keep_aside`, what was there is first moved aside
    /// (its name is given back) so it can be put back should a later file of the set fail.
    fn swap(
        &self,
        file: tempfile::NamedTempFile,
        path: &Path,
        keep_aside: bool,
    ) -> io::Result<Option<PathBuf>> {
        let aside = if keep_aside {
            // Beside the new file's own temporary name, which no other file has (and only
            // this run writes here: the folder's lock).
            let mut name = file.path().as_os_str().to_owned();
            name.push(".old");
            let aside = PathBuf::from(name);
            fs::rename(path, &aside)?;
            Some(aside)
        } else {
            None
        };
        if let Err(e) = file.persist(path) {
            if let Some(aside) = &aside {
                let _ = fs::rename(aside, path);
            }
            return Err(e.error);
        }
        Ok(aside)
    }

    /// Puts back what a failed set had already replaced, newest first, and keeps the
    /// set's journal `lines` from counting.
    fn undo(&self, lines: Vec<String>, swapped: Vec<Swapped<'_>>) {
        let mut undone = self.undone.lock().expect("not poisoned");
        for line in lines {
            *undone.entry(line).or_default() += 1;
        }
        for swapped in swapped.into_iter().rev() {
            match swapped.aside {
                Some(aside) => {
                    let _ = fs::rename(aside, swapped.path);
                }
                None => {
                    let _ = fs::remove_file(swapped.path);
                }
            }
        }
    }

    /// Starts a file that is written whole at the end; refuses at once when it could
    /// not be put in place.
    pub(crate) fn stage(&self, rel: &str) -> Result<Staged, Refusal> {
        let claim = self.claim(rel, None, None)?;
        self.staged
            .lock()
            .expect("not poisoned")
            .insert(rel.to_owned());
        Ok(Staged {
            file: io::BufWriter::with_capacity(64 * 1024, self.temporary(&claim.path)?),
            rel: rel.to_owned(),
            path: claim.path,
            hasher: blake3::Hasher::new(),
        })
    }

    /// Puts a staged file in place.
    pub(crate) fn commit(&self, staged: Staged) -> Result<PathBuf, Refusal> {
        let claim = self.claim(&staged.rel, None, None)?;
        let hash = record::first_64(staged.hasher.finalize());
        let file = staged
            .file
            .into_inner()
            .map_err(|e| Refusal::io(&claim.path)(e.into_error()))?;
        self.journal(&record::line(hash, self.id, &staged.rel, None), &claim.path)?;
        file.persist(&claim.path)
            .map_err(|e| Refusal::io(&claim.path)(e.error))?;
        if let Some(recorded) = claim.recorded {
            self.index.set_done(recorded, true);
        }
        Ok(claim.path)
    }

    /// Removes what earlier runs of this same source made and this run did not write,
    /// where `stale` says it is no longer wanted (still unchanged: a person's edit is
    /// theirs). Files other runs made are kept and counted. `removed` hears each file
    /// removed, with whose it was.
    pub(crate) fn remove_stale(
        &self,
        stale: &dyn Fn(&str) -> bool,
        mut removed: impl FnMut(&str, Option<Owner>),
    ) -> Result<Removed, FolderError> {
        let mut result = Removed::default();
        let staged = self.staged.lock().expect("not poisoned").clone();
        let error = |source| FolderError::Create {
            path: self.manifest.clone(),
            source,
        };
        record::each_line(&self.manifest, |line| {
            let Line::File(file) = line else { return };
            let Some(recorded) = self.index.get(file.rel) else {
                return;
            };
            if self.index.is_done(recorded) || staged.contains(file.rel) {
                return; // replaced by this run, or about to be
            }
            if recorded.source != self.id {
                let from = match self.sources.get(&recorded.source) {
                    Some(Source::Batch { csv }) => KeptFrom::Batch(csv.clone()),
                    Some(Source::OneByOne) => KeptFrom::OneByOne,
                    Some(Source::Named) => KeptFrom::Named,
                    None => KeptFrom::Unknown,
                };
                *result.kept.entry(from).or_default() += 1;
                return;
            }
            if !stale(file.rel) {
                return;
            }
            let Some(path) = self.existing(file.rel) else {
                // Gone, or behind a link: no longer ours to remove.
                self.index.set_done(recorded, true);
                return;
            };
            let unchanged = fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
                && record::hash_file(&path).is_some_and(|h| recorded.unchanged(h));
            // A person's now (edited), or gone: no longer ours, dropped from the record.
            self.index.set_done(recorded, true);
            if unchanged && fs::remove_file(&path).is_ok() {
                result.files += 1;
                removed(file.rel, file.owner());
                if let Some(parent) = Path::new(file.rel)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                {
                    let _ = fs::remove_dir(self.root.join(parent)); // only when empty
                }
            }
        })
        .map_err(error)?;
        Ok(result)
    }

    /// Ends the run: the record becomes this run's files and the earlier ones it did not
    /// replace or remove.
    pub(crate) fn finish(self) -> Result<Finished, FolderError> {
        let journal = self.state.join("journal");
        let error = |source| FolderError::Create {
            path: self.manifest.clone(),
            source,
        };
        let mut journal_file = self.journal;
        let mut kept = io::BufWriter::new(&mut journal_file);
        let index = &self.index;
        let mut failed = None;
        record::each_line(&self.manifest, |line| {
            let Line::File(file) = line else { return };
            let keep = index.get(file.rel).is_some_and(|r| !index.is_done(r));
            if keep && failed.is_none() {
                if let Err(e) = kept.write_all(file.to_line().as_bytes()) {
                    failed = Some(e);
                }
            }
        })
        .map_err(error)?;
        if let Some(e) = failed {
            return Err(error(e));
        }
        kept.flush().map_err(error)?;
        drop(kept);
        drop(journal_file);
        let mut undone = self.undone.into_inner().expect("not poisoned");
        if undone.is_empty() {
            fs::rename(&journal, &self.manifest).map_err(error)?;
        } else {
            // Some sets were put back: their lines in the journal do not count.
            let mut file = temporary_in(&self.tmp).map_err(error)?;
            let mut out = io::BufWriter::new(&mut file);
            let mut sources = BTreeMap::new();
            let mut lines = Vec::new();
            record::each_line(&journal, |line| match line {
                Line::Source(id, source) => {
                    sources.insert(id, source);
                }
                Line::File(file) => {
                    let line = file.to_line();
                    // A put-back set's own line comes first; a later copy of the same
                    // text is an earlier run's line, kept.
                    match undone.get_mut(&line) {
                        Some(left) if *left > 0 => *left -= 1,
                        _ => lines.push(line),
                    }
                }
            })
            .map_err(error)?;
            record::start(&mut out, &sources).map_err(error)?;
            for line in lines {
                out.write_all(line.as_bytes()).map_err(error)?;
            }
            out.flush().map_err(error)?;
            drop(out);
            file.persist(&self.manifest).map_err(|e| error(e.error))?;
            fs::remove_file(&journal).map_err(error)?;
        }
        // A staged file is claimed when it is started and again when it is put in
        // place: said once.
        let mut forced = self.forced.into_inner().expect("not poisoned");
        let mut seen = HashSet::new();
        forced.retain(|path| seen.insert(path.clone()));
        Ok(Finished { forced })
    }

    /// Whether `rel` may be written (with content hashing to `new`, for `owner`):
    /// nothing there, or a regular, writable file that sigblock made and nobody changed
    /// since, not another person's signature (or that already holds exactly `new`, or
    /// `--force`). Folders on the way must be real folders inside this one.
    fn claim(&self, rel: &str, new: Option<u64>, owner: Option<&Owner>) -> Result<Claim, Refusal> {
        let path = self.folders_to(rel)?;
        let claim = |recorded, replaced| Claim {
            path: path.clone(),
            existed: true,
            recorded,
            replaced,
        };
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Claim {
                    existed: false,
                    ..claim(None, None)
                })
            }
            Err(e) => return Err(Refusal::io(&path)(e)),
        };
        if !meta.is_file() {
            return Err(Refusal::NotAFile {
                path,
                what: kind(&meta),
            });
        }
        if self.is_input(&path, &meta) {
            return Err(Refusal::Input { path });
        }
        if meta.permissions().readonly() {
            return Err(Refusal::ReadOnly { path });
        }
        let recorded = self.index.get(rel);
        let on_disk = record::hash_file(&path);
        let ours = recorded.is_some_and(|r| on_disk.is_some_and(|h| r.unchanged(h)));
        if !ours {
            if on_disk.is_some() && on_disk == new {
                return Ok(claim(recorded, None)); // already exactly this
            }
            if self.force {
                self.forced.lock().expect("not poisoned").push(path.clone());
                return Ok(claim(recorded, None));
            }
            return Err(Refusal::NotOurs { path });
        }
        let Some(owner) = owner else {
            return Ok(claim(recorded, None));
        };
        // A batch's own earlier files are its own; anything else was someone's.
        let same_list = matches!(self.source, Source::Batch { .. })
            && recorded.is_some_and(|r| r.source == self.id);
        if same_list {
            return Ok(claim(recorded, None));
        }
        let Some(theirs) = self.owner_of(&owner.stem) else {
            return Ok(claim(recorded, None));
        };
        if theirs.who.same_person(&owner.who) || self.force {
            return Ok(claim(recorded, Some(theirs.who)));
        }
        Err(Refusal::Theirs {
            path,
            theirs: theirs.who.to_string(),
            yours: owner.who.to_string(),
            stem: owner.stem.clone(),
        })
    }

    /// Whose the files of `stem` are, as the record says.
    fn owner_of(&self, stem: &str) -> Option<Owner> {
        match self.source {
            Source::Batch { .. } => self
                .others
                .get_or_init(|| record::owners_besides(&self.manifest, self.id).unwrap_or_default())
                .get(stem)
                .cloned(),
            _ => record::owner_of(&self.manifest, stem).ok().flatten(),
        }
    }

    /// The path of `rel`, each folder on the way a real folder inside this one (made when
    /// missing), never a link: nothing is written through a link at any depth.
    fn folders_to(&self, rel: &str) -> Result<PathBuf, Refusal> {
        let mut path = self.root.clone();
        let mut parts = rel.split('/').peekable();
        while let Some(part) = parts.next() {
            path.push(part);
            if parts.peek().is_none() {
                break;
            }
            match fs::symlink_metadata(&path) {
                Ok(meta) if meta.is_dir() => {}
                Ok(meta) => {
                    return Err(Refusal::NotAFile {
                        what: kind(&meta),
                        path,
                    })
                }
                Err(_) => fs::create_dir(&path).map_err(Refusal::io(&path))?,
            }
        }
        Ok(path)
    }

    /// The path of `rel` when it stands in this folder through real folders only (no
    /// link on the way), for removal.
    fn existing(&self, rel: &str) -> Option<PathBuf> {
        through_folders(&self.root, rel)
    }

    fn is_input(&self, path: &Path, meta: &Metadata) -> bool {
        self.inputs.iter().any(|(len, handle, _)| {
            *len == meta.len() && Handle::from_path(path).is_ok_and(|h| h == *handle)
        })
    }

    /// A temporary file in sigblock's own folder, for `path`.
    fn temporary(&self, path: &Path) -> Result<tempfile::NamedTempFile, Refusal> {
        temporary_in(&self.tmp).map_err(Refusal::io(path))
    }

    /// Records files in the journal before they are renamed into place: a run killed in
    /// between leaves a journal line the file does not match, which the next run ignores.
    fn journal(&self, lines: &str, path: &Path) -> Result<(), Refusal> {
        (&self.journal)
            .write_all(lines.as_bytes())
            .map_err(Refusal::io(path))
    }

    /// Refuses the run when one of its inputs stands where an output could go in this
    /// folder (the same file, by identity, not by name), before anything is written.
    /// Inputs further down are refused where a row would write over them.
    fn refuse_inputs_in_the_way(&self, may_write: &dyn Fn(&str) -> bool) -> Result<(), Refusal> {
        if self.inputs.is_empty() {
            return Ok(());
        }
        let Ok(entries) = fs::read_dir(&self.root) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if !may_write(&name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            // The inode number comes with the folder's listing: a folder of a million
            // signatures is checked without a look at each.
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirEntryExt;
                let ino = entry.ino();
                if !self.inputs.iter().any(|(_, _, i)| *i == Some(ino)) {
                    continue;
                }
            }
            let path = entry.path();
            if entry
                .metadata()
                .is_ok_and(|meta| self.is_input(&path, &meta))
            {
                return Err(Refusal::Input { path });
            }
        }
        Ok(())
    }
}

/// A file of a person's set put in place, and where what it replaced waits.
struct Swapped<'a> {
    path: &'a Path,
    aside: Option<PathBuf>,
}

/// A target checked by [`OutputFolder::claim`].
struct Claim {
    path: PathBuf,
    /// Whether a file stands there now.
    existed: bool,
    /// What the record says of the file there.
    recorded: Option<Recorded>,
    /// Whose signature is there, when the record says (the same person, or `--force`).
    replaced: Option<Identity>,
}

/// The inode number of a file, where the system has them.
fn inode(meta: &Metadata) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The path of `rel` under `root` when every folder on the way is a real folder (no
/// link): what is looked at, removed or trusted is what lies in the folder itself.
fn through_folders(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        path.push(part);
        if parts.peek().is_some() && !fs::symlink_metadata(&path).ok()?.is_dir() {
            return None;
        }
    }
    Some(path)
}

/// Completes a killed run's record: the journal's lines that the files on disk still
/// match take their paths' places in the manifest; the rest of the manifest stays.
fn recover(manifest: &Path, journal: &Path, root: &Path, tmp: &Path) -> io::Result<()> {
    let (index, mut sources) = Index::load(manifest)?;
    record::each_line(journal, |line| {
        if let Line::Source(id, source) = line {
            sources.insert(id, source);
        }
    })?;
    let mut file = temporary_in(tmp)?;
    let mut out = io::BufWriter::new(&mut file);
    record::start(&mut out, &sources)?;
    let mut failed = None;
    let mut put = |line: String| {
        if let Err(e) = out.write_all(line.as_bytes()) {
            failed.get_or_insert(e);
        }
    };
    record::each_line(journal, |line| {
        let Line::File(file) = line else { return };
        let matches = through_folders(root, file.rel).is_some_and(|path| {
            fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
                && record::hash_file(&path) == Some(file.hash)
        });
        if matches {
            if let Some(recorded) = index.get(file.rel) {
                index.set_done(recorded, true);
            }
            put(file.to_line());
        }
    })?;
    record::each_line(manifest, |line| {
        let Line::File(file) = line else { return };
        if index.get(file.rel).is_some_and(|r| !index.is_done(r)) {
            put(file.to_line());
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    out.flush()?;
    drop(out);
    file.persist(manifest).map_err(|e| e.error)?;
    fs::remove_file(journal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(root: &Path) -> OutputFolder {
        OutputFolder::open(root, Ownership::default(), &|_| true).unwrap()
    }

    #[test]
    fn a_file_of_its_own_larger_than_any_cap_is_still_known_as_its_own() {
        // A gallery of a few hundred thousand people passes 64 MB: hashed in pieces, it is
        // still sigblock's on the next run, not "a file sigblock did not make".
        let dir = tempfile::tempdir().unwrap();
        let big = vec![b'x'; 65 * 1024 * 1024];
        let folder = open(dir.path());
        folder
            .write_all(&[("index.html".to_owned(), big.clone())], None)
            .unwrap();
        folder.finish().unwrap();
        let folder = open(dir.path());
        let mut other = big;
        other[0] = b'y';
        let written = folder
            .write_all(&[("index.html".to_owned(), other)], None)
            .unwrap();
        assert_eq!(written.paths, [dir.path().join("index.html")]);
        folder.finish().unwrap();
    }
}
