//! `report.csv`: every row of the staff file and what became of it.

use serde::Serialize;

use crate::files::{OutputFolder, Refusal, Staged};

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Made,
    Refused,
}

/// One report line: an input line and what became of it.
#[derive(Serialize)]
pub(super) struct ReportLine<'a> {
    pub(super) line: u64,
    pub(super) status: Status,
    pub(super) name: &'a str,
    pub(super) files: &'a str,
    pub(super) reason: &'a str,
}

/// The columns of `report.csv`, in the order of [`ReportLine`]'s fields.
const COLUMNS: [&str; 5] = ["line", "status", "name", "files", "reason"];

/// `report.csv`, streamed into a temporary file and put in place whole at the end.
pub(super) struct Report {
    csv: csv::Writer<Staged>,
}

impl Report {
    pub(super) fn new(staged: Staged) -> Result<Report, Refusal> {
        // The header is written by hand: csv writes it only with a first row, and a
        // report of no rows still needs its columns.
        let mut report = Report {
            csv: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(staged),
        };
        report.put(|csv| csv.write_record(COLUMNS))?;
        Ok(report)
    }

    pub(super) fn line(&mut self, line: ReportLine<'_>) -> Result<(), Refusal> {
        self.put(|csv| csv.serialize(line))
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
