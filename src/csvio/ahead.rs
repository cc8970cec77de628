//! A file's first chunks read, hashed and cut ahead, on a thread that runs only
//! when a core would otherwise idle, while the run does work that the file's
//! parsing must wait for (at 100k customers: `customers.csv` and its index, when
//! the license file cannot be parsed yet and one core is mostly free).
//!
//! The chunks come from the same [`ChunkSource`] that then goes on reading, so
//! they and the file's checksum are exactly what reading without going ahead
//! gives; only when the work is done changes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use super::file::CsvFile;
use super::parallel::streaming_source;
use super::sniff::Sniffed;
use super::source::{ChunkSource, ReadOptions};

/// The most a file is read ahead: more than the idle time before its parsing can
/// start at 100k customers allows (about 60 ms of one core), in at most 16 chunk
/// buffers, which the workers then go on reading into (peak RSS is unchanged).
pub const READ_AHEAD_BYTES: usize = 64 << 20;

/// Reading ahead, on its own thread, until [`finish`](Self::finish)ed or dropped.
pub struct ReadAhead {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<ChunkSource<'static>>>,
}

impl ReadAhead {
    /// Starts reading `file` (laid out as `sniffed`, read with `options`) ahead;
    /// `None` when it is not read in parallel chunks, or no thread or handle could
    /// be had (the file is then read as usual, which reports any error).
    pub fn start(
        file: &CsvFile,
        sniffed: &Sniffed,
        options: ReadOptions,
        max_bytes: usize,
    ) -> Option<ReadAhead> {
        if !sniffed.streams() || !options.parallel {
            return None;
        }
        let stream = file.owned_stream().ok()?;
        let mut source = streaming_source(Box::new(stream), file.len(), sniffed, options);
        let stop = Arc::new(AtomicBool::new(false));
        let stop_seen = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("read-ahead".to_owned())
            .spawn(move || {
                crate::sys::run_when_idle();
                source.read_ahead(&stop_seen, max_bytes);
                source
            })
            .ok()?;
        Some(ReadAhead {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops reading ahead (after the chunk being cut) and gives the source, which
    /// hands out the chunks cut so far first; `None` if the thread panicked.
    pub(super) fn finish(mut self) -> Option<ChunkSource<'static>> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take()?.join().ok()
    }
}

impl Drop for ReadAhead {
    /// Not finished (the run failed before reading the file): the thread stops
    /// after its current chunk and frees what it read.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::csvio::encoding::Encoding;
    use crate::csvio::error::RowProblems;
    use crate::csvio::headers::{ColumnSpec, HeaderRules};
    use crate::csvio::parallel::{FileRead, RowParser, read_file, read_file_from};
    use crate::csvio::sniff::Forced;
    use crate::csvio::table::Row;

    /// Each row's line and text.
    struct Lines;

    impl RowParser for Lines {
        type Item = (u64, String);
        type Local = ();

        fn parse(&self, row: &Row<'_>, _: &mut RowProblems, _: &mut ()) -> Option<(u64, String)> {
            Some((row.line, row.raw_text()))
        }
    }

    const SPECS: [ColumnSpec; 1] = [ColumnSpec::required("a")];

    fn opened(dir: &tempfile::TempDir, bytes: &[u8]) -> (CsvFile, Sniffed) {
        let path = dir.path().join("x.csv");
        std::fs::write(&path, bytes).expect("write");
        let file = CsvFile::open(&path, "x.csv").expect("open");
        let rules = HeaderRules {
            specs: &SPECS,
            aliases: &[],
            overrides: Vec::new(),
            option_prefix: "x",
            one_of: &[],
        };
        let sniffed = file.sniff(Forced::default(), &rules).expect("sniff");
        (file, sniffed)
    }

    /// A header line `a` and `count` rows, each `row(i)` and a line end.
    fn file_text(header: &str, count: usize, row: impl Fn(usize) -> String) -> String {
        let mut text = format!("{header}\n");
        for i in 0..count {
            text.push_str(&row(i));
            text.push('\n');
        }
        text
    }

    fn chunks_of(bytes: usize) -> ReadOptions {
        ReadOptions {
            chunk_bytes: bytes,
            ..ReadOptions::default()
        }
    }

    fn rows(read: FileRead<(u64, String), ()>) -> (u64, String, Encoding, Vec<(u64, String)>) {
        let items = read.chunks.into_iter().flat_map(|c| c.items).collect();
        (read.rows, read.sha256, read.encoding, items)
    }

    /// Starts reading ahead and waits until the thread has read all it may.
    fn read_ahead_fully(
        file: &CsvFile,
        sniffed: &Sniffed,
        options: ReadOptions,
        max: usize,
    ) -> ReadAhead {
        let ahead = ReadAhead::start(file, sniffed, options, max).expect("reads ahead");
        let started = Instant::now();
        while !ahead.thread.as_ref().is_some_and(JoinHandle::is_finished) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the read-ahead never ends"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        ahead
    }

    fn two_workers() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool of two threads")
    }

    #[test]
    fn chunks_read_ahead_give_the_rows_lines_and_checksum_of_a_plain_read() {
        let text = file_text("\u{feff}a", 3_000, |i| format!("\"row {i}\""));
        let dir = tempfile::tempdir().expect("temp dir");
        let (file, sniffed) = opened(&dir, text.as_bytes());
        let options = chunks_of(1000);
        let pool = two_workers();
        let plain = pool.install(|| read_file(&file, &sniffed, false, options, &Lines));
        let plain = rows(plain.expect("reads"));
        assert_eq!(plain.0, 3_000);
        // Nothing, part of a chunk, several chunks, the whole file.
        for max in [0, 1, 5_000, 1 << 20] {
            let ahead = read_ahead_fully(&file, &sniffed, options, max);
            let read = pool
                .install(|| read_file_from(Some(ahead), &file, &sniffed, false, options, &Lines));
            assert_eq!(
                rows(read.expect("reads")),
                plain,
                "reading up to {max} bytes ahead"
            );
        }
    }

    /// The thread cuts chunks until it holds `max` bytes (a chunk may take it past),
    /// and none when `max` is 0. Chunks of 1,000 bytes end on a line end, so each
    /// holds 991 to 1,000 bytes here (lines are at most 9 bytes).
    #[test]
    fn the_thread_cuts_chunks_up_to_its_limit() {
        let text = file_text("a", 3_000, |i| format!("row {i}"));
        let dir = tempfile::tempdir().expect("temp dir");
        let (file, sniffed) = opened(&dir, text.as_bytes());
        let options = chunks_of(1000);
        for (max, chunks) in [(0, 0), (1, 1), (4_500, 5)] {
            let ahead = read_ahead_fully(&file, &sniffed, options, max);
            let source = ahead.finish().expect("the thread ends");
            assert_eq!(source.chunks_ahead(), chunks, "up to {max} bytes ahead");
        }
    }

    /// A byte that is not UTF-8 found while reading ahead, past the first MiB that
    /// sniffing looks at, makes the file read again as Windows-1252, as it does
    /// without reading ahead.
    #[test]
    fn a_file_found_not_utf8_ahead_is_read_again_as_windows_1252() {
        let mut bytes = file_text("a", 150_000, |i| format!("row {i}")).into_bytes();
        bytes.extend_from_slice(b"M\xfcller\n");
        let dir = tempfile::tempdir().expect("temp dir");
        let (file, sniffed) = opened(&dir, &bytes);
        let options = chunks_of(64 << 10);
        let pool = two_workers();
        let plain = rows(
            pool.install(|| read_file(&file, &sniffed, false, options, &Lines))
                .expect("reads"),
        );
        let ahead = read_ahead_fully(&file, &sniffed, options, 4 << 20);
        let read =
            pool.install(|| read_file_from(Some(ahead), &file, &sniffed, false, options, &Lines));
        let read = rows(read.expect("reads"));
        assert_eq!(read, plain);
        assert_eq!(read.2, Encoding::Windows1252);
        assert_eq!(read.3.last().map(|(_, text)| text.as_str()), Some("Müller"));
    }

    #[test]
    fn a_file_read_in_one_piece_is_not_read_ahead() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (file, sniffed) = opened(&dir, b"a\n1\n");
        let sequential = ReadOptions {
            parallel: false,
            ..ReadOptions::default()
        };
        assert!(ReadAhead::start(&file, &sniffed, sequential, 1 << 20).is_none());
    }
}
