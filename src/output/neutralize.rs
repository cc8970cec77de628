//! The guard against formula injection in CSV reports (contract §5, OWASP's
//! advice): a cell whose first character a spreadsheet reads as the start of a
//! formula is written with a leading `'`, which spreadsheets take as "text".
//!
//! One rule for every CSV report, and for code that reads reports back and
//! compares values in this neutralised form (`changes`, `diff`).

use std::borrow::Cow;

/// First bytes that make a spreadsheet evaluate a cell (`=`, `+`, `-`, `@`) or
/// that some take for one (tab, carriage return).
pub const FORMULA_TRIGGERS: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// The prefix that makes a spreadsheet show the rest as text.
pub const TEXT_PREFIX: char = '\'';

/// Whether `value` starts with a formula trigger (a check of its first byte).
#[inline]
pub fn needs_neutralizing(value: &[u8]) -> bool {
    matches!(
        value.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// `value` as a CSV report holds it: with a leading `'` when it starts with a
/// formula trigger, else unchanged (and not copied).
pub fn neutralize(value: &str) -> Cow<'_, str> {
    if needs_neutralizing(value.as_bytes()) {
        let mut guarded = String::with_capacity(value.len() + 1);
        guarded.push(TEXT_PREFIX);
        guarded.push_str(value);
        Cow::Owned(guarded)
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_exactly_the_trigger_characters() {
        for (value, expected) in [
            ("=1+1", "'=1+1"),
            ("+49 30 1234", "'+49 30 1234"),
            ("-3", "'-3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("", ""),
            ("00042", "00042"),
            ("1E5", "1E5"),
            ("12.03.", "12.03."),
            ("a=b", "a=b"),
            (" =1", " =1"),
            ("'=1", "'=1"),
            ("\n=1", "\n=1"),
            ("Kühn", "Kühn"),
        ] {
            assert_eq!(neutralize(value), expected, "{value:?}");
            assert_eq!(
                matches!(neutralize(value), Cow::Owned(_)),
                value != expected,
                "{value:?}: copied only when changed"
            );
        }
        for trigger in FORMULA_TRIGGERS {
            assert!(needs_neutralizing(&[trigger, b'x']), "{trigger}");
        }
    }
}
