//! Works out how a CSV file is written before its rows are read: encoding,
//! delimiter and which column holds which field, from the file's first bytes.

use super::encoding::{self, Encoding};
use super::error::CsvError;
use super::headers::{self, HeaderRules};
use super::records::{Record, RecordReader};
use super::table::Header;

/// What the user fixed of a file's layout; what is left open is detected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forced {
    pub encoding: Option<Encoding>,
    pub delimiter: Option<u8>,
}

/// What was found out about one file.
#[derive(Debug, Clone)]
pub struct Sniffed {
    pub encoding: Encoding,
    pub delimiter: u8,
    pub header: Header,
    /// (field, header as written) for every field found.
    pub columns: Vec<(String, String)>,
    /// The headers of the columns no field is read from (see [`headers::HeaderMap`]).
    pub ignored: Vec<String>,
}

impl Sniffed {
    /// True when rows can be read straight from the file's bytes (UTF-8); other
    /// encodings are decoded to UTF-8 in memory first.
    pub fn streams(&self) -> bool {
        matches!(self.encoding, Encoding::Utf8 | Encoding::Utf8Bom)
    }
}

/// Sniffs a file from `prefix`, its first bytes (`whole` when that is all of it).
pub(super) fn sniff(
    prefix: &[u8],
    whole: bool,
    file: &str,
    forced: Forced,
    rules: &HeaderRules<'_>,
) -> Result<Sniffed, CsvError> {
    let encoding = forced
        .encoding
        .unwrap_or_else(|| detect_encoding(prefix, whole));
    let decoded = decode_prefix(prefix, whole, encoding).map_err(|error| CsvError::Encoding {
        file: file.to_owned(),
        error,
    })?;
    let delimiter = forced
        .delimiter
        .unwrap_or_else(|| headers::detect_delimiter(&decoded, rules).unwrap_or(b','));
    let mut reader = RecordReader::new(&decoded, 1, delimiter);
    let mut record = Record::default();
    if !reader.read(&mut record) {
        return Err(CsvError::Empty {
            file: file.to_owned(),
        });
    }
    let names: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mapped = headers::map_header(&names, rules).map_err(|error| CsvError::Header {
        file: file.to_owned(),
        line: record.line,
        error: Box::new(error),
    })?;
    Ok(Sniffed {
        encoding,
        delimiter,
        header: Header::new(mapped.columns, &record),
        columns: mapped.used,
        ignored: mapped.ignored,
    })
}

/// UTF-16 is told by its byte-order mark, or, without one (some .NET and database
/// tools omit it), by a header that starts with two ASCII characters each paired
/// with a zero byte: no text encoding of a CSV header has those. Bytes that are not
/// UTF-8 are Windows-1252, as German Excel writes "CSV" files. A UTF-8 byte-order
/// mark settles the matter: such a file with a stray byte is an error, not
/// Windows-1252. A character cut off at the end of a partial prefix does not count
/// against UTF-8.
fn detect_encoding(prefix: &[u8], whole: bool) -> Encoding {
    let ascii = |byte: &u8| *byte != 0 && byte.is_ascii();
    match prefix {
        [0xFF, 0xFE, ..] => return Encoding::Utf16Le,
        [0xFE, 0xFF, ..] => return Encoding::Utf16Be,
        [a, 0, b, 0, ..] if ascii(a) && ascii(b) => return Encoding::Utf16Le,
        [0, a, 0, b, ..] if ascii(a) && ascii(b) => return Encoding::Utf16Be,
        _ => {}
    }
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        return Encoding::Utf8Bom;
    }
    match std::str::from_utf8(prefix) {
        Err(error) if whole || error.error_len().is_some() => Encoding::Windows1252,
        _ => Encoding::Utf8,
    }
}

/// The prefix as UTF-8 (a character cut off at its end dropped).
fn decode_prefix(
    prefix: &[u8],
    whole: bool,
    encoding: Encoding,
) -> Result<Vec<u8>, encoding::DecodeError> {
    let usable = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let even = &prefix[..prefix.len() & !1];
            // The first half of a surrogate pair whose second half lies beyond the prefix.
            let last = match (encoding, even) {
                (Encoding::Utf16Le, [.., low, high]) => Some(u16::from_le_bytes([*low, *high])),
                (Encoding::Utf16Be, [.., high, low]) => Some(u16::from_be_bytes([*high, *low])),
                _ => None,
            };
            match last {
                Some(unit) if !whole && (0xD800..0xDC00).contains(&unit) => &even[..even.len() - 2],
                _ => even,
            }
        }
        Encoding::Utf8 | Encoding::Utf8Bom => match std::str::from_utf8(prefix) {
            Err(error) if error.error_len().is_none() => &prefix[..error.valid_up_to()],
            _ => prefix,
        },
        Encoding::Windows1252 => prefix,
    };
    encoding::decode(usable, Some(encoding)).map(|(text, _)| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings_with_and_without_a_byte_order_mark() {
        let cases: &[(&[u8], Encoding)] = &[
            (b"\xFF\xFEi\0d\0", Encoding::Utf16Le),
            (b"\xFE\xFF\0i\0d", Encoding::Utf16Be),
            (b"i\0d\0,\0", Encoding::Utf16Le),
            (b"\0i\0d\0,", Encoding::Utf16Be),
            (b"\xEF\xBB\xBFid,name", Encoding::Utf8Bom),
            (b"id,name\n", Encoding::Utf8),
            (b"id,N\xE4he\n", Encoding::Windows1252),
            // Only ASCII paired with zeros is UTF-16: a NUL in a text file is not.
            (b"i\0\0\0", Encoding::Utf8),
            (b"\0\0\0\0", Encoding::Utf8),
            (b"", Encoding::Utf8),
        ];
        for (prefix, encoding) in cases {
            assert_eq!(detect_encoding(prefix, true), *encoding, "{prefix:?}");
        }
    }
}
