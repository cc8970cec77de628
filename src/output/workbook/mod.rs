//! `--xlsx`: `upgrade-recon.xlsx`, the reports as one workbook (contract §5) —
//! the same rows and columns as the CSVs, ids and names as text cells holding
//! the raw value (a text cell never evaluates, so no `'` is needed and `00042`,
//! `1E5` or `12.03.` stay what they are), counts as numbers, never a formula.
//!
//! Rows arrive as recorded cells ([`crate::output::cells`]), batch by batch in
//! report order. Each report's sheets have a writer thread of their own, which
//! replays the rows into constant-memory worksheets (one unnamed temporary file
//! each, in the staging folder) while the run goes on, so that the sheets are
//! written in parallel; bounded queues hold the run back should they fall behind.
//! At the end the Summary sheet is made and the workbook saved into the staging
//! folder, to be committed with the set.
//!
//! A report gets a sheet by its line in [`SHEETS`]; a report with no line is not
//! in the workbook, and a sheet whose report never came is left out.

mod sheet;
mod summary_sheet;
#[cfg(test)]
mod tests;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rust_xlsxwriter::{Workbook, Worksheet};

pub use sheet::{EXCEL_LIMITS, Limits, cut};

use self::sheet::{OwnedCell, SheetGroup, xlsx_error};
use self::summary_sheet::summary_sheet;
use super::spill::Part;
use super::{
    ACTIONS_FILE, BLOCKED_FILE, CHANGES_FILE, ELIGIBLE_FILE, OVERVIEW_FILE, REASSIGNMENTS_FILE,
    REJECTS_FILE, ReportError, Summary,
};
use crate::text::workbook::{Sheet, WorkbookWords};

pub const WORKBOOK_FILE: &str = "upgrade-recon.xlsx";

/// The report each sheet shows, and the sheet's name, in the workbook's order
/// (after Summary).
pub const SHEETS: [(&str, Sheet); 7] = [
    (OVERVIEW_FILE, Sheet::Overview),
    (ELIGIBLE_FILE, Sheet::Eligible),
    (BLOCKED_FILE, Sheet::Blocked),
    (REASSIGNMENTS_FILE, Sheet::Reassignments),
    (ACTIONS_FILE, Sheet::Actions),
    (REJECTS_FILE, Sheet::Rejects),
    (CHANGES_FILE, Sheet::Changes),
];

/// The report whose first rows the Summary sheet shows, and how many.
const TOP_ACTIONS: (&str, usize) = (ACTIONS_FILE, 10);

/// Deflate level of the workbook's parts (1 fastest … 9). At 100k customers the
/// sheets are 870 MB of XML, compressed on one core when the workbook is saved:
/// level 2 gives 99 MB for 0.2 CPU-seconds more than level 1's 124 MB, where
/// the default 6 takes 3.8 CPU-seconds more for 76 MB (docs/spreadsheets.md).
const ZIP_LEVEL: u8 = 2;

/// Batches that may wait for a sheet's writer.
const QUEUED_BATCHES: usize = 16;

enum Message {
    /// Rows of the report (its first rows start with the header).
    Rows(Part),
    /// The last rows have come.
    Finish,
}

/// A report's sheets, done.
struct Finished {
    sheets: Vec<Worksheet>,
    header: Option<Vec<String>>,
    first_rows: Vec<Vec<OwnedCell>>,
}

/// The writer thread of one report's sheets.
struct SheetWriter {
    messages: Option<SyncSender<Message>>,
    thread: Option<JoinHandle<io::Result<Finished>>>,
}

impl SheetWriter {
    fn start(mut group: SheetGroup) -> io::Result<SheetWriter> {
        let (messages, queued) = sync_channel(QUEUED_BATCHES);
        let thread = std::thread::Builder::new()
            .name("workbook-sheet".to_owned())
            .spawn(move || {
                for message in queued {
                    match message {
                        Message::Rows(part) => group.append(part)?,
                        Message::Finish => {
                            return Ok(Finished {
                                sheets: group.finish()?,
                                header: group.header().map(<[String]>::to_vec),
                                first_rows: group.first_rows().to_vec(),
                            });
                        }
                    }
                }
                // The run stopped before the end: no workbook.
                Err(io::Error::other(
                    "the run stopped before the workbook was finished",
                ))
            })
            .map_err(|source| {
                io::Error::new(
                    source.kind(),
                    format!("cannot start a workbook writer thread: {source}"),
                )
            })?;
        Ok(SheetWriter {
            messages: Some(messages),
            thread: Some(thread),
        })
    }

    fn send(&mut self, message: Message) -> io::Result<()> {
        let sent = self
            .messages
            .as_ref()
            .map(|sender| sender.send(message).map_err(drop));
        match sent {
            Some(Ok(())) => Ok(()),
            // The thread stopped early: it failed, and says why when joined.
            _ => Err(self.join().err().unwrap_or_else(stopped)),
        }
    }

    fn join(&mut self) -> io::Result<Finished> {
        self.messages = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) | None => Err(stopped()),
        }
    }
}

impl Drop for SheetWriter {
    fn drop(&mut self) {
        // Its temporary files live in the staging folder, which goes after it.
        let _ = self.join();
    }
}

fn stopped() -> io::Error {
    io::Error::other("a workbook writer thread stopped")
}

/// The workbook being written: a writer thread per report.
pub struct WorkbookWriter {
    words: &'static WorkbookWords,
    book: Arc<Mutex<Workbook>>,
    /// In [`SHEETS`] order.
    sheets: Vec<SheetWriter>,
    target: PathBuf,
    /// The workbook's final path, which errors name.
    report_path: PathBuf,
}

impl WorkbookWriter {
    /// Starts the threads; the workbook is saved at `target` and keeps its
    /// temporary files in `scratch_dir`; errors name `report_path`.
    pub fn start(
        scratch_dir: &Path,
        target: PathBuf,
        report_path: PathBuf,
        limits: Limits,
        words: &'static WorkbookWords,
    ) -> Result<WorkbookWriter, ReportError> {
        let failed = |source| ReportError {
            path: report_path.clone(),
            source,
        };
        let mut book = Workbook::new();
        book.set_tempdir(scratch_dir)
            .map_err(|e| failed(xlsx_error(e)))?;
        book.set_zip_compression_level(ZIP_LEVEL);
        let book = Arc::new(Mutex::new(book));
        let sheets = SHEETS
            .iter()
            .map(|&(file, sheet)| {
                let keep = if file == TOP_ACTIONS.0 {
                    TOP_ACTIONS.1
                } else {
                    0
                };
                let name = words.sheet(sheet);
                SheetWriter::start(SheetGroup::new(
                    name,
                    words,
                    Arc::clone(&book),
                    limits,
                    keep,
                ))
            })
            .collect::<io::Result<_>>()
            .map_err(failed)?;
        Ok(WorkbookWriter {
            words,
            book,
            sheets,
            target,
            report_path,
        })
    }

    /// Queues rows of reports, each to be written after the rows before it.
    pub fn write(&mut self, reports: Vec<(&'static str, Part)>) -> Result<(), ReportError> {
        for (file, part) in reports {
            if let Some(at) = SHEETS.iter().position(|(report, _)| *report == file) {
                self.sheets[at]
                    .send(Message::Rows(part))
                    .map_err(|source| failed(&self.report_path, source))?;
            }
        }
        Ok(())
    }

    /// Waits for every sheet, makes the Summary sheet from `summary` and saves the workbook.
    pub fn finish(mut self, summary: &Summary) -> Result<(), ReportError> {
        for sheet in &mut self.sheets {
            sheet
                .send(Message::Finish)
                .map_err(|source| failed(&self.report_path, source))?;
        }
        let mut finished = Vec::with_capacity(self.sheets.len());
        for sheet in &mut self.sheets {
            finished.push(
                sheet
                    .join()
                    .map_err(|source| failed(&self.report_path, source))?,
            );
        }
        let actions = SHEETS
            .iter()
            .position(|(report, _)| *report == TOP_ACTIONS.0)
            .and_then(|at| {
                let done = &finished[at];
                Some((done.header.as_deref()?, done.first_rows.as_slice()))
            });
        let summary = summary_sheet(summary, actions, self.words)
            .map_err(|source| failed(&self.report_path, source))?;
        let mut book = self.book.lock().map_err(|_| {
            failed(
                &self.report_path,
                io::Error::other("the workbook's lock is poisoned"),
            )
        })?;
        book.push_worksheet(summary);
        for worksheet in finished.into_iter().flat_map(|done| done.sheets) {
            book.push_worksheet(worksheet);
        }
        book.save(&self.target)
            .map_err(|e| failed(&self.report_path, xlsx_error(e)))
    }
}

fn failed(report_path: &Path, source: io::Error) -> ReportError {
    ReportError {
        path: report_path.to_owned(),
        source,
    }
}
