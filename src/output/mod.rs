//! Signatures ─► the bytes of their files.
//!
//! The core (the signature page uses it too): a person's signature rendered once
//! ([`Signature`], through the [`templates`]), its reply variant ([`Reply`]), the banner
//! as the outputs refer to it ([`Picture`]), and [`names`], the one table of the files'
//! names.
//!
//! The command line's `--format`s: each is one file here behind [`Output`], naming its
//! files from [`names`]; a new format is one new file and one line in
//! [`Format::output`]. One [`SignatureWriter`] per run holds what every signature shares
//! (templates, banner, formats); `writer.rs` hands a person's files to the output folder.

pub mod limits;
pub mod names;
mod reply;
mod signature;
pub mod templates;

#[cfg(feature = "cli")]
mod eml;
#[cfg(feature = "cli")]
mod html;
#[cfg(feature = "cli")]
mod outlook;
#[cfg(feature = "cli")]
mod text;
#[cfg(feature = "cli")]
mod writer;

#[cfg(feature = "cli")]
pub use formats::{Files, Format, SignatureWriter};
pub use reply::Reply;
pub use signature::{ImageSource, Picture, Signature};
#[cfg(feature = "cli")]
pub use writer::Made;

/// Plain text as Windows programs read it without guessing: UTF-16 LE with a byte-order
/// mark, CRLF line ends (Outlook's `.txt` signatures, a `.reg` file).
pub fn windows_text(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    bytes.extend(crlf.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// The command line's formats: what `--format` names, and the files each makes.
#[cfg(feature = "cli")]
mod formats {
    use std::collections::BTreeSet;

    use chrono::NaiveDate;

    use super::templates::Templates;
    use super::{eml, html, names, outlook, reply, text, ImageSource, Picture, Signature};
    use crate::person::Person;

    /// What to write for each person (`--format`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Format {
        /// `<slug>.html`: a complete HTML document, banner inlined (or `--image-url`).
        Html,
        /// `<slug>.txt`: the plain-text signature.
        Text,
        /// `<slug>.eml`: a test message showing the signature, banner as a `cid:` part.
        Eml,
        /// `<slug>.htm`, `<slug>_files/banner.png`, `<slug>.txt`: classic Outlook's layout,
        /// the `.txt` as Outlook reads it (UTF-16 LE with a BOM, CRLF), as `install` writes it.
        Outlook,
        /// `<slug>.reply.html`, `<slug>.reply.txt`: the short signature for replies and
        /// forwards (no banner, no contact line).
        Reply,
    }

    impl Format {
        pub const ALL: [Format; 5] = [
            Format::Html,
            Format::Text,
            Format::Eml,
            Format::Outlook,
            Format::Reply,
        ];

        /// The name `--format` takes.
        pub fn name(self) -> &'static str {
            match self {
                Format::Html => "html",
                Format::Text => "text",
                Format::Eml => "eml",
                Format::Outlook => "outlook",
                Format::Reply => "reply",
            }
        }

        /// What the format writes, in a few words, for `--help`.
        pub fn what(self) -> &'static str {
            match self {
                Format::Html => "<slug>.html, the signature as a page",
                Format::Text => "<slug>.txt, the plain-text signature",
                Format::Eml => "<slug>.eml, a test message",
                Format::Outlook => {
                    "classic Outlook's <slug>.htm, _files folder and .txt (the .txt in UTF-16, as Outlook reads it)"
                }
                Format::Reply => "<slug>.reply.html and .txt, a short signature for replies",
            }
        }

        /// Every format's name, as `--help` and the refusals list them.
        pub fn names() -> String {
            Format::ALL.map(Format::name).join(", ")
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
                    format!(
                        "{} is not a format; choose from {}",
                        crate::text::Shown(value),
                        Format::names()
                    )
                })
        }
    }

    /// One output format: the files it makes for one person.
    pub(super) trait Output: Sync {
        fn write(&self, person: &Person<'_>, run: &Writing<'_>, files: &mut Files);
    }

    /// What an [`Output`] is given for one person.
    pub(super) struct Writing<'a> {
        pub(super) writer: &'a SignatureWriter<'a>,
        pub(super) signature: &'a Signature,
        pub(super) slug: &'a str,
    }

    /// The files one person's outputs make, in order: names relative to the output folder
    /// (with `/`), and their bytes.
    #[derive(Debug, Default)]
    pub struct Files(pub Vec<(String, Vec<u8>)>);

    impl Files {
        /// Adds the file `ending` (a [`names`] constant) of `stem`.
        pub(super) fn put(&mut self, stem: &str, ending: &str, bytes: impl Into<Vec<u8>>) {
            self.0.push((names::of(stem, ending), bytes.into()));
        }
    }

    /// What every signature of a run shares.
    pub struct SignatureWriter<'a> {
        pub templates: &'a Templates,
        pub organization: &'a str,
        /// The banner, when the signatures carry one, and how (inline or hosted).
        pub picture: Option<&'a Picture>,
        pub formats: &'a BTreeSet<Format>,
        /// The day the signature is made for: the `.eml` Date header, so reruns are identical.
        pub date: NaiveDate,
    }

    impl SignatureWriter<'_> {
        /// Renders one person's signature, once.
        pub fn signature(&self, person: &Person<'_>) -> Signature {
            Signature::new(
                self.templates,
                person,
                self.organization,
                self.picture.map(|p| &p.banner),
            )
        }

        /// Every chosen format's files for one person whose signature is `signature`, as
        /// `<slug>` followed by each format's endings.
        pub fn files(&self, person: &Person<'_>, signature: &Signature, slug: &str) -> Files {
            let writing = Writing {
                writer: self,
                signature,
                slug,
            };
            let mut files = Files::default();
            for format in self.formats {
                format.output().write(person, &writing, &mut files);
            }
            files
        }

        /// A complete HTML document of the signature, with the banner where `source` says.
        pub fn document(
            &self,
            person: &Person<'_>,
            signature: &Signature,
            source: ImageSource<'_>,
        ) -> String {
            let fragment = signature.html(self.picture, source);
            self.templates.document(&person.name, &fragment)
        }
    }
}
