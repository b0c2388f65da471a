//! HR's batch: CSV rows ─► validate ─► slug ─► signatures on disk (both cores), plus
//! `report.csv` (every row: made or why not) and `index.html` (a gallery to review).
//!
//! Rows stream through in chunks: memory stays flat however long the file. Slugs are
//! claimed in input order before the parallel part, so the output does not depend on
//! thread timing and a rerun makes the same files byte for byte.

mod gallery;
mod report;

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::files::{OutputFolder, Refusal};
use crate::output::SignatureWriter;
use crate::person::{InvalidPerson, Person, MAX_FIELD_CHARS};
use crate::slug::Slugs;
use crate::staff::{Row, StaffFile, Unreadable};
use crate::units::Directory;
use gallery::Gallery;
use report::{Report, ReportLine, Status};

/// Rows handled per parallel step: enough to keep both cores busy, few enough that
/// memory does not depend on the file.
const CHUNK: usize = 256;

/// How a batch ended.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    pub(crate) made: u64,
    pub(crate) refused: u64,
}

/// Why a row was not made.
#[derive(Debug, thiserror::Error)]
enum NotMade {
    #[error(transparent)]
    Unreadable(#[from] Unreadable),
    #[error(transparent)]
    Invalid(#[from] InvalidPerson),
    /// Its files may not be written, or could not be (said in plain words).
    #[error(transparent)]
    Files(#[from] Refusal),
}

pub(crate) struct Batch<'a> {
    pub(crate) writer: &'a SignatureWriter<'a>,
    pub(crate) directory: &'a Directory,
    pub(crate) folder: &'a OutputFolder,
    /// The CSV's name as the person gave it, for the gallery's title.
    pub(crate) source: &'a Path,
}

/// A row after its checks: the person and their slug, or why it cannot be made.
struct Checked<'d> {
    line: u64,
    /// The name as typed, for the report (empty when the row could not be read).
    name: String,
    person: Result<(Person<'d>, String), NotMade>,
}

impl<'d> Checked<'d> {
    fn new(row: Row, directory: &'d Directory, slugs: &mut Slugs) -> Checked<'d> {
        // As typed, but cut short: a pasted paragraph need not be copied into the report.
        let name = row
            .person
            .as_ref()
            .map(|p| p.name.chars().take(MAX_FIELD_CHARS).collect())
            .unwrap_or_default();
        let person = row
            .person
            .map_err(NotMade::from)
            .and_then(|input| Ok(input.validate(directory)?))
            .map(|person| {
                let slug = slugs.claim(&person.name);
                (person, slug)
            });
        Checked {
            line: row.line,
            name,
            person,
        }
    }
}

/// A made row: its files (relative to the output folder) and its gallery card.
struct MadeRow {
    files: String,
    card: String,
}

impl Batch<'_> {
    /// Writes one person's signature files and renders their gallery card.
    fn make(&self, person: &Person<'_>, slug: &str, line: u64) -> Result<MadeRow, Refusal> {
        let made = self.writer.write_into(self.folder, person, slug)?;
        let files = relative(&made.files, self.folder.root());
        let card = gallery::card(
            self.writer.templates,
            self.writer.banner,
            &made.signature,
            slug,
            line,
            &files,
        );
        Ok(MadeRow {
            files: files.join(" "),
            card,
        })
    }

    /// Makes every row it can; a refused row is reported and costs no other row. An
    /// error is fatal: the report, the gallery or its banner cannot be written.
    pub(crate) fn run(&self, staff: StaffFile) -> Result<Summary, Refusal> {
        let progress = progress_bar(staff.len);
        let mut report = Report::new(self.folder.stage("report.csv")?)?;
        let mut gallery = Gallery::start(
            self.writer.templates,
            self.folder,
            self.source,
            self.writer.banner,
        )?;

        let mut slugs = Slugs::default();
        // index.html is the gallery: someone named "Index" gets index-2.html.
        slugs.reserve("index");
        let mut summary = Summary::default();
        let mut staff = staff.peekable();
        while staff.peek().is_some() {
            let rows: Vec<Row> = staff.by_ref().take(CHUNK).collect();
            let last_byte = rows.last().map_or(0, |r| r.byte);

            // Sequential: check each row and claim its slug in input order.
            let checked: Vec<Checked> = rows
                .into_iter()
                .map(|row| Checked::new(row, self.directory, &mut slugs))
                .collect();

            // Parallel: render and write each signature and its gallery card.
            let outcomes: Vec<Option<Result<MadeRow, Refusal>>> = checked
                .par_iter()
                .map(|row| {
                    let (person, slug) = row.person.as_ref().ok()?;
                    Some(self.make(person, slug, row.line))
                })
                .collect();

            // Sequential again: report, gallery, messages, in input order.
            for (row, outcome) in checked.into_iter().zip(outcomes) {
                let line = row.line;
                let made = match (row.person, outcome) {
                    (_, Some(Ok(made))) => Ok(made),
                    (_, Some(Err(refusal))) => Err(NotMade::from(refusal)),
                    (Err(not_made), None) => Err(not_made),
                    (Ok(_), None) => unreachable!("a checked row is made"),
                };
                match made {
                    Ok(made) => {
                        gallery.put(&made.card)?;
                        report.line(ReportLine {
                            line,
                            status: Status::Made,
                            name: &row.name,
                            files: &made.files,
                            reason: "",
                        })?;
                        summary.made += 1;
                    }
                    Err(not_made) => {
                        let reason = not_made.to_string();
                        progress.suspend(|| tell!("line {line}: {reason}"));
                        report.line(ReportLine {
                            line,
                            status: Status::Refused,
                            name: &row.name,
                            files: "",
                            reason: &reason,
                        })?;
                        summary.refused += 1;
                    }
                }
            }
            progress.set_position(last_byte);
            progress.set_message(format!("{} made", indicatif::HumanCount(summary.made)));
        }
        progress.finish_and_clear();

        gallery.finish(self.folder)?;
        report.finish(self.folder)?;
        Ok(summary)
    }
}

/// File names relative to the output folder, with `/`, for the report and the gallery.
fn relative(files: &[PathBuf], out: &Path) -> Vec<String> {
    files
        .iter()
        .map(|f| {
            f.strip_prefix(out)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// A progress bar on a terminal; nothing at all when stderr is not one.
fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {percent:>3}% {msg} ({elapsed})")
            .expect("valid template"),
    );
    bar
}
