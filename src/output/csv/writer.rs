//! CSV rows appended to a byte buffer, exactly as the csv crate writes them with
//! its defaults (comma, `QuoteStyle::Necessary`, doubled quotes) and `\n` line ends.
//!
//! The decision reports are hundreds of megabytes of short fields; going through
//! `csv::Writer` copied every byte twice and inspected it one at a time. Here a
//! field that needs no quotes (almost all) is found with one vectorised search and
//! copied once. A property test holds the output to the csv crate's.

use crate::output::rows::RowSink;

/// Bytes that make a field quoted: the delimiter, the quote and line breaks
/// (`\r` too, because readers take it for a line end).
fn needs_quotes(field: &[u8]) -> bool {
    memchr::memchr3(b',', b'"', b'\n', field).is_some() || memchr::memchr(b'\r', field).is_some()
}

/// Appends rows to a buffer.
#[derive(Debug)]
pub struct CsvOut {
    bytes: Vec<u8>,
    /// No field of the current row written yet.
    row_empty: bool,
    /// Where the current row starts in `bytes`.
    row_start: usize,
}

impl Default for CsvOut {
    fn default() -> CsvOut {
        CsvOut::new(Vec::new())
    }
}

impl CsvOut {
    /// Rows are appended to `bytes` after clearing it (its memory is reused).
    pub fn new(mut bytes: Vec<u8>) -> CsvOut {
        bytes.clear();
        CsvOut {
            bytes,
            row_empty: true,
            row_start: 0,
        }
    }

    pub fn field(&mut self, value: impl AsRef<[u8]>) {
        let value = value.as_ref();
        if !self.row_empty {
            self.bytes.push(b',');
        }
        self.row_empty = false;
        if !needs_quotes(value) {
            self.bytes.extend_from_slice(value);
            return;
        }
        self.bytes.push(b'"');
        let mut rest = value;
        while let Some(quote) = memchr::memchr(b'"', rest) {
            self.bytes.extend_from_slice(&rest[..=quote]);
            self.bytes.push(b'"');
            rest = &rest[quote + 1..];
        }
        self.bytes.extend_from_slice(rest);
        self.bytes.push(b'"');
    }

    /// Appends a field that needs no quotes by its nature (a number, a reason code),
    /// without looking for bytes to quote.
    pub fn plain(&mut self, value: &str) {
        debug_assert!(!needs_quotes(value.as_bytes()), "{value:?} needs quotes");
        self.encoded(value.as_bytes());
    }

    /// Appends fields encoded by another `CsvOut` (its unfinished row), so that
    /// fields repeated on many rows are encoded once.
    pub fn encoded(&mut self, fields: &[u8]) {
        if !self.row_empty {
            self.bytes.push(b',');
        }
        self.row_empty = false;
        self.bytes.extend_from_slice(fields);
    }

    /// Forgets everything written, keeping the memory.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.row_empty = true;
        self.row_start = 0;
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Ends the row. A row that would be blank (no field, or one empty field) is
    /// written `""`, as the csv crate does, so that it is not read back as a blank line.
    pub fn end_row(&mut self) {
        if self.bytes.len() == self.row_start {
            self.bytes.extend_from_slice(b"\"\"");
        }
        self.bytes.push(b'\n');
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
        self.plain(value);
    }

    fn end_row(&mut self) {
        CsvOut::end_row(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn with_csv_crate(rows: &[Vec<String>]) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .from_writer(Vec::new());
        for row in rows {
            writer.write_record(row).expect("in memory");
        }
        writer.into_inner().expect("in memory")
    }

    #[test]
    fn quotes_only_where_needed() {
        let mut out = CsvOut::new(b"old".to_vec());
        out.record(["a", "b,c", "say \"hi\"", "x\ny", "\r", ""]);
        out.record([""]);
        assert_eq!(
            String::from_utf8(out.into_bytes()).expect("text"),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",\"\r\",\n\"\"\n"
        );
    }

    proptest! {
        #[test]
        fn writes_what_the_csv_crate_writes(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a\",\r\n ;ä]{0,6}", 1..5),
                0..6,
            )
        ) {
            let mut out = CsvOut::default();
            for row in &rows {
                out.record(row);
            }
            prop_assert_eq!(out.into_bytes(), with_csv_crate(&rows));

            // The same rows with their first two fields encoded apart.
            let mut out = CsvOut::default();
            let mut lead = CsvOut::default();
            for row in &rows {
                lead.clear();
                let split = row.len().min(2);
                for field in &row[..split] {
                    lead.field(field);
                }
                if split > 0 {
                    out.encoded(lead.as_bytes());
                }
                for field in &row[split..] {
                    if needs_quotes(field.as_bytes()) {
                        out.field(field);
                    } else {
                        out.plain(field);
                    }
                }
                out.end_row();
            }
            prop_assert_eq!(out.into_bytes(), with_csv_crate(&rows));
        }
    }
}
