//! HR's CSV ─► rows of [`PersonInput`], streamed, each with the line it starts on.
//!
//! Files come from Excel, HR systems and text editors: UTF-8 with or without BOM,
//! UTF-16 with BOM, or Windows-1252 (Excel's "CSV" on Western Windows), which is decoded
//! rather than mangled; comma, semicolon or tab; CRLF or LF; columns by name in any order.

mod columns;
mod decode;
mod lines;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use encoding_rs::{UTF_8, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::person::{Field, PersonInput, Shown};
use columns::{match_columns, Columns};
use decode::{sniff_delimiter, sniff_encoding};
use lines::{LineTracker, RecordStarts};

/// How much of the file is read up front to recognise its encoding and delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

/// Problems that stop a whole batch before anything is written.
#[derive(Debug, thiserror::Error)]
pub enum StaffFileError {
    /// Said in plain words (the OS error is kept, not chained: it would say its number).
    #[error("cannot read {}: {}", path.display(), crate::files::reading(cause))]
    Open { path: PathBuf, cause: io::Error },
    #[error("{}: the file is empty; it needs a header row (name, title, unit) and one row per person", path.display())]
    Empty { path: PathBuf },
    #[error("{}: line 1: {message}", path.display())]
    Header { path: PathBuf, message: String },
    #[error("{}: the file has a header row but no rows; add one row per person under it", path.display())]
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
        "is not valid UTF-8 text (the file changes encoding part way); \
         save it as \"CSV UTF-8\" and run again"
    )]
    NotUtf8,
    /// The rest of the file cannot be read: said on this line, and reading stops.
    #[error("reading stopped here: {0}")]
    Stopped(String),
    #[error("{0}")]
    Csv(String),
}

/// An open staff file, yielding [`Row`]s.
pub struct StaffFile {
    reader: csv::Reader<Box<dyn Read + Send>>,
    starts: RecordStarts,
    columns: Columns,
    record: csv::StringRecord,
    /// Said once to the person running the batch: how the file was read.
    pub(crate) notes: Vec<String>,
    /// The file's size in decoded bytes (estimated from its first part), for progress.
    pub(crate) len: u64,
    done: bool,
    /// The first row, read by `open` to know the file has one.
    pending: Option<Row>,
}

impl StaffFile {
    pub fn open(path: &Path) -> Result<StaffFile, StaffFileError> {
        let open_error = |cause| StaffFileError::Open {
            path: path.to_owned(),
            cause,
        };
        let mut file = File::open(path).map_err(open_error)?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut prefix = Vec::with_capacity(SNIFF_BYTES.min(len as usize + 1));
        (&mut file)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut prefix)
            .map_err(open_error)?;
        if prefix.iter().all(u8::is_ascii_whitespace) {
            return Err(StaffFileError::Empty {
                path: path.to_owned(),
            });
        }

        let mut notes = Vec::new();
        let encoding = sniff_encoding(&prefix);
        if encoding == WINDOWS_1252 {
            notes.push(format!(
                "{} is not UTF-8; reading it as Windows-1252 (Excel's \"CSV\" on Windows). \
                 Save as \"CSV UTF-8\" to avoid this.",
                path.display()
            ));
        }
        let (sniffed, _, _) = encoding.decode(&prefix);
        // Progress counts decoded (UTF-8) bytes: scale the file's size by how much the
        // sniffed part grew or shrank in decoding (UTF-16 halves, Windows-1252 grows).
        let len = if prefix.is_empty() {
            len
        } else {
            (len as f64 * sniffed.len() as f64 / prefix.len() as f64).round() as u64
        };
        let delimiter = sniff_delimiter(&sniffed);

        let whole: Box<dyn Read + Send> = Box::new(io::Cursor::new(prefix).chain(file));
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
        let decoded: Box<dyn Read + Send> =
            Box::new(LineTracker::new(decoded, delimiter, starts.clone()));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .trim(csv::Trim::All)
            .has_headers(true)
            .from_reader(decoded);
        let header_error = |message: String| StaffFileError::Header {
            path: path.to_owned(),
            message,
        };
        let headers = reader
            .headers()
            .map_err(|e| header_error(format!("cannot read the header row: {e}")))?
            .clone();
        let (columns, unknown) = match_columns(&headers).map_err(header_error)?;
        starts.next(); // the header's own line
        if let Some((first, last)) = columns.first_last {
            notes.push(format!(
                "{}: no name column; the name is {} and {} joined",
                path.display(),
                Shown(&headers[first]),
                Shown(&headers[last])
            ));
        }
        if !unknown.is_empty() {
            notes.push(format!(
                "{}: ignoring column{} {}",
                path.display(),
                if unknown.len() == 1 { "" } else { "s" },
                unknown
                    .iter()
                    .map(|c| Shown(c).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut staff = StaffFile {
            reader,
            starts,
            columns,
            record: csv::StringRecord::new(),
            notes,
            len,
            done: false,
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
            let row = match self.reader.read_record(&mut self.record) {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Ok(true) => {
                    let start = self.starts.next();
                    if self.record.iter().all(str::is_empty) {
                        continue; // a line of only delimiters or spaces
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
                    Row {
                        line: start.line,
                        row: start.row,
                        byte: start.byte,
                        person: Ok(PersonInput {
                            name: cell(Field::Name),
                            title: cell(Field::Title),
                            unit: cell(Field::Unit),
                            email: optional(Field::Email),
                            phone: optional(Field::Phone),
                        }),
                    }
                }
                Err(error) => {
                    let start = self.starts.next();
                    let reason = match error.kind() {
                        csv::ErrorKind::Utf8 { .. } => Unreadable::NotUtf8,
                        csv::ErrorKind::Io(_) => {
                            self.done = true;
                            Unreadable::Stopped(error.to_string())
                        }
                        _ => Unreadable::Csv(error.to_string()),
                    };
                    Row {
                        line: start.line,
                        row: start.row,
                        byte: start.byte,
                        person: Err(reason),
                    }
                }
            };
            return Some(row);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8]) -> (Vec<Row>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("staff.csv");
        std::fs::write(&path, bytes).unwrap();
        let file = StaffFile::open(&path).unwrap();
        let notes = file.notes.clone();
        (file.collect(), notes)
    }

    fn person(row: &Row) -> &PersonInput {
        row.person.as_ref().unwrap()
    }

    #[test]
    fn bom_crlf_reordered_aliased_columns() {
        let (rows, notes) = rows(
            b"\xEF\xBB\xBFJob Title,Full Name,E-mail,Department,Badge\r\nAnalyst,Ana Ruiz,ana@dss.ca.gov,CTRT,7\r\n\r\nChief, Bo Li ,,RPB,8\r\n",
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(person(&rows[0]).name, "Ana Ruiz");
        assert_eq!(person(&rows[0]).title, "Analyst");
        assert_eq!(person(&rows[0]).email.as_deref(), Some("ana@dss.ca.gov"));
        assert_eq!(rows[1].line, 4);
        assert_eq!(person(&rows[1]).name, "Bo Li");
        assert_eq!(person(&rows[1]).email, None);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].ends_with("ignoring column \"Badge\""), "{notes:?}");
    }

    #[test]
    fn semicolons_tabs_and_quoted_line_breaks() {
        let (semicolons, _) =
            rows(b"name;title;unit\n\"Ruiz; Ana\";\"Analyst\nSenior\";CTRT\nBo;T;RPB\n");
        assert_eq!(person(&semicolons[0]).name, "Ruiz; Ana");
        assert_eq!(person(&semicolons[0]).title, "Analyst\nSenior");
        assert_eq!(
            semicolons[1].line, 4,
            "the quoted line break moves the next record down"
        );
        let (rows, _) = rows(b"name\ttitle\tunit\nAna, Jr.\tAnalyst\tCTRT\n");
        assert_eq!(person(&rows[0]).name, "Ana, Jr.");
    }

    #[test]
    fn windows_1252_is_decoded_not_mangled() {
        let (rows, notes) = rows(b"name,title,unit\nJos\xe9 N\xfa\xf1ez,Analyst \x96 II,CTRT\n");
        assert_eq!(person(&rows[0]).name, "José Núñez");
        assert_eq!(person(&rows[0]).title, "Analyst – II");
        assert!(notes[0].contains("Windows-1252"), "{notes:?}");
    }

    #[test]
    fn utf16_with_bom() {
        let text = "name,title,unit\nZoë,Analyst,CTRT\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (rows, _) = rows(&bytes);
        assert_eq!(person(&rows[0]).name, "Zoë");
    }

    #[test]
    fn utf16_without_a_bom_and_old_mac_line_ends() {
        let text = "name,title,unit\nZoë,Analyst,CTRT\n";
        let (le, _) = rows(
            &text
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<_>>(),
        );
        assert_eq!(person(&le[0]).name, "Zoë");
        let (be, _) = rows(
            &text
                .encode_utf16()
                .flat_map(u16::to_be_bytes)
                .collect::<Vec<_>>(),
        );
        assert_eq!(person(&be[0]).name, "Zoë");
        // CR-only line ends (Excel for Mac's "CSV (Macintosh)"): the header is line one.
        let (mac, _) = rows(b"name,title,unit\rAna,A;B;C;D;E;F;G,CTRT\rBo,T,RPB\r");
        assert_eq!(person(&mac[0]).title, "A;B;C;D;E;F;G");
        assert_eq!((mac[0].line, mac[1].line), (2, 3));
    }

    #[test]
    fn invalid_utf8_after_the_sniffed_part_is_refused_on_its_row() {
        let mut bytes = b"name,title,unit\n".to_vec();
        for i in 0..3000 {
            bytes.extend(format!("Person {i},Analyst,CTRT\n").as_bytes());
        }
        bytes.extend(b"Jos\xe9,Analyst,CTRT\nLast,Analyst,CTRT\n");
        let (rows, _) = rows(&bytes);
        assert_eq!(rows.len(), 3002);
        let bad = &rows[3000];
        assert_eq!(bad.line, 3002);
        assert!(bad
            .person
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("not valid UTF-8"));
        assert_eq!(person(&rows[3001]).name, "Last");
    }

    #[test]
    fn header_problems_are_fatal_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("staff.csv");
        let fatal = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            StaffFile::open(&path).err().unwrap().to_string()
        };
        let msg = fatal(b"name,title\nAna,Analyst\n");
        assert!(msg.ends_with("line 1: no unit column (the header has \"name\", \"title\"); the header needs name, title and unit"), "{msg}");
        let msg = fatal(b"name,full name,title,unit\n");
        assert!(
            msg.contains("columns \"name\" and \"full name\" both give the name"),
            "{msg}"
        );
        assert!(fatal(b"").ends_with(
            "the file is empty; it needs a header row (name, title, unit) and one row per person"
        ));
        let missing = StaffFile::open(&dir.path().join("nope.csv"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            missing.starts_with("cannot read ") && missing.contains("nope.csv"),
            "{missing}"
        );
    }
}
