//! Where each CSV record starts. The csv crate's own `position().line()` drifts on blank
//! lines and CRLF (rust-csv issues #208 and #395: the first record after a CRLF header is
//! reported on line 1), and the promise to HR is the exact line; so this follows the bytes
//! the csv reader reads, with the same quoting rules, and notes each record's first line
//! and the spreadsheet row Excel shows it on (a line break inside quotes stays in its
//! cell, so every later record's row is one less than its line; a blank line is a row).
//!
//! It also keeps one broken record from swallowing the rest of the file: a quote that
//! does not close within [`MAX_QUOTED_LINES`] lines (or [`MAX_RECORD_BYTES`], or before
//! the end) is closed where it opened and the lines under it are read as rows again; a
//! line longer than [`MAX_RECORD_BYTES`] is cut. Either way the record is marked with a
//! [`Fault`], and the staff file refuses it, naming the line.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

/// Where each record starts, found by [`LineTracker`] as the csv reader pulls bytes
/// through it. (The csv crate's own line numbers drift on blank lines and CRLF, and the
/// promise to HR is the exact line.) Holds only what the reader has read ahead.
#[derive(Clone, Default)]
pub(super) struct RecordStarts(Arc<Mutex<VecDeque<Start>>>);

/// Line breaks a quoted cell may hold: an address or a title over a few lines has a
/// handful; one that runs on past this is a quote left open.
pub(super) const MAX_QUOTED_LINES: u32 = 50;
/// Bytes one record may have: a row is a few hundred. Longer, and it is not a staff row,
/// and holding it would let one line use up the memory.
pub(super) const MAX_RECORD_BYTES: usize = 2 * 1024 * 1024;

/// Why a record cannot be trusted, found by the tracker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fault {
    /// A quote opened on `line` and did not close in time: it was closed before the
    /// first line break after it.
    Unclosed { line: u64, end: QuoteEnd },
    /// `line` is longer than [`MAX_RECORD_BYTES`]: the rest of it was skipped.
    TooLong { line: u64 },
}

/// How far an unclosed quote ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QuoteEnd {
    Lines,
    Bytes,
    EndOfFile,
}

/// Where a record starts.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Start {
    /// The file's line, the header being line 1.
    pub(super) line: u64,
    /// The spreadsheet's row, the header being row 1.
    pub(super) row: u64,
    /// Bytes of the decoded file before it.
    pub(super) byte: u64,
    /// What is wrong with the record, if the tracker found it broken.
    pub(super) fault: Option<Fault>,
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

    fn push(&self, start: Start) {
        self.0.lock().expect("not poisoned").push_back(start);
    }

    /// Marks the record being read: the last one started (the csv reader cannot have
    /// handed it out, as the tracker has not yet given it the record's end).
    fn fault(&self, fault: Fault) {
        if let Some(start) = self.0.lock().expect("not poisoned").back_mut() {
            start.fault.get_or_insert(fault);
        }
    }
}

/// Follows the bytes the csv reader reads with the same quoting rules (RFC 4180, as the
/// csv crate reads them) and notes the line and offset at which each record begins.
/// Empty lines are not records; a line break inside quotes does not end one.
///
/// From the first line break inside a quoted cell, the bytes are held back (at most
/// [`MAX_RECORD_BYTES`]) until the quote closes, when they are passed on as they were.
/// If it does not close in time, the record is faulted, a `"` is passed on in place of
/// that line break's cell end, and the held bytes are read again from that line break
/// as the lines they are.
pub(super) struct LineTracker<R> {
    inner: R,
    delimiter: u8,
    starts: RecordStarts,
    state: ScanState,
    at: Position,
    /// The line the quoted cell being read opened on.
    quote_line: u64,
    /// Bytes of the current line so far.
    line_bytes: usize,
    /// A quoted cell's bytes from its first line break, not yet passed on.
    held: Option<Held>,
    /// Scanned bytes to pass on, from `out_at`.
    out: Vec<u8>,
    out_at: usize,
    chunk: Vec<u8>,
    ended: bool,
}

/// Where the scan is in the file.
#[derive(Clone, Copy)]
struct Position {
    line: u64,
    row: u64,
    offset: u64,
    previous: u8,
}

struct Held {
    bytes: Vec<u8>,
    /// Where the first held byte (a line break) is.
    from: Position,
    breaks: u32,
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
    /// The rest of a line too long to read, skipped up to its line break.
    Skipping,
}

impl<R> LineTracker<R> {
    /// Follows `inner`, whose first line is the file's line `first` (2 when a line
    /// before the header was left out).
    pub(super) fn new(inner: R, delimiter: u8, starts: RecordStarts, first: u64) -> Self {
        LineTracker {
            inner,
            delimiter,
            starts,
            state: ScanState::RecordStart,
            at: Position {
                line: first,
                row: first,
                offset: 0,
                previous: 0,
            },
            quote_line: first,
            line_bytes: 0,
            held: None,
            out: Vec::new(),
            out_at: 0,
            chunk: vec![0; 8 * 1024],
            ended: false,
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }

    fn byte(&mut self, b: u8) {
        use ScanState::*;
        // "\r\n" is one line break; a lone "\r" (old Mac files) is one too.
        let line_break = b == b'\n' && self.at.previous != b'\r' || b == b'\r';
        if self.state == Quoted && line_break && self.held.is_none() {
            self.held = Some(Held {
                bytes: Vec::new(),
                from: self.at,
                breaks: 0,
            });
        }
        match &mut self.held {
            Some(held) => held.bytes.push(b),
            None if self.state == Skipping && !line_break => {}
            None => self.out.push(b),
        }
        if line_break && self.state != Quoted {
            self.at.row += 1;
        }
        self.state = match (self.state, b) {
            (Skipping, _) if line_break => RecordStart,
            (Skipping, _) => Skipping,
            (RecordStart, b'\n' | b'\r') => RecordStart,
            (RecordStart, _) => {
                self.starts.push(Start {
                    line: self.at.line,
                    row: self.at.row,
                    byte: self.at.offset,
                    fault: None,
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
            self.at.line += 1;
            self.line_bytes = 0;
        } else {
            self.line_bytes += 1;
        }
        self.at.previous = b;
        self.at.offset += 1;

        if let Some(held) = &mut self.held {
            if !matches!(self.state, Quoted | QuoteInQuoted) {
                // The quote closed: the cell's lines were a cell's after all.
                self.release();
            } else {
                held.breaks += u32::from(line_break);
                if held.breaks > MAX_QUOTED_LINES {
                    self.unclosed(QuoteEnd::Lines);
                } else if held.bytes.len() > MAX_RECORD_BYTES {
                    self.unclosed(QuoteEnd::Bytes);
                }
            }
        } else if self.line_bytes > MAX_RECORD_BYTES && self.state != Skipping {
            self.starts.fault(Fault::TooLong { line: self.at.line });
            if self.state == Quoted {
                self.out.push(b'"'); // so the cell ends at the line's break
            }
            self.state = Skipping;
        }
    }

    /// The state after the first byte of a field.
    fn field_byte(&mut self, b: u8) -> ScanState {
        match b {
            b'"' => {
                self.quote_line = self.at.line;
                ScanState::Quoted
            }
            _ if b == self.delimiter => ScanState::FieldStart,
            _ => ScanState::Unquoted,
        }
    }

    /// Passes the held bytes on as they were.
    fn release(&mut self) {
        if let Some(held) = self.held.take() {
            self.out.extend_from_slice(&held.bytes);
        }
    }

    /// The quote that opened on `quote_line` did not close in time: faults its record,
    /// closes the cell before its first line break, and reads what was held from there.
    fn unclosed(&mut self, end: QuoteEnd) {
        self.starts.fault(Fault::Unclosed {
            line: self.quote_line,
            end,
        });
        self.out.push(b'"');
        self.state = ScanState::QuoteInQuoted;
        if let Some(held) = self.held.take() {
            self.at = held.from;
            // Any cell these bytes open starts after the first line break, so it holds
            // fewer lines and bytes than just did: no limit is met again within them.
            self.scan(&held.bytes);
        }
    }

    /// The end of the input: a quote still open is closed where it opened.
    fn end(&mut self) {
        loop {
            if self.state == ScanState::Quoted {
                self.unclosed(QuoteEnd::EndOfFile);
            } else if self.held.is_some() {
                self.release(); // closed by its last byte, a quote
            } else {
                return;
            }
        }
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_at < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_at);
                buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
                self.out_at += n;
                if self.out_at == self.out.len() {
                    self.out.clear();
                    self.out_at = 0;
                }
                return Ok(n);
            }
            if self.ended {
                return Ok(0);
            }
            let mut chunk = std::mem::take(&mut self.chunk);
            let n = self.inner.read(&mut chunk);
            if let Ok(n) = n {
                if n == 0 {
                    self.end();
                    self.ended = true;
                } else {
                    self.scan(&chunk[..n]);
                }
            }
            self.chunk = chunk;
            n?;
        }
    }
}

impl Fault {
    /// What is wrong with a record that starts on line `at`.
    pub(super) fn what(&self, at: u64) -> String {
        match *self {
            Fault::Unclosed { line, end } => {
                let opens = if line == at {
                    "opens here".to_owned()
                } else {
                    format!("opens on line {line}")
                };
                let within = match end {
                    QuoteEnd::Lines => format!("within {MAX_QUOTED_LINES} lines"),
                    QuoteEnd::Bytes => "within 2 MB".to_owned(),
                    QuoteEnd::EndOfFile => "before the end of the file".to_owned(),
                };
                format!("a quote (\") {opens} and is not closed {within}")
            }
            Fault::TooLong { line } if line == at => "the line is longer than 2 MB".to_owned(),
            Fault::TooLong { line } => format!("line {line} is longer than 2 MB"),
        }
    }

    /// What became of the record and the lines after it, and what to do.
    pub(super) fn what_to_do(&self) -> &'static str {
        match self {
            Fault::Unclosed { .. } => {
                "this row is not read, but the lines under it were read as rows of their \
                 own; close the quote where the cell ends (or delete it) and run again"
            }
            Fault::TooLong { .. } => {
                "a row is a few hundred bytes, so the rest of the line was skipped; check \
                 that this is the staff list, shorten the line and run again"
            }
        }
    }
}
