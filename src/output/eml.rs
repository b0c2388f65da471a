//! `<slug>.eml`: a complete test message showing the signature, to open in any mail
//! client: `multipart/alternative` of the plain text and a `multipart/related` HTML part
//! whose banner is an inline `image/png` by `cid:` (`multipart/mixed` would show it as an
//! attachment).

use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;

use super::formats::{Files, Output, Writing};
use super::{names, ImageSource};
use crate::person::Person;

pub(super) struct Eml;

const CID: &str = "banner@sigblock";

impl Output for Eml {
    fn write(&self, person: &Person<'_>, run: &Writing<'_>, files: &mut Files) {
        files.put(run.slug, names::EML, message(person, run));
    }
}

/// A name that a mail reader could read as RFC 2047 encoded words of its own
/// (`=?utf-8?q?Bcc:_x@evil.com?=` shows as "Bcc: x@evil.com") is sent as encoded words
/// sigblock makes, which readers decode back to the text as typed. `None`: as it is.
fn encoded_words(value: &str) -> Option<String> {
    use base64::Engine;
    if !value.contains("=?") {
        return None;
    }
    // At most 45 bytes a word: 60 base64 characters, within RFC 2047's 75 a word.
    let mut chunks = vec![String::new()];
    for c in value.chars() {
        if chunks.last().is_some_and(|w| w.len() + c.len_utf8() > 45) {
            chunks.push(String::new());
        }
        chunks.last_mut().expect("one chunk").push(c);
    }
    let words: Vec<String> = chunks
        .iter()
        .map(|w| {
            let b64 = base64::engine::general_purpose::STANDARD.encode(w.as_bytes());
            format!("=?utf-8?b?{b64}?=")
        })
        .collect();
    Some(words.join(" "))
}

fn message(person: &Person<'_>, run: &Writing<'_>) -> Vec<u8> {
    let writer = run.writer;
    let text = run.signature.text();
    let html = writer.document(person, run.signature, ImageSource::ContentId(CID));

    // Fixed boundaries and a Message-ID made from the content: the same input makes the
    // same bytes, like every other output. The boundaries cannot occur in the parts:
    // those are base64 or quoted-printable, which never hold "=_".
    let boundary = |name: &str| format!("=_sigblock_{name}");
    let html_part = MimePart::new("text/html", html);
    let html_part = match writer.picture.filter(|p| !p.is_hosted()) {
        Some(picture) => MimePart::new(
            ContentType::new("multipart/related")
                .attribute("type", "text/html")
                .attribute("boundary", boundary("related")),
            vec![
                html_part,
                MimePart::new("image/png", picture.banner.png.clone())
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
    let noon = writer
        .date
        .and_hms_opt(12, 0, 0)
        .expect("noon exists")
        .and_utc()
        .timestamp();
    let id = blake3::hash(format!("{}\n{}\n{}", person.name, address, text).as_bytes()).to_hex();
    let builder = match encoded_words(&person.name) {
        // Written as they are (mail-builder only folds a raw header at its spaces).
        Some(name) => MessageBuilder::new()
            .header("From", Raw::new(format!("{name} <{address}>")))
            .header("To", Raw::new(format!("{name} <{address}>")))
            .header("Subject", Raw::new(format!("Signature preview: {name}"))),
        None => MessageBuilder::new()
            .from(Address::new_address(
                Some(person.name.clone()),
                address.clone(),
            ))
            .to(Address::new_address(Some(person.name.clone()), address))
            .subject(format!("Signature preview: {}", person.name)),
    };
    builder
        .date(noon)
        .message_id(format!("{}@sigblock.invalid", &id[..32]))
        .body(body)
        .write_to_vec()
        .expect("writing to memory")
}
