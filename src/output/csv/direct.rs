//! Appends a decision report to its file, past the page cache where Linux allows it.
//!
//! The reports are hundreds of megabytes that the run writes once and never reads.
//! Through the page cache, every byte is copied into freshly allocated kernel pages
//! that are written back later; on the project's machine a gigabyte written so and
//! synced takes 2.6 s, written with `O_DIRECT` 0.34 s (docs/performance.md). A
//! direct write goes from the program's buffer to the disk, but only in whole
//! blocks from an aligned buffer at an aligned offset: bytes are staged in aligned
//! buffers of one megabyte, and the last partial block is written padded with
//! zeros, the file then cut back to its length. A direct write returns only once
//! the disk has the bytes, so a thread of the appender's own makes the writes
//! while the next buffer is filled.
//!
//! Where the file system refuses `O_DIRECT` (tmpfs, some network file systems), the
//! appender writes the ordinary way, asking the kernel to start writeback as the
//! file grows; where it takes the flag but refuses a write, the writes go on
//! without the flag from the byte the file had reached.

use std::fs::File;
use std::io::{self, Seek, Write};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use crate::sys;

/// Alignment and size unit of direct writes: the largest logical block size in use.
const BLOCK: usize = 4096;

/// Bytes staged before a direct write.
const STAGED_BYTES: usize = 1 << 20;

/// Dirty bytes after which an ordinary writer starts writeback.
const WRITEBACK_BYTES: u64 = 8 << 20;

/// Appends to one file; [`Appender::finish`] must be called after the last append.
pub struct Appender {
    mode: Mode,
    /// Bytes appended so far: the file's length once finished.
    len: u64,
}

enum Mode {
    Direct(Staging),
    Buffered {
        /// Bytes whose writeback has been started.
        synced: u64,
    },
}

/// A buffer whose first byte lies on a block boundary (`start` bytes in).
struct Aligned {
    buffer: Vec<u8>,
    start: usize,
}

impl Aligned {
    /// `skew` bytes past alignment (0 but in a test of refused writes).
    fn new(skew: usize) -> Option<Aligned> {
        let mut buffer = vec![0u8; STAGED_BYTES + 2 * BLOCK];
        let start = buffer.as_mut_ptr().align_offset(BLOCK);
        (start < BLOCK).then_some(Aligned {
            buffer,
            start: start + skew,
        })
    }

    fn bytes(&self, len: usize) -> &[u8] {
        &self.buffer[self.start..self.start + len]
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.buffer[self.start..self.start + STAGED_BYTES]
    }
}

/// The staging side of a direct appender.
struct Staging {
    current: Aligned,
    /// Bytes staged in `current`.
    staged: usize,
    /// The other buffer, when the writer thread is not writing it.
    spare: Option<Aligned>,
    writer: Writer,
}

/// The thread that makes one file's direct writes, in order, and hands each buffer
/// back once written.
struct Writer {
    jobs: Option<SyncSender<(Aligned, usize)>>,
    written: Receiver<Aligned>,
    thread: Option<JoinHandle<io::Result<bool>>>,
}

impl Appender {
    /// An appender of `file` (empty, at offset 0) writing directly if it can.
    pub fn new(file: &File) -> Appender {
        Appender::with_skew(file, 0)
    }

    fn with_skew(file: &File, skew: usize) -> Appender {
        let mode = match (Aligned::new(skew), Aligned::new(skew)) {
            (Some(current), Some(spare)) if sys::set_direct(file, true) => {
                match Writer::start(file) {
                    Some(writer) => Mode::Direct(Staging {
                        current,
                        staged: 0,
                        spare: Some(spare),
                        writer,
                    }),
                    None => {
                        sys::set_direct(file, false);
                        Mode::Buffered { synced: 0 }
                    }
                }
            }
            _ => Mode::Buffered { synced: 0 },
        };
        Appender { mode, len: 0 }
    }

    /// A direct appender whose buffers are one byte off alignment, so that the
    /// file system refuses its writes (to test the fall-back).
    #[cfg(test)]
    fn misaligned(file: &File) -> Appender {
        Appender::with_skew(file, 1)
    }

    /// An appender that writes through the page cache.
    #[cfg(test)]
    pub fn buffered() -> Appender {
        Appender {
            mode: Mode::Buffered { synced: 0 },
            len: 0,
        }
    }

    #[cfg(test)]
    pub fn is_direct(&self) -> bool {
        matches!(self.mode, Mode::Direct(_))
    }

    pub fn append(&mut self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        let len = self.len + bytes.len() as u64;
        match &mut self.mode {
            Mode::Direct(staging) => {
                let mut rest = bytes;
                while !rest.is_empty() {
                    let taken = staging.stage(rest);
                    rest = &rest[taken..];
                    if staging.staged == STAGED_BYTES {
                        staging.ship(STAGED_BYTES)?;
                    }
                }
            }
            Mode::Buffered { synced } => {
                file.write_all(bytes)?;
                if len - *synced >= WRITEBACK_BYTES {
                    sys::start_writeback(file, *synced, len - *synced);
                    *synced = len;
                }
            }
        }
        self.len = len;
        Ok(())
    }

    /// Writes what is still staged and waits for the writes; the file then holds
    /// every byte appended. Returns whether a direct write was refused (and the
    /// rest written the ordinary way).
    pub fn finish(&mut self, file: &mut File) -> io::Result<bool> {
        let Mode::Direct(staging) = &mut self.mode else {
            return Ok(false);
        };
        if staging.staged > 0 {
            let padded = staging.staged.div_ceil(BLOCK) * BLOCK;
            let staged = staging.staged;
            staging.current.bytes_mut()[staged..padded].fill(0);
            staging.ship(padded)?;
        }
        let fell_back = staging.writer.stop()?;
        // The padded block reaches past the last byte.
        file.set_len(self.len)?;
        Ok(fell_back)
    }
}

impl Staging {
    /// Copies as much of `bytes` as there is room for; returns how much.
    fn stage(&mut self, bytes: &[u8]) -> usize {
        let taken = bytes.len().min(STAGED_BYTES - self.staged);
        let at = self.staged;
        self.current.bytes_mut()[at..at + taken].copy_from_slice(&bytes[..taken]);
        self.staged += taken;
        taken
    }

    /// Hands the first `len` bytes of the current buffer (whole blocks) to the
    /// writer thread and goes on in the other buffer, once that one is written.
    fn ship(&mut self, len: usize) -> io::Result<()> {
        let next = match self.spare.take() {
            Some(spare) => spare,
            None => match self.writer.written.recv() {
                Ok(buffer) => buffer,
                // The thread stopped: it failed, and says why when joined.
                Err(_) => return Err(self.writer.failure()),
            },
        };
        let full = std::mem::replace(&mut self.current, next);
        self.staged = 0;
        let sent = self.writer.jobs.as_ref().map(|jobs| jobs.send((full, len)));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(self.writer.failure()),
        }
    }
}

impl Writer {
    /// Starts the thread, writing through a second handle of `file`'s open file
    /// (same offset, same flags); `None` if it cannot start.
    fn start(file: &File) -> Option<Writer> {
        let file = file.try_clone().ok()?;
        let (jobs, queued) = sync_channel(1);
        let (done, written) = channel();
        let thread = std::thread::Builder::new()
            .name("report-direct-io".to_owned())
            .spawn(move || write_blocks(file, queued, done))
            .ok()?;
        Some(Writer {
            jobs: Some(jobs),
            written,
            thread: Some(thread),
        })
    }

    /// Waits for the writes queued so far; whether a direct write was refused.
    fn stop(&mut self) -> io::Result<bool> {
        self.jobs = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) | None => Err(io::Error::other("the report write thread stopped")),
        }
    }

    /// The error that stopped the thread.
    fn failure(&mut self) -> io::Error {
        match self.stop() {
            Err(error) => error,
            Ok(_) => io::Error::other("the report write thread stopped"),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // No write may outlive the appender (its file is removed on failure).
        let _ = self.stop();
    }
}

/// The writer thread: writes each buffer's first bytes in order and hands the
/// buffer back. A write the file system refuses turns `O_DIRECT` off, and the
/// bytes not yet in the file are written again the ordinary way.
fn write_blocks(
    mut file: File,
    queued: Receiver<(Aligned, usize)>,
    done: Sender<Aligned>,
) -> io::Result<bool> {
    let mut fell_back = false;
    let mut written = 0u64;
    for (buffer, len) in queued {
        let bytes = buffer.bytes(len);
        match file.write_all(bytes) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::InvalidInput && !fell_back => {
                fell_back = true;
                sys::set_direct(&file, false);
                let reached = file.stream_position()?;
                let done_bytes = usize::try_from(reached.saturating_sub(written))
                    .unwrap_or(usize::MAX)
                    .min(len);
                file.write_all(&bytes[done_bytes..])?;
            }
            Err(error) => return Err(error),
        }
        written += len as u64;
        // The appender is gone once it has shipped its last buffer.
        let _ = done.send(buffer);
    }
    Ok(fell_back)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Appends `pieces` (each `len` bytes of its own letter) and reads the file back;
    /// also whether the appender wrote directly and whether it had to fall back.
    fn round_trip(direct: bool, pieces: &[usize]) -> (Vec<u8>, Vec<u8>, [bool; 2]) {
        round_trip_with(
            if direct {
                Appender::new
            } else {
                |_: &File| Appender::buffered()
            },
            pieces,
        )
    }

    fn round_trip_with(
        appender: fn(&File) -> Appender,
        pieces: &[usize],
    ) -> (Vec<u8>, Vec<u8>, [bool; 2]) {
        let mut file = tempfile::tempfile_in(std::env::temp_dir()).expect("temp file");
        let mut appender = appender(&file);
        let was_direct = appender.is_direct();
        let mut expected = Vec::new();
        for (i, &len) in pieces.iter().enumerate() {
            let piece = vec![b'a' + (i % 26) as u8; len];
            appender.append(&mut file, &piece).expect("append");
            expected.extend_from_slice(&piece);
        }
        let fell_back = appender.finish(&mut file).expect("finish");
        sys::set_direct(&file, false);
        let mut read = Vec::new();
        file.rewind().expect("rewind");
        std::io::Read::read_to_end(&mut file, &mut read).expect("read back");
        (read, expected, [was_direct, fell_back])
    }

    #[test]
    fn staged_blocks_and_the_padded_tail_make_the_exact_file() {
        for pieces in [
            vec![],
            vec![1],
            vec![BLOCK],
            vec![BLOCK - 1, 2],
            vec![STAGED_BYTES, 1],
            vec![STAGED_BYTES + BLOCK + 3, 5000, 0, STAGED_BYTES - 7],
        ] {
            for direct in [true, false] {
                let (read, expected, [_, fell_back]) = round_trip(direct, &pieces);
                assert!(!fell_back, "{pieces:?}: no write was refused");
                assert_eq!(read.len(), expected.len(), "{pieces:?} direct {direct}");
                assert!(read == expected, "{pieces:?} direct {direct}");
            }
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn writes_directly_where_the_file_system_allows() {
        let file = tempfile::tempfile_in(std::env::temp_dir()).expect("temp file");
        // The test's own temporary folder may be tmpfs, which refuses O_DIRECT.
        let direct = sys::set_direct(&file, true);
        assert_eq!(Appender::new(&file).is_direct(), direct);
    }

    #[test]
    fn a_refused_direct_write_falls_back_to_ordinary_writes() {
        for pieces in [vec![10], vec![STAGED_BYTES + 5, 7]] {
            let (read, expected, [direct, fell_back]) =
                round_trip_with(Appender::misaligned, &pieces);
            assert!(read == expected, "{pieces:?}");
            assert_eq!(fell_back, direct, "{pieces:?}: a direct appender fell back");
        }
    }

    proptest! {
        #[test]
        fn any_pieces_round_trip(pieces in proptest::collection::vec(0usize..20_000, 0..12)) {
            let (read, expected, _) = round_trip(true, &pieces);
            prop_assert!(read == expected);
        }
    }
}
