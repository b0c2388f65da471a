//! Signatures ─► files. One [`SignatureWriter`] per run holds what every signature
//! shares (templates, banner, formats); each person costs a few template renders and
//! the writes. Every file is written atomically: a temporary file in the same folder,
//! then a rename, so a crash never leaves a half-written signature under its name.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;

use crate::banner::Banner;
use crate::error::WriteError;
use crate::person::Person;
use crate::templates::{BannerRef, Templates};

/// What to write for each person (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
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

/// Gmail caps a signature at this many characters.
pub const GMAIL_SIGNATURE_LIMIT: usize = 10_000;

/// The banner as each output needs it.
pub struct BannerOutput {
    pub banner: Banner,
    /// `--image-url`: the hosted copy, used wherever the banner is referenced.
    pub url: Option<String>,
    pub text: String,
    inline: BannerRef,
}

impl BannerOutput {
    pub fn new(banner: Banner, url: Option<String>, text: String) -> BannerOutput {
        let inline = match &url {
            Some(url) => BannerRef::typed(
                url,
                banner.display_width,
                banner.display_height,
                &banner.alt,
            ),
            None => BannerRef::trusted(
                banner.data_uri(),
                banner.display_width,
                banner.display_height,
                &banner.alt,
            ),
        };
        BannerOutput {
            banner,
            url,
            text,
            inline,
        }
    }

    /// The banner as the signature on the clipboard and in `<slug>.html` shows it.
    pub fn inline_ref(&self) -> &BannerRef {
        &self.inline
    }

    /// The banner referenced by a path or `cid:` we chose, unless it is hosted.
    fn referenced(&self, src: String) -> BannerRef {
        match &self.url {
            Some(_) => self.inline.clone(),
            None => BannerRef::trusted(
                src,
                self.banner.display_width,
                self.banner.display_height,
                &self.banner.alt,
            ),
        }
    }
}

/// One person's signature as made: the files written, and what goes on the clipboard.
#[derive(Debug)]
pub struct Made {
    pub files: Vec<PathBuf>,
    pub fragment: String,
    pub text: String,
}

pub struct SignatureWriter<'a> {
    pub templates: &'a Templates,
    pub organization: &'a str,
    pub banner: Option<&'a BannerOutput>,
    pub formats: &'a BTreeSet<Format>,
    /// The day the signature is made for: the `.eml` Date header, so reruns are identical.
    pub date: NaiveDate,
}

impl SignatureWriter<'_> {
    /// The HTML fragment and the plain text, without writing anything.
    pub fn render(&self, person: &Person<'_>) -> (String, String) {
        let fragment =
            self.templates
                .fragment(person, self.organization, self.banner.map(|b| &b.inline));
        let text = self.templates.text(
            person,
            self.organization,
            self.banner.map(|b| b.text.as_str()),
        );
        (fragment, text)
    }

    /// Renders and writes every chosen format for one person into `dir` as `<slug>.*`.
    pub fn write(&self, person: &Person<'_>, slug: &str, dir: &Path) -> Result<Made, WriteError> {
        let (fragment, text) = self.render(person);
        let mut files = Vec::new();
        let mut put = |name: String, bytes: &[u8]| -> Result<(), WriteError> {
            let path = dir.join(name);
            write_atomic(&path, bytes).map_err(|source| WriteError {
                path: path.clone(),
                source,
            })?;
            files.push(path);
            Ok(())
        };

        for format in self.formats {
            match format {
                Format::Html => {
                    let document = self.templates.document(person, &fragment);
                    put(format!("{slug}.html"), document.as_bytes())?;
                }
                Format::Text => put(format!("{slug}.txt"), text.as_bytes())?,
                Format::Eml => {
                    let eml = self.eml(person, &text);
                    put(format!("{slug}.eml"), &eml)?;
                }
                Format::Outlook => {
                    let folder = format!("{slug}_files");
                    let banner = self
                        .banner
                        .map(|b| b.referenced(format!("{folder}/banner.png")));
                    let outlook_fragment =
                        self.templates
                            .fragment(person, self.organization, banner.as_ref());
                    let document = self.templates.document(person, &outlook_fragment);
                    if let Some(b) = self.banner.filter(|b| b.url.is_none()) {
                        let folder_path = dir.join(&folder);
                        std::fs::create_dir_all(&folder_path).map_err(|source| WriteError {
                            path: folder_path.clone(),
                            source,
                        })?;
                        // A run killed while writing banner.png here left its temporary.
                        remove_stale_temporaries(&folder_path);
                        put(format!("{folder}/banner.png"), &b.banner.png)?;
                    }
                    put(format!("{slug}.htm"), document.as_bytes())?;
                    if !self.formats.contains(&Format::Text) {
                        put(format!("{slug}.txt"), text.as_bytes())?;
                    }
                }
            }
        }
        Ok(Made {
            files,
            fragment,
            text,
        })
    }

    /// A complete test message: `multipart/alternative` of the plain text and a
    /// `multipart/related` HTML part whose banner is an inline `image/png` by `cid:`.
    fn eml(&self, person: &Person<'_>, text: &str) -> Vec<u8> {
        const CID: &str = "banner@sigblock";
        let banner = self.banner.map(|b| b.referenced(format!("cid:{CID}")));
        let fragment = self
            .templates
            .fragment(person, self.organization, banner.as_ref());
        let html = self.templates.document(person, &fragment);

        // Fixed boundaries and a Message-ID made from the content: the same input makes
        // the same bytes, like every other output. The boundaries cannot occur in the
        // parts: those are base64 or quoted-printable, which never hold "=_".
        let boundary = |name: &str| format!("=_sigblock_{name}");
        let html_part = MimePart::new("text/html", html);
        let html_part = match self.banner.filter(|b| b.url.is_none()) {
            Some(b) => MimePart::new(
                ContentType::new("multipart/related")
                    .attribute("type", "text/html")
                    .attribute("boundary", boundary("related")),
                vec![
                    html_part,
                    MimePart::new("image/png", b.banner.png.clone())
                        .cid(CID)
                        .header(
                            "Content-Disposition",
                            ContentType::new("inline").attribute("filename", "banner.png"),
                        ),
                ],
            ),
            None => html_part,
        };
        let body = MimePart::new(
            ContentType::new("multipart/alternative").attribute("boundary", boundary("alt")),
            vec![MimePart::new("text/plain", text.to_owned()), html_part],
        );

        let address = person
            .email
            .clone()
            .unwrap_or_else(|| "signature-preview@example.invalid".to_owned());
        let noon = self
            .date
            .and_hms_opt(12, 0, 0)
            .expect("noon exists")
            .and_utc()
            .timestamp();
        let id =
            blake3::hash(format!("{}\n{}\n{}", person.name, address, text).as_bytes()).to_hex();
        MessageBuilder::new()
            .from(Address::new_address(
                Some(person.name.clone()),
                address.clone(),
            ))
            .to(Address::new_address(Some(person.name.clone()), address))
            .subject(format!("Signature preview: {}", person.name))
            .date(noon)
            .message_id(format!("{}@sigblock.invalid", &id[..32]))
            .body(body)
            .write_to_vec()
            .expect("writing to memory")
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename,
/// so `path` is either absent, the old file, or the whole new file — never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
pub fn temporary_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
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

const TEMP_PREFIX: &str = ".sigblock-";
const TEMP_SUFFIX: &str = ".tmp";

/// Removes temporary files a killed run left behind in `dir` (ours only, by name).
pub fn remove_stale_temporaries(dir: &Path) {
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
pub fn prepare_dir(dir: &Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir).map_err(|source| WriteError {
        path: dir.to_owned(),
        source,
    })?;
    remove_stale_temporaries(dir);
    Ok(())
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
