//! Cuts a CSV byte stream into chunks that end on record boundaries, so that
//! chunks can be parsed in parallel.
//!
//! A line end (`\n`, `\r\n` or a lone `\r`) ends a record only outside a quoted
//! field; a CRLF is never cut in two. The scanner follows quotes
//! the way csv-core reads them (a quote opens a field only at its start, `""` is an
//! escaped quote, a closing quote is followed by a delimiter or a line end). It
//! visits only quote bytes, so it costs little more than a `memchr` over the data.
//! Where a quote breaks those rules, csv-core would read it leniently in a way the
//! scanner cannot follow, so from there on the stream is no longer cut: the rest
//! becomes one chunk, read sequentially and therefore still exactly as csv-core reads it.

/// Where the scanner stands in a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct QuoteScanner {
    delimiter: u8,
    in_quotes: bool,
    /// Next byte to look at.
    pos: usize,
    /// False once a quote was found that csv-core would read leniently.
    well_formed: bool,
}

impl QuoteScanner {
    pub(super) fn new(delimiter: u8) -> QuoteScanner {
        QuoteScanner {
            delimiter,
            in_quotes: false,
            pos: 0,
            well_formed: true,
        }
    }

    pub(super) fn is_well_formed(&self) -> bool {
        self.well_formed
    }

    /// Scans `buf` from where the last call stopped; `buf` must start on a record
    /// boundary and only grow between calls (or be cut with [`QuoteScanner::cut`]).
    /// Returns the offset just past the last line end outside quotes, if any. `eof` says
    /// no more bytes will follow, which settles a quote at the very end.
    pub(super) fn scan(&mut self, buf: &[u8], eof: bool) -> Option<usize> {
        let mut boundary = None;
        let delimiter = self.delimiter;
        let ends_field = |b: u8| b == delimiter || b == b'\n' || b == b'\r';
        while self.well_formed && self.pos < buf.len() {
            let rest = &buf[self.pos..];
            let Some(offset) = memchr::memchr(b'"', rest) else {
                if !self.in_quotes
                    && let Some(end) = last_line_end(buf, self.pos, buf.len(), eof)
                {
                    boundary = Some(end);
                }
                self.pos = buf.len();
                break;
            };
            let quote = self.pos + offset;
            if !self.in_quotes {
                if let Some(end) = last_line_end(buf, self.pos, quote, eof) {
                    boundary = Some(end);
                }
                let at_field_start = quote == 0 || ends_field(buf[quote - 1]);
                if !at_field_start {
                    self.well_formed = false;
                    break;
                }
                self.in_quotes = true;
                self.pos = quote + 1;
                continue;
            }
            match buf.get(quote + 1) {
                None if eof => {
                    self.in_quotes = false;
                    self.pos = buf.len();
                }
                // The byte after this quote has not been read yet: decide next time.
                None => {
                    self.pos = quote;
                    break;
                }
                Some(b'"') => self.pos = quote + 2,
                Some(&next) if ends_field(next) => {
                    self.in_quotes = false;
                    self.pos = quote + 1;
                }
                Some(_) => self.well_formed = false,
            }
        }
        boundary
    }

    /// Tells the scanner that the first `len` bytes of its buffer were taken away.
    pub(super) fn cut(&mut self, len: usize) {
        self.pos = self.pos.saturating_sub(len);
    }
}

/// Number of line ends in `bytes`: every `\n`, and every `\r` not followed by
/// `\n` (old Mac exports end lines with a lone CR), a `\r` at the very end
/// included. Callers never cut a CRLF in two.
pub(super) fn count_lines(bytes: &[u8]) -> u64 {
    let line_feeds = bytecount::count(bytes, b'\n');
    // Most files have no CR, or only CRLFs: one pass finds out.
    let lone_returns = memchr::memchr_iter(b'\r', bytes)
        .filter(|&at| bytes.get(at + 1) != Some(&b'\n'))
        .count();
    (line_feeds + lone_returns) as u64
}

/// The offset just past the last line end in `buf[from..to]`: a `\n`, or a `\r`
/// known to be lone (followed by something else than `\n`, or the last byte of
/// the stream at `eof`). A `\r` that ends the buffer before the end of the
/// stream may be the first half of a CRLF, so it is not taken.
fn last_line_end(buf: &[u8], from: usize, mut to: usize, eof: bool) -> Option<usize> {
    while let Some(at) = memchr::memrchr2(b'\n', b'\r', &buf[from..to]).map(|i| from + i) {
        let lone_return_or_feed = match buf.get(at + 1) {
            // A `\n` right after a `\r` would have been found first.
            Some(_) => true,
            None => buf[at] == b'\n' || eof,
        };
        if lone_return_or_feed {
            return Some(at + 1);
        }
        to = at;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cuts `text` at every boundary the scanner reports when fed `step` bytes at a time.
    fn cut(text: &str, step: usize) -> (Vec<String>, bool) {
        let bytes = text.as_bytes();
        let mut scanner = QuoteScanner::new(b',');
        let mut buf = Vec::new();
        let mut chunks = Vec::new();
        for piece in bytes.chunks(step) {
            buf.extend_from_slice(piece);
            let eof = buf.len() == bytes.len() - chunks.iter().map(String::len).sum::<usize>();
            let boundary = scanner.scan(&buf, eof);
            if let (Some(boundary), true) = (boundary, scanner.is_well_formed()) {
                chunks.push(String::from_utf8_lossy(&buf[..boundary]).into_owned());
                buf.drain(..boundary);
                scanner.cut(boundary);
            }
        }
        if !buf.is_empty() {
            chunks.push(String::from_utf8_lossy(&buf).into_owned());
        }
        (chunks, scanner.is_well_formed())
    }

    #[test]
    fn never_cuts_inside_quotes() {
        let text = "a,\"x\ny\",b\nc,\"\"\"q\"\"\n\",d\r\ne,f\n";
        for step in 1..text.len() {
            let (chunks, well_formed) = cut(text, step);
            assert!(well_formed);
            assert_eq!(chunks.concat(), text, "step {step}");
            for chunk in &chunks[..chunks.len() - 1] {
                assert!(
                    ["a,\"x\ny\",b\n", "c,\"\"\"q\"\"\n\",d\r\n", "e,f\n"]
                        .iter()
                        .any(|record| chunk.ends_with(record)),
                    "step {step}: {chunk:?}"
                );
            }
        }
    }

    #[test]
    fn cuts_after_lone_carriage_returns_but_never_inside_crlf_or_quotes() {
        let records = [
            "a,\"x\ry\",b\r",
            "c,\"\r\n\"\r\n",
            "d\r",
            "e,f\n",
            "\r",
            "g\r",
        ];
        let text = records.concat();
        for step in 1..text.len() {
            let (chunks, well_formed) = cut(&text, step);
            assert!(well_formed);
            assert_eq!(chunks.concat(), text, "step {step}");
            for chunk in &chunks[..chunks.len() - 1] {
                assert!(
                    records.iter().any(|record| chunk.ends_with(record)),
                    "step {step}: {chunk:?}"
                );
            }
        }
        let (chunks, _) = cut("h\r1\r2\r3\r", 3);
        assert!(chunks.len() > 2, "a CR-only file is cut too: {chunks:?}");
    }

    #[test]
    fn stray_quote_stops_cutting() {
        let (chunks, well_formed) = cut("a,5\" monitor\nb,\"c\nd\"\n", 4);
        assert!(!well_formed);
        assert_eq!(chunks.concat(), "a,5\" monitor\nb,\"c\nd\"\n");
        let (_, well_formed) = cut("a,\"x\"y\nb\n", 3);
        assert!(!well_formed, "text after a closing quote");
    }

    #[test]
    fn counts_line_ends() {
        assert_eq!(count_lines(b"a\r\nb\n\nc"), 3);
        assert_eq!(count_lines(b""), 0);
        assert_eq!(
            count_lines(b"a\rb\r\nc\n\r"),
            4,
            "lone CRs, a CR at the end"
        );
        assert_eq!(count_lines(b"\r\r\n\n"), 3);
    }
}
