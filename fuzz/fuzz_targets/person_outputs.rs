//! A person's fields ─► validate ─► (when valid) the HTML fragment, the HTML document, the
//! plain text, every file `SignatureWriter` makes (html, text, eml, outlook) and the slug.
//!
//! Never panics; the slug is `[a-z0-9-]+`; what was typed appears escaped in the HTML and
//! verbatim in the text.
#![no_main]

use std::collections::BTreeSet;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigblock::banner::{Banner, ImageSource};
use sigblock::campaign::Campaign;
use sigblock::output::{Format, SignatureWriter};
use sigblock::person::PersonInput;
use sigblock::signature::Signature;
use sigblock::templates::{escape_html, Templates};
use sigblock::units::Directory;

/// A unit: mostly a known name or alias (in any case, padded), so the fuzzer spends its
/// time past validation; sometimes whatever it likes.
#[derive(Debug, Arbitrary)]
enum UnitPick {
    Known { index: u8, upper: bool, pad: bool },
    Typed(String),
}

/// An email address: often `local@domain.tld` with fuzzed parts, sometimes anything.
#[derive(Debug, Arbitrary)]
enum EmailPick {
    Parts(String, String, String),
    Typed(String),
}

#[derive(Debug, Arbitrary)]
enum BannerPick {
    None,
    Inline,
    /// `--image-url`: typed, so escaped like every other input.
    Url(String),
}

#[derive(Debug, Arbitrary)]
struct Input {
    name: String,
    title: String,
    unit: UnitPick,
    email: Option<EmailPick>,
    phone: Option<String>,
    banner: BannerPick,
}

struct Fixture {
    templates: Templates,
    directory: Directory,
    labels: Vec<String>,
    banner: Banner,
    text: String,
    formats: BTreeSet<Format>,
    /// `SIGBLOCK_FUZZ_COUNT=1`: say on stderr when an input passes validation, to check
    /// how much of a corpus reaches the renders (see README.md).
    count_accepted: bool,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let directory = Directory::embedded();
        let labels = directory
            .units
            .iter()
            .flat_map(|u| std::iter::once(u.name.clone()).chain(u.aliases.iter().cloned()))
            .collect();
        let campaign = Campaign::embedded();
        // A tiny stand-in PNG: the banner's pixels are not what is being fuzzed.
        let banner = Banner::new(
            b"\x89PNG\r\n\x1a\nstand-in".to_vec(),
            600,
            100,
            campaign.alt.clone(),
            campaign.text.clone(),
            None,
        );
        Fixture {
            templates: Templates::default(),
            directory,
            labels,
            banner,
            text: campaign.text,
            formats: [Format::Html, Format::Text, Format::Eml, Format::Outlook]
                .into_iter()
                .collect(),
            count_accepted: std::env::var_os("SIGBLOCK_FUZZ_COUNT").is_some(),
        }
    })
}

fuzz_target!(|input: Input| {
    let f = fixture();
    let unit = match input.unit {
        UnitPick::Known { index, upper, pad } => {
            let label = &f.labels[usize::from(index) % f.labels.len()];
            let label = if upper {
                label.to_uppercase()
            } else {
                label.to_lowercase()
            };
            if pad {
                format!("  {label} ")
            } else {
                label
            }
        }
        UnitPick::Typed(s) => s,
    };
    let email = input.email.map(|e| match e {
        EmailPick::Parts(local, domain, tld) => format!("{local}@{domain}.{tld}"),
        EmailPick::Typed(s) => s,
    });
    let person_input = PersonInput {
        name: input.name,
        title: input.title,
        unit,
        email,
        phone: input.phone,
    };
    let person = match person_input.validate(&f.directory) {
        Ok(person) => person,
        Err(invalid) => {
            let message = invalid.to_string();
            assert!(!message.contains(['\n', '\r']), "{message:?}");
            return;
        }
    };

    if f.count_accepted {
        eprintln!("sigblock-fuzz: accepted");
    }

    // The slug: never empty, never a path.
    let slug = sigblock::slug::slug(&person.name);
    assert!(!slug.is_empty());
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "{slug:?}"
    );

    // The signature, rendered once, and its HTML and text.
    let banner = match &input.banner {
        BannerPick::None => None,
        BannerPick::Inline => Some(f.banner.clone()),
        BannerPick::Url(url) => Some(Banner::new(
            f.banner.png.clone(),
            600,
            100,
            f.banner.alt.clone(),
            f.text.clone(),
            Some(format!("https://example.org/{url}")),
        )),
    };
    let organization = &f.directory.organization;
    let signature = Signature::new(&f.templates, &person, organization, banner.as_ref());
    let fragment = signature.html(banner.as_ref(), ImageSource::Inline);
    assert!(fragment.contains(&escape_html(&person.name)));
    assert!(fragment.contains(&escape_html(&person.title)));
    let document = f.templates.document(&person.name, &fragment);
    assert!(document.ends_with("</html>\n"));
    let text = signature.text();
    assert!(text.starts_with("-- \n"));
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let name: String = person.name.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains(&name), "{name:?} not in {text:?}");

    // Every file the writer makes, into a fresh folder.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let writer = SignatureWriter {
        templates: &f.templates,
        organization,
        banner: banner.as_ref(),
        formats: &f.formats,
        date: chrono::NaiveDate::from_ymd_opt(2027, 1, 15).expect("a day"),
    };
    let made = writer
        .write(&person, &slug, dir.path())
        .expect("writing into a fresh temporary folder");
    for file in &made.files {
        assert!(
            file.starts_with(dir.path()),
            "{} is outside",
            file.display()
        );
        assert!(file.is_file(), "{}", file.display());
    }
});
