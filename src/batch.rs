//! HR's batch: CSV rows ─► validate ─► slug ─► signatures on disk (both cores), plus
//! `report.csv` (every row: made or why not) and `index.html` (a gallery to review).
//!
//! Rows stream through in chunks: memory stays flat however long the file. Slugs are
//! claimed in input order before the parallel part, so the output does not depend on
//! thread timing and a rerun makes the same files byte for byte.

use std::io::Write;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use crate::error::WriteError;
use crate::output::{write_atomic, SignatureWriter};
use crate::person::{Person, MAX_FIELD_CHARS};
use crate::slug::Slugs;
use crate::staff::{Row, StaffFile};
use crate::templates::BannerRef;

/// Rows handled per parallel step: enough to keep both cores busy, few enough that
/// memory does not depend on the file.
const CHUNK: usize = 256;

/// How a batch ended.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub made: u64,
    pub refused: u64,
}

pub struct Batch<'a> {
    pub writer: &'a SignatureWriter<'a>,
    pub directory: &'a crate::units::Directory,
    pub out: &'a Path,
    /// The CSV's name as the person gave it, for the gallery's title.
    pub source: &'a Path,
}

/// A row after its checks: the person and their slug, or why it cannot be made.
struct Checked<'d> {
    line: u64,
    /// The name as typed, for the report (empty when the row could not be read).
    name: String,
    person: Result<(Person<'d>, String), String>,
}

impl<'d> Checked<'d> {
    fn new(row: Row, directory: &'d crate::units::Directory, slugs: &mut Slugs) -> Checked<'d> {
        // As typed, but cut short: a pasted paragraph need not be copied into the report.
        let name = row
            .person
            .as_ref()
            .map(|p| p.name.chars().take(MAX_FIELD_CHARS).collect())
            .unwrap_or_default();
        let person = row.person.and_then(|input| {
            let person = input.validate(directory).map_err(|e| e.to_string())?;
            let slug = slugs.claim(&person.name);
            Ok((person, slug))
        });
        Checked {
            line: row.line,
            name,
            person,
        }
    }
}

/// One report line: an input line and what became of it.
#[derive(Serialize)]
struct ReportLine<'a> {
    line: u64,
    status: &'static str,
    name: &'a str,
    files: String,
    reason: &'a str,
}

#[derive(Serialize)]
struct CardContext<'a> {
    slug: &'a str,
    line: u64,
    /// The files made for this person (only the chosen formats), linked from the card.
    files: &'a [String],
    fragment: minijinja::Value,
    text: &'a str,
}

/// A file written whole at the end of the run, streamed into a temporary file until then.
struct Staged {
    file: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Staged {
    fn new(dir: &Path, name: &str) -> Result<Staged, WriteError> {
        let path = dir.join(name);
        let file = crate::output::temporary_in(dir).map_err(|source| WriteError {
            path: path.clone(),
            source,
        })?;
        Ok(Staged { file, path })
    }

    fn put(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.file.write_all(bytes).map_err(|source| WriteError {
            path: self.path.clone(),
            source,
        })
    }

    fn persist(self) -> Result<(), WriteError> {
        let Staged { file, path } = self;
        file.persist(&path).map_err(|e| WriteError {
            path,
            source: e.error,
        })?;
        Ok(())
    }
}

/// What became of a row: its files and gallery card, or why it was refused.
enum RowOutcome<'r> {
    Made { files: String, card: String },
    Refused(&'r str),
}

/// The columns of `report.csv`, in the order of [`ReportLine`]'s fields.
const REPORT_COLUMNS: [&str; 5] = ["line", "status", "name", "files", "reason"];

impl Batch<'_> {
    /// Writes one person's signature files and renders their gallery card.
    fn make<'r>(
        &self,
        person: &Person<'_>,
        slug: &str,
        line: u64,
        gallery_banner: Option<&BannerRef>,
    ) -> Result<RowOutcome<'r>, WriteError> {
        let templates = self.writer.templates;
        let made = self.writer.write(person, slug, self.out)?;
        let banner = gallery_banner.or(self.writer.banner.map(|b| b.inline_ref()));
        let fragment = templates.fragment(person, self.writer.organization, banner);
        let files = relative(&made.files, self.out);
        let card = templates.gallery_card(CardContext {
            slug,
            line,
            files: &files,
            fragment: minijinja::Value::from_safe_string(fragment),
            text: &made.text,
        });
        Ok(RowOutcome::Made {
            files: files.join(" "),
            card,
        })
    }

    pub fn run(&self, staff: StaffFile) -> Result<Summary, WriteError> {
        let progress = progress_bar(staff.len);
        let templates = self.writer.templates;

        // The gallery shows the banner from one file beside it; copying a card puts the
        // inlined banner (kept once in the page) or the hosted URL on the clipboard.
        let gallery_banner = match self.writer.banner {
            Some(b) if b.url.is_none() => {
                let path = self.out.join("banner.png");
                write_atomic(&path, &b.banner.png).map_err(|source| WriteError {
                    path: path.clone(),
                    source,
                })?;
                Some(BannerRef::trusted(
                    "banner.png".into(),
                    b.banner.display_width,
                    b.banner.display_height,
                    &b.banner.alt,
                ))
            }
            _ => None,
        };
        let banner_uri = match self.writer.banner {
            Some(b) if b.url.is_none() => format!("\"{}\"", b.banner.data_uri()),
            _ => "null".to_owned(),
        };

        // The header is written by hand: csv writes it only with a first row, and a
        // report of no rows still needs its columns.
        let mut report = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Staged::new(self.out, "report.csv")?);
        report
            .write_record(REPORT_COLUMNS)
            .map_err(|e| WriteError {
                path: self.out.join("report.csv"),
                source: std::io::Error::other(e),
            })?;
        let mut gallery = Staged::new(self.out, "index.html")?;
        let (head, tail) = templates.gallery_head(minijinja::context! {
            source => self.source.display().to_string(),
            banner_uri => minijinja::Value::from_safe_string(banner_uri),
        });
        gallery.put(head.as_bytes())?;

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
            let outcomes: Vec<Result<RowOutcome, WriteError>> = checked
                .par_iter()
                .map(|row| match &row.person {
                    Ok((person, slug)) => {
                        self.make(person, slug, row.line, gallery_banner.as_ref())
                    }
                    Err(reason) => Ok(RowOutcome::Refused(reason)),
                })
                .collect();

            // Sequential again: report, gallery, messages, in input order.
            for (row, outcome) in checked.iter().zip(outcomes) {
                let line = row.line;
                match outcome? {
                    RowOutcome::Made { files, card } => {
                        gallery.put(card.as_bytes())?;
                        report_line(&mut report, line, "made", &row.name, &files, "")?;
                        summary.made += 1;
                    }
                    RowOutcome::Refused(reason) => {
                        progress.suspend(|| eprintln!("line {line}: {reason}"));
                        report_line(&mut report, line, "refused", &row.name, "", reason)?;
                        summary.refused += 1;
                    }
                }
            }
            progress.set_position(last_byte);
            progress.set_message(format!("{} made", summary.made));
        }
        progress.finish_and_clear();

        gallery.put(tail.as_bytes())?;
        gallery.persist()?;
        let report = report.into_inner().map_err(|e| WriteError {
            path: self.out.join("report.csv"),
            source: e.into_error(),
        })?;
        report.persist()?;
        Ok(summary)
    }
}

fn report_line(
    report: &mut csv::Writer<Staged>,
    line: u64,
    status: &'static str,
    name: &str,
    files: &str,
    reason: &str,
) -> Result<(), WriteError> {
    report
        .serialize(ReportLine {
            line,
            status,
            name,
            files: files.to_owned(),
            reason,
        })
        .map_err(|e| WriteError {
            path: report.get_ref().path.clone(),
            source: std::io::Error::other(e),
        })
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

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// "1,998": thousands separated, for the summary line.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1998), "1,998");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
