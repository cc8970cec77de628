//! Values of input files as messages echo them: in quotes, control characters
//! escaped, and cut to a readable length.
//!
//! An id or a cell may hold anything: escape sequences that would reach a terminal
//! or a log, line breaks that would split one error line in two, bidirectional
//! controls that reorder what a reader sees, or a gigabyte without a line end. So
//! every value a message echoes goes through [`shown`]: control characters (C0,
//! DEL, C1), the bidirectional formatting characters and the Unicode line and
//! paragraph separators are written as escapes (`\t`, `\n`, `\r`, `\0`, else
//! `\u{1b}` as Rust writes them), and a value whose text would pass
//! [`MAX_SHOWN_CHARS`] characters is cut, marked with `…` and followed by its
//! length: `"aaaa…" (1,234 bytes)`. Only the shown part of the value is read, so
//! a huge value costs neither time nor memory. Other characters, quotes and
//! backslashes included, are shown as they are: ordinary values read as before.

use std::fmt::{self, Display, Write};

/// The most characters of a value a message shows (escapes count as written).
pub const MAX_SHOWN_CHARS: usize = 80;

/// `value` as a message shows it: quoted, escaped and cut (see the module docs).
pub fn shown(value: &str) -> Shown<'_> {
    Shown {
        value,
        quoted: true,
        limit: MAX_SHOWN_CHARS,
    }
}

/// A value ready to be echoed; see [`shown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown<'v> {
    value: &'v str,
    quoted: bool,
    /// The most characters shown before the value is cut.
    limit: usize,
}

impl Shown<'_> {
    /// Without the quotes, for values that messages list bare (ids after a colon).
    pub fn unquoted(self) -> Self {
        Shown {
            quoted: false,
            ..self
        }
    }

    /// Never cut, only escaped: for names that must stay whole to be found, such
    /// as a file name (at most a few hundred bytes).
    pub fn whole(self) -> Self {
        Shown {
            limit: usize::MAX,
            ..self
        }
    }
}

impl Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = !fits(self.value, self.limit);
        // Room for the `…` of a cut value.
        let room = if cut { self.limit - 1 } else { self.limit };
        if self.quoted {
            f.write_char('"')?;
        }
        let mut used = 0usize;
        for c in self.value.chars() {
            let width = escaped_width(c);
            if used.saturating_add(width) > room {
                break;
            }
            used += width;
            write_escaped(f, c)?;
        }
        if cut {
            f.write_char('…')?;
        }
        if self.quoted {
            f.write_char('"')?;
        }
        if cut {
            write!(f, " ({} bytes)", Grouped(self.value.len()))?;
        }
        Ok(())
    }
}

/// True when the whole value, escaped, fits in `limit` characters; looks at no
/// more than that many characters.
fn fits(value: &str, limit: usize) -> bool {
    let mut used = 0usize;
    for c in value.chars() {
        used = used.saturating_add(escaped_width(c));
        if used > limit {
            return false;
        }
    }
    true
}

/// Characters a message must not carry as they are.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                | '\u{2028}' | '\u{2029}'
        )
}

/// Characters `c` takes once shown.
fn escaped_width(c: char) -> usize {
    match c {
        '\t' | '\n' | '\r' | '\0' => 2,
        // `\u{` + hex digits + `}`
        _ if needs_escape(c) => 4 + (32 - (c as u32).leading_zeros()).div_ceil(4).max(1) as usize,
        _ => 1,
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, c: char) -> fmt::Result {
    match c {
        '\t' => f.write_str("\\t"),
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        '\0' => f.write_str("\\0"),
        _ if needs_escape(c) => write!(f, "\\u{{{:x}}}", c as u32),
        _ => f.write_char(c),
    }
}

/// A count with thousands separators: `1,234,567`.
struct Grouped(usize);

impl Display for Grouped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                f.write_char(',')?;
            }
            f.write_char(digit)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_escaped_and_cut() {
        let eighty = "x".repeat(80);
        let long = "y".repeat(1234);
        let cases: Vec<(String, String)> = vec![
            ("actve".into(), "\"actve\"".into()),
            ("".into(), "\"\"".into()),
            ("5\" monitor\\x".into(), "\"5\" monitor\\x\"".into()),
            ("Müller €".into(), "\"Müller €\"".into()),
            ("a\tb\nc\rd\0e".into(), "\"a\\tb\\nc\\rd\\0e\"".into()),
            ("\u{1b}[31mred".into(), "\"\\u{1b}[31mred\"".into()),
            (
                "\u{7f}\u{85}\u{9b}".into(),
                "\"\\u{7f}\\u{85}\\u{9b}\"".into(),
            ),
            ("abc\u{202e}fed".into(), "\"abc\\u{202e}fed\"".into()),
            ("line\u{2028}sep".into(), "\"line\\u{2028}sep\"".into()),
            (eighty.clone(), format!("\"{eighty}\"")),
            (
                format!("{eighty}z"),
                format!("\"{}…\" (81 bytes)", "x".repeat(79)),
            ),
            (long, format!("\"{}…\" (1,234 bytes)", "y".repeat(79))),
            (
                format!("{}\u{1b}tail", "x".repeat(75)),
                format!("\"{}…\" (80 bytes)", "x".repeat(75)),
            ),
            ("ü".repeat(80), format!("\"{}\"", "ü".repeat(80))),
            (
                "ü".repeat(81),
                format!("\"{}…\" (162 bytes)", "ü".repeat(79)),
            ),
        ];
        for (value, want) in cases {
            assert_eq!(shown(&value).to_string(), want, "{value:?}");
        }
        assert_eq!(shown("a\nb").unquoted().to_string(), "a\\nb");
        let name = format!("{}\u{1b}.csv", "n".repeat(100));
        let whole = format!("{}\\u{{1b}}.csv", "n".repeat(100));
        assert_eq!(shown(&name).unquoted().whole().to_string(), whole);
    }

    #[test]
    fn a_huge_value_gives_a_short_message() {
        let huge = "\u{1b}".repeat(50 << 20);
        let message = shown(&huge).to_string();
        assert!(message.chars().count() < 120, "{message}");
        assert!(message.ends_with("(52,428,800 bytes)"), "{message}");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(Grouped(n).to_string(), want);
        }
    }
}
