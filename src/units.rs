//! Units and their contact lines: data (`assets/units.toml`, or `--config FILE`), not code.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::error::ConfigError;

const EMBEDDED: &str = include_str!("../assets/units.toml");

/// One contact line: "<about>, please contact the <team> at <email>."
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Contact {
    pub team: String,
    pub email: String,
    pub about: String,
}

/// A unit staff can name, and the contact line its signatures carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub name: String,
    pub aliases: Vec<String>,
    pub(crate) contact: Contact,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    organization: String,
    contact: BTreeMap<String, Contact>,
    unit: Vec<UnitEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    contact: String,
}

/// The organisation's units, looked up by name or alias.
#[derive(Debug, Clone)]
pub struct Directory {
    pub organization: String,
    pub units: Vec<Unit>,
    index: HashMap<String, usize>,
}

/// How a unit name is compared: trimmed, case-folded, inner white space collapsed.
fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Directory {
    /// The directory built into the binary.
    pub fn embedded() -> Directory {
        Directory::parse(EMBEDDED, "built-in units.toml").expect("the built-in units.toml is valid")
    }

    /// Reads a replacement directory (`--config FILE`), same format as the built-in one.
    pub(crate) fn load(path: &Path) -> Result<Directory, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Directory::parse(&text, &path.display().to_string())
    }

    pub(crate) fn parse(text: &str, origin: &str) -> Result<Directory, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            origin: origin.to_owned(),
            message,
        };
        let file: UnitsFile = toml::from_str(text).map_err(|source| ConfigError::Toml {
            origin: origin.to_owned(),
            source,
        })?;
        if file.unit.is_empty() {
            return Err(invalid("it defines no [[unit]]".into()));
        }
        for (key, contact) in &file.contact {
            if !contact.email.contains('@') {
                return Err(invalid(format!(
                    "contact.{key}: email {:?} is not an email address",
                    contact.email
                )));
            }
        }

        let mut units = Vec::with_capacity(file.unit.len());
        let mut index = HashMap::new();
        for entry in file.unit {
            let contact = file.contact.get(&entry.contact).ok_or_else(|| {
                let defined: Vec<_> = file.contact.keys().map(String::as_str).collect();
                invalid(format!(
                    "unit {:?} names contact {:?}, which is not defined (defined: {})",
                    entry.name,
                    entry.contact,
                    defined.join(", ")
                ))
            })?;
            for label in std::iter::once(&entry.name).chain(&entry.aliases) {
                if key(label).is_empty() {
                    return Err(invalid(format!("unit {:?} has an empty alias", entry.name)));
                }
                if let Some(&other) = index.get(&key(label)) {
                    return Err(invalid(match units.get(other).map(|u: &Unit| &u.name) {
                        Some(other) => {
                            format!("{label:?} names both {other:?} and {:?}", entry.name)
                        }
                        None => format!("{label:?} is listed twice for {:?}", entry.name),
                    }));
                }
                index.insert(key(label), units.len());
            }
            units.push(Unit {
                name: entry.name,
                aliases: entry.aliases,
                contact: contact.clone(),
            });
        }
        Ok(Directory {
            organization: file.organization,
            units,
            index,
        })
    }

    /// The unit with this name or alias, compared case-insensitively after trimming.
    pub(crate) fn find(&self, name: &str) -> Option<&Unit> {
        self.index.get(&key(name)).map(|&i| &self.units[i])
    }

    /// "A (alias, alias), B (...)": the list an unknown-unit message shows.
    pub(crate) fn known_units(&self) -> String {
        self.units
            .iter()
            .map(|u| {
                if u.aliases.is_empty() {
                    u.name.clone()
                } else {
                    format!("{} ({})", u.name, u.aliases.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Contact {
    /// The contact sentence up to its address ("<about>, please contact the <team> at"),
    /// written once here: the HTML links the address after it, the text writes it out.
    pub(crate) fn lead(&self) -> String {
        format!("{}, please contact the {} at", self.about, self.team)
    }

    /// The contact sentence as plain text.
    pub(crate) fn line(&self) -> String {
        format!("{} {}.", self.lead(), self.email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_units_map_to_the_two_contact_lines() {
        let dir = Directory::embedded();
        for (name, email) in [
            ("CTRT", "CSECProgram@dss.ca.gov"),
            (
                "child trafficking program support unit",
                "CSECProgram@dss.ca.gov",
            ),
            ("RPB", "RPB@dss.ca.gov"),
            ("  Asylee   and Trafficking UNIT ", "RPB@dss.ca.gov"),
        ] {
            assert_eq!(dir.find(name).unwrap().contact.email, email, "{name}");
        }
        assert!(dir.find("HR").is_none());
    }

    #[test]
    fn config_mistakes_are_named() {
        let err = Directory::parse(
            "organization = \"X\"\n[contact.a]\nteam=\"T\"\nemail=\"t@x.org\"\nabout=\"A\"\n[[unit]]\nname=\"U\"\ncontact=\"b\"\n",
            "my.toml",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "my.toml: unit \"U\" names contact \"b\", which is not defined (defined: a)"
        );

        let err = Directory::parse("organization = 3", "my.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("my.toml: "), "{err}");

        let dup = "organization = \"X\"\n[contact.a]\nteam=\"T\"\nemail=\"t@x.org\"\nabout=\"A\"\n[[unit]]\nname=\"U\"\ncontact=\"a\"\n[[unit]]\nname=\"V\"\naliases=[\"u\"]\ncontact=\"a\"\n";
        let err = Directory::parse(dup, "my.toml").unwrap_err().to_string();
        assert_eq!(err, "my.toml: \"u\" names both \"U\" and \"V\"");

        let own = "organization = \"X\"\n[contact.a]\nteam=\"T\"\nemail=\"t@x.org\"\nabout=\"A\"\n[[unit]]\nname=\"CTRT\"\naliases=[\"ctrt\"]\ncontact=\"a\"\n";
        let err = Directory::parse(own, "my.toml").unwrap_err().to_string();
        assert_eq!(err, "my.toml: \"ctrt\" is listed twice for \"CTRT\"");
    }
}
