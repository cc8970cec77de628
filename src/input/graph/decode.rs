//! The export's text encoding: UTF-8 with or without BOM, or UTF-16 with a BOM.
//! Unlike the CSV files, nothing is ever read as Windows-1252: JSON is Unicode.

use std::borrow::Cow;
use std::fmt;

use super::GraphErrorKind;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// The encoding an export was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl JsonEncoding {
    /// The name reports show, as the CSV files' encodings are named.
    pub fn name(self) -> &'static str {
        match self {
            JsonEncoding::Utf8 => "utf-8",
            JsonEncoding::Utf8Bom => "utf-8-bom",
            JsonEncoding::Utf16Le => "utf-16le",
            JsonEncoding::Utf16Be => "utf-16be",
        }
    }
}

impl fmt::Display for JsonEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The file's text without its BOM; UTF-8 is borrowed.
pub(super) fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, JsonEncoding), GraphErrorKind> {
    if let Some(body) = bytes.strip_prefix(UTF16LE_BOM) {
        return utf16(body, JsonEncoding::Utf16Le);
    }
    if let Some(body) = bytes.strip_prefix(UTF16BE_BOM) {
        return utf16(body, JsonEncoding::Utf16Be);
    }
    if let Some(body) = bytes.strip_prefix(UTF8_BOM) {
        return utf8(body, UTF8_BOM.len()).map(|text| (text, JsonEncoding::Utf8Bom));
    }
    // JSON text never holds a raw NUL, but UTF-16 of ASCII is half NULs.
    if bytes.iter().take(2).any(|&byte| byte == 0) {
        return Err(GraphErrorKind::Utf16WithoutBom);
    }
    utf8(bytes, 0).map(|text| (text, JsonEncoding::Utf8))
}

fn utf8(body: &[u8], bom_len: usize) -> Result<Cow<'_, str>, GraphErrorKind> {
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(error) => {
            let valid = error.valid_up_to();
            let before = body.get(..valid).unwrap_or(body);
            Err(GraphErrorKind::InvalidUtf8 {
                line: line_of(memchr::memchr_iter(b'\n', before).count()),
                offset: bom_len + valid,
                byte: body.get(valid).copied().unwrap_or_default(),
            })
        }
    }
}

fn utf16(
    body: &[u8],
    encoding: JsonEncoding,
) -> Result<(Cow<'_, str>, JsonEncoding), GraphErrorKind> {
    let big_endian = encoding == JsonEncoding::Utf16Be;
    if !body.len().is_multiple_of(2) {
        let problem = format!("the file has an odd number of bytes ({})", body.len() + 2);
        return Err(GraphErrorKind::InvalidUtf16 { encoding, problem });
    }
    let codec = if big_endian {
        encoding_rs::UTF_16BE
    } else {
        encoding_rs::UTF_16LE
    };
    match codec.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok((Cow::Owned(text.into_owned()), encoding)),
        None => Err(GraphErrorKind::InvalidUtf16 {
            encoding,
            problem: unpaired_surrogate(body, big_endian),
        }),
    }
}

/// Where the first unpaired surrogate is (the slow path of a broken file).
fn unpaired_surrogate(body: &[u8], big_endian: bool) -> String {
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let (mut units_before, mut newlines) = (0usize, 0usize);
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => {
                units_before += c.len_utf16();
                newlines += usize::from(c == '\n');
            }
            Err(error) => {
                return format!(
                    "unpaired surrogate 0x{:04X} at line {} (byte offset {})",
                    error.unpaired_surrogate(),
                    line_of(newlines),
                    UTF16LE_BOM.len() + units_before * 2
                );
            }
        }
    }
    "an unpaired surrogate".to_owned()
}

fn line_of(newlines_before: usize) -> u64 {
    u64::try_from(newlines_before)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
}
