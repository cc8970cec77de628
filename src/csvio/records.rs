//! Splits CSV bytes into records, counting physical lines itself.
//!
//! The csv crate's `Position` is off after blank lines and CRLF line ends, and
//! every error must name the right line, so records are read here: blank lines are
//! skipped before a record starts, and the record's line is one plus the number of
//! line ends before its first byte. A line ends with `\n`, `\r\n` or a lone `\r`
//! (old Mac exports), as csv-core ends records. A reader works on any slice that
//! starts at a record boundary, so a file can be cut into chunks read in parallel.
//!
//! Most lines of an export hold no quote: such a line is split at its delimiters
//! directly, its fields borrowed from the input. Any other record goes through
//! `csv-core`. A property test holds both paths to the same records.

use csv_core::ReadRecordResult;

use crate::sys;

/// One record: its fields, its first line and its raw bytes' span in the input.
///
/// The fields of a plain line (no quotes) are slices of the input itself; those
/// of a quoted record are unquoted by csv-core into the record's own buffer.
#[derive(Debug, Default, Clone)]
pub(super) struct Record<'b> {
    data: Vec<u8>,
    /// Where each field ends: in `data`, or in `plain` for a plain line.
    ends: Vec<usize>,
    len: usize,
    /// The line of a plain record, and the same line as text when the reader's
    /// input is known to be UTF-8.
    plain: Option<&'b [u8]>,
    plain_text: Option<&'b str>,
    pub(super) line: u64,
    pub(super) span: std::ops::Range<usize>,
    /// False when no field can hold a NUL byte, so that fields need no search.
    may_hold_nul: bool,
}

impl Record<'_> {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// False when the record certainly holds no NUL byte.
    pub(super) fn may_hold_nul(&self) -> bool {
        self.may_hold_nul
    }

    #[inline(always)]
    fn range(&self, index: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(index).filter(|_| index < self.len)?;
        let start = match index {
            0 => 0,
            // A plain line's fields are separated by a delimiter; csv-core's are not.
            _ => self.ends[index - 1] + usize::from(self.plain.is_some()),
        };
        Some(start..end)
    }

    pub(super) fn get(&self, index: usize) -> Option<&[u8]> {
        let range = self.range(index)?;
        match self.plain {
            Some(line) => line.get(range),
            None => self.data.get(range),
        }
    }

    /// Field `index` as text (`None` past the last field).
    #[inline(always)]
    pub(super) fn get_str(&self, index: usize) -> Option<Result<&str, std::str::Utf8Error>> {
        if let Some(text) = self.plain_text {
            // Delimiters are ASCII, so a field of valid text is valid text.
            if let Some(field) = self.range(index).and_then(|range| text.get(range)) {
                return Some(Ok(field));
            }
        }
        self.get(index).map(std::str::from_utf8)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len).filter_map(|i| self.get(i))
    }

    /// True when every field is empty or white space (a blank or `,,,` line).
    pub(super) fn is_blank(&self) -> bool {
        self.iter()
            .all(|field| field.iter().all(u8::is_ascii_whitespace))
    }
}

/// Reads records from a slice that starts at a record boundary.
pub(super) struct RecordReader<'b> {
    /// Built at the first record that is not a plain line: building its automaton
    /// costs as much as splitting a few thousand plain lines.
    core: Option<csv_core::Reader>,
    input: &'b [u8],
    /// The input as text, when it is known to be UTF-8.
    text: Option<&'b str>,
    pos: usize,
    /// Line number of `input[pos]`.
    line: u64,
    delimiter: u8,
    /// Split plain lines directly (off only in tests, to compare with csv-core).
    plain_lines: bool,
    /// True when the input holds no NUL byte: one search for the whole input
    /// spares one per record.
    nul_free: bool,
}

impl<'b> RecordReader<'b> {
    /// `first_line` is the line number of `input[0]` in its file.
    pub(super) fn new(input: &'b [u8], first_line: u64, delimiter: u8) -> RecordReader<'b> {
        RecordReader {
            core: None,
            input,
            text: None,
            pos: 0,
            line: first_line,
            delimiter,
            plain_lines: true,
            nul_free: memchr::memchr(0, input).is_none(),
        }
    }

    /// A reader of text: fields of plain lines are then not validated again.
    pub(super) fn from_text(input: &'b str, first_line: u64, delimiter: u8) -> RecordReader<'b> {
        RecordReader {
            text: Some(input),
            ..RecordReader::new(input.as_bytes(), first_line, delimiter)
        }
    }

    /// Bytes of the input consumed so far.
    pub(super) fn position(&self) -> usize {
        self.pos
    }

    /// Line number of the next unread byte.
    pub(super) fn line(&self) -> u64 {
        self.line
    }

    /// Reads the next record into `record`; false at the end of the input.
    pub(super) fn read(&mut self, record: &mut Record<'b>) -> bool {
        while let Some(&byte) = self.input.get(self.pos) {
            match byte {
                b'\n' => self.line += 1,
                // The line feed of a CRLF counts the line.
                b'\r' => self.line += u64::from(self.input.get(self.pos + 1) != Some(&b'\n')),
                _ => break,
            }
            self.pos += 1;
        }
        if self.pos >= self.input.len() {
            return false;
        }
        record.line = self.line;
        if self.plain_lines && self.read_plain_line(record) {
            return true;
        }
        let delimiter = self.delimiter;
        let core = self
            .core
            .get_or_insert_with(|| csv_core::ReaderBuilder::new().delimiter(delimiter).build());
        core.reset();
        let start = self.pos;
        // csv-core writes into the buffers' length, which a plain line may have cut.
        if record.data.len() < 1024 {
            record.data.resize(1024, 0);
        }
        if record.ends.len() < 32 {
            record.ends.resize(32, 0);
        }
        record.plain = None;
        record.plain_text = None;
        let (mut out, mut ends) = (0, 0);
        loop {
            let (result, nin, nout, nend) = core.read_record(
                &self.input[self.pos..],
                &mut record.data[out..],
                &mut record.ends[ends..],
            );
            self.pos += nin;
            // csv-core reports field ends from the start of the record, across calls.
            out += nout;
            ends += nend;
            match result {
                ReadRecordResult::InputEmpty => {
                    if self.pos >= self.input.len() {
                        // End of the slice: let csv-core finish the last record.
                        continue;
                    }
                }
                ReadRecordResult::OutputFull => {
                    let grown = record.data.len() * 2;
                    record.data.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = record.ends.len() * 2;
                    record.ends.resize(grown, 0);
                }
                ReadRecordResult::Record | ReadRecordResult::End => break,
            }
        }
        record.len = ends;
        let consumed = &self.input[start..self.pos];
        record.may_hold_nul = !self.nul_free && memchr::memchr(0, consumed).is_some();
        // csv-core may stop between the `\r` and `\n` of a CRLF: then the line feed,
        // still to come, counts the line.
        let crlf_cut = consumed.last() == Some(&b'\r') && self.input.get(self.pos) == Some(&b'\n');
        self.line += super::chunks::count_lines(consumed) - u64::from(crlf_cut);
        let trimmed = consumed
            .iter()
            .rposition(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(0, |last| last + 1);
        record.span = start..start + trimmed;
        true
    }

    /// Reads the next record without csv-core if it is a plain line: no quote, and
    /// no carriage return but the one that ends it (CRLF or a lone CR). Such a
    /// record is its line split at the delimiter, exactly as csv-core would split
    /// it; most rows of an export are plain, and splitting them directly is several
    /// times faster.
    fn read_plain_line(&mut self, record: &mut Record<'b>) -> bool {
        let rest = &self.input[self.pos..];
        record.ends.clear();
        let Some(line) = split_plain_line(rest, self.delimiter, &mut record.ends) else {
            return false;
        };
        record.ends.push(line.len);
        record.len = record.ends.len();
        let span = self.pos..self.pos + line.len;
        let bytes = &rest[..line.len];
        record.plain = Some(bytes);
        record.may_hold_nul = !self.nul_free && memchr::memchr(0, bytes).is_some();
        record.plain_text = self.text.and_then(|text| text.get(span.clone()));
        record.span = span;
        self.pos += line.consumed;
        self.line += u64::from(line.ended);
        true
    }
}

/// A plain line at the start of some bytes.
struct PlainLine {
    /// Its length, without the line end.
    len: usize,
    /// Its length with the line end.
    consumed: usize,
    /// False when the bytes end without a line end.
    ended: bool,
}

/// The bytes that end a plain line, or make it a matter for csv-core.
const STOPS: [u8; 3] = [b'\n', b'\r', b'"'];

/// Finds the plain line at the start of `bytes` and appends the positions of
/// `delimiter` in it; `None` if the line is not plain (a quote or a carriage
/// return comes before its end).
///
/// One pass over blocks of 32 bytes finds both the line end and the delimiters
/// (vector compares, [`sys::byte_masks`]); a search for the line end followed by a
/// pass for the delimiters took 2.5 times the instructions.
fn split_plain_line(bytes: &[u8], delimiter: u8, positions: &mut Vec<usize>) -> Option<PlainLine> {
    let mut blocks = bytes.chunks_exact(sys::MASK_BLOCK);
    let mut offset = 0;
    for block in &mut blocks {
        let block = <&[u8; sys::MASK_BLOCK]>::try_from(block).ok()?;
        let (delimiters, stops) = sys::byte_masks(block, delimiter, STOPS);
        if stops != 0 {
            let at = stops.trailing_zeros() as usize;
            push_bits(delimiters & ((1u32 << at) - 1), offset, positions);
            return plain_line_end(bytes, offset + at);
        }
        push_bits(delimiters, offset, positions);
        offset += sys::MASK_BLOCK;
    }
    for (i, &byte) in blocks.remainder().iter().enumerate() {
        if STOPS.contains(&byte) {
            return plain_line_end(bytes, offset + i);
        }
        if byte == delimiter {
            positions.push(offset + i);
        }
    }
    Some(PlainLine {
        len: bytes.len(),
        consumed: bytes.len(),
        ended: false,
    })
}

/// Appends `offset` plus the position of every bit set in `mask`.
fn push_bits(mut mask: u32, offset: usize, positions: &mut Vec<usize>) {
    while mask != 0 {
        positions.push(offset + mask.trailing_zeros() as usize);
        mask &= mask - 1;
    }
}

/// The plain line of `bytes` that stops at `bytes[at]`, one of [`STOPS`].
fn plain_line_end(bytes: &[u8], at: usize) -> Option<PlainLine> {
    let ended = |consumed| {
        Some(PlainLine {
            len: at,
            consumed,
            ended: true,
        })
    };
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'\n'), _) => ended(at + 1),
        (Some(b'\r'), Some(b'\n')) => ended(at + 2),
        (Some(b'\r'), _) => ended(at + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every record as (line, span, fields), read with or without the plain-line path.
    fn read_all(text: &[u8], delimiter: u8, plain_lines: bool) -> Vec<(u64, String, Vec<Vec<u8>>)> {
        let mut reader = RecordReader::new(text, 1, delimiter);
        reader.plain_lines = plain_lines;
        let mut record = Record::default();
        let mut out = Vec::new();
        while reader.read(&mut record) {
            let span = String::from_utf8_lossy(&text[record.span.clone()]).into_owned();
            let fields = record.iter().map(<[u8]>::to_vec).collect();
            out.push((record.line, span, fields));
            assert_eq!(
                record.is_blank(),
                record.iter().flatten().all(u8::is_ascii_whitespace)
            );
        }
        out
    }

    #[test]
    fn delimiters_are_found_in_blocks_and_the_tail() {
        let long = format!("{},x", "ab,".repeat(30));
        for text in [
            "",
            ",",
            "a,b",
            ",,,,,,,,,",
            "0123456,89,,é,\u{ff}x,",
            "\u{80},\u{ff}",
            long.as_str(),
        ] {
            let mut found = Vec::new();
            let line = split_plain_line(text.as_bytes(), b',', &mut found).expect("plain");
            let expected: Vec<usize> = text.match_indices(',').map(|(i, _)| i).collect();
            assert_eq!(found, expected, "{text:?}");
            let len = text.len();
            assert_eq!((line.len, line.consumed, line.ended), (len, len, false));
        }
        let block_end = format!("{}\nc,d", ",".repeat(31));
        for (text, len, consumed) in [
            ("a,b\nc,d", 3, 4),
            ("a,b\r\nc", 3, 5),
            ("a\rb", 1, 2),
            (block_end.as_str(), 31, 32),
        ] {
            let mut found = Vec::new();
            let line = split_plain_line(text.as_bytes(), b',', &mut found).expect("plain");
            assert_eq!(
                (line.len, line.consumed, line.ended),
                (len, consumed, true),
                "{text:?}"
            );
            assert!(found.iter().all(|&at| at < len), "{text:?}");
        }
        let quoted = format!("{}\"x\"", ",".repeat(40));
        assert!(split_plain_line(quoted.as_bytes(), b',', &mut Vec::new()).is_none());
    }

    proptest! {
        /// Plain lines split directly give exactly what csv-core gives, whatever
        /// mix of quotes, carriage returns, blank lines and delimiters surrounds them.
        #[test]
        fn plain_lines_read_like_csv_core(
            text in proptest::collection::vec(
                prop::sample::select(vec![b'a', b'b', b',', b';', b'"', b'\r', b'\n', b' ']),
                0..200,
            ),
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            let records = read_all(&text, delimiter, true);
            prop_assert_eq!(&records, &read_all(&text, delimiter, false));
            // Each record's line is that of its first byte, counted the plain way.
            let mut reader = RecordReader::new(&text, 1, delimiter);
            let mut record = Record::default();
            while reader.read(&mut record) {
                prop_assert_eq!(record.line, naive_line(&text, record.span.start));
            }
        }
    }

    /// The 1-based line of `text[at]`: one plus the `\n`s and lone `\r`s before it.
    fn naive_line(text: &[u8], at: usize) -> u64 {
        let before = &text[..at];
        let ends = before
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && text.get(i + 1) != Some(&b'\n')))
            .count();
        1 + ends as u64
    }

    fn lines_and_fields(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut reader = RecordReader::new(text.as_bytes(), 1, b',');
        let mut record = Record::default();
        let mut out = Vec::new();
        while reader.read(&mut record) {
            let fields = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            out.push((record.line, fields));
        }
        out
    }

    #[test]
    fn lines_survive_blank_lines_crlf_and_quoted_newlines() {
        let cases: &[(&str, &[u64])] = &[
            ("h\n1\n2\n", &[1, 2, 3]),
            ("h\n1\n\n2\n", &[1, 2, 4]),
            ("h\r\n1\r\n\r\n2\r\n", &[1, 2, 4]),
            ("h\n\"a\nb\"\n2\n", &[1, 2, 4]),
            ("h\r\n\"a\r\nb\",x\r\n2", &[1, 2, 4]),
            ("\n\nh\n1", &[3, 4]),
            // Old Mac exports: a lone CR ends a line, on the plain path and in csv-core.
            ("h\r1\r2\r", &[1, 2, 3]),
            ("h\r1\r\r2\r", &[1, 2, 4]),
            ("\r\rh\r1", &[3, 4]),
            ("h\r\"a\rb\",x\r2\r", &[1, 2, 4]),
            ("h\r\"a\"\r\"b\"\r\n3", &[1, 2, 3, 4]),
            ("h\r\n1\r2\n\r\n3\r", &[1, 2, 3, 5]),
        ];
        for (text, expected) in cases {
            let lines: Vec<u64> = lines_and_fields(text)
                .iter()
                .map(|(line, _)| *line)
                .collect();
            assert_eq!(&lines, expected, "{text:?}");
        }
    }

    #[test]
    fn fields_are_unquoted() {
        let records = lines_and_fields("a,\"b,c\",\"d \"\"e\"\"\"\nx,,\n");
        assert_eq!(records[0].1, ["a", "b,c", "d \"e\""]);
        assert_eq!(records[1].1, ["x", "", ""]);
    }

    #[test]
    fn long_records_grow_the_buffers() {
        let long = "x".repeat(100_000);
        let many = vec!["y"; 500].join(",");
        let text = format!("{long},z\n{many}\n");
        let records = lines_and_fields(&text);
        assert_eq!(records[0].1[0].len(), 100_000);
        assert_eq!(records[0].1[1], "z");
        assert_eq!(records[1].1.len(), 500);
        assert_eq!(records[1].0, 2);
    }

    #[test]
    fn span_is_the_raw_line_without_terminator() {
        let text = "a,\"b\"\r\nc\n";
        let mut reader = RecordReader::new(text.as_bytes(), 1, b',');
        let mut record = Record::default();
        assert!(reader.read(&mut record));
        assert_eq!(&text[record.span.clone()], "a,\"b\"");
        assert!(reader.read(&mut record));
        assert_eq!(&text[record.span.clone()], "c");
        assert!(!reader.read(&mut record));
    }
}
