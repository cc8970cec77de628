//! What can be wrong with a CSV file: problems that reject one row, and errors that
//! stop its reading (the file missing or unreadable, a header without a required column).

use std::fmt;
use std::io;

/// One problem with one row, optionally tied to a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub column: Option<&'static str>,
    pub message: String,
}

impl FieldProblem {
    pub fn new(column: &'static str, message: impl Into<String>) -> FieldProblem {
        FieldProblem {
            column: Some(column),
            message: message.into(),
        }
    }

    /// A problem with the row as a whole (its shape), not one column.
    pub fn row(message: impl Into<String>) -> FieldProblem {
        FieldProblem {
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "{column}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A row that was not accepted, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    pub file: String,
    /// The row's line; for an element of a JSON file, its 0-based index in the
    /// file (which orders rows as lines do).
    pub line: u64,
    /// For an element of a JSON file: its position (`value[17]`), which messages
    /// and `rejects.csv` show instead of a line; its problems name their members.
    pub element: Option<String>,
    pub problems: Vec<FieldProblem>,
    /// The row as it stood in the file, re-joined as one CSV line.
    pub record: String,
}

impl RejectedRow {
    /// One line per problem: `file:line: column: message`.
    pub fn problem_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.problems
            .iter()
            .map(move |problem| match &self.element {
                Some(_) => format!("{}: {problem}", self.file),
                None => format!("{}:{}: {problem}", self.file, self.line),
            })
    }

    /// Where the row is, as `rejects.csv`'s `line` column shows it.
    pub fn location(&self) -> String {
        match &self.element {
            Some(element) => element.clone(),
            None => self.line.to_string(),
        }
    }

    /// Every problem of the row in one cell, for `rejects.csv`.
    pub fn joined_problems(&self) -> String {
        let texts: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        texts.join(" | ")
    }
}

/// An error that stops the reading of a file before any of its rows is used.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("{file}: cannot read: {source}")]
    Open { file: String, source: io::Error },
    /// A FIFO, a device, a socket or a directory where a file was expected.
    #[error("{file}: cannot read: not a regular file ({kind})")]
    NotRegularFile { file: String, kind: &'static str },
    #[error("{file}: the file is empty; expected a header row")]
    Empty { file: String },
    #[error("{file}:1: missing required column \"{column}\"")]
    MissingColumn { file: String, column: &'static str },
    #[error("{file}:{line}: {error}")]
    Header {
        file: String,
        /// The header's line (blank lines may precede it).
        line: u64,
        /// Boxed: it is large and rare, and every reader returns this error type.
        error: Box<super::headers::HeaderError>,
    },
    #[error("{file}: {error}")]
    Encoding {
        file: String,
        error: super::encoding::DecodeError,
    },
    #[error("{file}:1: columns {first} and {second} are both \"{column}\"")]
    DuplicateColumn {
        file: String,
        column: &'static str,
        first: usize,
        second: usize,
    },
}

impl CsvError {
    /// True when the file could not be opened or read at all (exit 66), false when
    /// its content is invalid (exit 65).
    pub fn is_unreadable(&self) -> bool {
        matches!(
            self,
            CsvError::Open { .. } | CsvError::NotRegularFile { .. }
        )
    }
}

/// Collects the problems of one row while its fields are parsed, so that a row
/// reports all of them rather than only the first.
#[derive(Debug, Default)]
pub struct RowProblems {
    problems: Vec<FieldProblem>,
}

impl RowProblems {
    /// The value, or `None` after noting its problem.
    pub fn take<T>(&mut self, result: Result<T, FieldProblem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    pub fn push(&mut self, problem: FieldProblem) {
        self.problems.push(problem);
    }

    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldProblem> {
        self.problems
    }
}
