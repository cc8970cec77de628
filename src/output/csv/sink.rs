//! The writer thread of the streamed reports.
//!
//! Formatted rows arrive in order over a bounded channel and are appended to the
//! staged files while the rayon workers evaluate and format the next batches;
//! the emptied buffers go back for reuse. Each file is appended to by an
//! [`Appender`], which writes past the page cache where it can, so that the final
//! fsync finds little left to do. Closing the sink hands the files back; dropping
//! it unclosed joins the thread (the staging folder then goes with the writer).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use super::direct::Appender;
use crate::output::render::STREAMED_COUNT;
use crate::output::spill::Part;
use crate::output::{
    Digester, Leftovers, ReportDigest, ReportError, Staged, ThreadStartError, failed,
};

/// Formatted batches that may wait for the writer: twice as many as the workers
/// may format in front of the next batch to write (`cmd::run`).
const QUEUED_BATCHES: usize = 16;

type Files = [Staged; STREAMED_COUNT];

/// One batch's bytes of each streamed file, in [`STREAMED_FILES`] order.
///
/// [`STREAMED_FILES`]: crate::output::render::STREAMED_FILES
pub type CsvParts = [Part; STREAMED_COUNT];

/// What was written to each streamed file, in [`STREAMED_FILES`] order.
///
/// [`STREAMED_FILES`]: crate::output::render::STREAMED_FILES
pub type Digests = [ReportDigest; STREAMED_COUNT];

pub struct Sink {
    rows: Option<SyncSender<CsvParts>>,
    spare: Receiver<CsvParts>,
    thread: Option<JoinHandle<Result<(Files, Digests), ReportError>>>,
}

impl Sink {
    /// Starts the writer thread over the staged streamed reports.
    pub fn start(out: &Path, files: Files) -> Result<Sink, ReportError> {
        let (rows, queued) = sync_channel(QUEUED_BATCHES);
        let (emptied, spare) = channel();
        let folder = out.to_owned();
        let thread = std::thread::Builder::new()
            .name("report-writer".to_owned())
            .spawn(move || write_batches(&folder, files, queued, emptied))
            .map_err(|source| ReportError {
                path: out.to_owned(),
                source: ThreadStartError::io_error("report writer", source),
            })?;
        Ok(Sink {
            rows: Some(rows),
            spare,
            thread: Some(thread),
        })
    }

    /// Buffers the writer has emptied since the last call, one batch's at a time.
    pub fn spare_buffers(&self) -> Option<CsvParts> {
        self.spare.try_recv().ok()
    }

    /// Queues one batch of rows, to be appended after the batches before it.
    pub fn write(&mut self, rows: CsvParts) -> Result<(), ReportError> {
        let sent = self
            .rows
            .as_ref()
            .is_some_and(|sender| sender.send(rows).is_ok());
        if sent {
            Ok(())
        } else {
            // The thread stopped early: it failed, and says why when joined.
            Err(self.join().err().unwrap_or_else(stopped))
        }
    }

    /// Waits until every queued batch is written; returns the files and what was
    /// written. The emptied buffers (tens of MiB at 100k customers, 10–30 ms to
    /// return to the system) go to `leftovers`, freed after the commit.
    pub fn close(&mut self, leftovers: &mut Leftovers) -> Result<(Files, Digests), ReportError> {
        let files = self.join()?;
        leftovers.keep(std::mem::replace(&mut self.spare, channel().1));
        Ok(files)
    }

    fn join(&mut self) -> Result<(Files, Digests), ReportError> {
        self.rows = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) | None => Err(stopped()),
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // The files must be removed before the process can exit.
        let _ = self.join();
    }
}

/// The error of a writer thread that panicked or was already joined.
fn stopped() -> ReportError {
    ReportError {
        path: PathBuf::from("reports"),
        source: std::io::Error::other("the report writer thread stopped"),
    }
}

fn write_batches(
    out: &Path,
    mut files: Files,
    queued: Receiver<CsvParts>,
    emptied: Sender<CsvParts>,
) -> Result<(Files, Digests), ReportError> {
    let mut appenders = files.each_ref().map(|(_, file)| Appender::new(file));
    let mut digesters: [Digester; STREAMED_COUNT] = std::array::from_fn(|_| Digester::default());
    let mut read_buffer = Vec::new();
    for mut batch in queued {
        for (((name, file), appender), (digester, part)) in files
            .iter_mut()
            .zip(appenders.iter_mut())
            .zip(digesters.iter_mut().zip(&mut batch))
        {
            part.for_each_piece(&mut read_buffer, |bytes| {
                digester.update(bytes);
                // Through the File: the error is the system's, without the path again.
                appender.append(file, bytes)
            })
            .map_err(|e| failed(out, name, e))?;
            part.spilled = None;
        }
        // The receiver is gone once the run stops formatting; nothing to reuse then.
        let _ = emptied.send(batch);
    }
    for ((name, file), appender) in files.iter_mut().zip(&mut appenders) {
        appender.finish(file).map_err(|e| failed(out, name, e))?;
    }
    let digests = digesters.map(|digester| digester.digest());
    Ok((files, digests))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A staged file whose writes fail: `/dev/full` answers every write with ENOSPC.
    fn full_disk(name: &'static str) -> Staged {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        (name, file)
    }

    #[test]
    fn a_failed_write_is_reported_by_the_next_write_or_the_close() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = ["a", "b", "c", "d", "e", "f"].map(full_disk);
        let mut sink = Sink::start(dir.path(), files).expect("thread");
        let rows = || {
            let mut rows = CsvParts::default();
            rows[0] = Part::in_memory(b"x\n".to_vec());
            rows
        };
        // The first batch is queued; its failure surfaces on a later call.
        let mut outcome = sink.write(rows());
        for _ in 0..QUEUED_BATCHES * 2 {
            if outcome.is_err() {
                break;
            }
            outcome = sink.write(rows());
        }
        let error = match outcome {
            Err(error) => error,
            Ok(()) => sink
                .close(&mut Leftovers::default())
                .expect_err("the close reports the failure"),
        };
        assert_eq!(error.path, dir.path().join("a"));
        assert_eq!(error.source.raw_os_error(), Some(libc::ENOSPC), "{error}");
        assert_eq!(
            error.to_string().matches("/a").count(),
            1,
            "the path once: {error}"
        );
        assert!(
            sink.close(&mut Leftovers::default()).is_err(),
            "a failed sink stays failed"
        );
    }
}
