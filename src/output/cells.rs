//! Report rows recorded cell by cell in a compact binary form, so that the
//! workbook gets exactly the rows and cells the CSV gets — rendered once, in
//! parallel with the CSV, and replayed in order by the workbook's writer thread.
//!
//! Each cell is a tag byte and its value: text (a LEB128 length and the UTF-8
//! bytes, raw — no formula guard, a workbook's text cell never evaluates), a
//! number (8 bytes, little-endian), or the end of a row. Codes of ours are text.

use std::io::{self, Read};
use std::ops::Range;

use super::rows::RowSink;
use super::spill::RowBytes;

const TEXT: u8 = 1;
const NUMBER: u8 = 2;
const END_ROW: u8 = 3;

/// Records rows into a byte buffer.
#[derive(Debug, Default)]
pub struct CellRecorder {
    bytes: Vec<u8>,
}

impl CellRecorder {
    /// Rows are appended to `bytes` after clearing it (its memory is reused).
    pub fn new(mut bytes: Vec<u8>) -> CellRecorder {
        bytes.clear();
        CellRecorder { bytes }
    }
}

impl RowSink for CellRecorder {
    fn text(&mut self, value: &str) {
        self.bytes.push(TEXT);
        let mut len = value.len() as u64;
        while len >= 0x80 {
            self.bytes.push((len as u8) | 0x80);
            len >>= 7;
        }
        self.bytes.push(len as u8);
        self.bytes.extend_from_slice(value.as_bytes());
    }

    fn number(&mut self, value: u64) {
        self.bytes.push(NUMBER);
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    fn token(&mut self, value: &str) {
        self.text(value);
    }

    fn end_row(&mut self) {
        self.bytes.push(END_ROW);
    }
}

impl RowBytes for CellRecorder {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    fn clear_bytes(&mut self) {
        self.bytes.clear();
    }

    fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// One recorded cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    Text(&'a str),
    Number(u64),
}

/// Where a cell of the current row is.
#[derive(Debug, Clone)]
enum Slot {
    Text(Range<usize>),
    Number(u64),
}

/// Reads recorded rows back, one at a time.
pub struct RowReader<R> {
    input: R,
    /// The text of the current row's cells, one after the other.
    text: Vec<u8>,
    slots: Vec<Slot>,
}

fn corrupt(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("recorded report rows are corrupt: {what}"),
    )
}

impl<R: Read> RowReader<R> {
    pub fn new(input: R) -> RowReader<R> {
        RowReader {
            input,
            text: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// Reads the next row; `None` at the end of the recording.
    pub fn next_row(&mut self) -> io::Result<Option<Row<'_>>> {
        self.text.clear();
        self.slots.clear();
        let mut tag = [0u8];
        if self.input.read(&mut tag)? == 0 {
            return Ok(None);
        }
        loop {
            match tag[0] {
                TEXT => {
                    let len = self.read_len()?;
                    let start = self.text.len();
                    self.text.resize(start + len, 0);
                    self.input.read_exact(&mut self.text[start..])?;
                    self.slots.push(Slot::Text(start..start + len));
                }
                NUMBER => {
                    let mut value = [0u8; 8];
                    self.input.read_exact(&mut value)?;
                    self.slots.push(Slot::Number(u64::from_le_bytes(value)));
                }
                END_ROW => break,
                _ => return Err(corrupt("unknown tag")),
            }
            self.input.read_exact(&mut tag)?;
        }
        let text = std::str::from_utf8(&self.text).map_err(|_| corrupt("text is not UTF-8"))?;
        Ok(Some(Row {
            text,
            slots: &self.slots,
        }))
    }

    fn read_len(&mut self) -> io::Result<usize> {
        let mut len = 0u64;
        for shift in (0..64).step_by(7) {
            let mut byte = [0u8];
            self.input.read_exact(&mut byte)?;
            len |= u64::from(byte[0] & 0x7F) << shift;
            if byte[0] < 0x80 {
                return usize::try_from(len).map_err(|_| corrupt("text too long"));
            }
        }
        Err(corrupt("length too long"))
    }
}

/// A recorded row.
#[derive(Debug, Clone, Copy)]
pub struct Row<'r> {
    text: &'r str,
    slots: &'r [Slot],
}

impl<'r> Row<'r> {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn cells(&self) -> impl Iterator<Item = Cell<'r>> + 'r {
        let text = self.text;
        self.slots.iter().map(move |slot| match slot {
            // Each range holds one whole `&str` as it was recorded: on char boundaries.
            Slot::Text(range) => Cell::Text(text.get(range.clone()).unwrap_or_default()),
            Slot::Number(value) => Cell::Number(*value),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Written {
        Text(String),
        Token(String),
        Number(u64),
    }

    fn written() -> impl Strategy<Value = Written> {
        prop_oneof![
            "[a-zäß=;\n\"]{0,8}".prop_map(Written::Text),
            "[A-Za-z;]{0,8}".prop_map(Written::Token),
            any::<u64>().prop_map(Written::Number),
        ]
    }

    proptest! {
        #[test]
        fn rows_read_back_as_written(
            rows in proptest::collection::vec(proptest::collection::vec(written(), 0..6), 0..6),
            long in 0usize..400,
        ) {
            let mut recorder = CellRecorder::new(b"old".to_vec());
            let long_text = "ü".repeat(long);
            for row in &rows {
                for cell in row {
                    match cell {
                        Written::Text(text) => recorder.text(text),
                        Written::Token(token) => recorder.token(token),
                        Written::Number(n) => recorder.number(*n),
                    }
                }
                recorder.text(&long_text);
                recorder.end_row();
            }
            let bytes = recorder.into_bytes();
            let mut reader = RowReader::new(bytes.as_slice());
            for row in &rows {
                let read = reader.next_row().expect("valid").expect("a row");
                let cells: Vec<Cell<'_>> = read.cells().collect();
                prop_assert_eq!(cells.len(), row.len() + 1);
                for (cell, written) in cells.iter().zip(row) {
                    let expected = match written {
                        Written::Text(text) | Written::Token(text) => Cell::Text(text),
                        Written::Number(n) => Cell::Number(*n),
                    };
                    prop_assert_eq!(*cell, expected);
                }
                prop_assert_eq!(cells[row.len()], Cell::Text(&long_text));
            }
            prop_assert!(reader.next_row().expect("valid").is_none());
        }
    }

    #[test]
    fn a_cut_recording_is_an_error_not_a_panic() {
        let mut recorder = CellRecorder::default();
        recorder.text("abc");
        recorder.number(7);
        recorder.end_row();
        let bytes = recorder.into_bytes();
        for cut in 1..bytes.len() {
            let mut reader = RowReader::new(&bytes[..cut]);
            assert!(reader.next_row().is_err(), "cut at {cut}");
        }
        let mut reader = RowReader::new(&[9u8][..]);
        assert!(reader.next_row().is_err());
    }
}
