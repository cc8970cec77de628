//! Parsers for single field values: required text, enum values, dates,
//! quantities and service lists. Each returns the problem worded for the user.

use chrono::NaiveDate;

use crate::catalog::{ServiceSet, Vocabulary};
use crate::csvio::{FieldProblem, shown};
use crate::model::{Coverage, KnownValues};

/// The most unknown service names one problem lists.
const MAX_UNKNOWN_SHOWN: usize = 10;

/// The value, or a "missing required value" problem when it is empty.
pub fn required<'a>(column: &'static str, value: &'a str) -> Result<&'a str, FieldProblem> {
    if value.is_empty() {
        Err(FieldProblem::new(column, "missing required value"))
    } else {
        Ok(value)
    }
}

/// An enum value, compared ASCII-case-insensitively; `default` when empty and allowed.
pub fn known_value<T: KnownValues>(
    column: &'static str,
    value: &str,
    default: Option<T>,
) -> Result<T, FieldProblem> {
    if value.is_empty() {
        return default.ok_or_else(|| FieldProblem::new(column, "missing required value"));
    }
    T::VALUES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(value))
        .map(|(_, known)| *known)
        .ok_or_else(|| {
            let expected: Vec<&str> = T::VALUES.iter().map(|(name, _)| *name).collect();
            FieldProblem::new(
                column,
                format!(
                    "unknown value {} (expected one of {})",
                    shown(value),
                    expected.join(", ")
                ),
            )
        })
}

/// A count of licenses: digits only, no sign, no decimals.
pub fn quantity(column: &'static str, value: &str) -> Result<u64, FieldProblem> {
    let value = required(column, value)?;
    let parsed = if value.bytes().all(|b| b.is_ascii_digit()) {
        value.parse::<u64>().ok()
    } else {
        None
    };
    parsed.ok_or_else(|| {
        FieldProblem::new(
            column,
            format!("{} is not a non-negative integer", shown(value)),
        )
    })
}

/// An optional date (`YYYY-MM-DD`, `DD.MM.YYYY` or an ISO 8601 date-time); empty means absent.
pub fn optional_date(column: &'static str, value: &str) -> Result<Option<NaiveDate>, FieldProblem> {
    if value.is_empty() {
        return Ok(None);
    }
    super::dates::parse_date(value).map(Some).ok_or_else(|| {
        FieldProblem::new(
            column,
            format!(
                "invalid date {} (expected {}, a real calendar day)",
                shown(value),
                super::dates::DATE_FORMATS
            ),
        )
    })
}

/// Strict `YYYY-MM-DD` that names a real calendar day.
pub fn parse_iso_date(value: &str) -> Option<NaiveDate> {
    let bytes = value.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let year = value[0..4].parse().ok()?;
    let month = value[5..7].parse().ok()?;
    let day = value[8..10].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A `;`-separated list of service names; `*` (all services) only where `allow_all`.
/// Every unknown name is reported in one problem, which names the first
/// [`MAX_UNKNOWN_SHOWN`] of them and counts the rest.
pub fn services(
    column: &'static str,
    value: &str,
    vocabulary: &Vocabulary,
    allow_all: bool,
) -> Result<Coverage, FieldProblem> {
    let mut set = ServiceSet::EMPTY;
    let mut all = false;
    let (mut unknown, mut more_unknown) = (Vec::new(), 0usize);
    for name in value.split(';').map(str::trim).filter(|n| !n.is_empty()) {
        if name == "*" {
            if !allow_all {
                return Err(FieldProblem::new(
                    column,
                    "\"*\" (all services) is allowed only in admin_relationships.csv",
                ));
            }
            all = true;
        } else if let Some(service) = vocabulary.lookup(name) {
            set = set.with(service);
        } else if unknown.len() < MAX_UNKNOWN_SHOWN {
            unknown.push(name);
        } else {
            more_unknown += 1;
        }
    }
    if !unknown.is_empty() {
        let known: Vec<&str> = vocabulary.names().collect();
        let noun = if unknown.len() == 1 {
            "service"
        } else {
            "services"
        };
        let names: Vec<String> = unknown.iter().map(|name| shown(name).to_string()).collect();
        let more = match more_unknown {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        return Err(FieldProblem::new(
            column,
            format!(
                "unknown {noun} {}{more} (the catalog knows {})",
                names.join(", "),
                known.join(", ")
            ),
        ));
    }
    if all && !set.is_empty() {
        return Err(FieldProblem::new(
            column,
            "\"*\" (all services) must stand alone, not beside service names",
        ));
    }
    Ok(if all {
        Coverage::All
    } else {
        Coverage::Services(set)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SubscriptionStatus;

    fn vocabulary() -> Vocabulary {
        let mut v = Vocabulary::default();
        for name in ["Exchange", "Teams", "PowerBI"] {
            v.intern(name);
        }
        v
    }

    #[test]
    fn dates() {
        let cases = [
            ("2026-02-28", true),
            ("2024-02-29", true),
            ("2026-02-30", false),
            ("2026-13-01", false),
            ("2026-1-01", false),
            ("26-01-01", false),
            ("2026/01/01", false),
            ("2026-01-01T00:00", false),
        ];
        for (text, ok) in cases {
            assert_eq!(parse_iso_date(text).is_some(), ok, "{text}");
        }
        let problem = optional_date("end_date", "2026-02-30").unwrap_err();
        assert!(
            problem
                .to_string()
                .starts_with("end_date: invalid date \"2026-02-30\"")
        );
        assert_eq!(optional_date("end_date", "").unwrap(), None);
    }

    #[test]
    fn quantities() {
        let cases = [
            ("0", Some(0)),
            ("300", Some(300)),
            ("-1", None),
            ("+3", None),
            ("1.0", None),
            ("abc", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(quantity("quantity", text).ok(), expected, "{text}");
        }
    }

    #[test]
    fn enum_values_ignore_case_and_list_the_expected_ones() {
        assert_eq!(
            known_value("status", "Active", None::<SubscriptionStatus>).unwrap(),
            SubscriptionStatus::Active
        );
        let problem = known_value::<SubscriptionStatus>("status", "actve", None).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "status: unknown value \"actve\" (expected one of active, pending, suspended, disabled, expired, deleted, cancelled)"
        );
    }

    #[test]
    fn service_lists() {
        let v = vocabulary();
        let Coverage::Services(set) = services("s", "exchange; Teams;;", &v, false).unwrap() else {
            panic!("expected a service set");
        };
        assert_eq!(v.join(&set, ";"), "Exchange;Teams");
        assert_eq!(services("s", "*", &v, true).unwrap(), Coverage::All);
        assert!(services("s", "*", &v, false).is_err());
        assert!(services("s", "*;Teams", &v, true).is_err());
        let problem = services("s", "Exchnage;Teams;Foo", &v, false).unwrap_err();
        assert!(
            problem
                .message
                .starts_with("unknown services \"Exchnage\", \"Foo\""),
            "{problem}"
        );
        assert_eq!(
            services("s", "", &v, false).unwrap(),
            Coverage::Services(ServiceSet::EMPTY)
        );
        let many: Vec<String> = (0..15).map(|i| format!("X{i}")).collect();
        let problem = services("s", &many.join(";"), &v, false).unwrap_err();
        let listed: Vec<String> = many[..10].iter().map(|n| format!("\"{n}\"")).collect();
        let expected = format!(
            "unknown services {} and 5 more (the catalog",
            listed.join(", ")
        );
        assert!(problem.message.starts_with(&expected), "{problem}");
        let problem = services("s", "Ex\u{1b}[2Jchange", &v, false).unwrap_err();
        assert!(
            problem
                .message
                .starts_with("unknown service \"Ex\\u{1b}[2Jchange\""),
            "{problem}"
        );
    }
}
