//! Writing the report set (contract §5): three decision CSVs, `rejects.csv` and
//! `summary.json`, all or nothing.
//!
//! Every file is written completely into the staging folder of the locked `--out`
//! and put in place by [`Staging::commit`] (`crate::output::set`: synced, journaled,
//! renamed, recovered by the next run after a kill). A run that fails while writing
//! drops the staging folder and leaves the previous set untouched. Rows are
//! formatted in batches of customers in parallel and appended in customer order by
//! a writer thread, so output does not depend on threads.

mod csv_out;
mod details;
mod direct;
mod sink;
mod summary;
mod tables;

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use summary::{
    Counts, InputSummary, OutcomeCounts, PairCounts, ReassignmentCounts, SubscriptionCounts,
    Summary, SummaryInput,
};
pub use tables::{
    BLOCKED_HEADER, DecisionRows, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, REJECTS_HEADER,
    ReportInput, decision_headers, decision_rows, rejects_csv,
};

use crate::input::RejectedRow;
use crate::output::set::{OutLock, SetError, Staging};
use sink::Sink;

pub const ELIGIBLE_FILE: &str = "eligible_upgrades.csv";
pub const BLOCKED_FILE: &str = "blocked_upgrades.csv";
pub const REASSIGNMENTS_FILE: &str = "reassignments.csv";
pub const REJECTS_FILE: &str = "rejects.csv";
pub const SUMMARY_FILE: &str = "summary.json";

/// The reports of every run, in the order they are put in place (the summary last).
const REPORT_FILES: [&str; 5] = [
    ELIGIBLE_FILE,
    BLOCKED_FILE,
    REASSIGNMENTS_FILE,
    REJECTS_FILE,
    SUMMARY_FILE,
];

/// The report set could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct ReportError {
    pub path: PathBuf,
    pub source: io::Error,
}

impl From<SetError> for ReportError {
    fn from(error: SetError) -> ReportError {
        let (path, source) = error.into_parts();
        ReportError { path, source }
    }
}

/// The report set being written: the three decision reports grow batch by batch
/// in the staging folder; [`ReportWriter::finish`] adds `rejects.csv` and
/// `summary.json` and puts all five in place, or none.
///
/// A writer thread (`sink`) appends the formatted rows while the next ones are
/// evaluated. Dropping the writer without `finish` removes the staging folder.
pub struct ReportWriter<'lock> {
    out: PathBuf,
    /// Declared before `staging`: the writer thread is joined before the folder goes.
    sink: Sink,
    staging: Staging<'lock>,
}

impl<'lock> ReportWriter<'lock> {
    /// Starts the three decision reports with their headers in the locked folder.
    pub fn create(lock: &'lock OutLock) -> Result<ReportWriter<'lock>, ReportError> {
        let out = lock.out();
        let staging = Staging::create(lock)?;
        let decisions = [
            stage(&staging, out, ELIGIBLE_FILE)?,
            stage(&staging, out, BLOCKED_FILE)?,
            stage(&staging, out, REASSIGNMENTS_FILE)?,
        ];
        let mut writer = ReportWriter {
            out: out.to_owned(),
            sink: Sink::start(out, decisions)?,
            staging,
        };
        writer.sink.write(decision_headers())?;
        Ok(writer)
    }

    /// Emptied buffers to format a batch of rows into (reused from written batches).
    pub fn spare_buffers(&self) -> DecisionRows {
        self.sink.spare_buffers()
    }

    /// Appends one batch of formatted rows; batches must come in customer order.
    pub fn write_rows(&mut self, rows: DecisionRows) -> Result<(), ReportError> {
        self.sink.write(rows)
    }

    /// Writes `rejects.csv` and `summary.json` and puts the whole set in place.
    pub fn finish(
        mut self,
        rejected: &[RejectedRow],
        summary: &Summary,
    ) -> Result<(), ReportError> {
        // Closed before the commit, which syncs every report by name.
        drop(self.sink.close()?);
        let out = &self.out;
        let mut rejects = stage(&self.staging, out, REJECTS_FILE)?;
        rejects
            .1
            .write_all(&rejects_csv(rejected))
            .map_err(|e| failed(out, REJECTS_FILE, e))?;
        let mut summary_file = stage(&self.staging, out, SUMMARY_FILE)?;
        let mut json = serde_json::to_vec_pretty(summary)
            .map_err(|e| failed(out, SUMMARY_FILE, io::Error::from(e)))?;
        json.push(b'\n');
        summary_file
            .1
            .write_all(&json)
            .map_err(|e| failed(out, SUMMARY_FILE, e))?;
        drop((rejects, summary_file));
        Ok(self.staging.commit(&REPORT_FILES, &[])?)
    }
}

/// A report being written: its final name and its file in the staging folder.
pub(crate) type Staged = (&'static str, File);

pub(crate) fn failed(out: &Path, file: &str, source: io::Error) -> ReportError {
    ReportError {
        path: out.join(file),
        source,
    }
}

/// A new file in the staging folder; errors name the report's final path.
fn stage(staging: &Staging<'_>, out: &Path, file: &'static str) -> Result<Staged, ReportError> {
    let created = File::create(staging.path(file)).map_err(|e| failed(out, file, e))?;
    Ok((file, created))
}
