//! Rows of one report for one batch, in any format that renders rows into bytes
//! (CSV, the workbook's recorded cells), spilled to an unnamed temporary file once
//! they pass a limit, so that a customer whose rows run to gigabytes (thousands
//! of users on dozens of subscriptions of one offer) takes a bounded amount of
//! memory, whatever its output. The file has no name: a killed run leaves nothing.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, Write};
use std::path::Path;

use super::rows::{Repeat, RowSink};

/// A row sink that renders into a byte buffer, which [`Spilling`] empties into
/// its file past the limit.
pub trait RowBytes: RowSink {
    fn as_bytes(&self) -> &[u8];
    /// Forgets the bytes (saved elsewhere), keeping any counts.
    fn clear_bytes(&mut self);
    fn into_bytes(self) -> Vec<u8>;
}

/// Bytes a batch keeps in memory per report before it spills: far more than an
/// ordinary batch of 512 customers writes (about 1.3 MB at 100k customers).
pub const SPILL_BYTES: usize = 4 << 20;

/// One report's rows of a batch: what was spilled, then what is in memory.
#[derive(Debug, Default)]
pub struct Part {
    pub spilled: Option<File>,
    pub bytes: Vec<u8>,
}

impl Part {
    /// A part of the bytes only (headers, tests).
    pub fn in_memory(bytes: Vec<u8>) -> Part {
        Part {
            spilled: None,
            bytes,
        }
    }

    /// Feeds every byte, spilled ones first, to `write` in pieces of at most
    /// `buffer`'s length.
    pub fn for_each_piece(
        &mut self,
        buffer: &mut Vec<u8>,
        mut write: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        if let Some(file) = &mut self.spilled {
            file.rewind()?;
            buffer.resize(SPILL_BYTES, 0);
            loop {
                let read = file.read(buffer)?;
                if read == 0 {
                    break;
                }
                write(&buffer[..read])?;
            }
        }
        write(&self.bytes)
    }

    /// Every byte, spilled ones first, as one reader (from the start each time).
    pub fn reader(&mut self) -> io::Result<PartReader<'_>> {
        Ok(match &mut self.spilled {
            Some(file) => {
                file.rewind()?;
                PartReader::Spilled(
                    BufReader::with_capacity(1 << 16, &*file).chain(self.bytes.as_slice()),
                )
            }
            None => PartReader::Memory(&self.bytes),
        })
    }

    /// Whether the part holds no byte.
    pub fn is_empty(&self) -> bool {
        self.spilled.is_none() && self.bytes.is_empty()
    }
}

/// The bytes of a [`Part`], spilled ones first.
pub enum PartReader<'p> {
    Memory(&'p [u8]),
    Spilled(io::Chain<BufReader<&'p File>, &'p [u8]>),
}

impl Read for PartReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            PartReader::Memory(bytes) => bytes.read(buf),
            PartReader::Spilled(reader) => reader.read(buf),
        }
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> io::Result<()> {
        match self {
            PartReader::Memory(bytes) => bytes.read_exact(buf),
            PartReader::Spilled(reader) => reader.read_exact(buf),
        }
    }
}

/// A row sink that spills its bytes to a temporary file in `dir` past
/// [`SPILL_BYTES`] (or keeps them all, without a `dir`).
pub struct Spilling<'d, W> {
    out: W,
    spilled: Option<File>,
    dir: Option<&'d Path>,
    /// The first failure to spill; reported by [`Spilling::finish`].
    error: Option<io::Error>,
}

impl<'d, W: RowBytes> Spilling<'d, W> {
    pub fn new(out: W, dir: Option<&'d Path>) -> Spilling<'d, W> {
        Spilling {
            out,
            spilled: None,
            dir,
            error: None,
        }
    }

    /// The sink rows are rendered into (for its counts).
    pub fn sink(&self) -> &W {
        &self.out
    }

    pub fn sink_mut(&mut self) -> &mut W {
        &mut self.out
    }

    fn spill(&mut self, dir: &Path) -> io::Result<()> {
        let file = match &mut self.spilled {
            Some(file) => file,
            None => self.spilled.insert(tempfile::tempfile_in(dir)?),
        };
        file.write_all(self.out.as_bytes())?;
        self.out.clear_bytes();
        Ok(())
    }

    pub fn finish(self) -> io::Result<Part> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(Part {
                spilled: self.spilled,
                bytes: self.out.into_bytes(),
            }),
        }
    }
}

impl<W: RowBytes> RowSink for Spilling<'_, W> {
    fn text(&mut self, value: &str) {
        self.out.text(value);
    }

    fn number(&mut self, value: u64) {
        self.out.number(value);
    }

    fn token(&mut self, value: &str) {
        self.out.token(value);
    }

    fn repeated(&mut self, at: Repeat, key: u64, render: &dyn Fn(&mut dyn RowSink)) {
        self.out.repeated(at, key, render);
    }

    fn end_row(&mut self) {
        self.out.end_row();
        if self.out.as_bytes().len() >= SPILL_BYTES
            && self.error.is_none()
            && let Some(dir) = self.dir
            && let Err(error) = self.spill(dir)
        {
            self.error = Some(error);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::csv::CsvOut;

    #[test]
    fn spilled_rows_come_back_in_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut rows = Spilling::new(CsvOut::default(), Some(dir.path()));
        let mut expected = Vec::new();
        let mut n = 0u64;
        while expected.len() < 3 * SPILL_BYTES {
            rows.number(n);
            rows.text("ä,b");
            rows.end_row();
            expected.extend_from_slice(format!("{n},\"ä,b\"\n").as_bytes());
            n += 1;
        }
        let mut part = rows.finish().expect("no error");
        assert!(part.spilled.is_some(), "spilled past the limit");
        assert!(part.bytes.len() < SPILL_BYTES);
        let mut read = Vec::new();
        let mut buffer = Vec::new();
        part.for_each_piece(&mut buffer, |piece| {
            read.extend_from_slice(piece);
            Ok(())
        })
        .expect("read back");
        assert_eq!(read, expected);
        let mut again = Vec::new();
        part.reader()
            .expect("rewound")
            .read_to_end(&mut again)
            .expect("read again");
        assert!(again == expected, "the reader gives the same bytes");
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("dir").count(),
            0,
            "no named file left"
        );
    }
}
