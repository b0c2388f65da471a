//! The signature page as a file (`sigblock page`): `templates/page.html` with its script
//! (`page.js`) and style (`page.css`), the office's data ([`Office`], JSON), and the core
//! as WebAssembly (built and gzipped by `build.rs`, carried as base64), everything in one
//! file that needs no network and no server.
//!
//! Its Content-Security-Policy allows nothing but what is in it: the script and the
//! style by their SHA-256, the signature's own inline style attributes by theirs (the
//! page renders a sample here to list them: they come from the templates, never from
//! what a person types), `data:` pictures (and the hosted banner's origin, with
//! `--image-url`), and compiling WebAssembly.

use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{BadOffice, Office, Page, Request};
use crate::campaign::BannerMode;
use crate::output::templates::{safe_json, Templates};

/// The core as WebAssembly, gzipped (`build.rs`).
const ENGINE_GZ: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/page.wasm.gz"));
/// Its size before gzip, in bytes.
const ENGINE_LEN: &str = include_str!(concat!(env!("OUT_DIR"), "/page.wasm.len"));
const SCRIPT: &str = include_str!("../../templates/page.js");
const STYLE: &str = include_str!("../../templates/page.css");

/// A page as made.
pub(crate) struct Made {
    pub(crate) html: String,
    /// What the engine takes of it: base64 characters, and the WebAssembly's own size.
    pub(crate) engine_chars: usize,
    pub(crate) engine_bytes: usize,
}

#[derive(Serialize)]
struct UnitChoice<'a> {
    name: &'a str,
    aliases: &'a [String],
}

/// The page for `office`. The engine reads the office's data here first, exactly as it
/// will in the browser: a page that could not start is never written.
pub(crate) fn make(office: &Office, templates: &Templates) -> Result<Made, BadOffice> {
    let page = Page::new(office)?;
    let directory = page.directory();
    let engine = base64::engine::general_purpose::STANDARD.encode(ENGINE_GZ);
    let office_json = serde_json::to_string(office).expect("JSON of strings and numbers");
    let units: Vec<UnitChoice> = directory
        .units
        .iter()
        .map(|u| UnitChoice {
            name: &u.name,
            aliases: &u.aliases,
        })
        .collect();
    let examples: Vec<&str> = directory
        .units
        .iter()
        .filter_map(|u| u.aliases.first().map(String::as_str))
        .take(2)
        .collect();
    let campaign = &office.campaign;
    let window = page.campaign().window_text();
    let html = templates.render(
        "page.html",
        minijinja::context! {
            version => env!("CARGO_PKG_VERSION"),
            csp => policy(&page, office),
            css => minijinja::Value::from_safe_string(STYLE.to_owned()),
            js => minijinja::Value::from_safe_string(SCRIPT.to_owned()),
            organization => &directory.organization,
            banner => office.banner.is_some(),
            mode => match office.banner_mode {
                BannerMode::Always => "always",
                BannerMode::Auto => "auto",
                BannerMode::Never => "never",
            },
            campaign => minijinja::context! { name => &campaign.name, window => window },
            units => minijinja::Value::from(minijinja::value::Serde(&units)),
            example_aliases => match examples.as_slice() {
                [a, b] => format!("{a} or {b}"),
                [a] => (*a).to_owned(),
                _ => directory.units.first().map(|u| u.name.clone()).unwrap_or_default(),
            },
            phone_forms => crate::person::PHONE_FORMS,
            hosted => office.image_url.is_some(),
            office => minijinja::Value::from_safe_string(safe_json(&office_json)),
            engine => minijinja::Value::from_safe_string(engine.clone()),
        },
    );
    Ok(Made {
        html,
        engine_chars: engine.len(),
        engine_bytes: ENGINE_LEN.trim().parse().unwrap_or(0),
    })
}

/// The page's Content-Security-Policy.
fn policy(page: &Page, office: &Office) -> String {
    let mut styles = vec![hash(STYLE)];
    styles.extend(signature_styles(page, office).iter().map(|s| hash(s)));
    let mut images = String::from("data:");
    if let Some(origin) = office.image_url.as_deref().and_then(origin) {
        images.push(' ');
        images.push_str(&origin);
    }
    format!(
        "default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src {} 'unsafe-hashes' {}; \
         img-src {images}; base-uri 'none'; form-action 'none'",
        hash(SCRIPT),
        styles[0],
        styles[1..].join(" ")
    )
}

/// Every inline style the signature and its reply variant carry (the templates', the
/// same for every person), rendered for a sample person on a day the banner is shown.
fn signature_styles(page: &Page, office: &Office) -> Vec<String> {
    let (month, day) = office.campaign.starts;
    let sample = Request {
        name: "Ana Ruiz".into(),
        title: "Program Analyst".into(),
        unit: page
            .directory()
            .units
            .first()
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        email: "ana.ruiz@example.org".into(),
        phone: "(916) 555-0100".into(),
        today: format!("2000-{month:02}-{day:02}"),
    };
    let made = page
        .respond(&sample)
        .signature
        .expect("the sample person is valid for every units file");
    let mut styles: Vec<String> = Vec::new();
    for html in [&made.html, &made.reply_html] {
        for (_, rest) in html
            .match_indices(" style=\"")
            .map(|(at, _)| html.split_at(at + 8))
        {
            let value = &rest[..rest.find('"').unwrap_or(rest.len())];
            if !styles.iter().any(|s| s == value) {
                styles.push(value.to_owned());
            }
        }
    }
    styles
}

/// A CSP hash source: `'sha256-<base64>'`.
fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The origin of a checked https URL (`https://host[:port]`), as a CSP source.
fn origin(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    (!host.is_empty()).then(|| format!("https://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hosted_banners_origin_is_its_scheme_host_and_port() {
        assert_eq!(
            origin("https://cdn.example.org/a/banner.png?v=2").as_deref(),
            Some("https://cdn.example.org")
        );
        assert_eq!(
            origin("https://u@cdn.example.org:8443#x").as_deref(),
            Some("https://cdn.example.org:8443")
        );
        assert_eq!(origin("http://x.org/b.png"), None);
    }

    #[test]
    fn hashes_are_csp_sources() {
        // printf '' | sha256sum, in base64.
        assert_eq!(
            hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }
}
