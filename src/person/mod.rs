//! A person as typed (flags or a CSV row), and the checks that turn it into a [`Person`]
//! a signature can be made for. Everything here is plain text: nothing is parsed as markup.

use std::fmt;

use crate::text::{damage, is_bidi_control, is_blank, is_line_break, Damage, Shown};
use crate::units::{Directory, Unit};

mod phone;

pub(crate) use phone::Phone;
/// How a phone number may be written: said by the refusal and by `--help`.
pub use phone::FORMS as PHONE_FORMS;
use phone::{check_phone, tel_target};

/// The longest value a field may hold, in characters. A signature line longer than this
/// is a spreadsheet accident (a pasted paragraph), not a name or a title.
pub const MAX_FIELD_CHARS: usize = 200;

/// Who a signature is for, as an output folder's record keeps it: enough to tell one
/// person from another whose names give the same file name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub unit: String,
}

impl Identity {
    pub fn of(person: &Person<'_>) -> Identity {
        Identity {
            name: person.name.clone(),
            email: person.email.clone(),
            unit: person.unit.name.clone(),
        }
    }

    /// Whether `other` is the same person: the same email address (in any case), or,
    /// when either has none, the same name. A unit or a title may change; a person is
    /// still themselves.
    pub fn same_person(&self, other: &Identity) -> bool {
        match (&self.email, &other.email) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => self.name == other.name,
        }
    }

    /// What differs from `earlier`, in words ("unit: RPB → CTRT"), for the note that
    /// says a person's own signature was replaced.
    pub fn changes_since(&self, earlier: &Identity) -> Vec<String> {
        let mut changes = Vec::new();
        let mut compare = |what: &str, before: &str, now: &str| {
            if before != now {
                changes.push(format!("{what}: {} → {}", Shown(before), Shown(now)));
            }
        };
        compare("name", &earlier.name, &self.name);
        compare(
            "email",
            earlier.email.as_deref().unwrap_or("none"),
            self.email.as_deref().unwrap_or("none"),
        );
        compare("unit", &earlier.unit, &self.unit);
        changes
    }
}

/// "Ana Ruiz (ana.ruiz@dss.ca.gov, Child Trafficking Response Team)", control
/// characters escaped.
impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::text::plain;
        write!(f, "{} (", plain(&self.name))?;
        if let Some(email) = &self.email {
            write!(f, "{}, ", plain(email))?;
        }
        write!(f, "{})", plain(&self.unit))
    }
}

/// What a person typed, before any check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonInput {
    pub name: String,
    pub title: String,
    pub unit: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A person whose every field passed its check.
#[derive(Debug, Clone)]
pub struct Person<'d> {
    pub name: String,
    pub title: String,
    pub unit: &'d Unit,
    pub email: Option<String>,
    pub phone: Option<Phone>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Title,
    Unit,
    Email,
    Phone,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Title => "title",
            Field::Unit => "unit",
            Field::Email => "email",
            Field::Phone => "phone",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field that failed its check: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("is empty")]
    Empty,
    #[error("{} contains a line break; a signature field is one line", Shown(.0))]
    LineBreak(String),
    #[error("{} contains the control character U+{code:04X}", Shown(.0), code = .1)]
    Control(String, u32),
    #[error("{} is too long ({len} characters; at most {MAX_FIELD_CHARS})", Shown(.0), len = .1)]
    TooLong(String, usize),
    #[error("{} {}", Shown(.0), damage_words(.1))]
    Damaged(String, Damage),
    #[error("{} is not an email address ({why})", Shown(.0), why = .1)]
    Email(String, &'static str),
    #[error("{} is not a phone number ({})", Shown(.0), phone::FORMS)]
    Phone(String),
    #[error("{} is not a known unit; known units: {known}", Shown(.0), known = .1)]
    UnknownUnit(String, String),
    /// A near miss: the units it comes nearest to, as "Name (ALIAS)".
    #[error("{} is not a known unit; did you mean {}? (sigblock units lists them all)", Shown(.0), .1)]
    NearUnit(String, String),
}

/// Every field that failed, in field order; displayed as `field: reason; field: reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InvalidPerson(pub Vec<FieldError>);

impl fmt::Display for InvalidPerson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl PersonInput {
    /// Checks every field against the unit directory; collects every problem, not just
    /// the first, so a spreadsheet row can be fixed in one go.
    pub fn validate<'d>(&self, directory: &'d Directory) -> Result<Person<'d>, InvalidPerson> {
        let mut errors = Vec::new();
        let mut check = |field: Field, result: Result<String, Problem>| match result {
            Ok(value) => Some(value),
            Err(problem) => {
                errors.push(FieldError { field, problem });
                None
            }
        };

        let name = check(Field::Name, required_line(&self.name).and_then(undamaged));
        let title = check(Field::Title, required_line(&self.title).and_then(undamaged));
        let unit = check(
            Field::Unit,
            required_line(&self.unit).and_then(|unit| {
                directory
                    .find(&unit)
                    .map(|found| found.name.clone())
                    .ok_or_else(|| unknown_unit(unit, directory))
            }),
        );
        let email = optional(&self.email)
            .map(|email| check(Field::Email, one_line(email).and_then(|e| check_email(&e))));
        let phone = optional(&self.phone)
            .map(|phone| check(Field::Phone, one_line(phone).and_then(|p| check_phone(&p))));

        if !errors.is_empty() {
            return Err(InvalidPerson(errors));
        }
        let unit = unit
            .and_then(|u| directory.find(&u))
            .expect("unit was found above");
        Ok(Person {
            name: name.expect("checked"),
            title: title.expect("checked"),
            unit,
            email: email.flatten(),
            phone: phone.flatten().map(|display| Phone {
                tel: tel_target(&display),
                display,
            }),
        })
    }
}

/// The refusal of a unit that is not one: the nearest units when it is a near miss
/// ("did you mean ...?"), else every known unit.
fn unknown_unit(typed: String, directory: &Directory) -> Problem {
    // Never "did you mean" what was typed.
    let named: Vec<String> = directory
        .near(&typed)
        .iter()
        .map(|unit| match unit.aliases.first() {
            Some(alias) => format!("{} ({alias})", unit.name),
            None => unit.name.clone(),
        })
        .filter(|named| crate::text::key(named) != crate::text::key(&typed))
        .collect();
    if named.is_empty() {
        return Problem::UnknownUnit(typed, directory.known_units());
    }
    let said = match named.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        [] => unreachable!("near is not empty"),
    };
    Problem::NearUnit(typed, said)
}

/// Refuses text plainly damaged on its way here (a letter lost to `?`, mojibake): made
/// into a signature, it would carry the damage into every email.
fn undamaged(value: String) -> Result<String, Problem> {
    match damage(&value) {
        Some(how) => Err(Problem::Damaged(value, how)),
        None => Ok(value),
    }
}

/// What happened to damaged text, and what to do.
fn damage_words(how: &Damage) -> String {
    const REDO: &str = "retype it, or save the staff list again as \"CSV UTF-8 (Comma \
                        delimited)\" and run again";
    match how {
        Damage::Question => format!(
            "has ? where a letter should be: the letter was lost when the file was saved in \
             an encoding that has no room for it; {REDO}"
        ),
        Damage::Replacement => {
            format!("holds \u{FFFD}, the mark of a character lost before sigblock read it; {REDO}")
        }
        Damage::Mojibake(run) => format!(
            "has {} where one letter should be: UTF-8 text was read as Windows-1252 and \
             saved again (Excel does this when it opens a CSV UTF-8 file by double-click); \
             {REDO}",
            Shown(run)
        ),
    }
}

/// An optional field counts as absent when it is missing or only white space.
fn optional(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !is_blank(v))
}

/// A field that must say something: a value of only white space or invisible characters
/// (a zero-width space, a byte-order mark, a Hangul filler) is empty.
fn required_line(value: &str) -> Result<String, Problem> {
    if is_blank(value) {
        return Err(Problem::Empty);
    }
    one_line(value)
}

/// Trims the value (white space, and the invisible marks a copy or a CSV leaves at its
/// edges: a byte-order mark, a zero-width space, a word joiner) and refuses what cannot
/// stand on one line of a signature.
fn one_line(value: &str) -> Result<String, Problem> {
    let value = value.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}' | '\u{2060}')
    });
    if value.chars().any(is_line_break) {
        return Err(Problem::LineBreak(value.to_owned()));
    }
    if let Some(c) = value
        .chars()
        .find(|&c| c.is_control() || is_bidi_control(c))
    {
        return Err(Problem::Control(value.to_owned(), c as u32));
    }
    let len = value.chars().count();
    if len > MAX_FIELD_CHARS {
        return Err(Problem::TooLong(value.to_owned(), len));
    }
    Ok(value.to_owned())
}

fn check_email(email: &str) -> Result<String, Problem> {
    let invalid = |why| Problem::Email(email.to_owned(), why);
    let parsed: email_address::EmailAddress = email
        .parse()
        .map_err(|_| invalid("expected name@example.org"))?;
    // The crate accepts forms no mail client offers for a signature link: display names,
    // quoted local parts, IP-literal or dot-less domains. Ask for the plain form.
    if parsed.as_str() != email || email.contains(['<', '>', '"', ' ', '[', ']']) {
        return Err(invalid("expected name@example.org"));
    }
    // A mailto: link would read these as its own syntax (?cc=, #fragment, %20).
    if email.contains(['?', '#', '%']) {
        return Err(invalid("? # and % cannot stand in a mail link"));
    }
    let domain = parsed.domain();
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(invalid("the domain needs a dot, as in dss.ca.gov"));
    }
    Ok(email.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directory() -> Directory {
        Directory::embedded()
    }

    fn input(name: &str, title: &str, unit: &str) -> PersonInput {
        PersonInput {
            name: name.into(),
            title: title.into(),
            unit: unit.into(),
            ..Default::default()
        }
    }

    #[test]
    fn trims_and_resolves_the_unit_by_alias() {
        let dir = directory();
        let person = input("  Ana Ruiz ", "Analyst", " ctrt ")
            .validate(&dir)
            .unwrap();
        assert_eq!(person.name, "Ana Ruiz");
        assert_eq!(person.unit.name, "Child Trafficking Response Team");
    }

    #[test]
    fn reports_every_bad_field_in_order() {
        let dir = directory();
        let mut bad = input("", "Line\nbreak", "Nowhere");
        bad.email = Some("ana@".into());
        let err = bad.validate(&dir).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [Field::Name, Field::Title, Field::Unit, Field::Email]
        );
        let text = err.to_string();
        assert!(text.starts_with("name: is empty; title: \"Line\\nbreak\" contains a line break"));
        assert!(text.contains("unit: \"Nowhere\" is not a known unit; known units: "));
        assert!(text.contains("Asylee and Trafficking Unit"));
    }

    #[test]
    fn one_person_is_their_email_or_else_their_name() {
        let who = |name: &str, email: Option<&str>, unit: &str| Identity {
            name: name.into(),
            email: email.map(Into::into),
            unit: unit.into(),
        };
        let ana = who("Ana Ruiz", Some("ana.ruiz@dss.ca.gov"), "CTRT");
        assert!(ana.same_person(&who("Ana Ruiz", Some("Ana.Ruiz@DSS.ca.gov"), "RPB")));
        assert!(ana.same_person(&who("Ana M. Ruiz", Some("ana.ruiz@dss.ca.gov"), "CTRT")));
        assert!(!ana.same_person(&who("Ana Ruiz", Some("aruiz2@dss.ca.gov"), "CTRT")));
        assert!(ana.same_person(&who("Ana Ruiz", None, "RPB")));
        assert!(!who("José Núñez", None, "RPB").same_person(&who("José Nunez", None, "RPB")));
        let moved = who("Ana Ruiz", Some("ana.ruiz@dss.ca.gov"), "RPB");
        assert_eq!(moved.changes_since(&ana), ["unit: \"CTRT\" → \"RPB\""]);
        assert_eq!(ana.to_string(), "Ana Ruiz (ana.ruiz@dss.ca.gov, CTRT)");
        assert_eq!(who("Li", None, "RPB").to_string(), "Li (RPB)");
    }

    #[test]
    fn emails() {
        for ok in ["ana.ruiz@dss.ca.gov", "a+b@x.org"] {
            assert_eq!(check_email(ok).unwrap(), ok);
        }
        for bad in [
            "ana",
            "ana@",
            "@dss.ca.gov",
            "ana@localhost",
            "Ana <ana@dss.ca.gov>",
            "ana@dss..gov",
            "a b@x.org",
            "ana?cc=boss@dss.ca.gov",
            "a#b@dss.ca.gov",
            "a%20b@dss.ca.gov",
        ] {
            assert!(check_email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn control_characters_and_length() {
        assert!(matches!(one_line("a\u{7}b"), Err(Problem::Control(_, 7))));
        assert!(matches!(one_line("a\u{2028}b"), Err(Problem::LineBreak(_))));
        assert!(matches!(
            one_line("\u{202E}Ana"),
            Err(Problem::Control(_, 0x202E))
        ));
        assert!(matches!(
            one_line("a\u{2066}b"),
            Err(Problem::Control(_, 0x2066))
        ));
        assert_eq!(one_line("Ana \u{200F}").unwrap(), "Ana \u{200F}");
        let long = "x".repeat(MAX_FIELD_CHARS + 1);
        let err = one_line(&long).unwrap_err().to_string();
        assert!(
            err.contains("(cut short) is too long (201 characters; at most 200)"),
            "{err}"
        );
        // Right-to-left, CJK and emoji names are names.
        for name in ["نور الهدى", "王小明", "José 🌟 Núñez"] {
            assert_eq!(one_line(name).unwrap(), name);
        }
    }
}
