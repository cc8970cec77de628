//! A CSV file read as a table: header mapped to named columns, rows with their
//! line numbers and trimmed UTF-8 fields.
//!
//! Every reader in this crate (the input files, read in parallel chunks, and the
//! catalog, read whole) maps headers and reads fields through here, so header
//! matching, field trimming and line numbering behave alike everywhere.

use super::error::{CsvError, FieldProblem};
use super::headers::ColumnSpec;
use super::records::{Record, RecordReader};

/// Where each expected column stands in a file.
#[derive(Debug, Clone)]
pub struct Header {
    /// Per spec, the position of its column, if the file has it.
    columns: Vec<Option<usize>>,
    /// Columns in the header.
    len: usize,
    /// Columns up to the last one with a name: a row needs at least these. Excel
    /// ends lines with a delimiter on some rows and not on others.
    named: usize,
}

impl Header {
    /// Per spec, the position of its column (if any), in `header`.
    pub(super) fn new(columns: Vec<Option<usize>>, header: &Record<'_>) -> Header {
        let named = (0..header.len())
            .rev()
            .find(|&i| {
                header
                    .get(i)
                    .is_some_and(|name| !name.iter().all(u8::is_ascii_whitespace))
            })
            .map_or(0, |last| last + 1);
        Header {
            columns,
            len: header.len(),
            named,
        }
    }

    /// Maps a header record onto `specs`: names compared case-insensitively after
    /// trimming; a missing required column or a column named twice is an error.
    pub(super) fn map(
        file: &str,
        header: &Record<'_>,
        specs: &[ColumnSpec],
    ) -> Result<Header, CsvError> {
        Ok(Header::new(map_header(file, header, specs)?, header))
    }
}

/// A CSV table over a file's bytes whose header has been checked.
pub struct Table<'b> {
    file: String,
    input: &'b [u8],
    reader: RecordReader<'b>,
    header: Header,
    record: Record<'b>,
    rows: u64,
}

impl<'b> Table<'b> {
    /// Reads the header of `input` (a whole file; a UTF-8 BOM is skipped) and maps
    /// it onto `specs`. `file` is the name errors use.
    pub fn from_bytes(
        input: &'b [u8],
        file: &str,
        specs: &[ColumnSpec],
    ) -> Result<Table<'b>, CsvError> {
        let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let mut reader = RecordReader::new(input, 1, b',');
        let mut header = Record::default();
        if !reader.read(&mut header) {
            return Err(CsvError::Empty {
                file: file.to_owned(),
            });
        }
        let header = Header::map(file, &header, specs)?;
        Ok(Table {
            file: file.to_owned(),
            input,
            reader,
            header,
            record: Record::default(),
            rows: 0,
        })
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// Data rows read so far (blank lines not counted).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The next data row, skipping blank lines; `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Row<'_>> {
        loop {
            if !self.reader.read(&mut self.record) {
                return None;
            }
            if self.record.is_blank() {
                continue;
            }
            self.rows += 1;
            let raw = &self.input[self.record.span.clone()];
            return Some(Row::new(&self.record, raw, &self.header));
        }
    }
}

/// One data row of a [`Table`].
pub struct Row<'t> {
    pub line: u64,
    record: &'t Record<'t>,
    raw: &'t [u8],
    header: &'t Header,
}

impl<'t> Row<'t> {
    /// A record with its raw bytes, read against `header`.
    pub(super) fn new(record: &'t Record<'t>, raw: &'t [u8], header: &'t Header) -> Row<'t> {
        Row {
            line: record.line,
            record,
            raw,
            header,
        }
    }

    /// The problem with the row's shape, if it has fewer fields than the header's
    /// named columns, or a non-empty field beyond the header or under a trailing
    /// header column without a name (Excel's trailing empty fields are tolerated;
    /// a value there usually means a shifted column or a list spilt over).
    pub fn shape_problem(&self) -> Option<FieldProblem> {
        let len = self.record.len();
        let (header_len, named) = (self.header.len, self.header.named);
        let filled = |columns: std::ops::Range<usize>| {
            columns
                .filter_map(|i| self.record.get(i).map(|field| (i, field)))
                .find(|(_, field)| !field.iter().all(u8::is_ascii_whitespace))
                .map(|(i, _)| i)
        };
        let message = if len < named {
            format!("row has {len} fields, the header has {named}")
        } else if filled(header_len..len).is_some() {
            format!("row has {len} fields, the header has {header_len}")
        } else if let Some(column) = filled(named..header_len.min(len)) {
            format!(
                "row has a value in column {}, whose header is empty",
                column + 1
            )
        } else {
            return None;
        };
        Some(FieldProblem::row(message))
    }

    /// The trimmed value of column `spec` (an index into the table's specs);
    /// empty when the column is absent from the file.
    ///
    /// A value holding a NUL byte is a problem of its column, `value contains a
    /// NUL byte (\0)`, which rejects the row like any other bad value: no export
    /// means a NUL, it cuts strings short in C-based tools and spreadsheets, and a
    /// value that is not taken cannot reach a report. Columns the reader never
    /// asks for are not looked at.
    #[inline(always)]
    pub fn get(&self, spec: usize, specs: &[ColumnSpec]) -> Result<&'t str, FieldProblem> {
        let Some(Some(pos)) = self.header.columns.get(spec) else {
            return Ok("");
        };
        match self.record.get_str(*pos) {
            None => Ok(""),
            Some(Ok(value)) if self.record.may_hold_nul() && value.contains('\0') => Err(
                FieldProblem::new(specs[spec].name, "value contains a NUL byte (\\0)"),
            ),
            Some(Ok(value)) => Ok(trim(value)),
            Some(Err(_)) => Err(FieldProblem::new(
                specs[spec].name,
                "value is not valid UTF-8",
            )),
        }
    }

    /// The row as it stood in the file (line end removed), for `rejects.csv`; a
    /// NUL byte is written `\0`, as the problem names it, since it is no more
    /// welcome in a report than in the data.
    pub fn raw_text(&self) -> String {
        let text = String::from_utf8_lossy(self.raw);
        if self.record.may_hold_nul() {
            text.replace('\0', "\\0")
        } else {
            text.into_owned()
        }
    }
}

/// The value without surrounding white space (Unicode's, so that Excel's
/// non-breaking spaces go too); most values have none, which is checked first.
#[inline(always)]
fn trim(value: &str) -> &str {
    match (value.as_bytes().first(), value.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => value,
        _ => value.trim(),
    }
}

fn map_header(
    file: &str,
    header: &Record<'_>,
    specs: &[ColumnSpec],
) -> Result<Vec<Option<usize>>, CsvError> {
    let mut columns = vec![None; specs.len()];
    for (pos, raw) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(raw);
        let name = name.trim();
        let Some(spec) = specs.iter().position(|s| s.name.eq_ignore_ascii_case(name)) else {
            continue;
        };
        if let Some(first) = columns[spec] {
            return Err(CsvError::DuplicateColumn {
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
        return Err(CsvError::MissingColumn {
            file: file.to_owned(),
            column: missing.0.name,
        });
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ColumnSpec] = &[ColumnSpec::required("id"), ColumnSpec::optional("note")];

    fn table(text: &str) -> Result<Table<'_>, CsvError> {
        Table::from_bytes(text.as_bytes(), "t.csv", SPECS)
    }

    #[test]
    fn header_is_matched_case_insensitively_in_any_order() {
        let mut t = table("\u{feff} Note ,ID\nhello, 7 \n").unwrap();
        let row = t.next_row().unwrap();
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
        assert_eq!(t.next_row().unwrap().line, 2);
        assert_eq!(t.next_row().unwrap().line, 5);
        assert!(t.next_row().is_none());
        assert_eq!(t.rows(), 2);
    }

    #[test]
    fn a_nul_byte_in_a_value_is_a_problem_of_its_column() {
        let mut t = table("id,note,other\n1,a\0b,x\n2,\"q\0\",x\n3,ok,\0\n4,ok,x\n").unwrap();
        for id in ["1", "2"] {
            let row = t.next_row().unwrap();
            assert_eq!(row.get(0, SPECS).unwrap(), id);
            let problem = row.get(1, SPECS).unwrap_err();
            assert_eq!(problem.to_string(), "note: value contains a NUL byte (\\0)");
            assert!(row.raw_text().contains("\\0") && !row.raw_text().contains('\0'));
        }
        let row = t.next_row().unwrap();
        assert_eq!(
            row.get(1, SPECS).unwrap(),
            "ok",
            "a column nobody reads is not looked at"
        );
        assert_eq!(row.raw_text(), "3,ok,\\0");
        assert_eq!(t.next_row().unwrap().raw_text(), "4,ok,x");
    }

    #[test]
    fn ragged_rows_are_a_row_problem() {
        let mut t = table("id,note\n1\n2,x,,\n3,x,y\n").unwrap();
        assert!(t.next_row().unwrap().shape_problem().is_some());
        assert!(t.next_row().unwrap().shape_problem().is_none());
        let row = t.next_row().unwrap();
        assert!(row.shape_problem().is_some());
        assert_eq!(row.raw_text(), "3,x,y");
    }
}
