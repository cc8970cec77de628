//! Appends a decision report to its file, past the page cache where Linux allows it.
//!
//! The reports are hundreds of megabytes that the run writes once and never reads.
//! Through the page cache, every byte is copied into freshly allocated kernel pages
//! that are written back later; on the project's machine a gigabyte written so and
//! synced takes 2.6 s, written with `O_DIRECT` 0.34 s (README, Performance). A
//! direct write goes from the program's buffer to the disk, but only in whole
//! blocks from an aligned buffer at an aligned offset: bytes are staged in an
//! aligned buffer and written four megabytes at a time, and the last partial block is
//! written padded with zeros, the file then cut back to its length.
//!
//! Where the file system refuses `O_DIRECT` (tmpfs, some network file systems), or
//! refuses a direct write, the appender goes on with ordinary writes from the
//! byte it had reached, asking the kernel to start writeback as the file grows.

use std::fs::File;
use std::io::{self, Seek, Write};

/// Alignment and size unit of direct writes: the largest logical block size in use.
const BLOCK: usize = 4096;

/// Bytes staged before a direct write.
const STAGED_BYTES: usize = 4 << 20;

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

/// The aligned buffer of a direct appender.
struct Staging {
    buffer: Vec<u8>,
    /// Where the aligned part of `buffer` starts.
    start: usize,
    /// Bytes staged, from `start`.
    staged: usize,
    /// Bytes written to the file so far (whole blocks).
    flushed: u64,
}

impl Appender {
    /// An appender of `file` (empty, at offset 0) writing directly if it can.
    pub fn new(file: &File) -> Appender {
        let mut buffer = vec![0u8; STAGED_BYTES + 2 * BLOCK];
        let start = buffer.as_mut_ptr().align_offset(BLOCK);
        let mode = if start < BLOCK && set_direct(file, true) {
            Mode::Direct(Staging {
                buffer,
                start,
                staged: 0,
                flushed: 0,
            })
        } else {
            Mode::Buffered { synced: 0 }
        };
        Appender { mode, len: 0 }
    }

    /// A direct appender whose buffer is one byte off alignment, so that the
    /// file system refuses its writes (to test the fall-back).
    #[cfg(test)]
    fn misaligned(file: &File) -> Appender {
        let mut appender = Appender::new(file);
        if let Mode::Direct(staging) = &mut appender.mode {
            staging.start += 1;
        }
        appender
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
        let mut rest = bytes;
        while let Mode::Direct(staging) = &mut self.mode {
            if rest.is_empty() {
                break;
            }
            let taken = staging.stage(rest);
            rest = &rest[taken..];
            if staging.staged == STAGED_BYTES {
                self.write_staged(file, false)?;
            }
        }
        let len = self.len + bytes.len() as u64;
        // Also the bytes left over by an appender that has just fallen back.
        if let Mode::Buffered { synced } = &mut self.mode {
            file.write_all(rest)?;
            if len - *synced >= WRITEBACK_BYTES {
                start_writeback(file, *synced, len - *synced);
                *synced = len;
            }
        }
        self.len = len;
        Ok(())
    }

    /// Writes what is still staged; the file then holds every byte appended.
    pub fn finish(&mut self, file: &mut File) -> io::Result<()> {
        if let Mode::Direct(staging) = &self.mode {
            if staging.staged > 0 {
                self.write_staged(file, true)?;
            }
            // The padded block (or a direct write cut short) may reach past the end.
            file.set_len(self.len)?;
        }
        Ok(())
    }

    /// Writes the whole blocks staged (with `last`, every staged byte, padded to a
    /// block) and keeps the rest staged. A refused direct write turns the appender
    /// into an ordinary one, which writes the bytes not yet in the file.
    fn write_staged(&mut self, file: &mut File, last: bool) -> io::Result<()> {
        let Mode::Direct(staging) = &mut self.mode else {
            return Ok(());
        };
        let whole = if last {
            staging.staged.div_ceil(BLOCK) * BLOCK
        } else {
            staging.staged - staging.staged % BLOCK
        };
        let region = staging.start..staging.start + whole;
        if last {
            staging.buffer[staging.start + staging.staged..region.end].fill(0);
        }
        match file.write_all(&staging.buffer[region]) {
            Ok(()) => {
                staging.flushed += whole as u64;
                let kept = staging.staged.saturating_sub(whole);
                let from = staging.start + whole;
                staging.buffer.copy_within(from..from + kept, staging.start);
                staging.staged = kept;
                Ok(())
            }
            Err(error) if error.kind() == io::ErrorKind::InvalidInput => {
                // The file system took the flag but not the write: go on without it,
                // from the byte the file has reached.
                set_direct(file, false);
                let reached = file.stream_position()?;
                let done = usize::try_from(reached.saturating_sub(staging.flushed))
                    .unwrap_or(usize::MAX)
                    .min(staging.staged);
                let pending = staging.start + done..staging.start + staging.staged;
                file.write_all(&staging.buffer[pending])?;
                self.mode = Mode::Buffered { synced: reached };
                Ok(())
            }
            Err(error) => Err(error),
        }
    }
}

impl Staging {
    /// Copies as much of `bytes` as there is room for; returns how much.
    fn stage(&mut self, bytes: &[u8]) -> usize {
        let taken = bytes.len().min(STAGED_BYTES - self.staged);
        let at = self.start + self.staged;
        self.buffer[at..at + taken].copy_from_slice(&bytes[..taken]);
        self.staged += taken;
        taken
    }
}

/// Turns `O_DIRECT` on or off for `file`; false where that is refused or unknown.
fn set_direct(file: &File, on: bool) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: fcntl with F_GETFL/F_SETFL takes no pointers; `file` keeps the
        // descriptor open for the duration of the calls.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags < 0 {
                return false;
            }
            let flags = if on {
                flags | libc::O_DIRECT
            } else {
                flags & !libc::O_DIRECT
            };
            libc::fcntl(fd, libc::F_SETFL, flags) == 0
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (file, on);
        false
    }
}

/// Asks the kernel to start writing `len` bytes of `file` from `offset` to disk,
/// without waiting for it. Only a hint: where it is unavailable, fsync does it all.
fn start_writeback(file: &File, offset: u64, len: u64) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
            return;
        };
        // SAFETY: sync_file_range takes no pointers; `file` keeps the descriptor open.
        unsafe {
            libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, offset, len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Appends `pieces` (each `len` bytes of its own letter) and reads the file back.
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
        appender.finish(&mut file).expect("finish");
        let direct_after = appender.is_direct();
        set_direct(&file, false);
        let mut read = Vec::new();
        file.rewind().expect("rewind");
        std::io::Read::read_to_end(&mut file, &mut read).expect("read back");
        (read, expected, [was_direct, direct_after])
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
                let (read, expected, [before, after]) = round_trip(direct, &pieces);
                assert_eq!(before, after, "{pieces:?}: no write was refused");
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
        let direct = set_direct(&file, true);
        assert_eq!(Appender::new(&file).is_direct(), direct);
    }

    #[test]
    fn a_refused_direct_write_falls_back_to_ordinary_writes() {
        for pieces in [vec![10], vec![STAGED_BYTES + 5, 7]] {
            let (read, expected, [before, after]) = round_trip_with(Appender::misaligned, &pieces);
            assert!(read == expected, "{pieces:?}");
            assert!(!after, "{pieces:?}: fell back (direct at first: {before})");
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
