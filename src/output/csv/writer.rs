//! CSV rows appended to a byte buffer, exactly as the csv crate writes them
//! (`QuoteStyle::Necessary`, doubled quotes) with the delimiter and line end of a
//! [`CsvStyle`], every text cell guarded against formulas ([`neutralize`]).
//!
//! The decision reports are hundreds of megabytes of short fields; going through
//! `csv::Writer` copied every byte twice and inspected it one at a time. Here a
//! field that needs no quotes (almost all) is found with one vectorised search and
//! copied once, and the formula guard looks at its first byte only. A property
//! test holds the output to the csv crate's.
//!
//! [`neutralize`]: crate::output::neutralize

use super::CsvStyle;
use crate::output::neutralize::{TEXT_PREFIX, needs_neutralizing};
use crate::output::rows::{Repeat, RowSink};
use crate::output::spill::RowBytes;

/// Bytes that make a field quoted: the delimiter, the quote and line breaks
/// (`\r` too, because readers take it for a line end).
fn needs_quotes(field: &[u8], delimiter: u8) -> bool {
    // Most fields are ids and names of a few dozen bytes: one pass without early
    // exit (which the compiler vectorises) beats two calls of memchr there.
    if field.len() <= SHORT_FIELD {
        return field.iter().fold(false, |found, &byte| {
            found | (byte == delimiter) | (byte == b'"') | (byte == b'\n') | (byte == b'\r')
        });
    }
    memchr::memchr3(delimiter, b'"', b'\n', field).is_some()
        || memchr::memchr(b'\r', field).is_some()
}

/// Fields up to this length are searched in one pass of their own.
const SHORT_FIELD: usize = 64;

/// Appends rows to a buffer.
#[derive(Debug)]
pub struct CsvOut {
    bytes: Vec<u8>,
    /// No field of the current row written yet.
    row_empty: bool,
    /// Where the current row starts in `bytes`.
    row_start: usize,
    delimiter: u8,
    terminator: &'static [u8],
    /// Text cells written with the formula guard.
    neutralized: u64,
    /// The cells last written at each [`Repeat`] place, encoded, the latest first.
    repeats: [Vec<Encoded>; Repeat::COUNT],
}

/// Cells as written, for writing again (see [`RowSink::repeated`]).
#[derive(Debug, Default)]
struct Encoded {
    key: u64,
    /// The cells' bytes, without the delimiter in front of the first.
    bytes: Vec<u8>,
    /// Cells among them written with the formula guard.
    neutralized: u64,
}

impl Default for CsvOut {
    fn default() -> CsvOut {
        CsvOut::new(Vec::new())
    }
}

impl CsvOut {
    /// Rows in the plain style are appended to `bytes` after clearing it (its
    /// memory is reused).
    pub fn new(bytes: Vec<u8>) -> CsvOut {
        CsvOut::with_style(bytes, CsvStyle::Plain)
    }

    /// Rows in `style` are appended to `bytes` after clearing it.
    pub fn with_style(mut bytes: Vec<u8>, style: CsvStyle) -> CsvOut {
        bytes.clear();
        CsvOut {
            bytes,
            row_empty: true,
            row_start: 0,
            delimiter: style.delimiter(),
            terminator: style.terminator(),
            neutralized: 0,
            repeats: Default::default(),
        }
    }

    /// A text field: guarded against formulas, quoted where needed.
    pub fn field(&mut self, value: impl AsRef<[u8]>) {
        let value = value.as_ref();
        self.separate();
        let guarded = needs_neutralizing(value);
        if guarded {
            self.neutralized += 1;
        }
        if !needs_quotes(value, self.delimiter) {
            if guarded {
                self.bytes.push(TEXT_PREFIX as u8);
            }
            self.bytes.extend_from_slice(value);
            return;
        }
        self.bytes.push(b'"');
        if guarded {
            self.bytes.push(TEXT_PREFIX as u8);
        }
        let mut rest = value;
        while let Some(quote) = memchr::memchr(b'"', rest) {
            self.bytes.extend_from_slice(&rest[..=quote]);
            self.bytes.push(b'"');
            rest = &rest[quote + 1..];
        }
        self.bytes.extend_from_slice(rest);
        self.bytes.push(b'"');
    }

    /// A code or keyword of ours: never guarded (it cannot start a formula), and
    /// quoted only if it holds the delimiter (`;`-joined codes under `excel-de`).
    pub fn token(&mut self, value: &str) {
        debug_assert!(
            !needs_neutralizing(value.as_bytes()),
            "{value:?} is not a token"
        );
        if memchr::memchr(self.delimiter, value.as_bytes()).is_some() {
            self.field(value);
        } else {
            self.plain(value);
        }
    }

    /// Appends a field that needs no quotes by its nature (a number), without
    /// looking for bytes to quote.
    pub fn plain(&mut self, value: &str) {
        debug_assert!(
            !needs_quotes(value.as_bytes(), self.delimiter),
            "{value:?} needs quotes"
        );
        self.encoded(value.as_bytes());
    }

    /// Appends fields encoded by another `CsvOut` of the same style (its unfinished
    /// row), so that fields repeated on many rows are encoded once.
    pub fn encoded(&mut self, fields: &[u8]) {
        self.separate();
        self.bytes.extend_from_slice(fields);
    }

    fn separate(&mut self) {
        if !self.row_empty {
            self.bytes.push(self.delimiter);
        }
        self.row_empty = false;
    }

    /// Appends bytes that precede the rows (the BOM of a file's start).
    pub fn preamble(&mut self, bytes: &[u8]) {
        debug_assert!(self.row_empty, "a preamble inside a row");
        self.bytes.extend_from_slice(bytes);
        self.row_start = self.bytes.len();
    }

    /// Puts `rows` (whole rows, in this style) in place of the rows written so
    /// far, keeping the count of guarded cells; returns the buffer they were in.
    pub fn replace_rows(&mut self, rows: Vec<u8>) -> Vec<u8> {
        debug_assert!(self.row_empty, "rows replaced inside a row");
        let replaced = std::mem::replace(&mut self.bytes, rows);
        self.row_start = self.bytes.len();
        replaced
    }

    /// Forgets everything written, keeping the memory.
    pub fn clear(&mut self) {
        self.clear_bytes();
        self.neutralized = 0;
    }

    /// Forgets the bytes written (after they were saved elsewhere), keeping the
    /// count of guarded cells.
    pub fn clear_bytes(&mut self) {
        self.bytes.clear();
        self.row_empty = true;
        self.row_start = 0;
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Text cells written with the formula guard so far.
    pub fn neutralized(&self) -> u64 {
        self.neutralized
    }

    /// Ends the row. A row that would be blank (no field, or one empty field) is
    /// written `""`, as the csv crate does, so that it is not read back as a blank line.
    pub fn end_row(&mut self) {
        if self.bytes.len() == self.row_start {
            self.bytes.extend_from_slice(b"\"\"");
        }
        self.bytes.extend_from_slice(self.terminator);
        self.row_empty = true;
        self.row_start = self.bytes.len();
    }

    pub fn record<T: AsRef<[u8]>>(&mut self, fields: impl IntoIterator<Item = T>) {
        for field in fields {
            self.field(field);
        }
        self.end_row();
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

impl RowSink for CsvOut {
    fn text(&mut self, value: &str) {
        self.field(value);
    }

    fn number(&mut self, value: u64) {
        self.plain(itoa::Buffer::new().format(value));
    }

    fn token(&mut self, value: &str) {
        CsvOut::token(self, value);
    }

    fn end_row(&mut self) {
        CsvOut::end_row(self);
    }

    fn repeated(&mut self, at: Repeat, key: u64, render: &dyn Fn(&mut dyn RowSink)) {
        if let Some(found) = self.repeats[at.index()]
            .iter()
            .position(|encoded| encoded.key == key)
        {
            self.separate();
            let encoded = &self.repeats[at.index()][found];
            self.bytes.extend_from_slice(&encoded.bytes);
            self.neutralized += encoded.neutralized;
            return;
        }
        let (start, row_was_empty, neutralized) =
            (self.bytes.len(), self.row_empty, self.neutralized);
        render(self);
        // A cell after others starts with the delimiter, which a replay writes itself.
        let first_cell = if row_was_empty { start } else { start + 1 };
        let Some(cells) = self.bytes.get(first_cell..).filter(|_| !self.row_empty) else {
            // Nothing written: nothing to repeat.
            return;
        };
        let kept = &mut self.repeats[at.index()];
        if kept.len() == at.kept() {
            kept.pop();
        }
        kept.insert(
            0,
            Encoded {
                key,
                bytes: cells.to_vec(),
                neutralized: self.neutralized - neutralized,
            },
        );
    }
}

impl RowBytes for CsvOut {
    fn as_bytes(&self) -> &[u8] {
        CsvOut::as_bytes(self)
    }

    fn clear_bytes(&mut self) {
        CsvOut::clear_bytes(self);
    }

    fn into_bytes(self) -> Vec<u8> {
        CsvOut::into_bytes(self)
    }
}

#[cfg(test)]
mod tests;
