//! What email clients take, checked against each signature: what is crossed is said as a
//! note, never refused (the files are still right for the clients within their limits).
//! The figures and their sources are in docs/EMAIL-CLIENTS.md ("Limits").
//!
//! - Gmail: at most 10,000 characters of HTML in its signature settings. Measured where
//!   Gmail can take the signature at all: without an inlined (`data:`) banner, which
//!   Gmail does not show (the run's own note says to host it).
//! - Outlook on the web and the new Outlook keep signatures in the mailbox (roaming
//!   signatures). Microsoft documents no size for those; the figure it documents for a
//!   signature is 30,000 characters (`Body.setSignatureAsync`, an add-in's), which
//!   Set-OutlookSignatures checks signatures against, not counting images. So: the
//!   pasted HTML without its inlined banner.
//! - The banner (the same for a whole run, so checked once): at most 600 px wide, the
//!   width that fits every client's reading pane, and at most 150 KB, vendors' advice
//!   for a campaign banner that every email carries.

use std::fmt;

use super::{ImageSource, Picture, Signature};

/// Gmail's signature settings refuse more characters than this.
pub const GMAIL_CHARS: usize = 10_000;
/// Microsoft's documented length of a signature (`Body.setSignatureAsync`).
pub const OUTLOOK_WEB_CHARS: usize = 30_000;
/// The widest banner, in CSS pixels, that every client shows whole.
pub const BANNER_WIDTH: u32 = 600;
/// The largest banner file advised for a campaign.
pub const BANNER_BYTES: usize = 150 * 1024;

/// A limit a signature or its banner crosses, with the measure that crossed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crossed {
    /// The HTML Gmail would take, in characters.
    Gmail { chars: usize },
    /// The pasted HTML without its inlined banner, in characters.
    OutlookWeb { chars: usize },
    /// The banner's display width, in CSS pixels.
    BannerWidth { px: u32 },
    /// The banner's PNG, in bytes.
    BannerBytes { bytes: usize },
}

/// Which limit: for counting, in a batch, the signatures that cross each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Limit {
    Gmail,
    OutlookWeb,
    BannerWidth,
    BannerBytes,
}

impl Crossed {
    pub fn limit(self) -> Limit {
        match self {
            Crossed::Gmail { .. } => Limit::Gmail,
            Crossed::OutlookWeb { .. } => Limit::OutlookWeb,
            Crossed::BannerWidth { .. } => Limit::BannerWidth,
            Crossed::BannerBytes { .. } => Limit::BannerBytes,
        }
    }

    /// The measure, as a number: how far it went.
    pub fn measure(self) -> u64 {
        match self {
            Crossed::Gmail { chars } | Crossed::OutlookWeb { chars } => chars as u64,
            Crossed::BannerWidth { px } => u64::from(px),
            Crossed::BannerBytes { bytes } => bytes as u64,
        }
    }
}

impl Limit {
    /// The limit in a few words, for a row of a batch's report.
    pub fn short(self) -> String {
        use crate::text::thousands;
        match self {
            Limit::Gmail => format!("over Gmail's {} characters", thousands(GMAIL_CHARS as u64)),
            Limit::OutlookWeb => format!(
                "over the {} characters Microsoft documents for a signature",
                thousands(OUTLOOK_WEB_CHARS as u64)
            ),
            Limit::BannerWidth => format!("banner wider than {BANNER_WIDTH} px"),
            Limit::BannerBytes => format!("banner over {} KB", BANNER_BYTES / 1024),
        }
    }

    /// What the limit is, for a summary of many signatures ("over …").
    pub fn what(self) -> String {
        use crate::text::thousands;
        match self {
            Limit::Gmail => format!(
                "the {} characters Gmail's signature settings take",
                thousands(GMAIL_CHARS as u64)
            ),
            Limit::OutlookWeb => format!(
                "the {} characters Microsoft documents for a signature (Outlook on the web \
                 and the new Outlook may not keep them whole)",
                thousands(OUTLOOK_WEB_CHARS as u64)
            ),
            Limit::BannerWidth => {
                format!("{BANNER_WIDTH} px wide, the widest banner every client shows whole")
            }
            Limit::BannerBytes => format!(
                "{} KB, the most advised for a banner every email carries",
                BANNER_BYTES / 1024
            ),
        }
    }
}

impl fmt::Display for Crossed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::text::thousands;
        match *self {
            Crossed::Gmail { chars } => write!(
                f,
                "the signature is {} characters of HTML; Gmail takes at most {} \
                 (Settings > Signature refuses more)",
                thousands(chars as u64),
                thousands(GMAIL_CHARS as u64)
            ),
            Crossed::OutlookWeb { chars } => write!(
                f,
                "the signature is {} characters of HTML without its banner; Microsoft documents \
                 at most {} for a signature, and Outlook on the web and the new Outlook may not \
                 keep it whole",
                thousands(chars as u64),
                thousands(OUTLOOK_WEB_CHARS as u64)
            ),
            Crossed::BannerWidth { px } => write!(
                f,
                "the banner is {px} px wide; {BANNER_WIDTH} px is the widest every client shows \
                 whole (narrower reading panes and phones cut or shrink it)"
            ),
            Crossed::BannerBytes { bytes } => write!(
                f,
                "the banner's PNG is {} KB; every email carries it, and {} KB is the most \
                 advised for a campaign banner",
                bytes.div_ceil(1024),
                BANNER_BYTES / 1024
            ),
        }
    }
}

/// The limits a signature crosses, as its HTML is pasted (`picture` as the run carries
/// the banner: inlined, hosted, or none).
pub fn signature(signature: &Signature, picture: Option<&Picture>) -> Vec<Crossed> {
    let chars = signature.html_chars(picture, ImageSource::Inline);
    let inlined = picture.filter(|p| !p.is_hosted());
    let banner = inlined.map_or(0, |p| p.data_uri().len());
    crossing(chars, chars - banner, inlined.is_none())
}

/// The limits crossed by a signature of `chars` characters of HTML, `without_banner` of
/// them not the inlined banner; `gmail` when Gmail can take it (no inlined banner).
fn crossing(chars: usize, without_banner: usize, gmail: bool) -> Vec<Crossed> {
    let mut crossed = Vec::new();
    if gmail && chars > GMAIL_CHARS {
        crossed.push(Crossed::Gmail { chars });
    }
    if without_banner > OUTLOOK_WEB_CHARS {
        crossed.push(Crossed::OutlookWeb {
            chars: without_banner,
        });
    }
    crossed
}

/// The limits the run's banner crosses (the same for every signature of the run).
pub fn banner(picture: Option<&Picture>) -> Vec<Crossed> {
    let Some(banner) = picture.map(|p| &p.banner) else {
        return Vec::new();
    };
    let mut crossed = Vec::new();
    if banner.width > BANNER_WIDTH {
        crossed.push(Crossed::BannerWidth { px: banner.width });
    }
    if banner.png.len() > BANNER_BYTES {
        crossed.push(Crossed::BannerBytes {
            bytes: banner.png.len(),
        });
    }
    crossed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::banner::Banner;
    use crate::output::templates::Templates;
    use crate::person::PersonInput;
    use crate::units::Directory;

    fn banner(width: u32, bytes: usize) -> Banner {
        Banner {
            png: vec![0; bytes],
            width,
            height: 100,
            alt: "alt".into(),
            text: "Banner line".into(),
        }
    }

    /// A units file whose every value is as long as allowed, of `&` (five characters
    /// each in HTML): the longest signature an office's file can give.
    fn longest_office() -> Directory {
        let amps = |n| "&".repeat(n);
        let text = format!(
            "organization = \"{}\"\n[contact.a]\nteam = \"{}\"\nemail = \"{}@x.org\"\n\
             about = \"{}\"\n[[unit]]\nname = \"U{}\"\ncontact = \"a\"\n",
            amps(200),
            amps(200),
            "a".repeat(190),
            amps(600),
            amps(199)
        );
        Directory::parse(&text, "longest.toml").unwrap()
    }

    /// The signature of a person from `directory` (unit `unit`), and what it crosses with
    /// `picture`.
    fn crossed(directory: &Directory, unit: &str, picture: Option<&Picture>) -> Vec<Crossed> {
        let person = PersonInput {
            name: "&".repeat(200),
            title: "&".repeat(200),
            unit: unit.into(),
            // The longest an address's parts may be (64 before the @, 63 a label).
            email: Some(format!(
                "{}@{}.{}.gov",
                "a".repeat(64),
                "b".repeat(60),
                "c".repeat(60)
            )),
            phone: None,
        }
        .validate(directory)
        .unwrap();
        let templates = Templates::new();
        let made = Signature::new(
            &templates,
            &person,
            &directory.organization,
            picture.map(|p| &p.banner),
        );
        signature(&made, picture)
    }

    #[test]
    fn the_built_in_units_longest_signature_crosses_nothing_inlined_hosted_or_without_a_banner() {
        let directory = Directory::embedded();
        let inlined = Picture::new(banner(600, 40_000), None);
        let hosted = Picture::new(
            banner(600, 12_000),
            Some(format!("https://example.org/{}.png", "b".repeat(1_900))),
        );
        for picture in [None, Some(&inlined), Some(&hosted)] {
            assert_eq!(crossed(&directory, "CTRT", picture), []);
        }
        assert_eq!(super::banner(Some(&inlined)), []);
        assert_eq!(super::banner(None), []);
    }

    #[test]
    fn the_characters_counted_are_those_of_the_html_pasted() {
        let directory = Directory::embedded();
        let person = PersonInput {
            name: "José Núñez <&> Zoë".into(),
            title: "Analyst — “Lead”".into(),
            unit: "RPB".into(),
            email: Some("jose@dss.ca.gov".into()),
            phone: None,
        }
        .validate(&directory)
        .unwrap();
        let templates = Templates::new();
        let inlined = Picture::new(banner(600, 1_000), None);
        let hosted = Picture::new(
            banner(600, 1_000),
            Some("https://example.org/b&c.png".into()),
        );
        for picture in [None, Some(&inlined), Some(&hosted)] {
            let made = Signature::new(
                &templates,
                &person,
                &directory.organization,
                picture.map(|p| &p.banner),
            );
            for source in [ImageSource::Inline, ImageSource::File("ü x/b&c.png")] {
                let html = made.html(picture, source);
                assert!(html.len() > html.chars().count(), "accents in {html}");
                assert_eq!(made.html_chars(picture, source), html.chars().count());
            }
        }
    }

    #[test]
    fn gmail_counts_the_html_it_would_take_and_not_an_inlined_banner_it_cannot_show() {
        let office = longest_office();
        let unit = format!("U{}", "&".repeat(199));
        let found = crossed(&office, &unit, None);
        assert!(
            matches!(found[..], [Crossed::Gmail { chars }] if chars > GMAIL_CHARS),
            "{found:?}"
        );
        assert!(found[0].to_string().starts_with("the signature is 1"));
        assert!(found[0].to_string().ends_with(
            "characters of HTML; Gmail takes at most 10,000 (Settings > Signature refuses more)"
        ));
        // Inlined, the banner keeps it from Gmail anyway: the run's Gmail note says so.
        let inlined = Picture::new(banner(600, 12_000), None);
        assert_eq!(crossed(&office, &unit, Some(&inlined)), []);
    }

    #[test]
    fn outlook_on_the_web_counts_the_html_without_the_inlined_banner() {
        assert_eq!(
            crossing(29_000, 29_000, true),
            [Crossed::Gmail { chars: 29_000 }]
        );
        assert_eq!(crossing(60_000, 30_000, false), []);
        assert_eq!(
            crossing(60_000, 30_001, false),
            [Crossed::OutlookWeb { chars: 30_001 }]
        );
        assert!(Crossed::OutlookWeb { chars: 30_001 }
            .to_string()
            .starts_with(
                "the signature is 30,001 characters of HTML without its banner; \
                          Microsoft documents at most 30,000"
            ));
    }

    #[test]
    fn a_wide_or_heavy_banner_is_said_with_its_measure() {
        let wide = Picture::new(banner(720, 12_000), None);
        assert_eq!(
            super::banner(Some(&wide)),
            [Crossed::BannerWidth { px: 720 }]
        );
        let heavy = Picture::new(banner(600, BANNER_BYTES + 1), None);
        let crossed = super::banner(Some(&heavy));
        assert_eq!(
            crossed,
            [Crossed::BannerBytes {
                bytes: BANNER_BYTES + 1
            }]
        );
        assert_eq!(
            crossed[0].to_string(),
            "the banner's PNG is 151 KB; every email carries it, and 150 KB is the most \
             advised for a campaign banner"
        );
        assert!(Crossed::BannerWidth { px: 720 }
            .to_string()
            .starts_with("the banner is 720 px wide; 600 px is the widest"));
    }
}
