//! Units and their contact lines: data (`assets/units.toml`, or `--config FILE`), not code.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::error::ConfigError;
use crate::text::{key, office_text, Shown};

/// The built-in units file, as `sigblock units --write` gives it to an office to edit.
pub const BUILT_IN: &str = include_str!("../assets/units.toml");

/// One contact line: "<about>, please contact the <team> at <email>."
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub team: String,
    pub email: String,
    pub about: String,
}

/// A unit staff can name, and the contact line its signatures carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub name: String,
    pub aliases: Vec<String>,
    pub contact: Contact,
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

/// The words of a unit name, case-folded, "and" and "&" left out.
fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| w != "and")
        .collect()
}

/// How far apart two keys are: insertions, deletions, substitutions and swaps of two
/// neighbours (optimal string alignment), counted in characters.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// How near `typed` comes to a unit's name or alias `label`: 0 when one holds the other
/// (whole, or word for word: "Refugee Programs", "CTRT team"), else the number of typos
/// when few enough for the length; `None` when it is no near miss.
fn nearness(typed: &str, label: &str) -> Option<usize> {
    let (t, l) = (key(typed), key(label));
    let shorter = t.len().min(l.len());
    if shorter >= 3 && (t.contains(&l) || l.contains(&t)) {
        return Some(0);
    }
    let (tw, lw) = (words(typed), words(label));
    let within = |a: &[String], b: &[String]| !a.is_empty() && a.iter().all(|w| b.contains(w));
    if within(&tw, &lw) || within(&lw, &tw) {
        return Some(0);
    }
    let typos = distance(&t, &l);
    let allowed = match l.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        n => n / 4,
    };
    (typos <= allowed).then_some(typos)
}

impl Directory {
    /// The directory built into the binary.
    pub fn embedded() -> Directory {
        Directory::parse(BUILT_IN, "built-in units.toml").expect("the built-in units.toml is valid")
    }

    /// A units file's text (`origin` names it in messages): the built-in one, or an
    /// office's own (`--config FILE`, read by the command line).
    pub fn parse(text: &str, origin: &str) -> Result<Directory, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            origin: origin.to_owned(),
            message,
        };
        let file: UnitsFile = toml::from_str(text).map_err(|cause| ConfigError::Toml {
            origin: origin.to_owned(),
            cause,
        })?;
        if file.unit.is_empty() {
            return Err(invalid("it defines no [[unit]]".into()));
        }
        // Every value reaches signatures or messages: one line each, bounded.
        let line = |field: String, value: &str, max: usize| {
            office_text(value, max).map_err(|why| invalid(format!("{field}: {why}")))
        };
        line("organization".into(), &file.organization, 200)?;
        for (key, contact) in &file.contact {
            line(format!("contact.{key}.team"), &contact.team, 200)?;
            line(format!("contact.{key}.email"), &contact.email, 200)?;
            line(format!("contact.{key}.about"), &contact.about, 600)?;
        }
        for entry in &file.unit {
            for label in std::iter::once(&entry.name).chain(&entry.aliases) {
                line(format!("unit {}", Shown(&entry.name)), label, 200)?;
            }
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

    /// The unit with this name or alias, compared by [`key`] (case, spaces and
    /// punctuation aside); or written as its name and alias, "Child Trafficking Response
    /// Team (CTRT)", both naming the same unit.
    pub fn find(&self, name: &str) -> Option<&Unit> {
        if let Some(&i) = self.index.get(&key(name)) {
            return Some(&self.units[i]);
        }
        let (outer, inner) = name.trim().strip_suffix(')')?.rsplit_once('(')?;
        let (outer, inner) = (self.index.get(&key(outer))?, self.index.get(&key(inner))?);
        (outer == inner).then(|| &self.units[*outer])
    }

    /// The units a name that is not one comes nearest to: one when one is clearly
    /// nearest, a few when they are as near, none when nothing is near.
    pub fn near(&self, typed: &str) -> Vec<&Unit> {
        let mut scored: Vec<(usize, &Unit)> = self
            .units
            .iter()
            .filter_map(|unit| {
                std::iter::once(&unit.name)
                    .chain(&unit.aliases)
                    .filter_map(|label| nearness(typed, label))
                    .min()
                    .map(|score| (score, unit))
            })
            .collect();
        let Some(best) = scored.iter().map(|(score, _)| *score).min() else {
            return Vec::new();
        };
        scored.retain(|(score, _)| *score == best);
        if scored.len() > 3 {
            return Vec::new();
        }
        scored.into_iter().map(|(_, unit)| unit).collect()
    }

    /// "A (alias, alias), B (...)": the list an unknown-unit message shows.
    pub fn known_units(&self) -> String {
        // A message stays a line: an office with hundreds of units is pointed to the list.
        const SHOWN: usize = 12;
        let more = self.units.len().saturating_sub(SHOWN);
        let shown = self
            .units
            .iter()
            .take(SHOWN)
            .map(|u| {
                if u.aliases.is_empty() {
                    u.name.clone()
                } else {
                    format!("{} ({})", u.name, u.aliases.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        if more == 0 {
            shown
        } else {
            format!("{shown}, and {more} more (sigblock units lists them all)")
        }
    }
}

impl Contact {
    /// The contact sentence up to its address ("<about>, please contact the <team> at"),
    /// written once here: the HTML links the address after it, the text writes it out.
    pub fn lead(&self) -> String {
        format!("{}, please contact the {} at", self.about, self.team)
    }

    /// The contact sentence as plain text.
    pub fn line(&self) -> String {
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
        assert_eq!(
            dir.find("C.T.R.T.").unwrap().name,
            "Child Trafficking Response Team"
        );
        assert_eq!(dir.find("rpb!").unwrap().name, "Refugee Programs Bureau");
    }

    #[test]
    fn a_unit_written_as_its_name_and_alias_is_that_unit() {
        let dir = Directory::embedded();
        for typed in [
            "Child Trafficking Response Team (CTRT)",
            "child trafficking response team (ctrt) ",
            "Refugee Programs Bureau (RPB)",
            "CSEC",
            "CFSD/CTRT",
            "Refugee Programs Branch",
        ] {
            assert!(dir.find(typed).is_some(), "{typed}");
        }
        assert_eq!(
            dir.find("Refugee Programs Branch").unwrap().name,
            "Refugee Programs Bureau"
        );
        // The two halves must name one unit.
        assert!(dir.find("Child Trafficking Response Team (RPB)").is_none());
        assert!(dir.find("Payroll (CTRT)").is_none());
    }

    #[test]
    fn near_misses_are_answered_with_the_nearest_unit() {
        let dir = Directory::embedded();
        let near = |typed: &str| -> Vec<String> {
            dir.near(typed)
                .into_iter()
                .map(|u| u.name.clone())
                .collect()
        };
        for (typed, unit) in [
            ("CSEC", "Child Trafficking Response Team"),
            ("ctrt team", "Child Trafficking Response Team"),
            ("Refugee Programs", "Refugee Programs Bureau"),
            ("Asylee and Trafficking", "Asylee and Trafficking Unit"),
            ("RBP", "Refugee Programs Bureau"),
            ("CTPU", "Child Trafficking Program Support Unit"),
            ("Refugee Bureau", "Refugee Programs Bureau"),
        ] {
            assert_eq!(near(typed), [unit], "{typed}");
        }
        assert_eq!(near("Trafficking").len(), 3);
        assert!(near("Payroll").is_empty());
        assert!(near("HR").is_empty());
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
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
