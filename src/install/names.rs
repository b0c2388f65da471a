//! The signature's name in Outlook: what the person sees in Outlook's signature menu,
//! the files' names (`N.htm`, `N.rtf`, `N.txt`, `N_files\`), and what the registry's
//! defaults point at. It stays the same from one campaign to the next (it names the
//! office and the person, never the campaign), so a rerun replaces the files and the
//! defaults keep pointing at them.

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
        .map(|c| if forbidden(c) { '-' } else { c })
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

fn forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*')
}

/// Why a name cannot be a signature's name on Windows, if it cannot.
fn problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("is empty")
    } else if name.chars().any(forbidden) {
        Some(
            r#"has a character Windows does not allow in a file name (< > : " / \ | ? * or a control character)"#,
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
    }
}
