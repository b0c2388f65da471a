//! Where each CSV record starts. The csv crate's own `position().line()` drifts on blank
//! lines and CRLF (rust-csv issues #208 and #395: the first record after a CRLF header is
//! reported on line 1), and the promise to HR is the exact line; so this follows the bytes
//! the csv reader reads, with the same quoting rules, and notes each record's first line
//! and the spreadsheet row Excel shows it on (a line break inside quotes stays in its
//! cell, so every later record's row is one less than its line; a blank line is a row).

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

/// Where each record starts, found by [`LineTracker`] as the csv reader pulls bytes
/// through it. (The csv crate's own line numbers drift on blank lines and CRLF, and the
/// promise to HR is the exact line.) Holds only what the reader has read ahead.
#[derive(Clone, Default)]
pub(super) struct RecordStarts(Arc<Mutex<VecDeque<Start>>>);

/// Where a record starts.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Start {
    /// The file's line, the header being line 1.
    pub(super) line: u64,
    /// The spreadsheet's row, the header being row 1.
    pub(super) row: u64,
    /// Bytes of the decoded file before it.
    pub(super) byte: u64,
}

impl RecordStarts {
    /// Where the next record the csv reader hands out starts.
    pub(super) fn next(&self) -> Start {
        self.0
            .lock()
            .expect("not poisoned")
            .pop_front()
            .unwrap_or_default()
    }
}

/// Follows the bytes the csv reader reads with the same quoting rules (RFC 4180, as the
/// csv crate reads them) and notes the line and offset at which each record begins.
/// Empty lines are not records; a line break inside quotes does not end one.
pub(super) struct LineTracker<R> {
    inner: R,
    delimiter: u8,
    starts: RecordStarts,
    state: ScanState,
    line: u64,
    row: u64,
    offset: u64,
    previous: u8,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ScanState {
    /// Between records: the next byte that is not a line break starts one.
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: `""` (a literal quote) or the field's end.
    QuoteInQuoted,
}

impl<R> LineTracker<R> {
    pub(super) fn new(inner: R, delimiter: u8, starts: RecordStarts) -> Self {
        LineTracker {
            inner,
            delimiter,
            starts,
            state: ScanState::RecordStart,
            line: 1,
            row: 1,
            offset: 0,
            previous: 0,
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        use ScanState::*;
        let mut found = Vec::new();
        for &b in bytes {
            // "\r\n" is one line break; a lone "\r" (old Mac files) is one too.
            let line_break = b == b'\n' && self.previous != b'\r' || b == b'\r';
            if line_break && self.state != Quoted {
                self.row += 1;
            }
            self.state = match (self.state, b) {
                (RecordStart, b'\n' | b'\r') => RecordStart,
                (RecordStart, _) => {
                    found.push(Start {
                        line: self.line,
                        row: self.row,
                        byte: self.offset,
                    });
                    self.field_byte(b)
                }
                (FieldStart | Unquoted, b'\n' | b'\r') => RecordStart,
                (FieldStart, _) => self.field_byte(b),
                (Unquoted, _) if b == self.delimiter => FieldStart,
                (Unquoted, _) => Unquoted,
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (QuoteInQuoted, b'\n' | b'\r') => RecordStart,
                (QuoteInQuoted, _) if b == self.delimiter => FieldStart,
                (QuoteInQuoted, _) => Unquoted,
            };
            if line_break {
                self.line += 1;
            }
            self.previous = b;
            self.offset += 1;
        }
        if !found.is_empty() {
            self.starts.0.lock().expect("not poisoned").extend(found);
        }
    }

    /// The state after the first byte of a field.
    fn field_byte(&self, b: u8) -> ScanState {
        match b {
            b'"' => ScanState::Quoted,
            _ if b == self.delimiter => ScanState::FieldStart,
            _ => ScanState::Unquoted,
        }
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n]);
        Ok(n)
    }
}
