//! Signatures ─► files. Each format is one file here behind [`Output`]: a new format (or
//! an installer) is one new file and one line in [`Format::output`]. One
//! [`SignatureWriter`] per run holds what every signature shares (templates, banner,
//! formats); each person costs one render, then every format's files are planned in
//! memory and handed to the output folder, which checks them all before writing any.

mod eml;
mod html;
mod outlook;
mod reply;
mod text;

pub(crate) use reply::Reply;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::banner::Banner;
use crate::files::{OutputFolder, Ownership, Refusal};
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
    /// `<slug>.reply.html`, `<slug>.reply.txt`: the short signature for replies and
    /// forwards (no banner, no contact line).
    Reply,
}

impl Format {
    const ALL: [Format; 5] = [
        Format::Html,
        Format::Text,
        Format::Eml,
        Format::Outlook,
        Format::Reply,
    ];

    /// The name `--format` takes.
    fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Text => "text",
            Format::Eml => "eml",
            Format::Outlook => "outlook",
            Format::Reply => "reply",
        }
    }

    fn output(self) -> &'static dyn Output {
        match self {
            Format::Html => &html::Html,
            Format::Text => &text::Text,
            Format::Eml => &eml::Eml,
            Format::Outlook => &outlook::Outlook,
            Format::Reply => &reply::ReplyFormat,
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
    fn write(&self, person: &Person<'_>, run: &Writing<'_>, files: &mut Files);
}

/// Whether sigblock could write a file of this name (relative to an output folder):
/// `<slug>.html|txt|eml|htm`, `<slug>.reply.html|txt`, `<slug>_files/banner.png`, or a
/// batch's own files.
pub(crate) fn is_output_name(rel: &str) -> bool {
    let slug = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if matches!(rel, "index.html" | "report.csv" | "banner.png") {
        return true;
    }
    if let Some(folder) = rel.strip_suffix("_files/banner.png") {
        return slug(folder);
    }
    if let Some(stem) = rel
        .strip_suffix(".reply.html")
        .or_else(|| rel.strip_suffix(".reply.txt"))
    {
        return slug(stem);
    }
    rel.rsplit_once('.')
        .is_some_and(|(stem, ext)| slug(stem) && matches!(ext, "html" | "txt" | "eml" | "htm"))
}

/// What an [`Output`] is given for one person.
struct Writing<'a> {
    writer: &'a SignatureWriter<'a>,
    signature: &'a Signature,
    slug: &'a str,
}

/// The files one person's outputs make, in order: names relative to the output folder
/// (with `/`), and their bytes.
#[derive(Default)]
struct Files(Vec<(String, Vec<u8>)>);

impl Files {
    fn put(&mut self, name: String, bytes: impl Into<Vec<u8>>) {
        self.0.push((name, bytes.into()));
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

    /// Renders and writes every chosen format for one person into `dir` as `<slug>.*`,
    /// as a one-person run does (the folder's rules, its lock and its record included).
    pub fn write(&self, person: &Person<'_>, slug: &str, dir: &Path) -> anyhow::Result<Made> {
        let folder = OutputFolder::open(dir, Ownership::default(), &is_output_name)?;
        let made = self.write_into(&folder, person, slug)?;
        folder.finish(OutputFolder::KEEP)?;
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
        let writing = Writing {
            writer: self,
            signature: &signature,
            slug,
        };
        let mut files = Files::default();
        for format in self.formats {
            format.output().write(person, &writing, &mut files);
        }
        Ok(Made {
            files: folder.write_all(&files.0)?,
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
