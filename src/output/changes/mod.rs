//! Changes since the previous run (contract §7): the compact record of a set's
//! decisions ([`record`], `decisions.bin`), reading a report set back ([`read_set`]:
//! its record, or the CSV reports of a set without one, [`csv_set`]), the baseline
//! of a run ([`baseline`]) and the comparison that writes `changes.csv` ([`merge`]).
//!
//! Values are compared in their neutralised form ([`neutral`]), keys in report
//! order, so that both sides are merged as streams.

pub mod csv_set;
pub mod merge;
pub mod neutral;
pub mod record;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use merge::{CHANGES_HEADER, Change, ChangeCounts, Comparison, write_header};
pub use record::{RECORD_FILE, Record};

use self::csv_set::{CsvReport, exists, read_regular};
use crate::model::Filter;
use crate::output::rows::RowSink;

pub const CHANGES_FILE: &str = "changes.csv";

// The names of the other reports read back (also in `output`, which re-exports this module).
const SUMMARY: &str = "summary.json";
const ELIGIBLE: &str = "eligible_upgrades.csv";
const BLOCKED: &str = "blocked_upgrades.csv";

/// A report set that cannot be read, naming the file and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct SetError {
    pub path: PathBuf,
    pub problem: String,
}

impl SetError {
    pub fn new(path: &Path, problem: String) -> SetError {
        SetError {
            path: path.to_owned(),
            problem,
        }
    }
}

/// The decisions of a report set, read back.
#[derive(Debug)]
pub struct ReportSet {
    pub record: Record,
    /// The `--customer`/`--account-manager` filter the set was written with.
    pub filter: Option<Filter>,
    /// Read from the CSV reports (a set without a record).
    pub from_csv: bool,
}

/// What of `summary.json` reading a set needs; other members are ignored.
#[derive(Deserialize)]
struct SetSummary {
    /// Absent in sets written before reports were listed (v1).
    reports: Option<Vec<ListedReport>>,
    filter: Option<SetFilter>,
}

#[derive(Deserialize)]
struct ListedReport {
    file: String,
    bytes: u64,
    xxh3: String,
}

#[derive(Deserialize)]
struct SetFilter {
    #[serde(default)]
    customers: Vec<String>,
    #[serde(default)]
    account_managers: Vec<String>,
}

impl SetSummary {
    /// The size and checksum listed for `file`.
    fn listed(&self, file: &str) -> Option<Option<(u64, u64)>> {
        let report = self.reports.as_ref()?.iter().find(|r| r.file == file)?;
        Some(
            u64::from_str_radix(&report.xxh3, 16)
                .ok()
                .map(|x| (report.bytes, x)),
        )
    }
}

/// Reads the decisions of the report set in `dir`: from its record when
/// `summary.json` lists one (its size and checksum must match), else from its
/// eligible and blocked reports (checked against `summary.json` where it lists them).
pub fn read_set(dir: &Path) -> Result<ReportSet, SetError> {
    let path = dir.join(SUMMARY);
    let text = read_regular(&path).map_err(|p| SetError::new(&path, p))?;
    let summary: SetSummary = serde_json::from_slice(&text)
        .map_err(|e| SetError::new(&path, format!("not the summary of a report set: {e}")))?;
    let filter = summary.filter.as_ref().map(|f| Filter {
        customers: f.customers.clone(),
        account_managers: f.account_managers.clone(),
    });
    let unlisted =
        |file: &str| SetError::new(&path, format!("lists {file} without a valid checksum"));
    let (record, from_csv) = match summary.listed(RECORD_FILE) {
        Some(listed) => {
            let (bytes, xxh3) = listed.ok_or_else(|| unlisted(RECORD_FILE))?;
            let path = dir.join(RECORD_FILE);
            let content = read_regular(&path).map_err(|p| SetError::new(&path, p))?;
            if content.len() as u64 != bytes || xxhash_rust::xxh3::xxh3_64(&content) != xxh3 {
                return Err(SetError::new(
                    &path,
                    "differs from what summary.json lists (an incomplete or mixed set)".to_owned(),
                ));
            }
            let record = Record::parse(content).map_err(|p| SetError::new(&path, p.to_string()))?;
            (record, false)
        }
        None => {
            let report = |file: &str| -> Result<CsvReport, SetError> {
                let expected = match summary.listed(file) {
                    Some(listed) => Some(listed.ok_or_else(|| unlisted(file))?),
                    None if summary.reports.is_some() => {
                        return Err(SetError::new(&path, format!("does not list {file}")));
                    }
                    None => None,
                };
                Ok(CsvReport {
                    path: dir.join(file),
                    expected,
                })
            };
            let bytes = csv_set::record_from_csvs(&report(ELIGIBLE)?, &report(BLOCKED)?)?;
            let record = Record::parse(bytes)
                .map_err(|p| SetError::new(dir, format!("{ELIGIBLE}, {BLOCKED}: {}", p.message)))?;
            (record, true)
        }
    };
    Ok(ReportSet {
        record,
        filter,
        from_csv,
    })
}

/// Which set a run compared with, for `summary.json` (`changes_baseline`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaselineSummary {
    /// `out`, `previous` or `none`.
    pub source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Why there is none, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Default for BaselineSummary {
    fn default() -> BaselineSummary {
        BaselineSummary {
            source: "none",
            path: None,
            note: None,
        }
    }
}

/// The set a run compares with, what the summary says of it, and the warning for
/// a set that is there but cannot be used.
#[derive(Debug)]
pub struct Baseline {
    pub set: Option<ReportSet>,
    pub summary: BaselineSummary,
    pub warning: Option<String>,
}

/// The baseline of a run writing to `out`: the set `--previous` names, or else the
/// set in `out` (none on a first run). A set that is incomplete or unreadable
/// is treated as none, with a warning.
pub fn baseline(out: &Path, previous: Option<&Path>) -> Baseline {
    let (dir, source) = match previous {
        Some(dir) => (dir, "previous"),
        None => (out, "out"),
    };
    let first_run = previous.is_none()
        && ![SUMMARY, ELIGIBLE, BLOCKED, RECORD_FILE]
            .iter()
            .any(|file| exists(&dir.join(file)));
    if first_run {
        return Baseline {
            set: None,
            summary: BaselineSummary {
                note: Some("no earlier report set in --out".to_owned()),
                ..BaselineSummary::default()
            },
            warning: None,
        };
    }
    let path = Some(dir.display().to_string());
    match read_set(dir) {
        Ok(set) => Baseline {
            set: Some(set),
            summary: BaselineSummary {
                source,
                path,
                note: None,
            },
            warning: None,
        },
        Err(error) => Baseline {
            set: None,
            warning: Some(format!(
                "upgrade-recon: warning: the previous report set cannot be used ({error}); \
                 changes.csv lists no changes"
            )),
            summary: BaselineSummary {
                source: "none",
                path,
                note: Some(error.to_string()),
            },
        },
    }
}

/// The comparison of two sets read back (`upgrade-recon diff`): the rows of
/// `changes.csv`, header first.
pub fn diff(old: &ReportSet, new: &ReportSet, sink: &mut impl RowSink) -> ChangeCounts {
    let comparison = Comparison::new(
        &old.record.codes,
        &new.record.codes,
        old.filter.as_ref(),
        new.filter.as_ref(),
    );
    let mut counts = ChangeCounts::default();
    write_header(sink);
    comparison.compare(
        old.record.all_entries(),
        new.record.all_entries(),
        sink,
        &mut counts,
    );
    counts
}
