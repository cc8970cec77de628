//! `--min-customers` and `--max-drop`: the guard against a broken export, checked
//! by `run` once the input is loaded and before anything in `--out` changes.

use std::path::Path;

use super::error::RunError;
use crate::config::Config;

/// `--min-customers` and `--max-drop`: a run whose input lost its customers (an
/// export job that failed overnight) fails rather than replace good reports.
/// The drop is measured against the set changes.csv compares with: `--previous`
/// when given (a dated folder per night), else the set in `--out`.
pub(super) fn check(config: &Config, customers: u64) -> Result<(), RunError> {
    if let Some(min) = config.guard.min_customers
        && customers < min
    {
        return Err(RunError::Guard(format!(
            "the input holds {customers} customers, fewer than --min-customers {min}"
        )));
    }
    if let Some(max_drop) = config.guard.max_drop
        && let Some(previous) =
            previous_customers(config.previous.as_deref().unwrap_or(&config.out))
        && previous > 0
    {
        let drop = (previous.saturating_sub(customers)) as f64 * 100.0 / previous as f64;
        if drop > max_drop {
            return Err(RunError::Guard(format!(
                "the input holds {customers} customers, {drop:.1}% fewer than the {previous} \
                 of the previous report set (--max-drop {max_drop})"
            )));
        }
    }
    Ok(())
}

/// The customers the report set in `dir` counted: `customers.total` of its
/// summary, or for an older set the accepted rows of its `customers.csv`.
fn previous_customers(dir: &Path) -> Option<u64> {
    let text = std::fs::read(dir.join(crate::output::SUMMARY_FILE)).ok()?;
    let summary: serde_json::Value = serde_json::from_slice(&text).ok()?;
    if let Some(total) = summary["customers"]["total"].as_u64() {
        return Some(total);
    }
    let inputs = summary["inputs"].as_array()?;
    let customers = inputs.iter().find(|f| f["file"] == "customers.csv")?;
    // A summary edited by hand may count more rejected rows than rows.
    let rejected = customers["rejected"].as_u64().unwrap_or(0);
    Some(customers["rows"].as_u64()?.saturating_sub(rejected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_summary_counts_accepted_customers_and_never_below_zero() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |inputs: &str| {
            let summary = format!(r#"{{"inputs": [{inputs}]}}"#);
            std::fs::write(dir.path().join(crate::output::SUMMARY_FILE), summary).expect("write");
        };
        write(r#"{"file": "customers.csv", "rows": 10, "rejected": 3}"#);
        assert_eq!(previous_customers(dir.path()), Some(7));
        write(r#"{"file": "customers.csv", "rows": 2, "rejected": 5}"#);
        assert_eq!(previous_customers(dir.path()), Some(0), "edited by hand");
        write(r#"{"file": "subscriptions.csv", "rows": 2}"#);
        assert_eq!(previous_customers(dir.path()), None);
    }
}
