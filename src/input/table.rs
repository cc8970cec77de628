//! A CSV file read as a table: header mapped to named columns, rows with their
//! line numbers, trimmed UTF-8 fields, and a running SHA-256 of the bytes read.
//!
//! Every reader in this crate (the four input files and the catalog) goes through
//! here, so header matching, field trimming and line numbering behave alike everywhere.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::error::{FieldProblem, InputError};

/// A column a table expects.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub required: bool,
}

impl ColumnSpec {
    pub const fn required(name: &'static str) -> ColumnSpec {
        ColumnSpec {
            name,
            required: true,
        }
    }

    pub const fn optional(name: &'static str) -> ColumnSpec {
        ColumnSpec {
            name,
            required: false,
        }
    }
}

/// What was read from one file: rows seen and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub rows: u64,
    pub sha256: String,
}

/// A reader that hashes every byte it hands on.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// An open CSV table whose header has been checked.
pub struct Table<R: Read> {
    file: String,
    reader: csv::Reader<HashingReader<R>>,
    columns: Vec<Option<usize>>,
    header_len: usize,
    record: csv::ByteRecord,
    rows: u64,
}

impl Table<File> {
    /// Opens `path`; `file` is the name errors use for it.
    pub fn open(path: &Path, file: &str, specs: &[ColumnSpec]) -> Result<Table<File>, InputError> {
        let handle = File::open(path).map_err(|source| InputError::Open {
            file: file.to_owned(),
            source,
        })?;
        if handle.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(InputError::Open {
                file: file.to_owned(),
                source: io::Error::other("is a directory"),
            });
        }
        Table::from_reader(handle, file, specs)
    }
}

impl<R: Read> Table<R> {
    /// Reads the header of `input` and maps it onto `specs`.
    pub fn from_reader(input: R, file: &str, specs: &[ColumnSpec]) -> Result<Table<R>, InputError> {
        let hashing = HashingReader {
            inner: input,
            hasher: Sha256::new(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(hashing);
        let mut header = csv::ByteRecord::new();
        let has_header = reader
            .read_byte_record(&mut header)
            .map_err(|error| csv_error(file, error))?;
        if !has_header {
            return Err(InputError::Empty {
                file: file.to_owned(),
            });
        }
        let columns = map_header(file, &header, specs)?;
        Ok(Table {
            file: file.to_owned(),
            reader,
            columns,
            header_len: header.len(),
            record: csv::ByteRecord::new(),
            rows: 0,
        })
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// The next data row, skipping blank lines; `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, InputError> {
        loop {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|error| csv_error(&self.file, error))?;
            if !more {
                return Ok(None);
            }
            if self.record.len() == 1 && self.record[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.rows += 1;
            let line = self.record.position().map_or(0, csv::Position::line);
            return Ok(Some(Row {
                line,
                record: &self.record,
                columns: &self.columns,
                header_len: self.header_len,
            }));
        }
    }

    /// Finishes reading and returns the row count and digest of the whole file.
    pub fn finish(self) -> Result<FileDigest, InputError> {
        let file = self.file;
        let mut hashing = self.reader.into_inner();
        io::copy(&mut hashing, &mut io::sink()).map_err(|source| InputError::Read {
            file: file.clone(),
            source,
        })?;
        Ok(FileDigest {
            rows: self.rows,
            sha256: format!("{:x}", hashing.hasher.finalize()),
        })
    }
}

/// One data row of a [`Table`].
pub struct Row<'t> {
    pub line: u64,
    record: &'t csv::ByteRecord,
    columns: &'t [Option<usize>],
    header_len: usize,
}

impl<'t> Row<'t> {
    /// The problem with the row's shape, if it has fewer fields than the header or
    /// more non-empty ones (Excel's trailing empty fields are tolerated).
    pub fn shape_problem(&self) -> Option<FieldProblem> {
        let len = self.record.len();
        let extra_filled = self
            .record
            .iter()
            .skip(self.header_len)
            .any(|field| !field.iter().all(u8::is_ascii_whitespace));
        if len < self.header_len || extra_filled {
            Some(FieldProblem::row(format!(
                "row has {len} fields, the header has {}",
                self.header_len
            )))
        } else {
            None
        }
    }

    /// The trimmed value of column `spec` (an index into the table's specs);
    /// empty when the column is absent from the file.
    pub fn get(&self, spec: usize, specs: &[ColumnSpec]) -> Result<&'t str, FieldProblem> {
        let Some(Some(pos)) = self.columns.get(spec) else {
            return Ok("");
        };
        let bytes = self.record.get(*pos).unwrap_or_default();
        std::str::from_utf8(bytes)
            .map(str::trim)
            .map_err(|_| FieldProblem::new(specs[spec].name, "value is not valid UTF-8"))
    }

    /// The row as it stood in the file, re-joined as one CSV line, for `rejects.csv`.
    pub fn raw_text(&self) -> String {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        // Writing into a Vec cannot fail for I/O reasons; fall back to a lossy join.
        let joined = writer
            .write_byte_record(self.record)
            .ok()
            .and_then(|()| writer.into_inner().ok());
        let bytes = joined.unwrap_or_else(|| self.record.as_slice().to_vec());
        let text = String::from_utf8_lossy(&bytes);
        text.trim_end_matches('\n').to_owned()
    }
}

fn map_header(
    file: &str,
    header: &csv::ByteRecord,
    specs: &[ColumnSpec],
) -> Result<Vec<Option<usize>>, InputError> {
    let mut columns = vec![None; specs.len()];
    for (pos, raw) in header.iter().enumerate() {
        let raw = if pos == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        let name = String::from_utf8_lossy(raw);
        let name = name.trim();
        let Some(spec) = specs.iter().position(|s| s.name.eq_ignore_ascii_case(name)) else {
            continue;
        };
        if let Some(first) = columns[spec] {
            return Err(InputError::DuplicateColumn {
                file: file.to_owned(),
                column: specs[spec].name,
                first: first + 1,
                second: pos + 1,
            });
        }
        columns[spec] = Some(pos);
    }
    if let Some(missing) = specs
        .iter()
        .zip(&columns)
        .find(|(spec, column)| spec.required && column.is_none())
    {
        return Err(InputError::MissingColumn {
            file: file.to_owned(),
            column: missing.0.name,
        });
    }
    Ok(columns)
}

fn csv_error(file: &str, error: csv::Error) -> InputError {
    let line = error.position().map_or(0, csv::Position::line);
    match error.into_kind() {
        csv::ErrorKind::Io(source) => InputError::Read {
            file: file.to_owned(),
            source,
        },
        other => InputError::Malformed {
            file: file.to_owned(),
            line,
            message: format!("{other:?}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ColumnSpec] = &[ColumnSpec::required("id"), ColumnSpec::optional("note")];

    fn table(text: &str) -> Result<Table<&[u8]>, InputError> {
        Table::from_reader(text.as_bytes(), "t.csv", SPECS)
    }

    #[test]
    fn header_is_matched_case_insensitively_in_any_order() {
        let mut t = table("\u{feff} Note ,ID\nhello, 7 \n").unwrap();
        let row = t.next_row().unwrap().unwrap();
        assert_eq!(row.line, 2);
        assert_eq!(row.get(0, SPECS).unwrap(), "7");
        assert_eq!(row.get(1, SPECS).unwrap(), "hello");
    }

    #[test]
    fn missing_required_column_names_it() {
        let err = table("note\nx\n").err().unwrap();
        assert_eq!(err.to_string(), "t.csv:1: missing required column \"id\"");
    }

    #[test]
    fn duplicate_column_names_both_positions() {
        let err = table("id,ID\n1,2\n").err().unwrap();
        assert_eq!(err.to_string(), "t.csv:1: columns 1 and 2 are both \"id\"");
    }

    #[test]
    fn line_numbers_count_physical_lines() {
        let mut t = table("id,note\n1,\"two\nlines\"\n\n2,x\n").unwrap();
        assert_eq!(t.next_row().unwrap().unwrap().line, 2);
        assert_eq!(t.next_row().unwrap().unwrap().line, 5);
        assert!(t.next_row().unwrap().is_none());
        let digest = t.finish().unwrap();
        assert_eq!(digest.rows, 2);
        assert_eq!(digest.sha256.len(), 64);
    }

    #[test]
    fn ragged_rows_are_a_row_problem() {
        let mut t = table("id,note\n1\n2,x,,\n3,x,y\n").unwrap();
        assert!(t.next_row().unwrap().unwrap().shape_problem().is_some());
        assert!(t.next_row().unwrap().unwrap().shape_problem().is_none());
        let row = t.next_row().unwrap().unwrap();
        assert!(row.shape_problem().is_some());
        assert_eq!(row.raw_text(), "3,x,y");
    }
}
