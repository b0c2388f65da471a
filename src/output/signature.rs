//! A person ─► their signature, rendered once: the HTML fragment (a table, with a slot
//! where the banner's source goes) and the plain text. Each output then fills the slot
//! with the source it needs (a data URI, a `cid:`, a file beside the page, a hosted URL)
//! without rendering the person again.

use std::borrow::Cow;

use base64::Engine;
use minijinja::Value;
use serde::Serialize;

use super::templates::{escape_html, wrap, Templates, TEXT_WIDTH};
use crate::banner::Banner;
use crate::person::{Person, Phone};

/// The banner as the signatures of a run carry it: its bytes (as a `data:` URI, made
/// once), or, with `--image-url`, the https URL where it is hosted, which then stands
/// everywhere in its place (Gmail shows no `data:` images).
#[derive(Debug, Clone)]
pub struct Picture {
    pub banner: Banner,
    hosted: Option<String>,
    data_uri: String,
}

/// Where an output would like the banner's bytes to be. A hosted banner is referenced by
/// its URL instead, whatever the output would like.
#[derive(Debug, Clone, Copy)]
pub enum ImageSource<'a> {
    /// In the HTML itself, as a `data:` URI (the clipboard, `<slug>.html`).
    Inline,
    /// A MIME part of the message (`cid:`), in the `.eml`.
    ContentId(&'a str),
    /// A file beside the page, by relative path (Outlook's `_files`, the gallery).
    File(&'a str),
}

impl Picture {
    /// `banner`, carried in each output, or referenced at `hosted` (a checked https URL).
    pub fn new(banner: Banner, hosted: Option<String>) -> Picture {
        let mut data_uri = String::from("data:image/png;base64,");
        base64::engine::general_purpose::STANDARD.encode_string(&banner.png, &mut data_uri);
        Picture {
            banner,
            hosted,
            data_uri,
        }
    }

    /// The URL the banner is hosted at, when it is referenced rather than carried.
    pub fn hosted(&self) -> Option<&str> {
        self.hosted.as_deref()
    }

    /// Whether the banner is referenced by URL rather than carried with each output.
    pub fn is_hosted(&self) -> bool {
        self.hosted.is_some()
    }

    /// The PNG as a `data:` URI.
    pub fn data_uri(&self) -> &str {
        &self.data_uri
    }

    /// The `src` attribute for an output that would like the bytes at `source`, ready for
    /// a double-quoted HTML attribute. The URL and a file name are escaped; the data URI
    /// is base64, which has nothing to escape.
    pub fn src(&self, source: ImageSource<'_>) -> Cow<'_, str> {
        match (&self.hosted, source) {
            (Some(url), _) => Cow::Owned(escape_html(url)),
            (None, ImageSource::Inline) => Cow::Borrowed(&self.data_uri),
            (None, ImageSource::ContentId(cid)) => Cow::Owned(format!("cid:{cid}")),
            (None, ImageSource::File(path)) => Cow::Owned(escape_html(path)),
        }
    }
}

/// Stands where the banner's `src` goes while the fragment is rendered. It holds control
/// characters, which no checked field can (people's fields and the units file refuse
/// them), so it cannot be forged by what someone typed.
const SLOT: &str = "\u{1}sigblock-banner-src\u{1}";

/// One person's signature, as every output of the run shares it.
#[derive(Debug, Clone)]
pub struct Signature {
    fragment: String,
    /// Where the banner's `src` goes in `fragment`, when there is a banner.
    slot: Option<usize>,
    text: String,
}

#[derive(Serialize)]
struct Context<'a> {
    name: &'a str,
    title: &'a str,
    unit: &'a str,
    organization: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a Phone>,
    /// Email and phone fit on one plain-text line: else each goes on its own, so that
    /// wrapping never splits a phone number from its extension.
    one_line: bool,
    contact: ContactContext<'a>,
    banner: Option<BannerContext<'a>>,
}

/// The contact sentence as [`crate::units::Contact`] writes it: its lead, then the
/// address (linked in HTML).
#[derive(Serialize)]
struct ContactContext<'a> {
    lead: String,
    email: &'a str,
}

#[derive(Serialize)]
struct BannerContext<'a> {
    src: Value,
    width: u32,
    height: u32,
    alt: &'a str,
    text: &'a str,
}

impl Signature {
    /// Renders `person`'s signature: the HTML fragment once, the plain text once.
    pub fn new(
        templates: &Templates,
        person: &Person<'_>,
        organization: &str,
        banner: Option<&Banner>,
    ) -> Signature {
        let one_line = match (&person.email, &person.phone) {
            (Some(email), Some(phone)) => {
                textwrap::core::display_width(&format!("{email} | {}", phone.display)) <= TEXT_WIDTH
            }
            _ => true,
        };
        let context = Context {
            name: &person.name,
            title: &person.title,
            unit: &person.unit.name,
            organization,
            email: person.email.as_deref(),
            phone: person.phone.as_ref(),
            one_line,
            contact: ContactContext {
                lead: person.unit.contact.lead(),
                email: &person.unit.contact.email,
            },
            banner: banner.map(|b| BannerContext {
                src: Value::from_safe_string(SLOT.to_owned()),
                width: b.width,
                height: b.height,
                alt: &b.alt,
                text: &b.text,
            }),
        };
        let mut fragment = templates
            .render("signature.html", &context)
            .trim_end()
            .to_owned();
        let slot = fragment.find(SLOT);
        if let Some(at) = slot {
            fragment.replace_range(at..at + SLOT.len(), "");
        }
        debug_assert_eq!(slot.is_some(), banner.is_some());
        let text = wrap(&templates.render("signature.txt", &context));
        Signature {
            fragment,
            slot,
            text,
        }
    }

    /// The HTML fragment (a table) with the banner referenced as `source` asks: for
    /// pasting, for the clipboard, and inside every HTML output.
    pub fn html(&self, picture: Option<&Picture>, source: ImageSource<'_>) -> String {
        match (self.slot, picture) {
            (Some(at), Some(picture)) => {
                let src = picture.src(source);
                let mut html = String::with_capacity(self.fragment.len() + src.len());
                html.push_str(&self.fragment[..at]);
                html.push_str(&src);
                html.push_str(&self.fragment[at..]);
                html
            }
            _ => self.fragment.clone(),
        }
    }

    /// How many characters `html(picture, source)` has, without making it (a batch asks
    /// for every person: the clients' limits).
    pub fn html_chars(&self, picture: Option<&Picture>, source: ImageSource<'_>) -> usize {
        let src = match (self.slot, picture) {
            // The data URI is base64: a byte a character, nothing to count.
            (Some(_), Some(picture))
                if matches!(source, ImageSource::Inline) && !picture.is_hosted() =>
            {
                picture.data_uri().len()
            }
            (Some(_), Some(picture)) => picture.src(source).chars().count(),
            _ => 0,
        };
        self.fragment.chars().count() + src
    }

    /// The plain-text signature: the `-- ` separator line, then every line wrapped at 72
    /// columns; the banner's text line stands for the picture.
    pub fn text(&self) -> &str {
        &self.text
    }
}
