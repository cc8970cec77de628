//! `--xlsx`: `upgrade-recon.xlsx`, the reports as one workbook (contract §5) —
//! the same rows and columns as the CSVs, ids and names as text cells holding
//! the raw value (a text cell never evaluates, so no `'` is needed and `00042`,
//! `1E5` or `12.03.` stay what they are), counts as numbers, never a formula.
//!
//! Rows arrive as recorded cells ([`crate::output::cells`]), batch by batch in
//! report order, at a writer thread of their own, which replays them into
//! constant-memory worksheets (one unnamed temporary file each, in the staging
//! folder) while the run goes on; a bounded queue holds the run back should the
//! workbook fall behind. At the end the Summary sheet is made and the workbook
//! saved into the staging folder, to be committed with the set.
//!
//! A report gets a sheet by its line in [`SHEETS`]; a report with no line is not
//! in the workbook, and a sheet whose report never came is left out.

mod sheet;
mod summary_sheet;
#[cfg(test)]
mod tests;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use rust_xlsxwriter::Workbook;

pub use sheet::{EXCEL_LIMITS, Limits, cut};
pub use summary_sheet::SUMMARY_SHEET;

use self::sheet::{SheetGroup, Styles, xlsx_error};
use self::summary_sheet::summary_sheet;
use super::spill::Part;
use super::{
    ACTIONS_FILE, BLOCKED_FILE, ELIGIBLE_FILE, OVERVIEW_FILE, REASSIGNMENTS_FILE, REJECTS_FILE,
    ReportError, Summary,
};

pub const WORKBOOK_FILE: &str = "upgrade-recon.xlsx";

/// The report each sheet shows, and the sheet's name, in the workbook's order
/// (after Summary).
pub const SHEETS: [(&str, &str); 6] = [
    (OVERVIEW_FILE, "Overview"),
    (ELIGIBLE_FILE, "Eligible"),
    (BLOCKED_FILE, "Blocked"),
    (REASSIGNMENTS_FILE, "Reassignments"),
    (ACTIONS_FILE, "Actions"),
    (REJECTS_FILE, "Rejects"),
];

/// The report whose first rows the Summary sheet shows, and how many.
const TOP_ACTIONS: (&str, usize) = (ACTIONS_FILE, 10);

/// Batches that may wait for the workbook writer.
const QUEUED_BATCHES: usize = 16;

enum Message {
    /// Rows of some reports (the first of each report is its header).
    Rows(Vec<(&'static str, Part)>),
    /// The last rows have come: make the Summary sheet and save.
    Finish(Box<Summary>),
}

/// The workbook's writer thread.
pub struct WorkbookWriter {
    messages: Option<SyncSender<Message>>,
    thread: Option<JoinHandle<io::Result<()>>>,
    /// The workbook's final path, which errors name.
    report_path: PathBuf,
}

impl WorkbookWriter {
    /// Starts the thread, which saves the workbook at `target` and keeps its
    /// temporary files in `scratch_dir`; errors name `report_path`.
    pub fn start(
        scratch_dir: &Path,
        target: PathBuf,
        report_path: PathBuf,
        limits: Limits,
    ) -> Result<WorkbookWriter, ReportError> {
        let (messages, queued) = sync_channel(QUEUED_BATCHES);
        let scratch = scratch_dir.to_owned();
        let thread = std::thread::Builder::new()
            .name("workbook-writer".to_owned())
            .spawn(move || write_workbook(&scratch, &target, limits, queued))
            .map_err(|source| ReportError {
                path: report_path.clone(),
                source: io::Error::new(
                    source.kind(),
                    format!("cannot start the workbook writer thread: {source}"),
                ),
            })?;
        Ok(WorkbookWriter {
            messages: Some(messages),
            thread: Some(thread),
            report_path,
        })
    }

    /// Queues rows of reports, to be written after the rows before them.
    pub fn write(&mut self, reports: Vec<(&'static str, Part)>) -> Result<(), ReportError> {
        self.send(Message::Rows(reports))
    }

    /// Makes the Summary sheet from `summary` and saves the workbook.
    pub fn finish(mut self, summary: &Summary) -> Result<(), ReportError> {
        self.send(Message::Finish(Box::new(summary.clone())))?;
        self.join()
    }

    fn send(&mut self, message: Message) -> Result<(), ReportError> {
        let sent = self
            .messages
            .as_ref()
            .map(|sender| sender.send(message).map_err(drop));
        match sent {
            Some(Ok(())) => Ok(()),
            // The thread stopped early: it failed, and says why when joined.
            _ => Err(self.join().err().unwrap_or_else(|| self.stopped())),
        }
    }

    fn join(&mut self) -> Result<(), ReportError> {
        self.messages = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result.map_err(|source| ReportError {
                path: self.report_path.clone(),
                source,
            }),
            Some(Err(_)) | None => Err(self.stopped()),
        }
    }

    fn stopped(&self) -> ReportError {
        ReportError {
            path: self.report_path.clone(),
            source: io::Error::other("the workbook writer thread stopped"),
        }
    }
}

impl Drop for WorkbookWriter {
    fn drop(&mut self) {
        // Its temporary files live in the staging folder, which goes after it.
        let _ = self.join();
    }
}

/// The thread: replays the rows into their sheets until told to finish.
fn write_workbook(
    scratch: &Path,
    target: &Path,
    limits: Limits,
    queued: Receiver<Message>,
) -> io::Result<()> {
    let mut book = Workbook::new();
    book.set_tempdir(scratch).map_err(xlsx_error)?;
    let styles = Styles::new();
    let mut sheets = SHEETS.map(|(file, name)| {
        let keep = if file == TOP_ACTIONS.0 {
            TOP_ACTIONS.1
        } else {
            0
        };
        SheetGroup::new(name, limits, keep)
    });
    for message in queued {
        match message {
            Message::Rows(reports) => {
                for (file, part) in reports {
                    if let Some(at) = SHEETS.iter().position(|(report, _)| *report == file) {
                        sheets[at].append(&mut book, &styles, part)?;
                    }
                }
            }
            Message::Finish(summary) => {
                let mut worksheets = Vec::new();
                for group in &mut sheets {
                    worksheets.extend(group.finish(&mut book, &styles)?);
                }
                let actions = SHEETS
                    .iter()
                    .position(|(report, _)| *report == TOP_ACTIONS.0)
                    .map(|at| &sheets[at])
                    .and_then(|group| Some((group.header()?, group.first_rows())));
                book.push_worksheet(summary_sheet(&summary, actions)?);
                for worksheet in worksheets {
                    book.push_worksheet(worksheet);
                }
                return book.save(target).map_err(xlsx_error);
            }
        }
    }
    // The run stopped before the end: no workbook.
    Err(io::Error::other(
        "the run stopped before the workbook was finished",
    ))
}
