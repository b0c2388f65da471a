//! `report.csv`: every row of the staff file and what became of it, made to open right
//! in Excel by double-click: UTF-8 with a byte-order mark (else Excel reads it as ANSI),
//! CRLF, and every cell a spreadsheet would run as a formula written as text.

use serde::Serialize;

use crate::files::{OutputFolder, Refusal, Staged};
use crate::person::Identity;

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Made,
    Refused,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Made => "made",
            Status::Refused => "refused",
        }
    }
}

/// One report line: a record of the CSV, the person as typed, and what became of it.
pub(super) struct ReportLine<'a> {
    /// The row Excel shows the record on (a line break inside a quoted cell stays in its
    /// cell), then the file's line.
    pub(super) row: u64,
    pub(super) line: u64,
    pub(super) status: Status,
    pub(super) person: &'a Typed,
    pub(super) files: &'a str,
    pub(super) reason: &'a str,
    /// "same name as row 7": two people HR must tell apart.
    pub(super) note: &'a str,
    /// The signature page prefilled with the person (`--page-url`; made rows only).
    pub(super) link: &'a str,
}

/// What a row says of its person, as typed (cut short), for the report.
#[derive(Debug, Default)]
pub(super) struct Typed {
    pub(super) name: String,
    pub(super) title: String,
    pub(super) unit: String,
    pub(super) email: String,
    pub(super) phone: String,
}

/// The columns of `report.csv`, in the order [`Report::line`] writes them.
const COLUMNS: [&str; 11] = [
    "row", "line", "status", "name", "title", "unit", "email", "phone", "files", "reason", "note",
];

/// The column a batch with `--page-url` adds, after the others.
const LINK: &str = "link";

/// `report.csv`, streamed into a temporary file and put in place whole at the end.
pub(super) struct Report {
    csv: csv::Writer<Staged>,
    links: bool,
}

impl Report {
    /// A report with [`COLUMNS`], and a `link` column when `links`.
    pub(super) fn new(mut staged: Staged, links: bool) -> Result<Report, Refusal> {
        staged.put("\u{FEFF}".as_bytes())?;
        // The header is written by hand: csv writes it only with a first row, and a
        // report of no rows still needs its columns.
        let mut report = Report {
            csv: csv::WriterBuilder::new()
                .has_headers(false)
                .terminator(csv::Terminator::CRLF)
                .from_writer(staged),
            links,
        };
        let header = COLUMNS.iter().chain(links.then_some(&LINK));
        report.put(|csv| csv.write_record(header))?;
        Ok(report)
    }

    pub(super) fn line(&mut self, line: ReportLine<'_>) -> Result<(), Refusal> {
        let (row, number) = (line.row.to_string(), line.line.to_string());
        let p = line.person;
        let cells = [
            &row[..],
            &number,
            line.status.word(),
            &as_text(&p.name),
            &as_text(&p.title),
            &as_text(&p.unit),
            &as_text(&p.email),
            &as_text(&p.phone),
            &as_text(line.files),
            &as_text(line.reason),
            &as_text(line.note),
        ];
        let link = self.links.then(|| as_text(line.link));
        self.put(|csv| csv.write_record(cells.iter().copied().chain(link.as_deref())))
    }

    /// A person an earlier run of this staff list made a signature for, whose files this
    /// run removed: no row of the CSV, so no row or line number.
    pub(super) fn removed(&mut self, who: &Identity) -> Result<(), Refusal> {
        let cells = [
            "",
            "",
            "removed",
            &as_text(&who.name),
            "",
            &as_text(&who.unit),
            &as_text(who.email.as_deref().unwrap_or("")),
            "",
            "",
            "no longer in the staff list, or refused now: the signature an earlier run \
             made was removed",
            "",
        ];
        let link = self.links.then_some("");
        self.put(|csv| csv.write_record(cells.into_iter().chain(link)))
    }

    fn put(
        &mut self,
        write: impl FnOnce(&mut csv::Writer<Staged>) -> csv::Result<()>,
    ) -> Result<(), Refusal> {
        let path = self.csv.get_ref().path().to_owned();
        write(&mut self.csv).map_err(|e| Refusal::io(path)(std::io::Error::other(e)))
    }

    pub(super) fn finish(self, folder: &OutputFolder) -> Result<(), Refusal> {
        let path = self.csv.get_ref().path().to_owned();
        let staged = self
            .csv
            .into_inner()
            .map_err(|e| Refusal::io(path)(e.into_error()))?;
        folder.commit(staged)?;
        Ok(())
    }
}

/// A cell as text: one that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return first) gets a leading apostrophe, OWASP's advice against
/// CSV injection, so `=HYPERLINK(...)` shows as typed and never runs. The signatures
/// themselves keep the value as typed.
fn as_text(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_become_text_and_the_rest_stay_as_typed() {
        for formula in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "@SUM(1)",
            "+1 Jones",
            "-Dana",
            "\tx",
            "\rx",
        ] {
            assert_eq!(as_text(formula), format!("'{formula}"));
        }
        for plain in ["Ana Ruiz", "O'Brien", "1+1", "a=b", ""] {
            assert_eq!(as_text(plain), plain);
        }
    }
}
