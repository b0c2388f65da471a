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

use crate::files::{FolderError, KeptFrom, OutputFolder, Refusal};
use crate::output::limits::{self, Crossed, Limit};
use crate::output::names::{self, REPORT};
use crate::output::SignatureWriter;
use crate::person::{InvalidPerson, Person, MAX_FIELD_CHARS};
use crate::slug::Slugs;
use crate::staff::{Row, StaffFile, Unreadable};
use crate::units::Directory;
use gallery::Gallery;
use report::{Report, ReportLine, Status, Typed};

/// Rows handled per parallel step: enough to keep both cores busy, few enough that
/// memory does not depend on the file.
const CHUNK: usize = 256;

/// How a batch ended.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub(crate) made: u64,
    pub(crate) refused: u64,
    /// The slugs this run handed out: the people still in the CSV.
    pub(crate) slugs: Slugs,
    /// The people whose signatures an earlier run of this staff list made, removed now.
    pub(crate) removed: Removed,
    /// Files other runs made in the folder, kept, by who made them.
    pub(crate) kept: std::collections::BTreeMap<KeptFrom, usize>,
    /// Rows that give an email address, a phone number.
    pub(crate) with_email: u64,
    pub(crate) with_phone: u64,
    /// The signatures over a client's limit, by limit: how many, and the most measured.
    pub(crate) crossed: std::collections::BTreeMap<Limit, (u64, u64)>,
}

/// The people a rerun removed: how many, and the first few names.
#[derive(Debug, Default)]
pub(crate) struct Removed {
    pub(crate) people: u64,
    pub(crate) first: Vec<String>,
}

/// How many removed people a message names before it counts the rest.
pub(crate) const NAMED: usize = 10;

/// Why a batch stopped before its report and gallery were put in place.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Stopped {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Folder(#[from] FolderError),
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
    /// `--page-url`: each made person's prefilled link to the signature page.
    pub(crate) page_url: Option<&'a str>,
}

/// A row after its checks: the person and their slug, or why it cannot be made.
struct Checked<'d> {
    line: u64,
    row: u64,
    /// The person as typed, for the report (empty when the row could not be read).
    typed: Typed,
    /// "same name as row 7", when an earlier row has the same name.
    note: String,
    person: Result<(Person<'d>, String), NotMade>,
}

impl<'d> Checked<'d> {
    fn new(row: Row, directory: &'d Directory, slugs: &mut Slugs) -> Checked<'d> {
        // As typed, but cut short: a pasted paragraph need not be copied into the report.
        let cut = |s: &str| s.chars().take(MAX_FIELD_CHARS).collect::<String>();
        let typed = row.person.as_ref().map_or_else(
            |_| Typed::default(),
            |p| Typed {
                name: cut(&p.name),
                title: cut(&p.title),
                unit: cut(&p.unit),
                email: cut(p.email.as_deref().unwrap_or("")),
                phone: cut(p.phone.as_deref().unwrap_or("")),
            },
        );
        // People of one name are told apart by their rows: the slugs remember whose.
        let at = u32::try_from(row.row).unwrap_or(u32::MAX);
        let person = row
            .person
            .map_err(NotMade::from)
            .and_then(|input| Ok(input.validate(directory)?))
            .map(|person| {
                let (slug, earlier) = slugs.claim_at(&person.name, at);
                (person, slug, earlier)
            });
        let earlier = match &person {
            Ok((_, _, earlier)) => *earlier,
            Err(_) if !typed.name.trim().is_empty() => slugs.row_of(typed.name.trim()),
            Err(_) => None,
        };
        let note = earlier.map_or_else(String::new, |r| format!("same name as row {r}"));
        let person = person.map(|(person, slug, _)| (person, slug));
        Checked {
            line: row.line,
            row: row.row,
            typed,
            note,
            person,
        }
    }
}

/// A made row: its unit, its files (relative to the output folder) and its gallery entry.
struct MadeRow {
    unit: String,
    slug: String,
    files: Vec<String>,
    entry: String,
    /// The prefilled link to the signature page (`--page-url`), or "".
    link: String,
    /// The clients' limits the signature crosses (said once for the whole batch).
    crossed: Vec<Crossed>,
}

impl Batch<'_> {
    /// Writes one person's signature files and makes their gallery entry.
    fn make(
        &self,
        gallery: &Gallery<'_>,
        person: &Person<'_>,
        slug: &str,
        at: (u64, u64),
    ) -> Result<MadeRow, Refusal> {
        let made = self.writer.write_into(self.folder, person, slug)?;
        let files = relative(&made.files, self.folder.root());
        let link = self
            .page_url
            .map(|page| crate::page::link::for_person(page, person))
            .unwrap_or_default();
        let entry = gallery.entry(person, &made.signature, slug, at, &link);
        Ok(MadeRow {
            unit: person.unit.name.clone(),
            slug: slug.to_owned(),
            files,
            entry,
            link,
            crossed: limits::signature(&made.signature, self.writer.picture),
        })
    }

    /// Makes every row it can; a refused row is reported and costs no other row. An
    /// error is fatal: the report, the gallery or its banner cannot be written.
    pub(crate) fn run(&self, staff: StaffFile) -> Result<Summary, Stopped> {
        let progress = progress_bar(staff.len);
        let ending = staff.ending();
        let mut report = Report::new(self.folder.stage(REPORT)?, self.page_url.is_some())?;
        let mut gallery = Gallery::start(
            self.writer.templates,
            self.folder,
            self.directory,
            self.writer.picture,
        )?;

        // index.html is the gallery: someone named "Index" gets index-2.html.
        let mut summary = Summary {
            slugs: Slugs::reserving(&names::RESERVED),
            ..Summary::default()
        };
        let mut staff = staff.peekable();
        while staff.peek().is_some() {
            let rows: Vec<Row> = staff.by_ref().take(CHUNK).collect();
            let last_byte = rows.last().map_or(0, |r| r.byte);

            // Sequential: check each row and claim its slug in input order.
            let checked: Vec<Checked> = rows
                .into_iter()
                .map(|row| Checked::new(row, self.directory, &mut summary.slugs))
                .collect();

            // Parallel: render and write each signature and its gallery card.
            let outcomes: Vec<Option<Result<MadeRow, Refusal>>> = checked
                .par_iter()
                .map(|row| {
                    let (person, slug) = row.person.as_ref().ok()?;
                    Some(self.make(&gallery, person, slug, (row.row, row.line)))
                })
                .collect();

            // Sequential again: report, gallery, messages, in input order.
            for (row, outcome) in checked.into_iter().zip(outcomes) {
                summary.with_email += u64::from(!row.typed.email.is_empty());
                summary.with_phone += u64::from(!row.typed.phone.is_empty());
                let (line, number) = (row.line, row.row);
                let made = match (row.person, outcome) {
                    (_, Some(Ok(made))) => Ok(made),
                    (_, Some(Err(refusal))) => Err(NotMade::from(refusal)),
                    (Err(not_made), None) => Err(not_made),
                    (Ok(_), None) => unreachable!("a checked row is made"),
                };
                match made {
                    Ok(made) => {
                        gallery.made(&made.unit, &made.entry, &made.slug, &made.files)?;
                        // A limit the signature crosses goes in its note, for HR to find.
                        let note = std::iter::once(row.note.clone())
                            .chain(made.crossed.iter().map(|c| c.limit().short()))
                            .filter(|n| !n.is_empty())
                            .collect::<Vec<_>>()
                            .join("; ");
                        report.line(ReportLine {
                            row: number,
                            line,
                            status: Status::Made,
                            person: &row.typed,
                            files: &made.files.join(" "),
                            reason: "",
                            note: &note,
                            link: &made.link,
                        })?;
                        summary.made += 1;
                        for crossed in made.crossed {
                            let (count, most) = summary.crossed.entry(crossed.limit()).or_default();
                            *count += 1;
                            *most = (*most).max(crossed.measure());
                        }
                    }
                    Err(not_made) => {
                        let reason = not_made.to_string();
                        let at = if number == line {
                            format!("line {line}")
                        } else {
                            format!("line {line} (spreadsheet row {number})")
                        };
                        progress.suspend(|| tell!("{at}: {reason}"));
                        gallery.refused(number, line, &row.typed.name, &reason)?;
                        report.line(ReportLine {
                            row: number,
                            line,
                            status: Status::Refused,
                            person: &row.typed,
                            files: "",
                            reason: &reason,
                            note: &row.note,
                            link: "",
                        })?;
                        summary.refused += 1;
                    }
                }
            }
            progress.set_position(last_byte);
            progress.set_message(format!("{} made", crate::text::thousands(summary.made)));
        }
        progress.finish_and_clear();

        // The folder now matches the CSV: what an earlier run of this staff list made for
        // people no longer in it (or no longer valid) goes; a person whose files could not
        // be written this time keeps the old ones. Only files sigblock made and nobody
        // changed since; what other runs made stays. Unless the CSV was not read to its
        // end: then who is missing says nothing, and all stays.
        if ending.interrupted().is_none() {
            self.remove_stale(&mut summary, &mut report)?;
        }
        // The report first: it is what HR needs most, should the page fail.
        report.finish(self.folder)?;
        gallery.finish(self.folder, self.source)?;
        Ok(summary)
    }
}

impl Batch<'_> {
    /// Removes the signatures of people an earlier run of this staff list made and this
    /// one did not, each listed in the report.
    fn remove_stale(&self, summary: &mut Summary, report: &mut Report) -> Result<(), Stopped> {
        let slugs = &summary.slugs;
        let stale = |rel: &str| names::split(rel).is_some_and(|(stem, _)| !slugs.is_claimed(stem));
        // Whose files went, each person once, in the order of their file names (the
        // record's order follows the threads that wrote it).
        let mut gone = std::collections::BTreeMap::new();
        let result = self.folder.remove_stale(&stale, |_, owner| {
            if let Some(owner) = owner {
                gone.entry(owner.stem).or_insert(owner.who);
            }
        })?;
        let mut removed = Removed::default();
        for who in gone.values() {
            removed.people += 1;
            if removed.first.len() < NAMED {
                removed.first.push(who.name.clone());
            }
            report.removed(who)?;
        }
        summary.removed = removed;
        summary.kept = result.kept;
        Ok(())
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
