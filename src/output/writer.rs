//! A person's files into an output folder (the command line's last step): every chosen
//! format's files, checked all before any is written, by the folder's rules.

use std::path::{Path, PathBuf};

use super::{Signature, SignatureWriter};
use crate::files::{OutputFolder, Owner, Ownership, Refusal};
use crate::person::{Identity, Person};

/// One person's signature as made: the files written, the signature itself (for the
/// clipboard and the gallery), and whose signature they replaced, when the folder's
/// record says (the same person's own, or another's with `--force`).
#[derive(Debug)]
pub struct Made {
    pub files: Vec<PathBuf>,
    pub signature: Signature,
    pub replaced: Option<Identity>,
}

impl SignatureWriter<'_> {
    /// Renders and writes every chosen format for one person into `dir` as `<slug>.*`,
    /// as a one-person run does (the folder's rules, its lock and its record included).
    pub fn write(&self, person: &Person<'_>, slug: &str, dir: &Path) -> anyhow::Result<Made> {
        let folder = OutputFolder::open(dir, Ownership::default(), &super::names::is_output_name)?;
        let made = self.write_into(&folder, person, slug)?;
        folder.finish()?;
        Ok(made)
    }

    /// Renders one person's signature once and writes every chosen format into `folder`
    /// as `<slug>.*`: all of them, or none when one of them may not be written.
    pub(crate) fn write_into(
        &self,
        folder: &OutputFolder,
        person: &Person<'_>,
        slug: &str,
    ) -> Result<Made, Refusal> {
        let signature = self.signature(person);
        let files = self.files(person, &signature, slug);
        let owner = Owner {
            stem: slug.to_owned(),
            who: Identity::of(person),
        };
        let written = folder.write_all(&files.0, Some(&owner))?;
        Ok(Made {
            files: written.paths,
            signature,
            replaced: written.replaced,
        })
    }
}
