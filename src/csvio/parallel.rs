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

use std::io;
use std::sync::Arc;

use rayon::iter::{ParallelBridge, ParallelIterator};
use sha2::{Digest, Sha256};

use super::ahead::ReadAhead;
use super::chunks::count_lines;
use super::encoding::{self, Encoding};
use super::error::{CsvError, RejectedRow, RowProblems};
use super::file::CsvFile;
use super::records::{Record, RecordReader};
use super::rejects::Rejects;
use super::sniff::Sniffed;
use super::source::{Chunk, ChunkSource, Numbered, SourceError};
use super::spares::Spares;
use super::table::{Header, Row};

pub use super::source::ReadOptions;

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
    pub rejected: Rejects,
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

/// Reads `file`, laid out as `sniffed` found, and parses every data row with
/// `parser`. `encoding_forced` says the user chose the encoding: then bytes that
/// are not UTF-8 in a UTF-8 file are an error rather than a reason to read the
/// file again as Windows-1252.
pub fn read_file<P: RowParser>(
    file: &CsvFile,
    sniffed: &Sniffed,
    encoding_forced: bool,
    options: ReadOptions,
    parser: &P,
) -> Result<FileRead<P::Item, P::Local>, CsvError> {
    read_file_from(None, file, sniffed, encoding_forced, options, parser)
}

/// [`read_file`], going on from the chunks that `ahead`, started on the same
/// file with the same layout and options, has read.
pub fn read_file_from<P: RowParser>(
    ahead: Option<ReadAhead>,
    file: &CsvFile,
    sniffed: &Sniffed,
    encoding_forced: bool,
    options: ReadOptions,
    parser: &P,
) -> Result<FileRead<P::Item, P::Local>, CsvError> {
    let name = file.name();
    let source = if let Some(source) = ahead.and_then(ReadAhead::finish) {
        source
    } else if sniffed.streams() {
        streaming_source(Box::new(file.stream()), file.len(), sniffed, options)
    } else {
        let bytes = file.read_all()?;
        let sha256 = format!("{:x}", Sha256::digest(&bytes));
        let (text, _) = encoding::decode(&bytes, Some(sniffed.encoding)).map_err(|error| {
            CsvError::Encoding {
                file: name.to_owned(),
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
    match read_chunks(source, name, sniffed, parser) {
        Ok(read) => Ok(read),
        Err(SourceError::Io(source)) => Err(file.unreadable(source)),
        // Only a file without a byte-order mark may turn out to be Windows-1252.
        Err(SourceError::NotUtf8 { line, offset, byte })
            if encoding_forced || sniffed.encoding != Encoding::Utf8 =>
        {
            Err(CsvError::Encoding {
                file: name.to_owned(),
                error: encoding::DecodeError::InvalidUtf8 { line, offset, byte },
            })
        }
        Err(SourceError::NotUtf8 { .. }) => {
            let windows = Sniffed {
                encoding: Encoding::Windows1252,
                ..sniffed.clone()
            };
            read_file(file, &windows, true, options, parser)
        }
    }
}

/// The source of a file read as it streams in, hashed as it is read.
pub(super) fn streaming_source<'f>(
    stream: Box<dyn io::Read + Send + 'f>,
    len: u64,
    sniffed: &Sniffed,
    options: ReadOptions,
) -> ChunkSource<'f> {
    // A small file is cut finer, so that its few chunks still keep every core busy.
    let options = ReadOptions {
        chunk_bytes: options.chunk_bytes.min(
            usize::try_from(len / 16)
                .unwrap_or(usize::MAX)
                .max(MIN_CHUNK_BYTES),
        ),
        ..options
    };
    ChunkSource::new(stream, Some(Sha256::new()), sniffed.delimiter, options)
}

fn read_chunks<P: RowParser>(
    mut source: ChunkSource<'_>,
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
    // Parsed chunks hand their buffers back to the source (see `spares`).
    let spares = Arc::new(Spares::for_current_pool());
    source.spares = Some(Arc::clone(&spares));
    let kept = source.options.rejected_rows_kept;
    let parse = |(seq, chunk): (usize, Chunk)| {
        let output = parse_chunk(parser, header, sniffed.delimiter, file, &chunk, kept);
        spares.give_back(chunk.bytes);
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
    rejected_rows_kept: usize,
) -> Result<ChunkOutput<P::Item, P::Local>, SourceError> {
    // Chunks end after a line end, so no character is cut in two; once the chunk
    // is known to be text, its plain fields need no check of their own. simdutf8
    // checks mostly-ASCII text several times faster than std (same answers, and
    // the same `valid_up_to` on failure).
    let text = simdutf8::compat::from_utf8(&chunk.bytes).map_err(|error| {
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
        rejected: Rejects::new(rejected_rows_kept),
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
            _ => {
                let problems = problems.into_vec();
                output.rejected.push_with(problems.len(), || RejectedRow {
                    element: None,
                    file: file.to_owned(),
                    line: row.line,
                    problems,
                    record: row.raw_text(),
                });
            }
        }
    }
    Ok(output)
}

#[cfg(test)]
mod tests;
