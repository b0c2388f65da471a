//! Which column holds which field: each header is matched by its [`key`] (without case,
//! spaces, punctuation or a bracketed note such as "[Required]") against the names each
//! field answers to in `assets/columns.toml`. Where a file has several columns for one
//! field, the one listed first there gives it, and a note says so; `--columns
//! field=Header` chooses instead.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::person::Field;
use crate::text::{key, Shown};

const TABLE: &str = include_str!("../../assets/columns.toml");

/// A slot a column can fill: a field, or one half of a name split in two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Field(Field),
    FirstName,
    LastName,
}

impl Slot {
    /// Every slot, in the order `--columns` lists them.
    const ALL: [Slot; 7] = [
        Slot::Field(Field::Name),
        Slot::FirstName,
        Slot::LastName,
        Slot::Field(Field::Title),
        Slot::Field(Field::Unit),
        Slot::Field(Field::Email),
        Slot::Field(Field::Phone),
    ];

    /// The slot's name in `assets/columns.toml` and `--columns`.
    pub fn name(self) -> &'static str {
        match self {
            Slot::Field(field) => field.as_str(),
            Slot::FirstName => "first-name",
            Slot::LastName => "last-name",
        }
    }

    /// Every slot's name, as `--help` and the refusals list them.
    pub fn names() -> String {
        Slot::ALL.map(Slot::name).join(", ")
    }
}

/// A slot by its name (`--columns phone=…`), in any case.
impl std::str::FromStr for Slot {
    type Err = String;

    fn from_str(value: &str) -> Result<Slot, String> {
        let wanted = key(value);
        Slot::ALL
            .into_iter()
            .find(|slot| key(slot.name()) == wanted)
            .ok_or_else(|| {
                format!(
                    "{} is not a field; choose from {}",
                    Shown(value),
                    Slot::names()
                )
            })
    }
}

/// `--columns field=Header`: the column HR chose for a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub slot: Slot,
    pub header: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    fields: BTreeMap<String, Vec<String>>,
    maybe: BTreeMap<String, Vec<String>>,
}

/// The names each slot answers to, in priority order, as keys; and the columns that
/// could give a field if HR chose them.
struct Names {
    fields: Vec<(Slot, Vec<String>)>,
    maybe: Vec<(Slot, Vec<String>)>,
}

impl Names {
    fn built_in() -> Names {
        let table: Table = toml::from_str(TABLE).expect("the built-in columns.toml is valid");
        let slots = |map: BTreeMap<String, Vec<String>>| -> Vec<(Slot, Vec<String>)> {
            map.into_iter()
                .map(|(slot, names)| {
                    let slot = slot.parse().expect("columns.toml names known slots");
                    (slot, names.iter().map(|n| header_key(n)).collect())
                })
                .collect()
        };
        Names {
            fields: slots(table.fields),
            maybe: slots(table.maybe),
        }
    }

    /// Where `key` stands among `slot`'s names (0 is first), if it is one of them.
    fn rank(&self, slot: Slot, key: &str) -> Option<usize> {
        let (_, names) = self.fields.iter().find(|(s, _)| *s == slot)?;
        names.iter().position(|n| n == key)
    }
}

/// How a header is compared: its [`key`], a bracketed note left out ("Email Address
/// [Required]" is "emailaddress").
fn header_key(header: &str) -> String {
    let mut kept = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    key(&kept)
}

/// Where each field's column is.
#[derive(Debug, Clone, Default)]
pub(super) struct Columns {
    by_slot: Vec<(Slot, usize)>,
    /// With no name column: the first-name and last-name columns, joined into the name.
    pub(super) first_last: Option<(usize, usize)>,
}

impl Columns {
    /// The column that holds `field`, if the file has one.
    pub(super) fn of(&self, field: Field) -> Option<usize> {
        self.slot(Slot::Field(field))
    }

    fn slot(&self, slot: Slot) -> Option<usize> {
        self.by_slot
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|&(_, i)| i)
    }

    /// Whether column `i` is read into a field (the others are ignored, and so is
    /// whatever they hold).
    pub(super) fn reads(&self, i: usize) -> bool {
        self.by_slot
            .iter()
            .any(|&(s, c)| c == i && matches!(s, Slot::Field(_)))
            || self
                .first_last
                .is_some_and(|(first, last)| i == first || i == last)
    }
}

/// An optional field (email, phone) as the header gives it: its column, or the columns
/// that could give it if HR chose them.
#[derive(Debug, Clone)]
pub struct Optional {
    pub field: Field,
    pub column: Option<String>,
    pub maybe: Vec<String>,
}

/// What the header row says.
#[derive(Debug)]
pub(super) struct Matched {
    pub(super) columns: Columns,
    /// Said to HR once: which of several columns gives a field, which are ignored.
    pub(super) notes: Vec<String>,
    pub(super) optional: Vec<Optional>,
}

/// The columns of a header row, with HR's `choices` first.
pub(super) fn match_columns(
    headers: &csv::StringRecord,
    choices: &[Choice],
) -> Result<Matched, String> {
    let names = Names::built_in();
    let keys: Vec<String> = headers.iter().map(header_key).collect();
    let mut taken = vec![false; headers.len()];
    let mut columns = Columns::default();
    let mut notes = Vec::new();

    for choice in choices {
        let wanted = header_key(&choice.header);
        let Some(i) = keys.iter().position(|k| *k == wanted && !wanted.is_empty()) else {
            return Err(format!(
                "--columns {}={}: the header has no such column (it has {})",
                choice.slot.name(),
                Shown(&choice.header),
                listed(headers.iter())
            ));
        };
        columns.by_slot.retain(|(s, _)| *s != choice.slot);
        columns.by_slot.push((choice.slot, i));
        taken[i] = true;
    }
    for slot in Slot::ALL {
        if columns.slot(slot).is_some() {
            continue;
        }
        // Every column that answers to the slot, the one listed first in the table first.
        let mut candidates: Vec<(usize, usize)> = keys
            .iter()
            .enumerate()
            .filter(|&(i, _)| !taken[i])
            .filter_map(|(i, k)| Some((names.rank(slot, k)?, i)))
            .collect();
        candidates.sort();
        let Some(&(_, chosen)) = candidates.first() else {
            continue;
        };
        columns.by_slot.push((slot, chosen));
        for &(_, i) in &candidates {
            taken[i] = true;
        }
        if candidates.len() > 1 {
            let others: Vec<String> = candidates[1..]
                .iter()
                .map(|&(_, i)| Shown(&headers[i]).to_string())
                .collect();
            notes.push(format!(
                "the {} is taken from column {}; {} also could give it and {} not used \
                 (--columns {}={} chooses another)",
                slot.name(),
                Shown(&headers[chosen]),
                others.join(", "),
                if others.len() == 1 { "is" } else { "are" },
                slot.name(),
                crate::text::Shown(&headers[candidates[1].1])
            ));
        }
    }
    match (
        columns.of(Field::Name),
        columns.slot(Slot::FirstName),
        columns.slot(Slot::LastName),
    ) {
        (None, Some(first), Some(last)) => {
            columns.first_last = Some((first, last));
            notes.push(format!(
                "no name column; the name is {} and {} joined",
                Shown(&headers[first]),
                Shown(&headers[last])
            ));
        }
        // A name column (or only half a name): first and last names are not read.
        (_, first, last) => {
            for i in [first, last].into_iter().flatten() {
                taken[i] = false;
            }
        }
    }
    columns.by_slot.retain(|(s, _)| matches!(s, Slot::Field(_)));

    let missing: Vec<_> = [Field::Name, Field::Title, Field::Unit]
        .into_iter()
        .filter(|&field| {
            columns.of(field).is_none() && !(field == Field::Name && columns.first_last.is_some())
        })
        .map(|field| field.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "no {} column (the header has {}); the header needs name, title and unit \
             (sigblock knows the columns of Outlook, Active Directory, Microsoft 365 and \
             Google Workspace exports; --columns {}=Header chooses one)",
            missing.join(", no "),
            listed(headers.iter()),
            missing[0]
        ));
    }

    // Columns that answer to no field (the ones that could, but another gave it, are said
    // above).
    let unknown: Vec<&str> = headers
        .iter()
        .enumerate()
        .filter(|&(i, h)| !columns.reads(i) && !taken[i] && !h.is_empty())
        .map(|(_, h)| h)
        .collect();
    if !unknown.is_empty() {
        notes.push(format!(
            "ignoring column{} {}",
            if unknown.len() == 1 { "" } else { "s" },
            listed(unknown.into_iter())
        ));
    }

    let optional = [Field::Email, Field::Phone]
        .into_iter()
        .map(|field| {
            let column = columns.of(field).map(|i| headers[i].to_owned());
            let maybe = names
                .maybe
                .iter()
                .filter(|(slot, _)| *slot == Slot::Field(field))
                .flat_map(|(_, names)| names)
                .filter_map(|name| keys.iter().position(|k| k == name))
                .map(|i| headers[i].to_owned())
                .collect();
            Optional {
                field,
                column,
                maybe,
            }
        })
        .collect();
    Ok(Matched {
        columns,
        notes,
        optional,
    })
}

/// A few headers for a message, each quoted and cut short, then how many more: a garbage
/// "header" can be the whole file, or ten thousand columns.
fn listed<'h>(headers: impl Iterator<Item = &'h str>) -> String {
    const SHOWN: usize = 8;
    let mut seen = Vec::new();
    let mut more = 0usize;
    for header in headers {
        if seen.len() < SHOWN {
            seen.push(Shown(header).to_string());
        } else {
            more += 1;
        }
    }
    if more > 0 {
        seen.push(format!("and {more} more"));
    }
    if seen.is_empty() {
        "nothing".into()
    } else {
        seen.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(names.to_vec())
    }

    fn field(matched: &Matched, field: Field, headers: &[&str]) -> Option<String> {
        matched.columns.of(field).map(|i| headers[i].to_owned())
    }

    #[test]
    fn the_built_in_table_names_only_known_slots() {
        let names = Names::built_in();
        assert_eq!(names.fields.len(), Slot::ALL.len());
        assert_eq!(header_key("Email Address [Required]"), "emailaddress");
        assert_eq!(header_key("E-mail Address"), "emailaddress");
    }

    #[test]
    fn active_directory_display_name_comes_before_name_and_says_so() {
        let h = [
            "DisplayName",
            "GivenName",
            "Name",
            "Title",
            "Department",
            "mail",
            "EmailAddress",
            "OfficePhone",
            "telephoneNumber",
            "mobile",
        ];
        let matched = match_columns(&header(&h), &[]).unwrap();
        assert_eq!(
            field(&matched, Field::Name, &h).as_deref(),
            Some("DisplayName")
        );
        assert_eq!(
            field(&matched, Field::Email, &h).as_deref(),
            Some("EmailAddress")
        );
        assert_eq!(
            field(&matched, Field::Phone, &h).as_deref(),
            Some("OfficePhone")
        );
        let said = matched.notes.join("\n");
        assert!(
            said.contains("the name is taken from column \"DisplayName\"; \"Name\" also"),
            "{said}"
        );
        assert!(said.contains("--columns name=\"Name\""), "{said}");
        assert!(
            said.ends_with("ignoring columns \"GivenName\", \"mobile\""),
            "{said}"
        );
        let phone = &matched.optional[1];
        assert_eq!(phone.column.as_deref(), Some("OfficePhone"));
        assert_eq!(phone.maybe, ["mobile"]);
    }

    #[test]
    fn hr_chooses_a_column_with_columns() {
        let h = ["Name", "Title", "Department", "Mobile Number"];
        let choices = [Choice {
            slot: Slot::Field(Field::Phone),
            header: "mobile number".into(),
        }];
        let matched = match_columns(&header(&h), &choices).unwrap();
        assert_eq!(
            field(&matched, Field::Phone, &h).as_deref(),
            Some("Mobile Number")
        );
        let error = match_columns(
            &header(&h),
            &[Choice {
                slot: Slot::Field(Field::Phone),
                header: "Cell".into(),
            }],
        )
        .unwrap_err();
        assert!(error.starts_with("--columns phone=\"Cell\": the header has no such column"));
    }

    #[test]
    fn thousands_of_unknown_columns_make_one_short_note() {
        let mut h = vec!["name".to_owned(), "title".into(), "unit".into()];
        h.extend((0..10_000).map(|i| format!("extra {i}")));
        let matched = match_columns(&csv::StringRecord::from(h), &[]).unwrap();
        let note = matched.notes.last().unwrap();
        assert!(note.ends_with("and 9992 more"), "{note}");
        assert!(note.len() < 200, "{}", note.len());
    }
}
