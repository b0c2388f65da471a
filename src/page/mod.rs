//! The signature page's engine: the office's data as `sigblock page` put it in the page
//! ([`Office`]), and for each state of the form ([`Request`]) everything the page shows
//! and hands over ([`Response`]): each field's refusal in the command line's words, the
//! signature's HTML fragment and text exactly as the one-person command makes them, the
//! reply variant, the downloads (`<slug>.html`, `<slug>.txt`, classic Outlook's files as
//! a zip) and the notes. In the page it runs as WebAssembly ([`wasm`], built by
//! `build.rs`); the page's script only carries values between the form and this.
//!
//! Everything here is the core's: the command line uses the same types to write the
//! page ([`document`], feature "cli") and to check, before it writes one, that the data
//! it embeds is what this reads.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::banner::Banner;
use crate::campaign::{BannerMode, Campaign};
use crate::install;
use crate::output::templates::Templates;
use crate::output::{names, ImageSource, Picture, Reply, Signature};
use crate::person::{Person, PersonInput};
use crate::units::Directory;

#[cfg(feature = "cli")]
pub(crate) mod document;
pub mod link;
#[cfg(target_arch = "wasm32")]
mod wasm;
pub mod zip;

/// What `sigblock page` embeds: the office's units file as given, the campaign's texts
/// and window, the banner the command line rendered, and the flags that shape every
/// signature (`--image-url`, `--banner`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Office {
    /// The units file's text (`--config`, or the built-in one).
    pub units: String,
    /// How messages name that file.
    pub units_origin: String,
    pub campaign: CampaignFacts,
    /// The banner, unless the page was made with `--banner never`.
    pub banner: Option<BannerFacts>,
    /// Where the banner is hosted (`--image-url`): then every signature refers to it.
    pub image_url: Option<String>,
    pub banner_mode: BannerMode,
}

/// The campaign as the page needs it: its name, its window in its time zone, the banner's
/// alt text and plain-text line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CampaignFacts {
    pub name: String,
    /// An IANA time zone: the page asks the browser for today's date there.
    pub time_zone: String,
    pub starts: (u32, u32),
    pub ends: (u32, u32),
    pub alt: String,
    pub text: String,
}

/// The finished banner: the PNG (base64) and the size it is shown at.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BannerFacts {
    pub png: String,
    pub width: u32,
    pub height: u32,
}

impl Office {
    /// The facts of a campaign and its banner as the command line loaded and made them.
    pub fn new(
        units: (String, String),
        campaign: &Campaign,
        banner: Option<&Banner>,
        image_url: Option<String>,
        banner_mode: BannerMode,
    ) -> Office {
        use base64::Engine;
        Office {
            units: units.0,
            units_origin: units.1,
            campaign: CampaignFacts {
                name: campaign.name.clone(),
                time_zone: campaign.time_zone.clone(),
                starts: campaign.starts,
                ends: campaign.ends,
                alt: campaign.alt.clone(),
                text: campaign.text.clone(),
            },
            banner: banner.map(|b| BannerFacts {
                png: base64::engine::general_purpose::STANDARD.encode(&b.png),
                width: b.width,
                height: b.height,
            }),
            image_url,
            banner_mode,
        }
    }
}

/// The form as it stands, and the day it is where the campaign is (the page asks the
/// browser for it, in the campaign's time zone).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Request {
    pub name: String,
    pub title: String,
    pub unit: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// `YYYY-MM-DD`.
    pub today: String,
}

/// What the page shows for a [`Request`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Response {
    /// Each field's refusal, in the command line's words (`name: is empty`), in field
    /// order. None: the signature is made.
    pub errors: Vec<FieldMessage>,
    pub signature: Option<Made>,
    /// What the person should know about the signature made.
    pub notes: Vec<String>,
}

/// A field's refusal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldMessage {
    /// `name`, `title`, `unit`, `email` or `phone`.
    pub field: String,
    /// The command line's words: `email: "ana@" is not an email address (…)`.
    pub message: String,
}

/// One person's signature as the page offers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Made {
    /// What the clipboard gets, as from the one-person command: the HTML fragment (the
    /// banner inlined, or hosted) and the plain text.
    pub html: String,
    pub text: String,
    /// The reply variant's fragment and text (`--format reply`).
    pub reply_html: String,
    pub reply_text: String,
    /// Whether the signature carries the banner today.
    pub banner: bool,
    /// The downloads: `<slug>.html` (the whole document) and `<slug>.txt`, as the
    /// one-person command writes them; the classic Outlook zip's name.
    pub document_name: String,
    pub document: String,
    pub text_name: String,
    pub outlook_name: String,
}

/// Why the page cannot start from the data it was given (never, for a page sigblock
/// wrote: the command line checks it first).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the signature page's data: {0}")]
pub struct BadOffice(String);

/// The office's data, ready for requests.
pub struct Page {
    directory: Directory,
    campaign: Campaign,
    templates: Templates,
    picture: Option<Picture>,
    mode: BannerMode,
}

impl Page {
    pub fn new(office: &Office) -> Result<Page, BadOffice> {
        let bad = |why: String| BadOffice(why);
        let directory = Directory::parse(&office.units, &office.units_origin)
            .map_err(|e| bad(e.to_string()))?;
        let facts = &office.campaign;
        for (field, (month, day)) in [("starts", facts.starts), ("ends", facts.ends)] {
            if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
                return Err(bad(format!("campaign {field} {month}-{day} is not a day")));
            }
        }
        let campaign = Campaign {
            name: facts.name.clone(),
            time_zone: facts.time_zone.clone(),
            starts: facts.starts,
            ends: facts.ends,
            banner_svg: String::new(),
            banner_origin: String::new(),
            banner_dir: None,
            banner_file: None,
            alt: facts.alt.clone(),
            text: facts.text.clone(),
        };
        let picture = match &office.banner {
            Some(b) => {
                use base64::Engine;
                let png = base64::engine::general_purpose::STANDARD
                    .decode(&b.png)
                    .map_err(|e| bad(format!("the banner is not base64: {e}")))?;
                let banner = Banner {
                    png,
                    width: b.width,
                    height: b.height,
                    alt: campaign.alt.clone(),
                    text: campaign.text.clone(),
                };
                Some(Picture::new(banner, office.image_url.clone()))
            }
            None => None,
        };
        Ok(Page {
            directory,
            campaign,
            templates: Templates::new(),
            picture,
            mode: office.banner_mode,
        })
    }

    /// The units the page offers, in the file's order.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// The campaign: its name, its window, its banner's texts.
    pub fn campaign(&self) -> &Campaign {
        &self.campaign
    }

    /// Checks the form and, when every field passes, makes the signature.
    pub fn respond(&self, request: &Request) -> Response {
        let person = match self.person(request) {
            Ok(person) => person,
            Err(errors) => {
                return Response {
                    errors,
                    signature: None,
                    notes: Vec::new(),
                }
            }
        };
        let today = today(request);
        let picture = self.picture_on(today);
        let signature = Signature::new(
            &self.templates,
            &person,
            &self.directory.organization,
            picture.map(|p| &p.banner),
        );
        let reply = Reply::new(&self.templates, &person);
        let html = signature.html(picture, ImageSource::Inline);
        let slug = crate::output::names::person_stem(&person.name);
        let mut notes = self.window_note(today, picture.is_some());
        // The clients' limits, as the one-person command says them.
        notes.extend(
            crate::output::limits::signature(&signature, picture)
                .iter()
                .map(ToString::to_string),
        );
        notes.extend(crate::notes::about_person(&person));
        Response {
            errors: Vec::new(),
            signature: Some(Made {
                document: self.templates.document(&person.name, &html),
                html,
                text: signature.text().to_owned(),
                reply_html: reply.fragment,
                reply_text: reply.text,
                banner: picture.is_some(),
                document_name: names::of(&slug, names::HTML),
                text_name: names::of(&slug, names::TEXT),
                outlook_name: names::of(&slug, names::PAGE_OUTLOOK_ZIP),
            }),
            notes,
        }
    }

    /// Classic Outlook's files for the form's person (`install`'s set, under the name
    /// `install` gives it), as a zip to unpack into Outlook's Signatures folder.
    pub fn outlook_zip(&self, request: &Request) -> Result<Vec<u8>, String> {
        let person = self.person(request).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        let organization = &self.directory.organization;
        let name = install::names::signature_name(None, organization, &person.name)
            .map_err(|e| e.to_string())?;
        // The person's own mailbox's set too (roaming signatures list a signature under a
        // mailbox only by its address), when the address can name files.
        let mailboxes: Vec<install::names::Mailbox> = person
            .email
            .iter()
            .filter_map(|email| install::names::Mailbox::new(email).ok())
            .collect();
        let plan = install::plan(
            &name,
            &install::Parts {
                templates: &self.templates,
                person: &person,
                organization,
                picture: self.picture_on(today(request)),
                mailboxes: &mailboxes,
            },
        );
        Ok(zip::stored(&plan.files))
    }

    fn person(&self, request: &Request) -> Result<Person<'_>, Vec<FieldMessage>> {
        let input = PersonInput {
            name: request.name.clone(),
            title: request.title.clone(),
            unit: request.unit.clone(),
            email: Some(request.email.clone()),
            phone: Some(request.phone.clone()),
        };
        input.validate(&self.directory).map_err(|invalid| {
            invalid
                .0
                .iter()
                .map(|error| FieldMessage {
                    field: error.field.as_str().to_owned(),
                    message: error.to_string(),
                })
                .collect()
        })
    }

    /// The banner, when the signatures carry it on `today` (`--banner`, the window).
    fn picture_on(&self, today: Option<NaiveDate>) -> Option<&Picture> {
        let shown = match today {
            Some(day) => self.campaign.shows_banner(self.mode, day),
            // No day (a browser that cannot say it): only what needs none.
            None => self.mode == BannerMode::Always,
        };
        self.picture.as_ref().filter(|_| shown)
    }

    /// What to say about the banner outside the campaign's window: that it is meant for
    /// those days, or, with `--banner auto`, that it is left out until then.
    fn window_note(&self, today: Option<NaiveDate>, included: bool) -> Vec<String> {
        let campaign = &self.campaign;
        let outside = today.is_some_and(|day| !campaign.is_active_on(day));
        if !outside || self.mode == BannerMode::Never || self.picture.is_none() {
            return Vec::new();
        }
        let when = format!("{} ({})", campaign.window_text(), campaign.name);
        vec![if included {
            format!("the banner is meant for {when}")
        } else {
            format!(
                "the banner is left out today: it is meant for {when}; open this page again \
                 then for the signature with it"
            )
        }]
    }
}

fn today(request: &Request) -> Option<NaiveDate> {
    request.today.trim().parse().ok()
}

#[cfg(test)]
mod tests;
