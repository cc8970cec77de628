//! Reads one input file as a stream of chunks parsed in parallel.
//!
//! The rayon workers take turns at the file: one at a time reads the next block,
//! hashes it and cuts the stream into a chunk on a record boundary
//! ([`QuoteScanner`]), then checks that its chunk is UTF-8 and parses it with a
//! [`RowParser`] while the next worker reads. The reading is the one serial stage
//! and costs less than the parsing, so the workers seldom wait for each other. (A
//! reader thread of its own was slower: the scheduler did not always run it while a
//! core was free, and the workers went idle waiting for it.) Chunks carry their
//! sequence number, first line and file offset, so the result is in file order with
//! exact line numbers (and encoding errors exact places) whatever the thread count.
//! At most one chunk per worker is in flight, so a file is never held whole in
//! memory. The sequential mode reads the file as one chunk on the calling thread;
//! both modes run the same parser on the same records.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use rayon::iter::{ParallelBridge, ParallelIterator};
use sha2::{Digest, Sha256};

use super::chunks::{QuoteScanner, count_lines};
use super::encoding::{self, Encoding};
use super::error::{CsvError, RejectedRow, RowProblems};
use super::records::{Record, RecordReader};
use super::sniff::Sniffed;
use super::table::{Header, Row};

/// How files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Target size of a chunk; a chunk always ends on a record boundary.
    pub chunk_bytes: usize,
    /// False: one chunk per file, parsed on the calling thread.
    pub parallel: bool,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            chunk_bytes: 4 << 20,
            parallel: true,
        }
    }
}

/// The smallest chunk a file is cut into for its size alone.
const MIN_CHUNK_BYTES: usize = 256 << 10;

/// Parses the rows of one kind of file; shared by all chunks (hence `Sync`),
/// with per-chunk state in `Local`.
pub trait RowParser: Sync {
    type Item: Send;
    type Local: Default + Send;

    /// The row's value, or `None` after noting its problems in `problems`.
    fn parse(
        &self,
        row: &Row<'_>,
        problems: &mut RowProblems,
        local: &mut Self::Local,
    ) -> Option<Self::Item>;
}

/// What one chunk gave.
#[derive(Debug)]
pub struct ChunkOutput<I, L> {
    pub items: Vec<I>,
    pub rejected: Vec<RejectedRow>,
    pub local: L,
    pub rows: u64,
}

/// What a whole file gave, chunks in file order.
#[derive(Debug)]
pub struct FileRead<I, L> {
    pub chunks: Vec<ChunkOutput<I, L>>,
    pub rows: u64,
    pub sha256: String,
    /// The encoding the rows were read in (Windows-1252 when a file first taken
    /// for UTF-8 turned out not to be).
    pub encoding: Encoding,
}

/// A piece of the file that starts on a record boundary.
struct Chunk {
    bytes: Vec<u8>,
    /// Where records start (past the header in the first chunk).
    start: usize,
    /// Line number of `bytes[start]`.
    first_line: u64,
    /// Line number and file offset of `bytes[0]`, for encoding errors.
    bytes_line: u64,
    offset: usize,
}

/// Why a chunk could not be handed out.
enum SourceError {
    Io(io::Error),
    /// A file read as UTF-8 is not.
    NotUtf8 {
        line: u64,
        offset: usize,
        byte: u8,
    },
}

/// Reads `path`, laid out as `sniffed` found, and parses every data row with
/// `parser`. `encoding_forced` says the user chose the encoding: then bytes that
/// are not UTF-8 in a UTF-8 file are an error rather than a reason to read the
/// file again as Windows-1252.
pub fn read_file<P: RowParser>(
    path: &Path,
    file: &str,
    sniffed: &Sniffed,
    encoding_forced: bool,
    options: ReadOptions,
    parser: &P,
) -> Result<FileRead<P::Item, P::Local>, CsvError> {
    let unreadable = |source: io::Error| CsvError::Open {
        file: file.to_owned(),
        source,
    };
    let source = if sniffed.streams() {
        let handle = File::open(path).map_err(unreadable)?;
        // A small file is cut finer, so that its few chunks still keep every core busy.
        let size = handle.metadata().map_or(u64::MAX, |m| m.len());
        let options = ReadOptions {
            chunk_bytes: options.chunk_bytes.min(
                usize::try_from(size / 16)
                    .unwrap_or(usize::MAX)
                    .max(MIN_CHUNK_BYTES),
            ),
            ..options
        };
        ChunkSource::new(
            Box::new(handle),
            Some(Sha256::new()),
            sniffed.delimiter,
            options,
        )
    } else {
        let bytes = std::fs::read(path).map_err(unreadable)?;
        let sha256 = format!("{:x}", Sha256::digest(&bytes));
        let (text, _) = encoding::decode(&bytes, Some(sniffed.encoding)).map_err(|error| {
            CsvError::Encoding {
                file: file.to_owned(),
                error,
            }
        })?;
        let text = text.into_owned();
        drop(bytes);
        let mut source = ChunkSource::new(
            Box::new(io::Cursor::new(text)),
            None,
            sniffed.delimiter,
            options,
        );
        source.sha256 = Some(sha256);
        source
    };
    match read_chunks(source, file, sniffed, parser) {
        Ok(read) => Ok(read),
        Err(SourceError::Io(source)) => Err(unreadable(source)),
        // Only a file without a byte-order mark may turn out to be Windows-1252.
        Err(SourceError::NotUtf8 { line, offset, byte })
            if encoding_forced || sniffed.encoding != Encoding::Utf8 =>
        {
            Err(CsvError::Encoding {
                file: file.to_owned(),
                error: encoding::DecodeError::InvalidUtf8 { line, offset, byte },
            })
        }
        Err(SourceError::NotUtf8 { .. }) => {
            let windows = Sniffed {
                encoding: Encoding::Windows1252,
                ..sniffed.clone()
            };
            read_file(path, file, &windows, true, options, parser)
        }
    }
}

fn read_chunks<P: RowParser>(
    mut source: ChunkSource,
    file: &str,
    sniffed: &Sniffed,
    parser: &P,
) -> Result<FileRead<P::Item, P::Local>, SourceError> {
    let Some(mut first) = source.next_chunk()? else {
        return Ok(FileRead {
            chunks: Vec::new(),
            rows: 0,
            sha256: source.digest(),
            encoding: sniffed.encoding,
        });
    };
    skip_header(&mut first, sniffed.delimiter);
    let header = &sniffed.header;
    // Parsed chunks hand their buffers back to the source: fresh 4 MiB buffers would
    // each be page-faulted and zeroed by the kernel again.
    let (recycle, recycled) = std::sync::mpsc::channel::<Vec<u8>>();
    source.recycled = Some(recycled);
    let parse = |(seq, chunk): (usize, Chunk)| {
        let output = parse_chunk(parser, header, sniffed.delimiter, file, &chunk);
        let _ = recycle.send(chunk.bytes);
        (seq, output)
    };

    type Outputs<I, L> = Vec<(usize, Result<ChunkOutput<I, L>, SourceError>)>;
    let (mut outputs, sha256): (Outputs<P::Item, P::Local>, String) = if source.options.parallel {
        let mut numbered = Numbered {
            source: &mut source,
            seq: 0,
            error: None,
        };
        let outputs = std::iter::once((0, first))
            .chain(&mut numbered)
            .par_bridge()
            .map(parse)
            .collect();
        if let Some(error) = numbered.error {
            return Err(error);
        }
        (outputs, source.digest())
    } else {
        // The source does not cut in sequential mode: the first chunk is the whole file.
        (vec![parse((0, first))], source.digest())
    };
    outputs.sort_unstable_by_key(|(seq, _)| *seq);
    // The first chunk that is not UTF-8 names the place.
    let chunks = outputs
        .into_iter()
        .map(|(_, output)| output)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(FileRead {
        rows: chunks.iter().map(|c| c.rows).sum(),
        chunks,
        sha256,
        encoding: sniffed.encoding,
    })
}

/// The chunks of a source, numbered from 1, read by whichever worker asks next
/// (`par_bridge` lets one worker at a time call `next`). A read error ends the
/// chunks and is kept for the caller.
struct Numbered<'s> {
    source: &'s mut ChunkSource,
    seq: usize,
    error: Option<SourceError>,
}

impl Iterator for Numbered<'_> {
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

/// Moves the first chunk's start past the header record.
fn skip_header(first: &mut Chunk, delimiter: u8) {
    let mut reader = RecordReader::new(&first.bytes, 1, delimiter);
    let mut record = Record::default();
    reader.read(&mut record);
    first.start = reader.position();
    first.first_line = reader.line();
}

fn parse_chunk<P: RowParser>(
    parser: &P,
    header: &Header,
    delimiter: u8,
    file: &str,
    chunk: &Chunk,
) -> Result<ChunkOutput<P::Item, P::Local>, SourceError> {
    // Chunks end after a line feed, so no character is cut in two; once the chunk
    // is known to be text, its plain fields need no check of their own.
    let text = std::str::from_utf8(&chunk.bytes).map_err(|error| {
        let valid = error.valid_up_to();
        SourceError::NotUtf8 {
            line: chunk.bytes_line + count_lines(&chunk.bytes[..valid]),
            offset: chunk.offset + valid,
            byte: chunk.bytes[valid],
        }
    })?;
    let input = text.get(chunk.start..).unwrap_or_default();
    let mut reader = RecordReader::from_text(input, chunk.first_line, delimiter);
    let mut record = Record::default();
    let mut output = ChunkOutput {
        // Rows are rarely shorter than this; sizing up front avoids regrowing large vectors.
        items: Vec::with_capacity(input.len() / 48),
        rejected: Vec::new(),
        local: P::Local::default(),
        rows: 0,
    };
    while reader.read(&mut record) {
        if record.is_blank() {
            continue;
        }
        output.rows += 1;
        let row = Row::new(&record, &input.as_bytes()[record.span.clone()], header);
        let mut problems = RowProblems::default();
        if let Some(problem) = row.shape_problem() {
            problems.push(problem);
        }
        match parser.parse(&row, &mut problems, &mut output.local) {
            Some(item) if problems.is_empty() => output.items.push(item),
            _ => output.rejected.push(RejectedRow {
                file: file.to_owned(),
                line: row.line,
                problems: problems.into_vec(),
                record: row.raw_text(),
            }),
        }
    }
    Ok(output)
}

/// Reads a file block by block and hands out chunks cut on record boundaries.
struct ChunkSource {
    handle: Box<dyn Read + Send>,
    /// Hashes the bytes read; `None` when they are decoded text whose file was
    /// hashed before (see `sha256`).
    hasher: Option<Sha256>,
    sha256: Option<String>,
    buf: Vec<u8>,
    scanner: QuoteScanner,
    options: ReadOptions,
    /// Buffers of parsed chunks, to read the next chunks into.
    recycled: Option<std::sync::mpsc::Receiver<Vec<u8>>>,
    eof: bool,
    started: bool,
    next_line: u64,
    /// Bytes of the file handed out in chunks so far.
    offset: usize,
}

impl ChunkSource {
    fn new(
        handle: Box<dyn Read + Send>,
        hasher: Option<Sha256>,
        delimiter: u8,
        options: ReadOptions,
    ) -> ChunkSource {
        ChunkSource {
            handle,
            hasher,
            sha256: None,
            buf: Vec::new(),
            scanner: QuoteScanner::new(delimiter),
            options,
            recycled: None,
            eof: false,
            started: false,
            next_line: 1,
            offset: 0,
        }
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>, SourceError> {
        loop {
            let wanted = self.buf.len() + self.options.chunk_bytes;
            self.fill(wanted).map_err(SourceError::Io)?;
            if !self.started {
                self.started = true;
                if self.buf.starts_with(b"\xEF\xBB\xBF") {
                    self.buf.drain(..3);
                    self.offset = 3;
                }
            }
            let splittable = self.options.parallel && self.scanner.is_well_formed();
            let boundary = if splittable {
                self.scanner.scan(&self.buf, self.eof)
            } else {
                None
            };
            if let (Some(boundary), true) = (boundary, self.scanner.is_well_formed()) {
                let mut rest = self.spare_buffer();
                rest.extend_from_slice(&self.buf[boundary..]);
                self.buf.truncate(boundary);
                self.scanner.cut(boundary);
                return Ok(Some(self.take(rest)));
            }
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(self.take(Vec::new())));
            }
        }
    }

    /// An empty buffer: a recycled one if a parsed chunk gave one back.
    fn spare_buffer(&mut self) -> Vec<u8> {
        match self.recycled.as_ref().and_then(|r| r.try_recv().ok()) {
            Some(mut buffer) => {
                buffer.clear();
                buffer
            }
            None => Vec::with_capacity(self.options.chunk_bytes + (64 << 10)),
        }
    }

    /// Hands out the buffer as a chunk, keeping `rest` as the new buffer.
    fn take(&mut self, rest: Vec<u8>) -> Chunk {
        let bytes = std::mem::replace(&mut self.buf, rest);
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

    /// Reads until the buffer holds `wanted` bytes or the file ends.
    fn fill(&mut self, wanted: usize) -> io::Result<()> {
        if self.eof || self.buf.len() >= wanted {
            return Ok(());
        }
        let start = self.buf.len();
        let missing = (wanted - start) as u64;
        self.buf.reserve_exact(wanted - start);
        // `read_to_end` reads into spare capacity without zeroing it first.
        let read = (&mut self.handle)
            .take(missing)
            .read_to_end(&mut self.buf)?;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&self.buf[start..]);
        }
        if (read as u64) < missing {
            self.eof = true;
        }
        Ok(())
    }

    fn digest(self) -> String {
        match (self.sha256, self.hasher) {
            (Some(sha256), _) => sha256,
            (None, Some(hasher)) => format!("{:x}", hasher.finalize()),
            (None, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests;
