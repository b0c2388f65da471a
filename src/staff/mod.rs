//! HR's CSV ─► rows of [`PersonInput`], streamed, each with the line it starts on.
//!
//! Files come from Excel, HR systems and text editors: UTF-8 with or without BOM,
//! UTF-16 with BOM, or Windows-1252 (Excel's "CSV" on Western Windows), which is decoded
//! rather than mangled; comma, semicolon or tab; CRLF or LF; columns by name in any order.
//!
//! And files that are broken, or hostile: a stray byte, a lost character, a quote left
//! open, a line of a gigabyte each refuse their own row, not the file; a file that changes
//! while it is read, or is not a file at all, ends the run (see `source.rs`).
//!
//! regular file ─► pre-pass (encoding, fingerprint) ─► [`source::Watched`] (same bytes?)
//! ─► decode to UTF-8 ─► [`LineTracker`] (lines, quotes left open) ─► csv ─► [`Row`]s

mod columns;
mod decode;
mod lines;
mod source;

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::person::{Field, PersonInput};
use crate::text::ShownPath;
use columns::{match_columns, Columns};
pub use columns::{Choice, Optional, Slot};
use decode::{sniff_delimiter, sniff_encoding};
use lines::{Fault, LineTracker, RecordStarts, Start};
use source::{census, ChangeFlag, Watched};
pub use source::{Changed, Ending, Interrupted};

/// Problems that stop a whole batch before anything is written.
#[derive(Debug, thiserror::Error)]
pub enum StaffFileError {
    /// Said in plain words (the OS error is kept, not chained: it would say its number).
    #[error("cannot read {}: {}", ShownPath(path), crate::files::reading(cause))]
    Open { path: PathBuf, cause: io::Error },
    #[error(
        "{} is {what}, not a file; sigblock reads the staff list from a saved CSV file \
         (save it as one and give its name)",
        ShownPath(path)
    )]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "{} changed while it was being read ({changed}); nothing was made; run again \
         when it is saved",
        ShownPath(path)
    )]
    Changed { path: PathBuf, changed: Changed },
    #[error(
        "{}: the file is empty; it needs a header row (name, title, unit) and one row per person",
        ShownPath(path)
    )]
    Empty { path: PathBuf },
    #[error("{}: line {line}: {message}", ShownPath(path))]
    Header {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// An Excel workbook (or another zip or OLE file) given as the CSV.
    #[error(
        "{} is an Excel workbook, not a CSV file; in Excel, choose File > Save As > \
         \"CSV UTF-8 (Comma delimited) (*.csv)\", then give sigblock that file",
        ShownPath(path)
    )]
    Workbook { path: PathBuf },
    /// A first line far longer than any header: not a staff list (a video, a disk image).
    #[error(
        "{}: line 1 is longer than 2 MB; a staff list's first line names its columns \
         (name, title, unit): is this the staff list?",
        ShownPath(path)
    )]
    NotAList { path: PathBuf },
    #[error(
        "{}: the file has a header row but no rows; add one row per person under it",
        ShownPath(path)
    )]
    NoRows { path: PathBuf },
}

/// One record of the file: where it starts, and the person or why it cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line the record starts on, counting the header as line 1.
    pub line: u64,
    /// The row a spreadsheet shows the record on, the header being row 1: the line, less
    /// the line breaks inside quoted cells before it.
    pub row: u64,
    /// Bytes of the (decoded) file read so far, for progress.
    pub byte: u64,
    pub person: Result<PersonInput, Unreadable>,
}

/// Why a record could not be read as a row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error(
        "holds bytes that are not UTF-8 text, though the rest of the file is (text typed \
         or pasted in another encoding); retype this row's accented letters, or save the \
         file again as \"CSV UTF-8\", and run again"
    )]
    NotUtf8,
    /// It holds U+FFFD, the mark of a character lost before sigblock read the file; in
    /// UTF-16, what encoding_rs puts for half of a character pair (a lone surrogate).
    #[error(
        "holds half of a character pair (a UTF-16 surrogate without its other half), \
         shown as \u{FFFD}: a character was lost when the file was saved; retype this \
         row's text (an emoji or rare letter, likely) and save it again"
    )]
    HalfPair,
    #[error(
        "holds \u{FFFD}, the mark of a character lost before sigblock read the file (when \
         it was converted or pasted); retype the character as it should be and run again"
    )]
    Lost,
    /// A quote left open, or a line too long: said by the tracker's [`Fault`].
    #[error("{0}")]
    Broken(String),
    /// The rest of the file cannot be read: said on this line, and reading stops.
    #[error("reading stopped here: {0}")]
    Stopped(String),
    #[error("{0}")]
    Csv(String),
}

/// An open staff file, yielding [`Row`]s.
pub struct StaffFile {
    path: PathBuf,
    reader: csv::Reader<Box<dyn Read + Send>>,
    starts: RecordStarts,
    columns: Columns,
    record: csv::StringRecord,
    /// Said once to the person running the batch: how the file was read.
    pub(crate) notes: Vec<String>,
    /// The email and phone columns, or the columns that could give them.
    pub(crate) optional: Vec<Optional>,
    /// The file's size in decoded bytes (estimated from its first part), for progress.
    pub(crate) len: u64,
    done: bool,
    /// UTF-16: a U+FFFD is half of a character pair.
    utf16: bool,
    changed: ChangeFlag,
    ending: Ending,
    /// The first row, read by `open` to know the file has one.
    pending: Option<Row>,
}

impl StaffFile {
    /// Opens the staff file at `path`, its columns chosen by the header, `choices`
    /// (`--columns`) first.
    pub fn open(path: &Path, choices: &[Choice]) -> Result<StaffFile, StaffFileError> {
        let open_error = |cause| StaffFileError::Open {
            path: path.to_owned(),
            cause,
        };
        // Not a regular file: a FIFO would wait forever, /dev/zero never end.
        let (mut file, meta) = crate::files::open_input(path).map_err(open_error)?;
        if meta.is_dir() {
            return Err(open_error(io::Error::from(io::ErrorKind::IsADirectory)));
        }
        if !meta.is_file() {
            return Err(StaffFileError::NotAFile {
                path: path.to_owned(),
                what: crate::files::kind(&meta),
            });
        }
        // What is plainly not a staff list is said before the whole file is read.
        look_at_the_start(&mut file, path)?;
        let census =
            census(&mut file)
                .map_err(open_error)?
                .map_err(|changed| StaffFileError::Changed {
                    path: path.to_owned(),
                    changed,
                })?;
        let (prefix, len) = (&census.prefix, census.len());
        if prefix.iter().all(u8::is_ascii_whitespace) {
            return Err(StaffFileError::Empty {
                path: path.to_owned(),
            });
        }

        let mut notes = Vec::new();
        // Over the whole file: one stray byte must not turn every row's accents to mojibake.
        let encoding = sniff_encoding(prefix, census.multibyte, census.invalid);
        if encoding == WINDOWS_1252 {
            notes.push(format!(
                "{} is not UTF-8; reading it as Windows-1252 (Excel's \"CSV\" on Windows). \
                 Save as \"CSV UTF-8\" to avoid this.",
                ShownPath(path)
            ));
        }
        let (sniffed, _, _) = encoding.decode(prefix);
        // Progress counts decoded (UTF-8) bytes: scale the file's size by how much the
        // sniffed part grew or shrank in decoding (UTF-16 halves, Windows-1252 grows).
        let len = if prefix.is_empty() {
            len
        } else {
            (len as f64 * sniffed.len() as f64 / prefix.len() as f64).round() as u64
        };
        // `Export-Csv` of Windows PowerShell 5.1 (Active Directory's users, say) writes a
        // `#TYPE …` line before the header: left out, the header being line 2.
        let type_line = sniffed.trim_start_matches('\u{FEFF}').starts_with("#TYPE");
        let header_text = match sniffed.split_once('\n') {
            Some((_, rest)) if type_line => rest,
            _ => &sniffed,
        };
        let delimiter = sniff_delimiter(header_text);
        let first = if type_line { 2 } else { 1 };

        let changed = ChangeFlag::default();
        let whole = Watched::new(file, &census, changed.clone());
        let decoded: Box<dyn Read + Send> = if encoding == UTF_8 {
            // Pass UTF-8 through untouched (a BOM is dropped), so a stray invalid byte
            // later in the file is reported on its row rather than silently replaced.
            Box::new(
                DecodeReaderBytesBuilder::new()
                    .encoding(None)
                    .utf8_passthru(true)
                    .strip_bom(true)
                    .build(whole),
            )
        } else {
            Box::new(
                DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .strip_bom(true)
                    .build(whole),
            )
        };

        let starts = RecordStarts::default();
        let decoded: Box<dyn Read + Send> = if type_line {
            Box::new(SkipLine::new(decoded))
        } else {
            decoded
        };
        let decoded: Box<dyn Read + Send> =
            Box::new(LineTracker::new(decoded, delimiter, starts.clone(), first));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .trim(csv::Trim::All)
            .has_headers(true)
            .from_reader(decoded);
        let header_error = |message: String| StaffFileError::Header {
            path: path.to_owned(),
            line: first,
            message,
        };
        let headers = reader
            .headers()
            .map_err(|e| {
                header_error(match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "the header row holds bytes that are not \
                        UTF-8 text, though the file has UTF-8 characters; is this the staff \
                        list? Save it as \"CSV UTF-8\" and run again"
                        .to_owned(),
                    _ => format!("cannot read the header row: {e}"),
                })
            })?
            .clone();
        if let Some(changed) = changed.get() {
            return Err(StaffFileError::Changed {
                path: path.to_owned(),
                changed,
            });
        }
        if let Some(fault) = starts.next().fault {
            let what_to_do = match fault {
                Fault::Unclosed { .. } => {
                    "close it where the column name ends (or delete it) and run again"
                }
                Fault::TooLong { .. } => "this is not a staff list, whose first line names its columns (name, title, unit)",
            };
            return Err(header_error(format!("{}; {what_to_do}", fault.what(first))));
        }
        let matched = match_columns(&headers, choices).map_err(header_error)?;
        notes.extend(
            matched
                .notes
                .iter()
                .map(|note| format!("{}: {note}", ShownPath(path))),
        );
        let columns = matched.columns;
        let mut staff = StaffFile {
            path: path.to_owned(),
            reader,
            starts,
            columns,
            record: csv::StringRecord::new(),
            notes,
            optional: matched.optional,
            len,
            done: false,
            utf16: encoding == UTF_16LE || encoding == UTF_16BE,
            changed,
            ending: Ending::default(),
            pending: None,
        };
        // A header alone makes nothing: say so before anything is written.
        staff.pending = Some(staff.next().ok_or_else(|| StaffFileError::NoRows {
            path: path.to_owned(),
        })?);
        Ok(staff)
    }
}

impl Iterator for StaffFile {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if let Some(row) = self.pending.take() {
            return Some(row);
        }
        while !self.done {
            let read = self.reader.read_record(&mut self.record);
            // Once the file is seen to have changed, no record read since is trusted: the
            // last may be cut off, or half the old file and half the new.
            if let Some(changed) = self.changed.get() {
                self.done = true;
                self.ending.set(Interrupted::Changed {
                    path: self.path.clone(),
                    changed,
                });
                return None;
            }
            let (start, person) = match read {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Ok(true) => {
                    let start = self.starts.next();
                    if start.fault.is_none() && self.record.iter().all(str::is_empty) {
                        continue; // a line of only delimiters or spaces
                    }
                    (start, self.person(&start))
                }
                Err(error) => {
                    let start = self.starts.next();
                    let reason = match error.kind() {
                        csv::ErrorKind::Utf8 { .. } => Unreadable::NotUtf8,
                        csv::ErrorKind::Io(cause) => {
                            self.done = true;
                            let reason = crate::files::reading(cause);
                            self.ending.set(Interrupted::Stopped {
                                path: self.path.clone(),
                                line: start.line,
                                reason: reason.clone(),
                            });
                            Unreadable::Stopped(reason)
                        }
                        _ => Unreadable::Csv(error.to_string()),
                    };
                    let reason = match start.fault {
                        Some(fault) if !matches!(reason, Unreadable::Stopped(_)) => {
                            Unreadable::Broken(format!(
                                "{}; {}",
                                fault.what(start.line),
                                fault.what_to_do()
                            ))
                        }
                        _ => reason,
                    };
                    (start, Err(reason))
                }
            };
            return Some(Row {
                line: start.line,
                row: start.row,
                byte: start.byte,
                person,
            });
        }
        None
    }
}

impl StaffFile {
    /// Whether the file was read to its end: asked once its rows are all yielded.
    pub fn ending(&self) -> Ending {
        self.ending.clone()
    }

    /// The person of the record just read, or why it cannot be trusted.
    fn person(&self, start: &Start) -> Result<PersonInput, Unreadable> {
        if let Some(fault) = start.fault {
            return Err(Unreadable::Broken(format!(
                "{}; {}",
                fault.what(start.line),
                fault.what_to_do()
            )));
        }
        // Only the columns sigblock reads: a lost character in an ignored "Notes" column
        // harms nobody's signature.
        let lost = |(i, cell): (usize, &str)| self.columns.reads(i) && cell.contains('\u{FFFD}');
        if self.record.iter().enumerate().any(lost) {
            return Err(if self.utf16 {
                Unreadable::HalfPair
            } else {
                Unreadable::Lost
            });
        }
        let at = |i: usize| self.record.get(i).unwrap_or("");
        let cell = |field: Field| match (field, self.columns.first_last) {
            (Field::Name, Some((first, last))) => [at(first), at(last)]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            _ => self.columns.of(field).map_or("", at).to_owned(),
        };
        let optional = |field| Some(cell(field)).filter(|v| !v.is_empty());
        Ok(PersonInput {
            name: cell(Field::Name),
            title: cell(Field::Title),
            unit: cell(Field::Unit),
            email: optional(Field::Email),
            phone: optional(Field::Phone),
        })
    }
}

/// A reader that leaves out its first line (the `#TYPE` line of PowerShell's CSV).
struct SkipLine<R> {
    inner: R,
    skipping: bool,
}

impl<R: Read> SkipLine<R> {
    fn new(inner: R) -> Self {
        SkipLine {
            inner,
            skipping: true,
        }
    }
}

impl<R: Read> Read for SkipLine<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if !self.skipping || n == 0 {
                return Ok(n);
            }
            if let Some(end) = buf[..n].iter().position(|&b| b == b'\n') {
                self.skipping = false;
                buf.copy_within(end + 1..n, 0);
                let kept = n - end - 1;
                if kept > 0 {
                    return Ok(kept);
                }
            }
        }
    }
}

/// Refuses at once what is plainly not a staff list, from its first bytes: an Excel
/// workbook (a zip, or an older OLE file), or a first line longer than any header.
fn look_at_the_start(file: &mut std::fs::File, path: &Path) -> Result<(), StaffFileError> {
    use std::io::Seek;
    let open_error = |cause| StaffFileError::Open {
        path: path.to_owned(),
        cause,
    };
    let mut start = Vec::new();
    file.by_ref()
        .take(lines::MAX_RECORD_BYTES as u64 + 1)
        .read_to_end(&mut start)
        .map_err(open_error)?;
    file.rewind().map_err(open_error)?;
    if start.starts_with(b"PK\x03\x04") || start.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(StaffFileError::Workbook {
            path: path.to_owned(),
        });
    }
    if start.len() > lines::MAX_RECORD_BYTES && !start.contains(&b'\n') && !start.contains(&b'\r') {
        return Err(StaffFileError::NotAList {
            path: path.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
