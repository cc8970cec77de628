//! The serial stage of reading a file: blocks read and hashed, then cut into
//! chunks on record boundaries ([`QuoteScanner`]), each with its first line and
//! file offset.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

use super::chunks::{QuoteScanner, count_lines};
use super::spares::Spares;

/// How files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Target size of a chunk; a chunk always ends on a record boundary.
    pub chunk_bytes: usize,
    /// False: one chunk per file, parsed on the calling thread.
    pub parallel: bool,
    /// Rejected rows kept with their problems and text, per chunk and in all;
    /// the others are only counted (see [`Rejects`](super::rejects::Rejects)).
    pub rejected_rows_kept: usize,
}

impl Default for ReadOptions {
    /// 4 MiB chunks read in parallel; every rejected row kept.
    fn default() -> ReadOptions {
        ReadOptions {
            chunk_bytes: 4 << 20,
            parallel: true,
            rejected_rows_kept: usize::MAX,
        }
    }
}

/// A piece of the file that starts on a record boundary.
pub(super) struct Chunk {
    pub(super) bytes: Vec<u8>,
    /// Where records start (past the header in the first chunk).
    pub(super) start: usize,
    /// Line number of `bytes[start]`.
    pub(super) first_line: u64,
    /// Line number and file offset of `bytes[0]`, for encoding errors.
    pub(super) bytes_line: u64,
    pub(super) offset: usize,
}

/// Why a chunk could not be handed out.
pub(super) enum SourceError {
    Io(io::Error),
    /// A file read as UTF-8 is not.
    NotUtf8 {
        line: u64,
        offset: usize,
        byte: u8,
    },
}

/// The chunks of a source, numbered from 1, read by whichever worker asks next
/// (`par_bridge` lets one worker at a time call `next`). A read error ends the
/// chunks and is kept for the caller.
pub(super) struct Numbered<'s, 'f> {
    pub(super) source: &'s mut ChunkSource<'f>,
    pub(super) seq: usize,
    pub(super) error: Option<SourceError>,
}

impl Iterator for Numbered<'_, '_> {
    type Item = (usize, Chunk);

    fn next(&mut self) -> Option<(usize, Chunk)> {
        if self.error.is_some() {
            return None;
        }
        match self.source.next_chunk() {
            Ok(Some(chunk)) => {
                self.seq += 1;
                Some((self.seq, chunk))
            }
            Ok(None) => None,
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }
}

/// Reads a file block by block and hands out chunks cut on record boundaries.
pub(super) struct ChunkSource<'f> {
    handle: Box<dyn Read + Send + 'f>,
    /// Hashes the bytes read; `None` when they are decoded text whose file was
    /// hashed before (see `sha256`).
    hasher: Option<Sha256>,
    pub(super) sha256: Option<String>,
    /// The bytes read and not yet handed out are `buf[..filled]`; the rest of
    /// `buf` is memory that earlier reads initialized, read into again without
    /// zeroing it first (a `Read` that is not a `File` can only be given
    /// initialized memory, and zeroing every chunk cost as much as copying it).
    buf: Vec<u8>,
    filled: usize,
    scanner: QuoteScanner,
    pub(super) options: ReadOptions,
    /// Buffers of parsed chunks, to read the next chunks into.
    pub(super) spares: Option<Arc<Spares>>,
    eof: bool,
    started: bool,
    next_line: u64,
    /// Bytes of the file handed out in chunks so far.
    offset: usize,
    /// Chunks cut ahead of the parsing ([`read_ahead`](Self::read_ahead)), handed
    /// out first, then the error that stopped the reading ahead, if one did.
    ahead: VecDeque<Chunk>,
    failed: Option<SourceError>,
}

impl<'f> ChunkSource<'f> {
    pub(super) fn new(
        handle: Box<dyn Read + Send + 'f>,
        hasher: Option<Sha256>,
        delimiter: u8,
        options: ReadOptions,
    ) -> ChunkSource<'f> {
        ChunkSource {
            handle,
            hasher,
            sha256: None,
            buf: Vec::new(),
            filled: 0,
            scanner: QuoteScanner::new(delimiter),
            options,
            spares: None,
            eof: false,
            started: false,
            next_line: 1,
            offset: 0,
            ahead: VecDeque::new(),
            failed: None,
        }
    }

    /// Cuts chunks ahead, to be handed out later, until `max_bytes` are held or
    /// `stop` is set; an error is kept for the chunk after the ones cut.
    pub(super) fn read_ahead(&mut self, stop: &AtomicBool, max_bytes: usize) {
        let mut held = 0;
        while held < max_bytes && self.failed.is_none() && !stop.load(Ordering::Relaxed) {
            match self.cut_chunk() {
                Ok(Some(chunk)) => {
                    held += chunk.bytes.len();
                    self.ahead.push_back(chunk);
                }
                Ok(None) => break,
                Err(error) => self.failed = Some(error),
            }
        }
    }

    /// How many chunks are cut and waiting to be handed out.
    #[cfg(test)]
    pub(super) fn chunks_ahead(&self) -> usize {
        self.ahead.len()
    }

    pub(super) fn next_chunk(&mut self) -> Result<Option<Chunk>, SourceError> {
        if let Some(chunk) = self.ahead.pop_front() {
            return Ok(Some(chunk));
        }
        if let Some(error) = self.failed.take() {
            return Err(error);
        }
        self.cut_chunk()
    }

    fn cut_chunk(&mut self) -> Result<Option<Chunk>, SourceError> {
        // Read into the calling worker's own buffer, which is in its cache; the
        // bytes carried over from the last chunk (part of a line) move with it.
        if let Some(spares) = self.spares.as_deref()
            && let Some(mut own) = spares.take_own()
        {
            if own.len() < self.filled {
                own.resize(self.filled, 0);
            }
            own[..self.filled].copy_from_slice(&self.buf[..self.filled]);
            spares.share(std::mem::replace(&mut self.buf, own));
        }
        loop {
            let wanted = self.filled + self.options.chunk_bytes;
            self.fill(wanted).map_err(SourceError::Io)?;
            if !self.started {
                self.started = true;
                if self.buf[..self.filled].starts_with(b"\xEF\xBB\xBF") {
                    self.buf.copy_within(3..self.filled, 0);
                    self.filled -= 3;
                    self.offset = 3;
                }
            }
            let splittable = self.options.parallel && self.scanner.is_well_formed();
            let boundary = if splittable {
                self.scanner.scan(&self.buf[..self.filled], self.eof)
            } else {
                None
            };
            if let (Some(boundary), true) = (boundary, self.scanner.is_well_formed()) {
                let mut rest = self.spare_buffer();
                let tail = &self.buf[boundary..self.filled];
                if rest.len() < tail.len() {
                    rest.resize(tail.len(), 0);
                }
                rest[..tail.len()].copy_from_slice(tail);
                let rest_filled = tail.len();
                self.filled = boundary;
                self.scanner.cut(boundary);
                return Ok(Some(self.take(rest, rest_filled)));
            }
            if self.eof {
                if self.filled == 0 {
                    return Ok(None);
                }
                return Ok(Some(self.take(Vec::new(), 0)));
            }
        }
    }

    /// A buffer to read into, its bytes to be overwritten: a recycled one if a
    /// parsed chunk gave one back.
    fn spare_buffer(&mut self) -> Vec<u8> {
        match self.spares.as_deref().and_then(Spares::take_any) {
            Some(buffer) => buffer,
            None => Vec::with_capacity(self.options.chunk_bytes + (64 << 10)),
        }
    }

    /// Hands out the bytes read as a chunk, going on in `rest`, whose first
    /// `rest_filled` bytes are the next ones of the file.
    fn take(&mut self, rest: Vec<u8>, rest_filled: usize) -> Chunk {
        let mut bytes = std::mem::replace(&mut self.buf, rest);
        bytes.truncate(self.filled);
        self.filled = rest_filled;
        let (first_line, offset) = (self.next_line, self.offset);
        self.next_line += count_lines(&bytes);
        self.offset += bytes.len();
        Chunk {
            bytes,
            start: 0,
            first_line,
            bytes_line: first_line,
            offset,
        }
    }

    /// Reads until `wanted` bytes are read and not handed out, or the file ends.
    fn fill(&mut self, wanted: usize) -> io::Result<()> {
        if self.eof || self.filled >= wanted {
            return Ok(());
        }
        if self.buf.len() < wanted {
            // Only memory no read has initialized yet is zeroed.
            self.buf.resize(wanted, 0);
        }
        let start = self.filled;
        while self.filled < wanted {
            match self.handle.read(&mut self.buf[self.filled..wanted]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(read) => self.filled += read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&self.buf[start..self.filled]);
        }
        Ok(())
    }

    pub(super) fn digest(self) -> String {
        match (self.sha256, self.hasher) {
            (Some(sha256), _) => sha256,
            (None, Some(hasher)) => format!("{:x}", hasher.finalize()),
            (None, None) => String::new(),
        }
    }
}
