//! Writing the report set (contract §5): three decision CSVs, `rejects.csv` and
//! `summary.json`, all or nothing.
//!
//! Every file is first written completely to a temporary file in the output folder
//! and synced; only then are they renamed into place. A run that fails while
//! writing leaves the previous set untouched and no temporary files behind.

mod details;
mod summary;
mod tables;

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub use summary::{
    Counts, InputSummary, PairCounts, ReassignmentCounts, SubscriptionCounts, Summary, SummaryInput,
};
pub use tables::{
    BLOCKED_HEADER, DecisionReport, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, REJECTS_HEADER,
    ReportInput, write_decisions, write_rejects,
};

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

/// Writes all five reports into `out`, creating it if needed.
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
    let decision =
        |report| move |w: &mut dyn Write| write_decisions(report, input, w).map_err(csv_to_io);
    let mut staged = Vec::new();
    staged.push(stage(
        out,
        ELIGIBLE_FILE,
        decision(DecisionReport::Eligible),
    )?);
    staged.push(stage(out, BLOCKED_FILE, decision(DecisionReport::Blocked))?);
    staged.push(stage(
        out,
        REASSIGNMENTS_FILE,
        decision(DecisionReport::Reassignments),
    )?);
    staged.push(stage(out, REJECTS_FILE, |w| {
        write_rejects(rejected, w).map_err(csv_to_io)
    })?);
    staged.push(stage(out, SUMMARY_FILE, |w| {
        serde_json::to_writer_pretty(&mut *w, summary)?;
        w.write_all(b"\n")
    })?);
    for (file, temp) in staged {
        let path = out.join(file);
        temp.persist(&path).map_err(|error| ReportError {
            path,
            source: error.error,
        })?;
    }
    Ok(())
}

/// Writes one report completely into a synced temporary file beside its final name.
fn stage(
    out: &Path,
    file: &'static str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(&'static str, tempfile::NamedTempFile), ReportError> {
    let failed = |source| ReportError {
        path: out.join(file),
        source,
    };
    let prefix = format!(".{file}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // tempfile creates files readable by the owner only; reports are meant to be shared.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let temp = builder.tempfile_in(out).map_err(failed)?;
    let mut buffered = BufWriter::with_capacity(1 << 20, temp.as_file());
    write(&mut buffered).map_err(failed)?;
    buffered.flush().map_err(failed)?;
    drop(buffered);
    temp.as_file().sync_all().map_err(failed)?;
    Ok((file, temp))
}

fn csv_to_io(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}
