//! Which column holds which field: header names matched without case, spaces or
//! punctuation, against each field's aliases ("Full Name", "E-mail", "Job Title", ...).

use crate::person::Field;
use crate::text::{key, Shown};

/// The header names each field answers to, compared without case, spaces or punctuation.
const COLUMN_ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &[
            "name",
            "fullname",
            "staffname",
            "employeename",
            "displayname",
            "employee",
        ],
    ),
    (
        Field::Title,
        &["title", "jobtitle", "position", "role", "job"],
    ),
    (
        Field::Unit,
        &[
            "unit",
            "department",
            "dept",
            "program",
            "team",
            "bureau",
            "division",
            "section",
        ],
    ),
    (
        Field::Email,
        &["email", "emailaddress", "mail", "workemail", "officeemail"],
    ),
    (
        Field::Phone,
        &[
            "phone",
            "telephone",
            "phonenumber",
            "tel",
            "workphone",
            "officephone",
        ],
    ),
];

/// The fields every row must have.
const REQUIRED: [Field; 3] = [Field::Name, Field::Title, Field::Unit];

/// Header names of a first name and a last name (HR exports often split the name).
const FIRST_NAME: &[&str] = &["firstname", "givenname", "first", "forename"];
const LAST_NAME: &[&str] = &["lastname", "surname", "familyname", "last"];

/// Where each field's column is, by field.
#[derive(Debug, Clone, Default)]
pub(super) struct Columns {
    by_field: Vec<(Field, usize)>,
    /// With no name column: the first-name and last-name columns, joined into the name.
    pub(super) first_last: Option<(usize, usize)>,
}

impl Columns {
    /// The column that holds `field`, if the file has one.
    pub(super) fn of(&self, field: Field) -> Option<usize> {
        self.by_field
            .iter()
            .find(|(f, _)| *f == field)
            .map(|&(_, i)| i)
    }

    /// Whether column `i` is read into a field (the others are ignored, and so is
    /// whatever they hold).
    pub(super) fn reads(&self, i: usize) -> bool {
        self.by_field.iter().any(|&(_, c)| c == i)
            || self
                .first_last
                .is_some_and(|(first, last)| i == first || i == last)
    }
}

/// The columns of a header row, and the names of those that give no field.
pub(super) fn match_columns(headers: &csv::StringRecord) -> Result<(Columns, Vec<String>), String> {
    let mut columns = Columns::default();
    let mut unknown = Vec::new();
    let (mut first, mut last) = (None, None);
    for (i, header) in headers.iter().enumerate() {
        let key = key(header);
        if FIRST_NAME.contains(&key.as_str()) && first.is_none() {
            first = Some(i);
            continue;
        }
        if LAST_NAME.contains(&key.as_str()) && last.is_none() {
            last = Some(i);
            continue;
        }
        let field = COLUMN_ALIASES
            .iter()
            .find(|(_, aliases)| aliases.contains(&key.as_str()))
            .map(|&(field, _)| field);
        match field {
            Some(field) => {
                if let Some(first) = columns.of(field) {
                    return Err(format!(
                        "columns {:?} and {:?} both give the {field}; keep one",
                        &headers[first], header
                    ));
                }
                columns.by_field.push((field, i));
            }
            None if header.is_empty() => {}
            None => unknown.push(header.to_owned()),
        }
    }
    match (columns.of(Field::Name), first, last) {
        (None, Some(first), Some(last)) => columns.first_last = Some((first, last)),
        // A name column: first and last names are other columns, noted as ignored.
        (_, first, last) => unknown.extend(
            [first, last]
                .into_iter()
                .flatten()
                .map(|i| headers[i].to_owned()),
        ),
    }
    let missing: Vec<_> = REQUIRED
        .iter()
        .filter(|&&field| {
            columns.of(field).is_none() && !(field == Field::Name && columns.first_last.is_some())
        })
        .map(|field| field.to_string())
        .collect();
    if !missing.is_empty() {
        // A garbage "header" can be the whole file: show a few columns, each cut short.
        const SHOWN: usize = 8;
        let mut seen: Vec<_> = headers
            .iter()
            .take(SHOWN)
            .map(|h| Shown(h).to_string())
            .collect();
        if headers.len() > SHOWN {
            seen.push(format!("and {} more", headers.len() - SHOWN));
        }
        return Err(format!(
            "no {} column (the header has {}); the header needs name, title and unit",
            missing.join(", no "),
            if seen.is_empty() {
                "nothing".into()
            } else {
                seen.join(", ")
            }
        ));
    }
    Ok((columns, unknown))
}
