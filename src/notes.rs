//! What a person should know about a signature that was made all the same: said in the
//! same words by the one-person command (on stderr, after the result) and by the
//! signature page (under its preview).

use crate::person::Person;
use crate::text::plain;

/// The notes about the person's own values: a phone number with no area code, an email
/// address in capitals.
pub fn about_person(person: &Person<'_>) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(phone) = person.phone.as_ref().filter(|p| p.lacks_area_code()) {
        notes.push(format!(
            "the phone number {:?} has no area code: its link (tel:{}) dials it as a local \
             number; write it in full, as in (916) 555-0100",
            phone.display, phone.tel
        ));
    }
    if let Some(email) = person.email.as_deref().filter(|e| shouted(e)) {
        notes.push(format!(
            "the email address {} is in capitals; it works as typed, and reads more easily \
             as {} (mail systems take addresses in any case)",
            plain(email),
            plain(&email.to_lowercase())
        ));
    }
    notes
}

/// Whether an address is written in capitals: all the letters of its name or domain.
fn shouted(email: &str) -> bool {
    let capitals = |part: &str| {
        let letters: Vec<char> = part.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
    };
    email
        .rsplit_once('@')
        .is_some_and(|(local, domain)| capitals(local) || capitals(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_in_the_name_or_the_domain_are_shouting() {
        assert!(shouted("ANA.RUIZ@dss.ca.gov"));
        assert!(shouted("ana.ruiz@DSS.CA.GOV"));
        assert!(!shouted("Ana.Ruiz@dss.ca.gov"));
        assert!(!shouted("A@dss.ca.gov"));
    }
}
