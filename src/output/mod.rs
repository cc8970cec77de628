//! The emitters and the report set (contract §5): decision records rendered as
//! rows ([`rows`], [`decisions`]) and written as CSV ([`csv`]) with `rejects.csv`
//! and `summary.json`, all or nothing ([`set`]: the lock on `--out`, the staging
//! folder, the journaled commit and the recovery after a kill); the record of the
//! set's decisions and the changes since the previous set ([`changes`], contract §7).
//!
//! Every file is first written completely to a temporary file in the output folder
//! and synced; only then are they renamed into place, the previous set moved aside
//! first and put back if a rename fails. A run that fails while writing leaves the
//! previous set untouched and no temporary files behind. Rows are formatted in
//! batches of customers in parallel and appended in customer order by a writer
//! thread, so output does not depend on threads.

pub mod actions;
pub mod changes;
pub mod csv;
pub mod decisions;
pub mod explain;
pub mod overview;
pub mod rows;
pub mod set;
mod summary;

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use decisions::{BLOCKED_HEADER, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, ReportInput};
pub use summary::{
    Counts, FilterSummary, InputSummary, OutcomeCounts, PairCounts, ReassignmentCounts, ReportFile,
    SubscriptionCounts, Summary, SummaryInput,
};

use self::csv::{STREAMED_FILES, Sink, StreamedRows, streamed_headers};
use self::set::{OutLock, SetError, Staging};

pub use changes::{CHANGES_FILE, RECORD_FILE};

pub const ELIGIBLE_FILE: &str = "eligible_upgrades.csv";
pub const BLOCKED_FILE: &str = "blocked_upgrades.csv";
pub const REASSIGNMENTS_FILE: &str = "reassignments.csv";
pub const OVERVIEW_FILE: &str = "overview.csv";
pub const ACTIONS_FILE: &str = "actions.csv";
pub const REJECTS_FILE: &str = "rejects.csv";
pub const SUMMARY_FILE: &str = "summary.json";

/// What was written to one report file: its length and its XXH3-64 checksum,
/// which `summary.json` lists so that a reader can tell a complete set from a mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDigest {
    pub bytes: u64,
    pub xxh3: u64,
}

impl ReportDigest {
    pub fn of(bytes: &[u8]) -> ReportDigest {
        ReportDigest {
            bytes: bytes.len() as u64,
            xxh3: xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }

    /// The digest of `bytes` bytes fed to `hasher`.
    pub fn of_hasher(hasher: &xxhash_rust::xxh3::Xxh3, bytes: u64) -> ReportDigest {
        ReportDigest {
            bytes,
            xxh3: hasher.digest(),
        }
    }
}

/// The report set could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct ReportError {
    pub path: PathBuf,
    pub source: io::Error,
}

impl ReportError {
    /// True when a thread the writing needs could not be started: the machine
    /// is the problem (exit 71), not the output folder (74).
    pub fn is_thread_start(&self) -> bool {
        self.source
            .get_ref()
            .is_some_and(|inner| inner.is::<ThreadStartError>())
    }
}

/// A thread could not be started (limits, memory).
#[derive(Debug, thiserror::Error)]
#[error("cannot start the {name} thread: {source}")]
pub struct ThreadStartError {
    name: &'static str,
    source: io::Error,
}

impl ThreadStartError {
    /// The error as an `io::Error` of the same kind, recognisable by [`ReportError::is_thread_start`].
    pub fn io_error(name: &'static str, source: io::Error) -> io::Error {
        io::Error::new(source.kind(), ThreadStartError { name, source })
    }
}

/// The report set being written: the streamed reports grow batch by batch in the
/// staging folder of the locked `--out`; [`ReportWriter::finish`] adds the
/// reports written whole (`rejects.csv`, `actions.csv`) and `summary.json` and
/// commits them all, or none.
///
/// A writer thread (`sink`) appends the formatted rows while the next ones are
/// evaluated. Dropping the writer without `finish` removes the staging folder.
pub struct ReportWriter<'lock> {
    out: PathBuf,
    /// Declared before `staging`: the writer thread is joined before the folder goes.
    sink: Sink,
    staging: Staging<'lock>,
}

impl From<SetError> for ReportError {
    fn from(error: SetError) -> ReportError {
        let (path, source) = error.into_parts();
        ReportError { path, source }
    }
}

impl<'lock> ReportWriter<'lock> {
    /// Starts the streamed reports with their headers in the locked folder.
    pub fn create(lock: &'lock OutLock) -> Result<ReportWriter<'lock>, ReportError> {
        let out = lock.out();
        let staging = Staging::create(lock)?;
        let staged = [
            stage(&staging, out, STREAMED_FILES[0])?,
            stage(&staging, out, STREAMED_FILES[1])?,
            stage(&staging, out, STREAMED_FILES[2])?,
            stage(&staging, out, STREAMED_FILES[3])?,
            stage(&staging, out, STREAMED_FILES[4])?,
            stage(&staging, out, STREAMED_FILES[5])?,
        ];
        let mut writer = ReportWriter {
            out: out.to_owned(),
            sink: Sink::start(out, staged)?,
            staging,
        };
        writer.sink.write(streamed_headers())?;
        Ok(writer)
    }

    /// Where rows that pass the memory limit of a batch spill: the staging folder.
    pub fn spill_dir(&self) -> &Path {
        self.staging.dir()
    }

    /// Emptied buffers to format a batch of rows into (reused from written batches).
    pub fn spare_buffers(&self) -> StreamedRows {
        self.sink.spare_buffers()
    }

    /// Appends one batch of formatted rows; batches must come in customer order.
    pub fn write_rows(&mut self, rows: StreamedRows) -> Result<(), ReportError> {
        self.sink.write(rows)
    }

    /// Writes the reports given whole and `summary.json` (listing every report
    /// with its size and checksum), and commits the whole set. `absent` names
    /// reports of earlier runs this set does not have (they are removed).
    pub fn finish(
        mut self,
        whole: &[(&'static str, &[u8])],
        summary: &mut Summary,
        absent: &[&str],
    ) -> Result<(), ReportError> {
        // Closed before the commit, which syncs every report by name.
        let (streamed, digests) = self.sink.close()?;
        drop(streamed);
        summary.reports = STREAMED_FILES
            .iter()
            .zip(digests)
            .chain(
                whole
                    .iter()
                    .map(|(file, bytes)| (file, ReportDigest::of(bytes))),
            )
            .map(|(file, digest)| ReportFile::new(file, digest))
            .collect();
        summary.reports.sort_by(|a, b| a.file.cmp(&b.file));
        summary.finished_at =
            chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let out = &self.out;
        let mut json = serde_json::to_vec_pretty(summary)
            .map_err(|e| failed(out, SUMMARY_FILE, io::Error::from(e)))?;
        json.push(b'\n');
        let mut names: Vec<&str> = STREAMED_FILES.to_vec();
        for &(file, bytes) in whole.iter().chain([&(SUMMARY_FILE, json.as_slice())]) {
            let (_, mut staged) = stage(&self.staging, out, file)?;
            staged.write_all(bytes).map_err(|e| failed(out, file, e))?;
            names.push(file);
        }
        // The summary last: a reader that finds it finds the set it describes.
        Ok(self.staging.commit(&names, absent)?)
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
