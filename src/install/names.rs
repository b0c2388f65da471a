//! The signature's name in Outlook: what the person sees in Outlook's signature menu,
//! the files' names (`N.htm`, `N.rtf`, `N.txt`, `N_files\`), and what the registry's
//! defaults point at. It stays the same from one campaign to the next (it names the
//! office and the person, never the campaign), so a rerun replaces the files and the
//! defaults keep pointing at them.
//!
//! With roaming signatures (Microsoft 365, on by default since 2023) classic Outlook lists
//! a signature under a mailbox only when its name ends with that mailbox's address in
//! parentheses, `N (user@domain)` ([`mailbox_name`]); the files of a name without it are
//! "signatures on this device" and cannot be that mailbox's default (docs/EMAIL-CLIENTS.md).

/// A signature name Windows or Outlook would not take, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the signature name {} {why}; choose one with --signature-name NAME",
    crate::text::Shown(name)
)]
pub struct NameError {
    pub name: String,
    pub why: &'static str,
}

/// The longest name taken: Outlook shows it in a menu, and the Signatures folder is
/// already deep in the profile (Windows paths stop at 260 characters).
const MAX_CHARS: usize = 80;

/// The reply variant's name, beside the full one in Outlook's menu.
pub fn reply_name(name: &str) -> String {
    format!("{name} (reply)")
}

/// The name of signature `name` for one mailbox, as Outlook names the signatures it keeps
/// per mailbox: `CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov)`. Its files folder is that name
/// and `_files`, like any signature's.
pub fn mailbox_name(name: &str, mailbox: &Mailbox) -> String {
    format!("{name} ({})", mailbox.0)
}

/// A mailbox's address, checked to stand in a file name: the per-mailbox signatures'
/// names end with it ([`mailbox_name`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox(String);

/// An address that cannot name a signature's files, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the mailbox address {} {why}", crate::text::Shown(address))]
pub struct AddressError {
    pub address: String,
    pub why: &'static str,
}

/// The longest address taken: with the longest signature name and its reply variant's
/// ` (reply)`, a per-mailbox file name stays within Windows' 255 characters a name.
pub const MAX_ADDRESS_CHARS: usize = 160;

impl Mailbox {
    /// `address` (spaces around it dropped) when it is one address, `local@domain`, that
    /// a file name can carry as it is.
    pub fn new(address: &str) -> Result<Mailbox, AddressError> {
        let trimmed = address.trim();
        let refuse = |why| {
            Err(AddressError {
                address: address.to_owned(),
                why,
            })
        };
        if trimmed.is_empty() {
            return refuse("is empty");
        }
        if trimmed.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || crate::text::is_line_break(c)
                || crate::text::is_bidi_control(c)
                || crate::text::is_invisible(c)
        }) {
            return refuse(
                "has a space, a control character or an invisible one, which a file name \
                 would carry unseen",
            );
        }
        if trimmed.chars().any(forbidden) {
            return refuse(
                r#"has a character Windows or Outlook does not allow in a signature's name (< > : " / \ | ? * ,)"#,
            );
        }
        match trimmed.split_once('@') {
            Some((local, domain))
                if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => {}
            _ => return refuse("is not one email address (name@domain)"),
        }
        if trimmed.chars().count() > MAX_ADDRESS_CHARS {
            return refuse("is longer than 160 characters, too long for a file name");
        }
        Ok(Mailbox(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same mailbox: addresses are compared without regard to case, as Windows
    /// compares the file names they end up in.
    pub fn same(&self, address: &str) -> bool {
        self.0.to_lowercase() == address.trim().to_lowercase()
    }
}

/// `--signature-name` as given (checked), or `<office> - <person>`: the office is the
/// organization's initials (`California Department of Social Services` ─► `CDSS`).
/// Characters Windows refuses in a file name are replaced in a name made from the
/// person's; a `--signature-name` with them is refused.
pub fn signature_name(
    explicit: Option<&str>,
    organization: &str,
    person: &str,
) -> Result<String, NameError> {
    if let Some(name) = explicit {
        let trimmed = name.trim();
        return match problem(trimmed) {
            Some(why) => Err(NameError {
                name: name.to_owned(),
                why,
            }),
            None => Ok(trimmed.to_owned()),
        };
    }
    let made: String = format!("{} - {person}", office(organization))
        .chars()
        .map(|c| if forbidden_in_name(c) { '-' } else { c })
        .collect();
    let made: String = made.chars().take(MAX_CHARS).collect();
    let made = made.trim_end_matches(['.', ' ']).to_owned();
    match problem(&made) {
        Some(why) => Err(NameError { name: made, why }),
        None => Ok(made),
    }
}

/// The organization's initials (the capitalised words'), or the organization itself when
/// that gives fewer than two letters.
fn office(organization: &str) -> String {
    let initials: String = organization
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    if initials.chars().count() >= 2 {
        initials
    } else {
        organization.trim().to_owned()
    }
}

/// What Windows refuses in a file name, and what Outlook refuses in a signature's name:
/// `,`, and `@`, which it keeps for the mailbox's address in per-mailbox names
/// (Set-OutlookSignatures' checks and its changelog, v4.20.2).
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' | ','
        )
}

fn forbidden_in_name(c: char) -> bool {
    forbidden(c) || c == '@'
}

/// Why a name cannot be a signature's name on Windows, if it cannot.
fn problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("is empty")
    } else if name.chars().any(forbidden_in_name) {
        Some(
            r#"has a character Windows or Outlook does not allow in a signature's name (< > : " / \ | ? * , @ or a control character)"#,
        )
    } else if name.ends_with(['.', ' ']) {
        Some("ends with a dot or a space, which Windows drops from file names")
    } else if name.starts_with('.') {
        Some("starts with a dot")
    } else if crate::slug::is_device_name(name) {
        Some("is the name of a Windows device (CON, PRN, AUX, NUL, COM0–9, LPT0–9, COM¹–³, LPT¹–³)")
    } else if name.chars().count() > MAX_CHARS {
        Some("is longer than 80 characters")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CDSS: &str = "California Department of Social Services";

    #[test]
    fn the_default_names_the_office_and_the_person_never_the_campaign() {
        assert_eq!(
            signature_name(None, CDSS, "Ana Ruiz").unwrap(),
            "CDSS - Ana Ruiz"
        );
        assert_eq!(reply_name("CDSS - Ana Ruiz"), "CDSS - Ana Ruiz (reply)");
        assert_eq!(
            signature_name(None, CDSS, "José Núñez").unwrap(),
            "CDSS - José Núñez"
        );
        // Characters Windows refuses, from a person's name, are replaced.
        assert_eq!(
            signature_name(None, CDSS, "Ana/Bo: \"Li\"?").unwrap(),
            "CDSS - Ana-Bo- -Li--"
        );
        assert_eq!(signature_name(None, "dss", "Ana").unwrap(), "dss - Ana");
    }

    #[test]
    fn a_given_name_is_kept_or_refused_saying_why() {
        assert_eq!(
            signature_name(Some("  Ana (work) "), CDSS, "x").unwrap(),
            "Ana (work)"
        );
        for (bad, why) in [
            ("", "is empty"),
            ("a/b", "character"),
            ("a\\b", "character"),
            ("C:x", "character"),
            ("sig.", "dot or a space"),
            ("CON", "device"),
            ("com1.sig", "device"),
            (".sigblock", "starts with a dot"),
        ] {
            let error = signature_name(Some(bad), CDSS, "x")
                .unwrap_err()
                .to_string();
            assert!(error.contains(why), "{bad:?}: {error}");
            assert!(error.contains("--signature-name"), "{error}");
        }
        assert!(signature_name(Some(&"x".repeat(81)), CDSS, "x").is_err());
        // Outlook takes neither , nor @ in a name: @ is the mailbox's, in per-mailbox names.
        for bad in ["Ana, work", "Ana @ work"] {
            let error = signature_name(Some(bad), CDSS, "x")
                .unwrap_err()
                .to_string();
            assert!(error.contains(", @"), "{bad:?}: {error}");
        }
        assert_eq!(
            signature_name(None, CDSS, "Ruiz, Ana @home").unwrap(),
            "CDSS - Ruiz- Ana -home"
        );
    }

    #[test]
    fn a_mailbox_names_its_signatures_as_outlook_does() {
        let mailbox = Mailbox::new("  ana.ruiz@dss.ca.gov ").unwrap();
        assert_eq!(mailbox.as_str(), "ana.ruiz@dss.ca.gov");
        assert_eq!(
            mailbox_name("CDSS - Ana Ruiz", &mailbox),
            "CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov)"
        );
        assert_eq!(
            mailbox_name(&reply_name("CDSS - Ana Ruiz"), &mailbox),
            "CDSS - Ana Ruiz (reply) (ana.ruiz@dss.ca.gov)"
        );
        assert!(mailbox.same("ANA.Ruiz@DSS.ca.gov "));
        assert!(!mailbox.same("ana@dss.ca.gov"));
        // Not ASCII, but one address a file name can carry.
        assert!(Mailbox::new("josé.núñez@dss.ca.gov").is_ok());
    }

    #[test]
    fn an_address_a_file_name_cannot_carry_is_refused_saying_why() {
        for (bad, why) in [
            ("", "is empty"),
            ("   ", "is empty"),
            ("ana ruiz@dss.ca.gov", "a space"),
            ("ana\u{a0}ruiz@dss.ca.gov", "a space"),
            ("ana\truiz@dss.ca.gov", "a space"),
            ("ana@dss.ca.gov\r\nx", "a space"),
            ("ana\u{1b}[31m@dss.ca.gov", "control"),
            ("ana\u{202e}@dss.ca.gov", "control"),
            ("ana\u{200b}@dss.ca.gov", "invisible"),
            ("ana/ruiz@dss.ca.gov", "does not allow"),
            ("..\\..\\x@y", "does not allow"),
            ("\"ana\"@dss.ca.gov", "does not allow"),
            ("ana,li@dss.ca.gov", "does not allow"),
            ("ana?@dss.ca.gov", "does not allow"),
            ("Outlook Data File", "a space"),
            ("ana", "not one email address"),
            ("@dss.ca.gov", "not one email address"),
            ("ana@", "not one email address"),
            ("a@b@c", "not one email address"),
        ] {
            let error = Mailbox::new(bad).unwrap_err();
            assert!(error.why.contains(why), "{bad:?}: {}", error.why);
            let said = error.to_string();
            assert!(!said.contains(['\r', '\n', '\u{1b}']), "{said:?}");
        }
        let long = format!("{}@x.org", "a".repeat(MAX_ADDRESS_CHARS));
        assert!(Mailbox::new(&long)
            .unwrap_err()
            .why
            .contains("longer than 160"));
        // The longest taken, with the longest name, stays within a file name's 255.
        let longest =
            Mailbox::new(&format!("{}@x.org", "a".repeat(MAX_ADDRESS_CHARS - 6))).unwrap();
        let name = "n".repeat(MAX_CHARS);
        let stem = mailbox_name(&reply_name(&name), &longest);
        assert!(stem.chars().count() + ".htm".len() <= 255, "{}", stem.len());
        assert!(mailbox_name(&name, &longest).chars().count() + "_files".len() <= 255);
    }
}
