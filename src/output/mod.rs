//! The emitters and the report set (contract §5): decision records rendered as
//! rows ([`rows`], [`decisions`]) and written as CSV ([`csv`]) with `rejects.csv`
//! and `summary.json`, all or nothing; the record of the set's decisions and the
//! changes since the previous set ([`changes`], contract §7).
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
mod summary;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use decisions::{BLOCKED_HEADER, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, ReportInput};
pub use summary::{
    Counts, FilterSummary, InputSummary, OutcomeCounts, PairCounts, ReassignmentCounts, ReportFile,
    SubscriptionCounts, Summary, SummaryInput,
};

use self::csv::{STREAMED_FILES, Sink, StreamedRows, streamed_headers};

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

/// The report set being written: the streamed reports grow batch by batch in
/// temporary files; [`ReportWriter::finish`] adds the reports written whole
/// (`rejects.csv`, `actions.csv`) and `summary.json` and puts them all in place, or none.
///
/// A writer thread (`sink`) appends the formatted rows while the next ones are
/// evaluated. Dropping the writer without `finish` removes the temporary files.
pub struct ReportWriter {
    out: PathBuf,
    sink: Sink,
}

impl ReportWriter {
    /// Creates `out` if needed and starts the streamed reports with their headers.
    pub fn create(out: &Path) -> Result<ReportWriter, ReportError> {
        std::fs::create_dir_all(out).map_err(|source| ReportError {
            path: out.to_owned(),
            source,
        })?;
        let staged = [
            stage(out, STREAMED_FILES[0])?,
            stage(out, STREAMED_FILES[1])?,
            stage(out, STREAMED_FILES[2])?,
            stage(out, STREAMED_FILES[3])?,
            stage(out, STREAMED_FILES[4])?,
            stage(out, STREAMED_FILES[5])?,
        ];
        let mut writer = ReportWriter {
            out: out.to_owned(),
            sink: Sink::start(out, staged)?,
        };
        writer.sink.write(streamed_headers())?;
        Ok(writer)
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
    /// with its size and checksum), and puts the whole set in place.
    pub fn finish(
        mut self,
        whole: &[(&'static str, &[u8])],
        summary: &mut Summary,
    ) -> Result<(), ReportError> {
        let (streamed, digests) = self.sink.close()?;
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
        let mut staged: Vec<Staged> = streamed.into();
        let out = &self.out;
        let mut json = serde_json::to_vec_pretty(summary)
            .map_err(|e| failed(out, SUMMARY_FILE, io::Error::from(e)))?;
        json.push(b'\n');
        for &(file, bytes) in whole.iter().chain([&(SUMMARY_FILE, json.as_slice())]) {
            let mut temp = stage(out, file)?;
            temp.1
                .as_file_mut()
                .write_all(bytes)
                .map_err(|e| failed(out, file, e))?;
            staged.push(temp);
        }
        replace_all(out, staged)
    }
}

/// A report being written: its final name and its temporary file.
pub(crate) type Staged = (&'static str, tempfile::NamedTempFile);

pub(crate) fn failed(out: &Path, file: &str, source: io::Error) -> ReportError {
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
