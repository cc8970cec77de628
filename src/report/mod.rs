//! Writing the report set (contract §5): three decision CSVs, `rejects.csv` and
//! `summary.json`, all or nothing.
//!
//! Every file is first written completely to a temporary file in the output folder
//! and synced; only then are they renamed into place, the previous set moved aside
//! first and put back if a rename fails. A run that fails while writing leaves the
//! previous set untouched and no temporary files behind. Customers are formatted in
//! parallel batches and written in order, so output does not depend on threads.

mod details;
mod summary;
mod tables;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use summary::{
    Counts, InputSummary, PairCounts, ReassignmentCounts, SubscriptionCounts, Summary, SummaryInput,
};
pub use tables::{
    BLOCKED_HEADER, DecisionRows, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, REJECTS_HEADER,
    ReportInput, decision_headers, decision_rows, write_rejects,
};

use rayon::prelude::*;

use crate::input::RejectedRow;

pub const ELIGIBLE_FILE: &str = "eligible_upgrades.csv";
pub const BLOCKED_FILE: &str = "blocked_upgrades.csv";
pub const REASSIGNMENTS_FILE: &str = "reassignments.csv";
pub const REJECTS_FILE: &str = "rejects.csv";
pub const SUMMARY_FILE: &str = "summary.json";

/// The report set could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct ReportError {
    pub path: PathBuf,
    pub source: io::Error,
}

/// Customers formatted by one rayon task.
const CUSTOMERS_PER_BATCH: usize = 512;
/// Batches formatted before their bytes are written, bounding the memory held.
const BATCHES_PER_WINDOW: usize = 32;

/// Writes all five reports into `out`, creating it if needed: all of them or,
/// on failure, none (the previous set stays as it was).
pub fn write_all(
    out: &Path,
    input: ReportInput<'_>,
    rejected: &[RejectedRow],
    summary: &Summary,
) -> Result<(), ReportError> {
    std::fs::create_dir_all(out).map_err(|source| ReportError {
        path: out.to_owned(),
        source,
    })?;
    let mut decisions = [
        stage(out, ELIGIBLE_FILE)?,
        stage(out, BLOCKED_FILE)?,
        stage(out, REASSIGNMENTS_FILE)?,
    ];
    let headers = decision_headers().map_err(|e| failed(out, ELIGIBLE_FILE, csv_to_io(e)))?;
    write_decision_rows(out, &mut decisions, &headers)?;
    let customers = input.dataset.customers.len();
    let batches = customers.div_ceil(CUSTOMERS_PER_BATCH);
    // Each window's buffers are reused by the next: fresh multi-megabyte buffers
    // would be page-faulted and zeroed by the kernel again every time.
    let mut spare: Vec<DecisionRows> = Vec::new();
    for window in (0..batches).step_by(BATCHES_PER_WINDOW) {
        let batches = window..(window + BATCHES_PER_WINDOW).min(batches);
        let buffers: Vec<(usize, DecisionRows)> = batches
            .map(|batch| (batch, spare.pop().unwrap_or_default()))
            .collect();
        let formatted: Vec<csv::Result<DecisionRows>> = buffers
            .into_par_iter()
            .map(|(batch, buffers)| {
                let start = batch * CUSTOMERS_PER_BATCH;
                decision_rows(
                    input,
                    start..(start + CUSTOMERS_PER_BATCH).min(customers),
                    buffers,
                )
            })
            .collect();
        for rows in formatted {
            let rows = rows.map_err(|e| failed(out, ELIGIBLE_FILE, csv_to_io(e)))?;
            write_decision_rows(out, &mut decisions, &rows)?;
            spare.push(rows);
        }
    }
    let mut rejects = stage(out, REJECTS_FILE)?;
    write_rejects(rejected, &mut rejects.1).map_err(|e| failed(out, REJECTS_FILE, csv_to_io(e)))?;
    let mut summary_file = stage(out, SUMMARY_FILE)?;
    serde_json::to_writer_pretty(&mut summary_file.1, summary)
        .map_err(io::Error::from)
        .and_then(|()| summary_file.1.write_all(b"\n"))
        .map_err(|e| failed(out, SUMMARY_FILE, e))?;
    let [eligible, blocked, reassignments] = decisions;
    replace_all(
        out,
        vec![eligible, blocked, reassignments, rejects, summary_file],
    )
}

fn write_decision_rows(
    out: &Path,
    files: &mut [Staged; 3],
    rows: &DecisionRows,
) -> Result<(), ReportError> {
    for ((file, temp), bytes) in
        files
            .iter_mut()
            .zip([&rows.eligible, &rows.blocked, &rows.reassignments])
    {
        temp.write_all(bytes).map_err(|e| failed(out, file, e))?;
    }
    Ok(())
}

/// A report being written: its final name and its temporary file.
type Staged = (&'static str, tempfile::NamedTempFile);

fn failed(out: &Path, file: &str, source: io::Error) -> ReportError {
    ReportError {
        path: out.join(file),
        source,
    }
}

/// Puts every staged file in place, or none: existing reports are first moved
/// aside and put back if anything fails.
fn replace_all(out: &Path, staged: Vec<Staged>) -> Result<(), ReportError> {
    for (file, temp) in &staged {
        temp.as_file()
            .sync_all()
            .map_err(|e| failed(out, file, e))?;
        let target = out.join(file);
        if target.symlink_metadata().is_ok_and(|m| m.is_dir()) {
            return Err(failed(
                out,
                file,
                io::Error::other("a folder stands where the report goes"),
            ));
        }
    }
    let mut set_aside: Vec<(PathBuf, PathBuf)> = Vec::new();
    let restore = |set_aside: &[(PathBuf, PathBuf)]| {
        for (target, previous) in set_aside {
            let _ = std::fs::rename(previous, target);
        }
    };
    for (file, _) in &staged {
        let target = out.join(file);
        if target.symlink_metadata().is_err() {
            continue;
        }
        let previous = out.join(format!(".{file}.previous-{}", std::process::id()));
        if let Err(error) = std::fs::rename(&target, &previous) {
            restore(&set_aside);
            return Err(failed(out, file, error));
        }
        set_aside.push((target, previous));
    }
    let mut placed: Vec<PathBuf> = Vec::new();
    for (file, temp) in staged {
        let target = out.join(file);
        if let Err(error) = temp.persist(&target) {
            for path in &placed {
                let _ = std::fs::remove_file(path);
            }
            restore(&set_aside);
            return Err(failed(out, file, error.error));
        }
        placed.push(target);
    }
    for (_, previous) in set_aside {
        let _ = std::fs::remove_file(previous);
    }
    Ok(())
}

/// A temporary file beside the report's final name.
fn stage(out: &Path, file: &'static str) -> Result<Staged, ReportError> {
    let prefix = format!(".{file}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // tempfile creates files readable by the owner only; reports are meant to be shared.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let temp = builder.tempfile_in(out).map_err(|e| failed(out, file, e))?;
    Ok((file, temp))
}

fn csv_to_io(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}
