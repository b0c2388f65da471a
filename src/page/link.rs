//! Prefilled links: the signature page's address with a person's values in its query
//! (`signature.html?name=Ana%20Ruiz&title=…&unit=…&email=…&phone=…`), so HR can send
//! each person a link that opens the page with their own details. `sigblock batch
//! --page-url URL` writes one per made row; the page reads the same five names.

use crate::person::Person;

/// The query's names, in the order written: the page fills the field of each.
pub const FIELDS: [&str; 5] = ["name", "title", "unit", "email", "phone"];

/// `page` (the page's address, as the office publishes it) with `person`'s values in
/// its query: after any query the address already has, before any `#fragment`. The unit
/// is given by its full name, which every units file resolves as it resolved here.
pub fn for_person(page: &str, person: &Person<'_>) -> String {
    let values = [
        Some(person.name.as_str()),
        Some(person.title.as_str()),
        Some(person.unit.name.as_str()),
        person.email.as_deref(),
        person.phone.as_ref().map(|p| p.display.as_str()),
    ];
    let (address, fragment) = match page.split_once('#') {
        Some((address, fragment)) => (address, Some(fragment)),
        None => (page, None),
    };
    let mut link = String::with_capacity(address.len() + 128);
    link.push_str(address);
    let mut joiner = if address.contains('?') {
        if address.ends_with(['?', '&']) {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    for (name, value) in FIELDS.iter().zip(values) {
        let Some(value) = value else { continue };
        link.push_str(joiner);
        link.push_str(name);
        link.push('=');
        encode_into(value, &mut link);
        joiner = "&";
    }
    if let Some(fragment) = fragment {
        link.push('#');
        link.push_str(fragment);
    }
    link
}

/// Percent-encodes `value` for a query: every byte but ASCII letters, digits and
/// `-._~` (RFC 3986's unreserved characters), so `&`, `=`, `+`, `#` and spaces in a name
/// come back as typed.
fn encode_into(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::PersonInput;
    use crate::units::Directory;

    fn person<'d>(dir: &'d Directory, name: &str, email: Option<&str>) -> Person<'d> {
        PersonInput {
            name: name.into(),
            title: "Analyst & Lead".into(),
            unit: "ctrt".into(),
            email: email.map(Into::into),
            phone: Some("(916) 555-0100 x7".into()),
        }
        .validate(dir)
        .unwrap()
    }

    #[test]
    fn every_value_is_encoded_and_the_unit_named_in_full() {
        let dir = Directory::embedded();
        let ana = person(&dir, "José Ruiz+O'Neil", Some("ana.ruiz@dss.ca.gov"));
        assert_eq!(
            for_person("https://intranet.example/sig/signature.html", &ana),
            "https://intranet.example/sig/signature.html?name=Jos%C3%A9%20Ruiz%2BO%27Neil\
             &title=Analyst%20%26%20Lead&unit=Child%20Trafficking%20Response%20Team\
             &email=ana.ruiz%40dss.ca.gov&phone=%28916%29%20555-0100%20x7"
        );
    }

    #[test]
    fn an_address_with_a_query_or_a_fragment_keeps_them() {
        let dir = Directory::embedded();
        let li = person(&dir, "Li", None);
        let link = for_person("https://x.example/p.aspx?id=7#form", &li);
        assert!(
            link.starts_with("https://x.example/p.aspx?id=7&name=Li&title="),
            "{link}"
        );
        assert!(
            link.ends_with("&phone=%28916%29%20555-0100%20x7#form"),
            "{link}"
        );
        assert!(!link.contains("email="));
        let link = for_person("file:///S:/HR/signature.html?", &li);
        assert!(
            link.starts_with("file:///S:/HR/signature.html?name=Li&"),
            "{link}"
        );
    }
}
