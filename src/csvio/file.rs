//! An input file opened once: sniffed from its first bytes, read on from there,
//! and read back (for the text of rows rejected after parsing) through the same
//! handle, so that every read sees the same file.
//!
//! Only regular files are read. A FIFO, a character device such as `/dev/zero`, a
//! socket or a directory is refused with an error naming the file: such a file
//! cannot be read twice (the read-back needs that), may never end, and a FIFO
//! without a writer would block the opening itself. So files are opened with
//! `O_NONBLOCK` (on Linux; it does nothing to a regular file) and the handle is
//! checked with `fstat` before any byte is read: a FIFO is refused whether or not
//! a writer holds it, and nothing waits. All reads are positioned (`pread`), so no
//! reader depends on where another one left the file offset. A file shorter than
//! the sniffing prefix is closed at once, its bytes kept: a `users/` folder of
//! thousands of small exports then holds no thousands of open files.

use std::borrow::Borrow;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use super::encoding;
use super::error::CsvError;
use super::headers::HeaderRules;
use super::records::{Record, RecordReader};
use super::sniff::{Forced, Sniffed, sniff};

/// Bytes read to sniff a file: far more than any header line.
const PREFIX_BYTES: usize = 1 << 20;

/// A regular file, open for reading, with its first bytes.
#[derive(Debug)]
pub struct CsvFile {
    /// The name messages give the file.
    name: String,
    /// `None` once the whole file is in `prefix`.
    handle: Option<File>,
    /// The size `fstat` gave when the file was opened.
    len: u64,
    /// The first [`PREFIX_BYTES`] bytes, or all of a shorter file.
    prefix: Vec<u8>,
}

impl CsvFile {
    /// Opens `path`, called `name` in messages, and reads its first bytes. Refuses
    /// anything but a regular file, without waiting on it.
    pub fn open(path: &Path, name: &str) -> Result<CsvFile, CsvError> {
        let unreadable = |source| CsvError::Open {
            file: name.to_owned(),
            source,
        };
        let mut options = OpenOptions::new();
        options.read(true);
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK);
        }
        let handle = options.open(path).map_err(unreadable)?;
        let metadata = handle.metadata().map_err(unreadable)?;
        if !metadata.is_file() {
            return Err(CsvError::NotRegularFile {
                file: name.to_owned(),
                kind: kind_of(&metadata),
            });
        }
        let mut prefix = Vec::new();
        let at_start = ReadAt {
            file: Some(&handle),
            offset: 0,
        };
        at_start
            .take(PREFIX_BYTES as u64)
            .read_to_end(&mut prefix)
            .map_err(unreadable)?;
        let whole = prefix.len() < PREFIX_BYTES;
        Ok(CsvFile {
            name: name.to_owned(),
            handle: (!whole).then_some(handle),
            len: metadata.len(),
            prefix,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Works out the file's layout from its first bytes.
    pub fn sniff(&self, forced: Forced, rules: &HeaderRules<'_>) -> Result<Sniffed, CsvError> {
        sniff(
            &self.prefix,
            self.handle.is_none(),
            &self.name,
            forced,
            rules,
        )
    }

    /// The file's size when it was opened.
    pub(super) fn len(&self) -> u64 {
        self.len
    }

    /// The whole file as a stream: the bytes read for sniffing, then the rest.
    pub(super) fn stream(&self) -> impl Read + Send + '_ {
        let rest = ReadAt {
            file: self.handle.as_ref(),
            offset: self.prefix.len() as u64,
        };
        io::Cursor::new(self.prefix.as_slice()).chain(rest)
    }

    /// [`stream`](Self::stream) on a handle of its own (the same open file), for
    /// another thread.
    pub(super) fn owned_stream(&self) -> io::Result<impl Read + Send + 'static> {
        let rest = ReadAt {
            file: self.handle.as_ref().map(File::try_clone).transpose()?,
            offset: self.prefix.len() as u64,
        };
        Ok(io::Cursor::new(self.prefix.clone()).chain(rest))
    }

    /// The whole file in memory.
    pub fn read_all(&self) -> Result<Vec<u8>, CsvError> {
        let mut bytes = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        self.stream()
            .read_to_end(&mut bytes)
            .map_err(|source| self.unreadable(source))?;
        Ok(bytes)
    }

    /// The raw text of the records that start on `lines`, read back from the file
    /// laid out as `sniffed` says.
    pub fn record_texts(
        &self,
        sniffed: &Sniffed,
        lines: &FxHashSet<u64>,
    ) -> Result<FxHashMap<u64, String>, CsvError> {
        let raw = self.read_all()?;
        let (bytes, _) =
            encoding::decode(&raw, Some(sniffed.encoding)).map_err(|error| CsvError::Encoding {
                file: self.name.clone(),
                error,
            })?;
        let mut reader = RecordReader::new(&bytes, 1, sniffed.delimiter);
        let mut record = Record::default();
        let mut texts = FxHashMap::default();
        while texts.len() < lines.len() && reader.read(&mut record) {
            if lines.contains(&record.line) {
                let text = String::from_utf8_lossy(&bytes[record.span.clone()]);
                // As `Row::raw_text` writes it.
                texts.insert(record.line, text.replace('\0', "\\0"));
            }
        }
        Ok(texts)
    }

    pub(super) fn unreadable(&self, source: io::Error) -> CsvError {
        CsvError::Open {
            file: self.name.clone(),
            source,
        }
    }
}

/// What a file that is not a regular file is, for the message refusing it.
fn kind_of(metadata: &Metadata) -> &'static str {
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "an unknown kind of file"
}

/// Reads a file from `offset` on with positioned reads, leaving the handle's own
/// offset alone; without a file, reads nothing.
struct ReadAt<F> {
    file: Option<F>,
    offset: u64,
}

impl<F: Borrow<File>> Read for ReadAt<F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(file) = self.file.as_ref().map(Borrow::borrow) else {
            return Ok(0);
        };
        #[cfg(unix)]
        let read = std::os::unix::fs::FileExt::read_at(file, buf, self.offset)?;
        #[cfg(windows)]
        let read = std::os::windows::fs::FileExt::seek_read(file, buf, self.offset)?;
        self.offset += read as u64;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_gives_the_prefix_then_the_rest() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.csv");
        let bytes: Vec<u8> = (0..PREFIX_BYTES + 5000).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("write");
        let file = CsvFile::open(&path, "big.csv").expect("a regular file");
        assert_eq!(file.prefix.len(), PREFIX_BYTES);
        assert_eq!(file.len(), bytes.len() as u64);
        let mut streamed = Vec::new();
        file.stream().read_to_end(&mut streamed).expect("read");
        assert_eq!(streamed, bytes);
        assert_eq!(file.read_all().expect("read again"), bytes, "read twice");
        assert!(file.handle.is_some(), "a long file stays open");

        std::fs::write(&path, b"a,b\n1,2\n").expect("write");
        let small = CsvFile::open(&path, "small.csv").expect("a regular file");
        assert!(small.handle.is_none(), "a file within the prefix is closed");
        std::fs::write(&path, b"changed").expect("write");
        assert_eq!(small.read_all().expect("read"), b"a,b\n1,2\n");
    }

    #[cfg(unix)]
    #[test]
    fn anything_but_a_regular_file_is_refused_without_waiting() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("fifo.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let mut cases = vec![
            (dir.path().to_path_buf(), "a directory"),
            ("/dev/zero".into(), "a character device"),
        ];
        if made.is_ok_and(|status| status.success()) {
            cases.push((fifo, "a FIFO"));
        }
        for (path, kind) in cases {
            let error = CsvFile::open(&path, "x.csv").expect_err("refused");
            assert_eq!(
                error.to_string(),
                format!("x.csv: cannot read: not a regular file ({kind})")
            );
            assert!(error.is_unreadable());
        }
        let missing = CsvFile::open(&dir.path().join("none.csv"), "none.csv");
        let message = missing.expect_err("missing").to_string();
        assert!(message.starts_with("none.csv: cannot read: "), "{message}");
    }
}
