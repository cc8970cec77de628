//! Tests of the chunk reader: workers taking turns at one source, and read errors.

use std::io::Read;

use super::*;
use crate::csvio::headers::ColumnSpec;
use crate::csvio::headers::HeaderRules;
use crate::csvio::sniff::Forced;

/// Gives `data`, then fails as a disk that went away would.
struct FailsAtEnd(io::Cursor<Vec<u8>>);

impl Read for FailsAtEnd {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.read(buf)? {
            0 => Err(io::Error::other("disk gone")),
            read => Ok(read),
        }
    }
}

struct AcceptAll;

impl RowParser for AcceptAll {
    type Item = ();
    type Local = ();

    fn parse(&self, _: &Row<'_>, _: &mut RowProblems, _: &mut ()) -> Option<()> {
        Some(())
    }
}

fn one_column_file() -> (Vec<u8>, Sniffed) {
    let mut text = String::from("a\n");
    for i in 0..5_000 {
        text.push_str(&format!("{i}\n"));
    }
    let mut header = Record::default();
    RecordReader::new(b"a\n", 1, b',').read(&mut header);
    let sniffed = Sniffed {
        encoding: Encoding::Utf8,
        delimiter: b',',
        header: Header::new(vec![Some(0)], &header),
        columns: Vec::new(),
        ignored: Vec::new(),
    };
    (text.into_bytes(), sniffed)
}

/// Reads with small chunks on two workers, so that both take turns at the source.
fn read_with_two_workers(
    handle: Box<dyn Read + Send>,
    sniffed: &Sniffed,
) -> Result<FileRead<(), ()>, SourceError> {
    let options = ReadOptions {
        chunk_bytes: 1024,
        parallel: true,
        ..ReadOptions::default()
    };
    let source = ChunkSource::new(handle, Some(Sha256::new()), b',', options);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a pool of two threads");
    pool.install(|| read_chunks(source, "x.csv", sniffed, &AcceptAll))
}

#[test]
fn workers_taking_turns_read_every_row_and_hash_every_byte() {
    let (bytes, sniffed) = one_column_file();
    let expected = format!("{:x}", Sha256::digest(&bytes));
    let read = read_with_two_workers(Box::new(io::Cursor::new(bytes)), &sniffed);
    let Ok(read) = read else {
        panic!("the file reads");
    };
    assert_eq!(read.rows, 5_000);
    assert!(read.chunks.len() > 10, "{} chunks", read.chunks.len());
    assert_eq!(read.sha256, expected);
}

#[test]
fn a_read_error_in_the_middle_of_a_file_fails_the_whole_read() {
    let (bytes, sniffed) = one_column_file();
    let failing = FailsAtEnd(io::Cursor::new(bytes));
    match read_with_two_workers(Box::new(failing), &sniffed) {
        Err(SourceError::Io(error)) => assert_eq!(error.to_string(), "disk gone"),
        Err(SourceError::NotUtf8 { .. }) => {
            panic!("an encoding error instead of the read error")
        }
        Ok(read) => panic!("{} rows read from a failing file", read.rows),
    }
}

/// Sniffing, reading and reading back go through the handle opened first: a file
/// put in the old one's place afterwards is never read.
#[test]
fn a_file_is_sniffed_read_and_read_back_through_one_handle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("x.csv");
    let (bytes, _) = one_column_file();
    std::fs::write(&path, &bytes).expect("write");
    let file = CsvFile::open(&path, "x.csv").expect("open");
    std::fs::remove_file(&path).expect("remove");
    std::fs::write(&path, "a\nother\n").expect("write another file");

    let specs = [ColumnSpec::required("a")];
    let rules = HeaderRules {
        specs: &specs,
        aliases: &[],
        overrides: Vec::new(),
        option_prefix: "x",
        one_of: &[],
    };
    let sniffed = file.sniff(Forced::default(), &rules).expect("sniff");
    let read = read_file(&file, &sniffed, false, ReadOptions::default(), &AcceptAll);
    let read = read.expect("read");
    assert_eq!(read.rows, 5_000);
    assert_eq!(read.sha256, format!("{:x}", Sha256::digest(&bytes)));
    let lines = [2, 5_001].into_iter().collect();
    let texts = file.record_texts(&sniffed, &lines).expect("read back");
    assert_eq!(texts.get(&2).map(String::as_str), Some("0"));
    assert_eq!(texts.get(&5_001).map(String::as_str), Some("4999"));
}
