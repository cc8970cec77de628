//! Field formatting straight into a row buffer: numbers, plain and CSV-quoted text,
//! letter case variants and ISO dates (with the civil-calendar arithmetic behind them).
//!
//! Nothing here allocates; every helper appends to the caller's `Vec<u8>`.

#[inline]
pub(super) fn push_u64(buf: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

#[inline]
pub(super) fn push_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(s.as_bytes());
}

/// A field that may need CSV quoting (only free text does).
pub(super) fn push_field(buf: &mut Vec<u8>, value: &[u8]) {
    if value
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        buf.push(b'"');
        for &b in value {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(value);
    }
}

/// How the letters of an ASCII value are written (vocabulary values compare
/// case-insensitively, and real exports vary).
#[derive(Clone, Copy)]
pub(super) enum Case {
    /// As the vocabulary spells it.
    AsIs,
    Lower,
    Upper,
    /// First letter upper case, the rest as spelled.
    Capitalised,
}

pub(super) fn push_cased(buf: &mut Vec<u8>, text: &str, case: Case) {
    match case {
        Case::AsIs => push_str(buf, text),
        Case::Lower => buf.extend(text.bytes().map(|b| b.to_ascii_lowercase())),
        Case::Upper => buf.extend(text.bytes().map(|b| b.to_ascii_uppercase())),
        Case::Capitalised => {
            let mut first = true;
            for b in text.bytes() {
                buf.push(if first { b.to_ascii_uppercase() } else { b });
                first = false;
            }
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(super) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01, as (year, month, day).
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The date `days` after 1970-01-01 as `YYYY-MM-DD`.
pub(super) fn push_date(buf: &mut Vec<u8>, days: i64) {
    let (y, m, d) = civil_from_days(days);
    let y = y as u32;
    buf.extend_from_slice(&[
        b'0' + (y / 1000 % 10) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (d / 10) as u8,
        b'0' + (d % 10) as u8,
    ]);
}
