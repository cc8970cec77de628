//! Values as a report set holds them, compared in their neutralised form (contract §5):
//! a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is written with a
//! leading `'`, so a set written before that rule (`=x`) and one written after it
//! (`'=x`) hold the same value.

use std::cmp::Ordering;

use crate::output::neutralize::needs_neutralizing as starts_formula;

/// The value a cell stands for: without the `'` that neutralisation puts before a
/// formula character. Two values have the same neutralised form exactly when they
/// have the same raw form, and raw forms sort as the reports are sorted (by the
/// value before neutralisation), so report sets are compared and merged on this.
pub fn raw_form(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if starts_formula(rest.as_bytes()) => rest,
        _ => value,
    }
}

/// [`raw_form`] of text as the record stores it.
pub fn raw_form_bytes(value: &[u8]) -> &[u8] {
    match value.strip_prefix(b"'") {
        Some(rest) if starts_formula(rest) => rest,
        _ => value,
    }
}

/// The order of customer and subscription ids when comparing report sets: ASCII
/// case-insensitive, as the contract compares ids (`C1` and `c1` are one customer),
/// on the raw form.
pub fn compare_keys(a: &str, b: &str) -> Ordering {
    compare_key_bytes(a.as_bytes(), b.as_bytes())
}

/// [`compare_keys`] of text as the record stores it.
pub fn compare_key_bytes(a: &[u8], b: &[u8]) -> Ordering {
    let (a, b) = (raw_form_bytes(a), raw_form_bytes(b));
    a.iter()
        .map(u8::to_ascii_lowercase)
        .cmp(b.iter().map(u8::to_ascii_lowercase))
}

/// The order of target offer ids within a subscription: byte order of the raw form.
pub fn compare_targets(a: &[u8], b: &[u8]) -> Ordering {
    raw_form_bytes(a).cmp(raw_form_bytes(b))
}

/// Text as the record stores it, for a message: see [`shown`].
pub fn shown_bytes(value: &[u8]) -> String {
    shown(&String::from_utf8_lossy(value))
}

/// A value for a message: at most 60 characters, control characters escaped.
pub fn shown(value: &str) -> String {
    const MAX: usize = 60;
    let mut out: String = value
        .chars()
        .take(MAX)
        .flat_map(char::escape_debug)
        .collect();
    if value.chars().nth(MAX).is_some() {
        out.push('…');
    }
    format!("\"{out}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::neutralize as neutralized;
    use proptest::prelude::*;

    #[test]
    fn a_v1_value_equals_its_neutralised_form() {
        for (v1, v2) in [("=x", "'=x"), ("-c1", "'-c1"), ("c1", "c1")] {
            assert_eq!(raw_form(v1), raw_form(v2));
            assert_eq!(compare_keys(v1, v2), Ordering::Equal);
            assert_eq!(neutralized(v1), neutralized(v2));
        }
        assert_eq!(compare_keys("C1", "c1"), Ordering::Equal);
        assert_ne!(compare_keys("'x", "x"), Ordering::Equal, "a plain ' stays");
        assert_eq!(compare_targets(b"O365-E3", b"o365-e3"), Ordering::Less);
        assert_eq!(compare_targets(b"'=t", b"=t"), Ordering::Equal);
        assert_eq!(raw_form_bytes(b"'+49"), b"+49");
    }

    #[test]
    fn shown_values_are_cut_and_escaped() {
        assert_eq!(shown("a\nb"), "\"a\\nb\"");
        assert_eq!(shown(&"x".repeat(70)), format!("\"{}…\"", "x".repeat(60)));
    }

    proptest! {
        /// Comparing raw forms is comparing neutralised forms.
        #[test]
        fn raw_forms_are_equal_exactly_when_neutralised_forms_are(
            a in "['=+@a-]{0,4}", b in "['=+@a-]{0,4}"
        ) {
            prop_assert_eq!(raw_form(&a) == raw_form(&b), neutralized(&a) == neutralized(&b));
            prop_assert_eq!(neutralized(raw_form(&a)), neutralized(&a));
        }
    }
}
