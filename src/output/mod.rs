//! Signatures ─► files. Each format is one file here behind [`Output`]: a new format (or
//! an installer) is one new file and one line in [`Format::output`]. One
//! [`SignatureWriter`] per run holds what every signature shares (templates, banner,
//! formats); each person costs one render and the writes.

mod eml;
mod html;
mod outlook;
mod text;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::banner::Banner;
use crate::error::WriteError;
use crate::files;
use crate::person::Person;
use crate::signature::Signature;
use crate::templates::Templates;

/// What to write for each person (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `<slug>.html`: a complete HTML document, banner inlined (or `--image-url`).
    Html,
    /// `<slug>.txt`: the plain-text signature.
    Text,
    /// `<slug>.eml`: a test message showing the signature, banner as a `cid:` part.
    Eml,
    /// `<slug>.htm`, `<slug>_files/banner.png`, `<slug>.txt`: classic Outlook's layout.
    Outlook,
}

impl Format {
    const ALL: [Format; 4] = [Format::Html, Format::Text, Format::Eml, Format::Outlook];

    /// The name `--format` takes.
    fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Text => "text",
            Format::Eml => "eml",
            Format::Outlook => "outlook",
        }
    }

    fn output(self) -> &'static dyn Output {
        match self {
            Format::Html => &html::Html,
            Format::Text => &text::Text,
            Format::Eml => &eml::Eml,
            Format::Outlook => &outlook::Outlook,
        }
    }
}

/// A format by its name, in any case, spaces around it ignored (`--format "HTML, text"`).
impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(value: &str) -> Result<Format, String> {
        let wanted = value.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "{value:?} is not a format; choose from {}",
                    names.join(", ")
                )
            })
    }
}

/// One output format: the files it makes for one person.
trait Output: Sync {
    fn write(
        &self,
        person: &Person<'_>,
        run: &Writing<'_>,
        files: &mut Files<'_>,
    ) -> Result<(), WriteError>;
}

/// What an [`Output`] is given for one person.
struct Writing<'a> {
    writer: &'a SignatureWriter<'a>,
    signature: &'a Signature,
    slug: &'a str,
}

/// The files one person's outputs write into the output folder, in order.
struct Files<'a> {
    dir: &'a Path,
    written: Vec<PathBuf>,
}

impl Files<'_> {
    fn put(&mut self, name: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.dir.join(name);
        files::write_atomic(&path, bytes).map_err(WriteError::at(&path))?;
        self.written.push(path);
        Ok(())
    }

    /// A folder of our own beside the files (`<slug>_files`), ready to write into.
    fn folder(&mut self, name: &str) -> Result<(), WriteError> {
        let path = self.dir.join(name);
        std::fs::create_dir_all(&path).map_err(WriteError::at(&path))?;
        // A run killed while writing in here left its temporary.
        files::remove_stale_temporaries(&path);
        Ok(())
    }
}

/// One person's signature as made: the files written, and the signature itself (for the
/// clipboard and the gallery).
#[derive(Debug)]
pub struct Made {
    pub files: Vec<PathBuf>,
    pub signature: Signature,
}

/// What every signature of a run shares.
pub struct SignatureWriter<'a> {
    pub templates: &'a Templates,
    pub organization: &'a str,
    pub banner: Option<&'a Banner>,
    pub formats: &'a BTreeSet<Format>,
    /// The day the signature is made for: the `.eml` Date header, so reruns are identical.
    pub date: NaiveDate,
}

impl SignatureWriter<'_> {
    /// Renders one person's signature, once.
    pub(crate) fn signature(&self, person: &Person<'_>) -> Signature {
        Signature::new(self.templates, person, self.organization, self.banner)
    }

    /// Renders and writes every chosen format for one person into `dir` as `<slug>.*`.
    pub fn write(&self, person: &Person<'_>, slug: &str, dir: &Path) -> Result<Made, WriteError> {
        let signature = self.signature(person);
        let writing = Writing {
            writer: self,
            signature: &signature,
            slug,
        };
        let mut files = Files {
            dir,
            written: Vec::new(),
        };
        for format in self.formats {
            format.output().write(person, &writing, &mut files)?;
        }
        Ok(Made {
            files: files.written,
            signature,
        })
    }

    /// A complete HTML document of the signature, with the banner where `source` says.
    fn document(
        &self,
        person: &Person<'_>,
        signature: &Signature,
        source: crate::banner::ImageSource<'_>,
    ) -> String {
        let fragment = signature.html(self.banner, source);
        self.templates.document(&person.name, &fragment)
    }
}
