//! Tests of the chunk reader: workers taking turns at one source, and read errors.

use super::*;

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
