//! Date values of the input files (issue item 5): `YYYY-MM-DD`, the German
//! `DD.MM.YYYY` (also `D.M.YYYY`, as Excel writes it without leading zeros), and
//! ISO 8601 date-times such as `2026-06-30T08:15:00Z` as Graph and GDAP exports
//! write them, of which only the date part counts.
//!
//! A date-time's date is taken as written, never converted to another time zone:
//! the export states the day the partner's system meant (Graph writes UTC, so
//! that is the UTC day), and the run's as-of date is a calendar day, not an
//! instant; converting to the machine's zone would move relationship ends by a
//! day depending on where the batch job happens to run.

use chrono::NaiveDate;

/// The accepted shapes, for error messages ("expected …").
pub const DATE_FORMATS: &str = "YYYY-MM-DD, DD.MM.YYYY or an ISO 8601 date-time";

/// The calendar day `value` names (surrounding whitespace ignored), or `None` when
/// it has none of the accepted shapes or names no real day (`2026-02-30`).
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if let Some((day, rest)) = value.split_once('.')
        && let Some(day) = digits(day, 1, 2)
    {
        let (month, year) = rest.split_once('.')?;
        return ymd(digits(year, 4, 4)?, digits(month, 1, 2)?, day);
    }
    let (date, time) = match value.find(['T', 't']) {
        Some(at) => (value.get(..at)?, Some(value.get(at + 1..)?)),
        None => (value, None),
    };
    if time.is_some_and(|time| !is_time(time)) {
        return None;
    }
    let mut parts = date.split('-');
    let year = digits(parts.next()?, 4, 4)?;
    let month = digits(parts.next()?, 2, 2)?;
    let day = digits(parts.next()?, 2, 2)?;
    if parts.next().is_some() {
        return None;
    }
    ymd(year, month, day)
}

fn ymd(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// `text` as a number when it is `min..=max` ASCII digits.
fn digits(text: &str, min: usize, max: usize) -> Option<u32> {
    let shaped = (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    if shaped { text.parse().ok() } else { None }
}

/// The time after the `T`: `HH:MM[:SS[(.|,)fraction]]` then an optional zone
/// `Z`, `±HH:MM`, `±HHMM` or `±HH`.
fn is_time(time: &str) -> bool {
    let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(at) => time.split_at(at),
        None => (time, ""),
    };
    is_clock(clock) && is_zone(zone)
}

fn is_clock(clock: &str) -> bool {
    let (whole, fraction) = match clock.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (clock, None),
    };
    let parts: Vec<&str> = whole.split(':').collect();
    let limits: &[u32] = match (parts.len(), fraction) {
        (2, None) => &[23, 59],
        (3, _) => &[23, 59, 60],
        _ => return false,
    };
    fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .iter()
            .zip(limits)
            .all(|(part, max)| digits(part, 2, 2).is_some_and(|n| n <= *max))
}

fn is_zone(zone: &str) -> bool {
    if zone.is_empty() || zone.eq_ignore_ascii_case("z") {
        return true;
    }
    let Some(offset) = zone.strip_prefix(['+', '-']) else {
        return false;
    };
    let (hours, minutes) = match offset.split_once(':') {
        Some((hours, minutes)) => (hours, Some(minutes)),
        None if offset.len() == 4 => (offset.get(..2).unwrap_or(""), offset.get(2..)),
        None => (offset, None),
    };
    digits(hours, 2, 2).is_some_and(|h| h <= 23)
        && minutes.is_none_or(|m| digits(m, 2, 2).is_some_and(|m| m <= 59))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_accepted_shapes() {
        let cases: &[(&str, Option<&str>)] = &[
            // YYYY-MM-DD
            ("2026-06-30", Some("2026-06-30")),
            (" 2026-06-30 ", Some("2026-06-30")),
            ("2024-02-29", Some("2024-02-29")),
            ("2026-02-29", None),
            ("2026-02-30", None),
            ("2026-13-01", None),
            ("2026-6-30", None),
            ("26-06-30", None),
            ("2026-06-30-01", None),
            ("2026/06/30", None),
            ("20260630", None),
            ("+2026-06-30", None),
            // DD.MM.YYYY and D.M.YYYY
            ("30.06.2026", Some("2026-06-30")),
            ("1.7.2026", Some("2026-07-01")),
            ("01.7.2026", Some("2026-07-01")),
            ("30.02.2026", None),
            ("31.04.2026", None),
            ("30.06.26", None),
            ("30.06.2026.", None),
            ("030.06.2026", None),
            ("30.6", None),
            ("30.06.2026T08:15:00Z", None),
            // ISO 8601 date-times: the date part as written
            ("2026-06-30T08:15:00Z", Some("2026-06-30")),
            ("2026-06-30T08:15:00.1234567Z", Some("2026-06-30")),
            ("2026-06-30T08:15:00,5Z", Some("2026-06-30")),
            ("2026-06-30T23:30:00-05:00", Some("2026-06-30")),
            ("2026-06-30T00:30:00+02:00", Some("2026-06-30")),
            ("2026-06-30T08:15:00+0200", Some("2026-06-30")),
            ("2026-06-30T08:15:00+02", Some("2026-06-30")),
            ("2026-06-30T08:15:00", Some("2026-06-30")),
            ("2026-06-30T08:15", Some("2026-06-30")),
            ("2026-06-30t08:15:00z", Some("2026-06-30")),
            ("2026-06-30T23:59:60Z", Some("2026-06-30")),
            ("2026-02-30T08:15:00Z", None),
            ("2026-06-30Tfoo", None),
            ("2026-06-30T", None),
            ("2026-06-30T8:15:00Z", None),
            ("2026-06-30T24:00:00Z", None),
            ("2026-06-30T08:60:00Z", None),
            ("2026-06-30T08:15:00.Z", None),
            ("2026-06-30T08:15.5Z", None),
            ("2026-06-30T08:15:00Zfoo", None),
            ("2026-06-30T08:15:00+2", None),
            ("2026-06-30T08:15:00+24:00", None),
            ("2026-06-30T08:15:00+02:00:00", None),
            ("2026-06-30T08:15:00.5+02:00", Some("2026-06-30")),
            (
                "2026-06-30T08:15:00.123456789012345678901234567890Z",
                Some("2026-06-30"),
            ),
            ("2026-06-30T08:15:00 ", Some("2026-06-30")),
            ("2026-06-30 08:15:00", None),
            // garbage
            ("", None),
            ("today", None),
            ("30. Juni 2026", None),
            ("2026-06-30ä", None),
        ];
        for (value, want) in cases {
            let got = parse_date(value).map(|date| date.to_string());
            assert_eq!(got.as_deref(), *want, "{value:?}");
        }
    }
}
