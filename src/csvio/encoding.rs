//! Character encodings of the input files (issue item 4): UTF-8 with or without
//! a byte order mark, UTF-16 LE/BE with their BOM, and Windows-1252 for the
//! "CSV" files German Excel writes. [`decode`] turns a whole file into BOM-less
//! UTF-8 bytes for the CSV reader; plain UTF-8 (the common case) is borrowed, not
//! copied. Every transcoding maps each line break to itself, so line numbers
//! counted on the result are those of the file.
//!
//! Names accepted by `--encoding` ([`Encoding::from_str`], ASCII case and `_`/`-`
//! ignored): `utf-8`/`utf8`; `utf-8-bom`/`utf-8-sig`; `utf-16le`; `utf-16be`;
//! `windows-1252`/`cp1252`, and also `latin1`/`latin-1`/`iso-8859-1`, which map to
//! Windows-1252 as browsers (the WHATWG Encoding Standard) do: the two differ only
//! in 0x80–0x9F, where ISO-8859-1 has unused control codes and Windows-1252 has
//! `€`, `„`, `–` and friends, which is what such files really contain.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// The encoding a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    /// Every encoding, in the order error messages list them.
    pub const ALL: [Encoding; 5] = [
        Encoding::Utf8,
        Encoding::Utf8Bom,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
        Encoding::Windows1252,
    ];

    /// The canonical name, as `--encoding` accepts it and reports show it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An `--encoding` value that names no supported encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown encoding \"{0}\" (expected utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252)")]
pub struct UnknownEncoding(pub String);

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    fn from_str(value: &str) -> Result<Encoding, UnknownEncoding> {
        let key = value.trim().to_ascii_lowercase().replace('_', "-");
        let encoding = match key.as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "utf-8-bom" | "utf8-bom" | "utf-8-sig" | "utf8-sig" => Encoding::Utf8Bom,
            "utf-16le" | "utf16le" | "utf-16-le" => Encoding::Utf16Le,
            "utf-16be" | "utf16be" | "utf-16-be" => Encoding::Utf16Be,
            "windows-1252" | "windows1252" | "cp1252" | "cp-1252" | "latin1" | "latin-1"
            | "iso-8859-1" | "iso8859-1" => Encoding::Windows1252,
            _ => return Err(UnknownEncoding(value.to_owned())),
        };
        Ok(encoding)
    }
}

/// Bytes that cannot be read in the encoding in use. Lines are 1-based, byte
/// offsets 0-based from the start of the file (a BOM included).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error(
        "not valid UTF-8 at line {line} (byte 0x{byte:02X} at byte offset {offset}); \
         save the file as UTF-8 or pass --encoding windows-1252"
    )]
    InvalidUtf8 { line: u64, offset: usize, byte: u8 },
    #[error("not valid {encoding}: the file has an odd number of bytes ({len})")]
    OddUtf16Length { encoding: Encoding, len: usize },
    #[error(
        "not valid {encoding} at line {line}: unpaired surrogate 0x{unit:04X} \
         at byte offset {offset}"
    )]
    UnpairedSurrogate {
        encoding: Encoding,
        line: u64,
        offset: usize,
        unit: u16,
    },
}

impl DecodeError {
    /// The 1-based line of the problem, when there is one.
    pub fn line(&self) -> Option<u64> {
        match self {
            DecodeError::InvalidUtf8 { line, .. } | DecodeError::UnpairedSurrogate { line, .. } => {
                Some(*line)
            }
            DecodeError::OddUtf16Length { .. } => None,
        }
    }
}

/// Decodes a whole file to UTF-8 bytes without a BOM, and tells the encoding used.
///
/// Without `forced`: a UTF-16 BOM selects UTF-16 (never guessed without one);
/// otherwise bytes that are valid UTF-8 are UTF-8 (borrowed; a UTF-8 BOM is
/// sliced off); otherwise they are Windows-1252, which decodes every byte, except
/// that a file starting with a UTF-8 BOM is never reinterpreted: its invalid
/// bytes are an [`DecodeError::InvalidUtf8`] error rather than silent mojibake.
///
/// With `forced`: decoded as told. `Utf8` and `Utf8Bom` both mean UTF-8 with an
/// optional BOM (the result says whether one was there); UTF-16 skips its own BOM
/// if present; Windows-1252 takes every byte as data.
pub fn decode(
    bytes: &[u8],
    forced: Option<Encoding>,
) -> Result<(Cow<'_, [u8]>, Encoding), DecodeError> {
    match forced {
        Some(Encoding::Utf8 | Encoding::Utf8Bom) => utf8(bytes),
        Some(Encoding::Utf16Le) => utf16(bytes, Encoding::Utf16Le),
        Some(Encoding::Utf16Be) => utf16(bytes, Encoding::Utf16Be),
        Some(Encoding::Windows1252) => Ok((windows_1252(bytes), Encoding::Windows1252)),
        None if bytes.starts_with(UTF16LE_BOM) => utf16(bytes, Encoding::Utf16Le),
        None if bytes.starts_with(UTF16BE_BOM) => utf16(bytes, Encoding::Utf16Be),
        None if bytes.starts_with(UTF8_BOM) => utf8(bytes),
        None => match std::str::from_utf8(bytes) {
            Ok(_) => Ok((Cow::Borrowed(bytes), Encoding::Utf8)),
            Err(_) => Ok((windows_1252(bytes), Encoding::Windows1252)),
        },
    }
}

/// UTF-8 with an optional BOM, borrowed.
fn utf8(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, Encoding), DecodeError> {
    let (body, bom_len, encoding) = match bytes.strip_prefix(UTF8_BOM) {
        Some(body) => (body, UTF8_BOM.len(), Encoding::Utf8Bom),
        None => (bytes, 0, Encoding::Utf8),
    };
    match std::str::from_utf8(body) {
        Ok(_) => Ok((Cow::Borrowed(body), encoding)),
        Err(error) => {
            let valid = error.valid_up_to();
            let before = body.get(..valid).unwrap_or(body);
            Err(DecodeError::InvalidUtf8 {
                line: super::chunks::count_lines(before).saturating_add(1),
                offset: bom_len + valid,
                byte: body.get(valid).copied().unwrap_or_default(),
            })
        }
    }
}

/// Windows-1252: every byte is a character and maps to itself when ASCII.
fn windows_1252(bytes: &[u8]) -> Cow<'_, [u8]> {
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    into_bytes(text)
}

/// UTF-16 in `encoding`'s byte order, its own BOM skipped; malformed input is an
/// error, never replaced.
fn utf16(bytes: &[u8], encoding: Encoding) -> Result<(Cow<'_, [u8]>, Encoding), DecodeError> {
    let (codec, bom) = if encoding == Encoding::Utf16Be {
        (encoding_rs::UTF_16BE, UTF16BE_BOM)
    } else {
        (encoding_rs::UTF_16LE, UTF16LE_BOM)
    };
    let bom_len = if bytes.starts_with(bom) { bom.len() } else { 0 };
    let body = bytes.get(bom_len..).unwrap_or_default();
    if body.len() % 2 != 0 {
        return Err(DecodeError::OddUtf16Length {
            encoding,
            len: bytes.len(),
        });
    }
    match codec.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok((into_bytes(text), encoding)),
        None => Err(locate_bad_surrogate(body, bom_len, encoding)),
    }
}

/// Finds the first unpaired surrogate of an even-length UTF-16 body that the
/// decoder rejected (the slow path, taken only for a broken file).
fn locate_bad_surrogate(body: &[u8], bom_len: usize, encoding: Encoding) -> DecodeError {
    let units = body.chunks_exact(2).map(|pair| match encoding {
        Encoding::Utf16Be => u16::from_be_bytes([pair[0], pair[1]]),
        _ => u16::from_le_bytes([pair[0], pair[1]]),
    });
    let (mut consumed, mut line_ends, mut after_return) = (0usize, 0usize, false);
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => {
                consumed += c.len_utf16();
                // A line ends at `\n`, `\r\n` (counted at its `\r`) and a lone `\r`.
                line_ends += usize::from(c == '\r' || (c == '\n' && !after_return));
                after_return = c == '\r';
            }
            Err(error) => {
                return DecodeError::UnpairedSurrogate {
                    encoding,
                    line: line_of(line_ends),
                    offset: bom_len + consumed * 2,
                    unit: error.unpaired_surrogate(),
                };
            }
        }
    }
    // Unreachable for input the decoder rejected; report the end to stay total.
    DecodeError::OddUtf16Length {
        encoding,
        len: bom_len + body.len(),
    }
}

fn line_of(line_ends_before: usize) -> u64 {
    u64::try_from(line_ends_before)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
}

fn into_bytes(text: Cow<'_, str>) -> Cow<'_, [u8]> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        units
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    const TEXT: &str = "customer_id;name\r\nc1;Müller;Straße\r\nc2;€ „x“\n";

    #[test]
    fn decodes_every_encoding_and_keeps_line_breaks() {
        use Encoding::*;
        let cp1252 = encoding_rs::WINDOWS_1252.encode(TEXT).0.into_owned();
        let bom = [UTF8_BOM, TEXT.as_bytes()].concat();
        let plain = TEXT.as_bytes().to_vec();
        let hand = b"M\xFCller;Stra\xDFe\r\n".to_vec();
        let cases: Vec<(Vec<u8>, Option<Encoding>, &str, Encoding)> = vec![
            (plain.clone(), None, TEXT, Utf8),
            (bom.clone(), None, TEXT, Utf8Bom),
            (utf16(TEXT, false, true), None, TEXT, Utf16Le),
            (utf16(TEXT, true, true), None, TEXT, Utf16Be),
            (cp1252.clone(), None, TEXT, Windows1252),
            (hand.clone(), None, "Müller;Straße\r\n", Windows1252),
            (hand, Some(Windows1252), "Müller;Straße\r\n", Windows1252),
            (plain.clone(), Some(Utf8), TEXT, Utf8),
            (plain, Some(Utf8Bom), TEXT, Utf8),
            (bom, Some(Utf8), TEXT, Utf8Bom),
            (utf16(TEXT, false, false), Some(Utf16Le), TEXT, Utf16Le),
            (utf16(TEXT, true, false), Some(Utf16Be), TEXT, Utf16Be),
            (utf16(TEXT, true, true), Some(Utf16Be), TEXT, Utf16Be),
            (cp1252, Some(Windows1252), TEXT, Windows1252),
        ];
        for (input, forced, want, expected) in cases {
            let case = format!("{forced:?} {input:02X?}");
            let (out, encoding) = decode(&input, forced).unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(std::str::from_utf8(&out), Ok(want), "{case}");
            assert_eq!(encoding, expected, "{case}");
        }
    }

    #[test]
    fn plain_and_bom_utf8_are_borrowed() {
        let with_bom = [UTF8_BOM, b"a,b\n"].concat();
        for input in [&b"a,b\n"[..], &with_bom, b"", b"\xEF\xBB\xBF"] {
            let (out, _) = decode(input, None).expect("valid");
            assert!(matches!(out, Cow::Borrowed(_)), "{input:?}");
            assert!(!out.starts_with(UTF8_BOM));
        }
        let (out, _) = decode(b"abc", Some(Encoding::Windows1252)).expect("valid");
        assert!(matches!(out, Cow::Borrowed(b"abc")));
    }

    fn bad_utf8(line: u64, offset: usize, byte: u8) -> DecodeError {
        DecodeError::InvalidUtf8 { line, offset, byte }
    }

    fn surrogate(encoding: Encoding, line: u64, offset: usize, unit: u16) -> DecodeError {
        DecodeError::UnpairedSurrogate {
            encoding,
            line,
            offset,
            unit,
        }
    }

    fn odd(encoding: Encoding, len: usize) -> DecodeError {
        DecodeError::OddUtf16Length { encoding, len }
    }

    #[test]
    fn errors_name_line_and_offset() {
        use Encoding::*;
        let odd_le = [utf16("a\n", false, true), vec![0x41]].concat();
        let lone = [utf16("a\nb\n", false, true), vec![0x00, 0xD8, 0x41, 0x00]].concat();
        let lone_be = [utf16("x", true, false), vec![0xDC, 0x00]].concat();
        let lone_cr = [utf16("a\rb\r\nc\r", false, true), vec![0x00, 0xD8]].concat();
        let cases: Vec<(&[u8], Option<Encoding>, DecodeError)> = vec![
            (
                b"id;name\r\nc1;M\xFCller\r\n",
                Some(Utf8),
                bad_utf8(2, 13, 0xFC),
            ),
            (b"\xFC", Some(Utf8Bom), bad_utf8(1, 0, 0xFC)),
            (b"\xEF\xBB\xBFa\n\nStra\xDFe", None, bad_utf8(3, 10, 0xDF)),
            (&odd_le, None, odd(Utf16Le, 7)),
            (b"abc", Some(Utf16Be), odd(Utf16Be, 3)),
            (&lone, Some(Utf16Le), surrogate(Utf16Le, 3, 10, 0xD800)),
            (&lone_be, Some(Utf16Be), surrogate(Utf16Be, 1, 2, 0xDC00)),
            (b"a\rb\r\nc\r\xFC", Some(Utf8), bad_utf8(4, 7, 0xFC)),
            (&lone_cr, Some(Utf16Le), surrogate(Utf16Le, 4, 16, 0xD800)),
        ];
        for (input, forced, want) in cases {
            assert_eq!(decode(input, forced), Err(want), "{input:?}");
        }
    }

    #[test]
    fn error_messages() {
        let err = bad_utf8(2, 13, 0xFC);
        assert_eq!(
            err.to_string(),
            "not valid UTF-8 at line 2 (byte 0xFC at byte offset 13); \
             save the file as UTF-8 or pass --encoding windows-1252"
        );
        assert_eq!(err.line(), Some(2));
    }

    #[test]
    fn names_parse() {
        let cases = [
            ("utf-8", Some(Encoding::Utf8)),
            ("UTF8", Some(Encoding::Utf8)),
            ("utf-8-bom", Some(Encoding::Utf8Bom)),
            ("utf_8_sig", Some(Encoding::Utf8Bom)),
            ("UTF-16LE", Some(Encoding::Utf16Le)),
            ("utf-16be", Some(Encoding::Utf16Be)),
            ("Windows-1252", Some(Encoding::Windows1252)),
            ("cp1252", Some(Encoding::Windows1252)),
            ("latin1", Some(Encoding::Windows1252)),
            ("ISO-8859-1", Some(Encoding::Windows1252)),
            ("utf-16", None),
            ("ascii", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(name.parse::<Encoding>().ok(), want, "{name}");
        }
        for encoding in Encoding::ALL {
            assert_eq!(encoding.name().parse::<Encoding>(), Ok(encoding));
        }
    }
}
