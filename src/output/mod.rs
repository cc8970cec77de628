//! The emitters and the report set (contract §5): decision records rendered as
//! rows ([`rows`], [`decisions`]) once for every format ([`render`]) and written
//! as CSV ([`csv`]) and, with `--xlsx`, as a workbook ([`workbook`]), with
//! `rejects.csv` and `summary.json`, all or nothing ([`set`]: the lock on
//! `--out`, the staging folder, the journaled commit and the recovery after a kill);
//! the record of the set's decisions and the changes since the previous set
//! ([`changes`], contract §7).
//!
//! Every file is first written completely into the staging folder and synced;
//! then a journaled commit renames them into place ([`set`]), so that a kill at
//! any instant leaves the old set or the new one. A run that fails while writing
//! leaves the previous set untouched and no staging folder behind. Rows are
//! formatted in batches of customers in parallel and appended in customer order
//! by a writer thread, so output does not depend on threads.

pub mod actions;
pub mod cells;
pub mod changes;
pub mod csv;
pub mod decisions;
pub mod explain;
pub mod neutralize;
pub mod overview;
pub mod rejects;
pub mod render;
pub mod rows;
pub mod set;
pub mod spill;
mod summary;
pub mod workbook;

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

pub use decisions::{BLOCKED_HEADER, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, ReportInput};
pub use summary::{
    Counts, FilterSummary, InputSummary, OutcomeCounts, PairCounts, ReassignmentCounts, ReportFile,
    SubscriptionCounts, Summary, SummaryInput,
};

pub use changes::{CHANGES_FILE, RECORD_FILE};
pub use neutralize::neutralize;
pub use render::{Formats, ReportRows, StreamedRows, WholeReport};
pub use workbook::WORKBOOK_FILE;

use self::csv::{Appender, CsvParts, Sink};
use self::render::{STREAMED_COUNT, STREAMED_FILES, WholeCsv, streamed_headers, whole_report};
use self::set::{OutLock, SetError, Staging};
use self::workbook::{EXCEL_LIMITS, WorkbookWriter};

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

/// A [`ReportDigest`] taken of the bytes as they are written or read.
pub struct Digester {
    hasher: xxhash_rust::xxh3::Xxh3,
    bytes: u64,
}

impl Default for Digester {
    fn default() -> Digester {
        Digester {
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            bytes: 0,
        }
    }
}

impl Digester {
    pub fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        self.bytes += bytes.len() as u64;
    }

    /// The digest of every byte so far.
    pub fn digest(&self) -> ReportDigest {
        ReportDigest {
            bytes: self.bytes,
            xxh3: self.hasher.digest(),
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
/// reports written whole (`rejects.csv`, `actions.csv`), the workbook and
/// `summary.json` and commits them all, or none.
///
/// A writer thread (`sink`) appends the formatted rows while the next ones are
/// evaluated; with `--xlsx`, another replays them into the workbook. Dropping the
/// writer without `finish` removes the staging folder.
pub struct ReportWriter<'lock> {
    out: PathBuf,
    formats: Formats,
    /// CSV cells written with the formula guard so far.
    neutralized: u64,
    /// Declared before `staging`: the writer threads are joined before the folder goes.
    sink: Sink,
    workbook: Option<WorkbookWriter>,
    staging: Staging<'lock>,
    /// Freed once the set is committed.
    leftovers: Leftovers,
}

impl From<SetError> for ReportError {
    fn from(error: SetError) -> ReportError {
        let (path, source) = error.into_parts();
        ReportError { path, source }
    }
}

impl<'lock> ReportWriter<'lock> {
    /// Starts the streamed reports (and the workbook) with their headers in the
    /// locked folder.
    pub fn create(
        lock: &'lock OutLock,
        formats: Formats,
    ) -> Result<ReportWriter<'lock>, ReportError> {
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
        let workbook = match formats.workbook {
            true => Some(WorkbookWriter::start(
                staging.dir(),
                staging.path(WORKBOOK_FILE),
                out.join(WORKBOOK_FILE),
                EXCEL_LIMITS,
                formats.lang.workbook_words(),
            )?),
            false => None,
        };
        let mut writer = ReportWriter {
            out: out.to_owned(),
            formats,
            neutralized: 0,
            sink: Sink::start(out, staged)?,
            workbook,
            staging,
            leftovers: Leftovers::default(),
        };
        let headers = streamed_headers(formats).map_err(|e| failed(out, STREAMED_FILES[0], e))?;
        writer.write_rows(headers)?;
        Ok(writer)
    }

    /// The formats the reports are written in.
    pub fn formats(&self) -> Formats {
        self.formats
    }

    /// Where rows that pass the memory limit of a batch spill: the staging folder.
    pub fn spill_dir(&self) -> &Path {
        self.staging.dir()
    }

    /// Emptied CSV buffers of a written batch, to format another batch's rows
    /// into, in [`STREAMED_FILES`] order; `None` while none is free.
    pub fn spare_buffers(&self) -> Option<[Vec<u8>; STREAMED_COUNT]> {
        self.sink
            .spare_buffers()
            .map(|parts| parts.map(|part| part.bytes))
    }

    /// Keeps `value` until the set is committed, then frees it in the background:
    /// memory the run no longer needs, whose freeing would hold up the commit.
    pub fn free_after_commit(&mut self, value: impl Send + 'static) {
        self.leftovers.keep(value);
    }

    /// Appends one batch of rendered rows; batches must come in customer order.
    pub fn write_rows(&mut self, rows: StreamedRows) -> Result<(), ReportError> {
        let mut cells = Vec::new();
        let [eligible, blocked, reassignments, overview, changes] = rows.reports.map(|rendered| {
            self.neutralized += rendered.neutralized;
            cells.push(rendered.cells);
            rendered.csv
        });
        let csv: CsvParts = [
            eligible,
            blocked,
            reassignments,
            overview,
            changes,
            rows.record,
        ];
        if let Some(workbook) = &mut self.workbook {
            let reports = STREAMED_FILES
                .iter()
                .zip(cells)
                .filter_map(|(file, part)| Some((*file, part?)))
                .collect();
            workbook.write(reports)?;
        }
        self.sink.write(csv)
    }

    /// Renders a report written whole (`header`, then what `render` writes) in
    /// every format of the run, for [`ReportWriter::finish`].
    pub fn render_whole(
        &self,
        file: &'static str,
        header: &[&str],
        render: impl FnOnce(&mut ReportRows<'_>),
    ) -> Result<WholeReport, ReportError> {
        whole_report(file, header, self.formats, render).map_err(|e| failed(&self.out, file, e))
    }

    /// Writes the reports given whole, the workbook and `summary.json` (listing
    /// every report with its size and checksum), and commits the whole set.
    /// `absent` names reports of earlier runs this set does not have (they are removed).
    pub fn finish(
        mut self,
        whole: Vec<WholeReport>,
        summary: &mut Summary,
        absent: &[&str],
    ) -> Result<(), ReportError> {
        let out = self.out.clone();
        // The reports given whole are written while the streamed reports' last
        // batches are (two files' direct writes in flight instead of one); the
        // streamed ones are closed before the commit, which syncs every report.
        let mut pending = Some(whole);
        let mut leftovers = std::mem::take(&mut self.leftovers);
        let (closed, whole_written) = {
            let (sink, staging) = (&mut self.sink, &self.staging);
            let (pending, leftovers) = (&mut pending, &mut leftovers);
            std::thread::scope(|scope| {
                let writing = std::thread::Builder::new()
                    .name("whole-reports".to_owned())
                    .spawn_scoped(scope, || {
                        write_whole_reports(staging, &out, pending.take().unwrap_or_default())
                    });
                let closed = sink.close(leftovers);
                let written = writing.ok().map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|_| Err(failed(&out, ACTIONS_FILE, thread_stopped())))
                });
                (closed, written)
            })
        };
        let (streamed, digests) = closed?;
        drop(streamed);
        let whole = match whole_written {
            Some(written) => written?,
            // The thread could not start: written here.
            None => write_whole_reports(&self.staging, &out, pending.unwrap_or_default())?,
        };
        let mut written: Vec<(&'static str, ReportDigest)> =
            STREAMED_FILES.into_iter().zip(digests).collect();
        written.extend(whole.digests);
        let workbook_rows = whole.cells;
        leftovers.append(whole.leftovers);
        self.neutralized += whole.neutralized;
        summary.neutralized_cells = self.neutralized;
        summary.csv_style = self.formats.csv.name();
        summary.lang = self.formats.lang.code();
        summary.finished_at =
            chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        if let Some(mut workbook) = self.workbook.take() {
            workbook.write(workbook_rows)?;
            workbook.finish(summary)?;
            let digest = digest_file(&self.staging.path(WORKBOOK_FILE))
                .map_err(|e| failed(&out, WORKBOOK_FILE, e))?;
            written.push((WORKBOOK_FILE, digest));
        }
        summary.reports = written
            .iter()
            .map(|(file, digest)| ReportFile::new(file, *digest))
            .collect();
        summary.reports.sort_by(|a, b| a.file.cmp(&b.file));
        let mut json = serde_json::to_vec_pretty(summary)
            .map_err(|e| failed(&out, SUMMARY_FILE, io::Error::from(e)))?;
        json.push(b'\n');
        let (_, mut staged) = stage(&self.staging, &out, SUMMARY_FILE)?;
        staged
            .write_all(&json)
            .map_err(|e| failed(&out, SUMMARY_FILE, e))?;
        let mut names: Vec<&str> = written.iter().map(|(file, _)| *file).collect();
        // The summary last: a reader that finds it finds the set it describes.
        names.push(SUMMARY_FILE);
        self.staging.commit(&names, absent)?;
        leftovers.free_in_background();
        Ok(())
    }
}

/// What the reports given whole left: each file's digest, their recorded cells for
/// the workbook, and their guarded cells.
#[derive(Default)]
struct WholeWritten {
    digests: Vec<(&'static str, ReportDigest)>,
    cells: Vec<(&'static str, spill::Part)>,
    neutralized: u64,
    leftovers: Leftovers,
}

/// Stages and writes each report given whole, in order.
fn write_whole_reports(
    staging: &Staging<'_>,
    out: &Path,
    whole: Vec<WholeReport>,
) -> Result<WholeWritten, ReportError> {
    let mut written = WholeWritten::default();
    for WholeReport {
        file,
        csv,
        cells,
        neutralized,
        leftovers,
    } in whole
    {
        written.neutralized += neutralized;
        let (_, mut staged) = stage(staging, out, file)?;
        let mut csv = csv;
        let digest = write_whole(&mut staged, &mut csv).map_err(|e| failed(out, file, e))?;
        // `actions.csv`'s rows lie in a buffer per batch: freeing them took 20–30 ms
        // that the commit waited for.
        written.leftovers.keep(csv);
        written.leftovers.append(leftovers);
        written.digests.push((file, digest));
        written.cells.extend(cells.map(|cells| (file, cells)));
    }
    Ok(written)
}

/// The error of a thread that panicked.
fn thread_stopped() -> io::Error {
    io::Error::other("the thread writing the reports given whole stopped")
}

/// Writes every byte of `csv` to `file` (past the page cache where it can, like
/// the streamed reports); what was written.
fn write_whole(file: &mut File, csv: &mut WholeCsv) -> io::Result<ReportDigest> {
    let mut digester = Digester::default();
    let mut buffer = Vec::new();
    let mut appender = Appender::new(file);
    csv.for_each_piece(&mut buffer, |bytes| {
        digester.update(bytes);
        appender.append(file, bytes)
    })?;
    appender.finish(file)?;
    Ok(digester.digest())
}

/// Drops `value` on a detached thread (or here, should none start): freeing
/// memory spread over many blocks makes glibc consolidate its free lists, tens of
/// milliseconds the run need not wait for. The process may exit before it is done.
fn drop_detached<T: Send + 'static>(value: T) {
    let _detached = std::thread::Builder::new().spawn(move || {
        crate::sys::run_when_idle();
        drop(value);
    });
}

/// Memory the reports no longer need, freed once the set is committed (on a
/// detached thread, [`drop_detached`]): freed while the reports were written and
/// committed, its blocks held glibc's arena locks that the commit waited for.
#[derive(Default)]
pub struct Leftovers(Vec<Box<dyn Send>>);

impl Leftovers {
    pub fn keep(&mut self, value: impl Send + 'static) {
        self.0.push(Box::new(value));
    }

    fn append(&mut self, mut other: Leftovers) {
        self.0.append(&mut other.0);
    }

    fn free_in_background(self) {
        drop_detached(self.0);
    }
}

impl std::fmt::Debug for Leftovers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Leftovers({} values)", self.0.len())
    }
}

/// The size and checksum of a file written by another hand (the workbook).
fn digest_file(path: &Path) -> io::Result<ReportDigest> {
    let mut file = File::open(path)?;
    let mut digester = Digester::default();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(digester.digest());
        }
        digester.update(&buffer[..read]);
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
