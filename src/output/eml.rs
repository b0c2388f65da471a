//! `<slug>.eml`: a complete test message showing the signature, to open in any mail
//! client: `multipart/alternative` of the plain text and a `multipart/related` HTML part
//! whose banner is an inline `image/png` by `cid:` (`multipart/mixed` would show it as an
//! attachment).

use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;

use super::{Files, Output, Writing};
use crate::banner::ImageSource;
use crate::person::Person;

pub(super) struct Eml;

const CID: &str = "banner@sigblock";

impl Output for Eml {
    fn write(&self, person: &Person<'_>, run: &Writing<'_>, files: &mut Files) {
        files.put(format!("{}.eml", run.slug), message(person, run));
    }
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
    let html_part = match writer.banner.filter(|b| !b.is_hosted()) {
        Some(banner) => MimePart::new(
            ContentType::new("multipart/related")
                .attribute("type", "text/html")
                .attribute("boundary", boundary("related")),
            vec![
                html_part,
                MimePart::new("image/png", banner.png.clone())
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
