//! Reading the rows of one catalog file, and why a catalog cannot be used.
//!
//! Every catalog file is read through [`for_each_row`]; this is the catalog's one
//! use of the generic CSV table, so header checks, trimming and line numbers behave
//! as for input files.

use smallvec::SmallVec;

/// The columns a catalog file is read with (the generic CSV table's).
pub(super) use crate::csvio::ColumnSpec;
use crate::csvio::{CsvError, Table};

/// Why a catalog cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A file that cannot be read (exit 66), or whose header does not fit (65).
    #[error("catalog: {0}")]
    Table(CsvError),
    #[error("catalog: {file}:{line}: {message}")]
    Invalid {
        file: String,
        line: u64,
        message: String,
    },
}

impl CatalogError {
    /// True when a catalog file could not be read at all (exit 66), false when its
    /// content is invalid (exit 65).
    pub fn is_unreadable(&self) -> bool {
        match self {
            CatalogError::Table(error) => error.is_unreadable(),
            CatalogError::Invalid { .. } => false,
        }
    }
}

/// One data row of a catalog file: its trimmed values, one per column spec
/// (empty for a column the file lacks).
pub(super) struct CatalogRow<'r> {
    pub file: &'r str,
    pub line: u64,
    values: &'r [&'r str],
}

impl<'r> CatalogRow<'r> {
    /// The value of the column at position `spec` of the specs the file was read with.
    pub fn get(&self, spec: usize) -> &'r str {
        self.values.get(spec).copied().unwrap_or_default()
    }

    /// The error for this row.
    pub fn invalid(&self, message: impl Into<String>) -> CatalogError {
        CatalogError::Invalid {
            file: self.file.to_owned(),
            line: self.line,
            message: message.into(),
        }
    }
}

/// Calls `each` with every data row of `csv` (a whole file, named `file` in errors),
/// after checking its header against `specs`; stops at the first error.
pub(super) fn for_each_row(
    file: &str,
    csv: &[u8],
    specs: &[ColumnSpec],
    mut each: impl FnMut(&CatalogRow<'_>) -> Result<(), CatalogError>,
) -> Result<(), CatalogError> {
    let mut table = Table::from_bytes(csv, file, specs).map_err(CatalogError::Table)?;
    while let Some(row) = table.next_row() {
        let invalid = |message: String| CatalogError::Invalid {
            file: file.to_owned(),
            line: row.line,
            message,
        };
        if let Some(problem) = row.shape_problem() {
            return Err(invalid(problem.to_string()));
        }
        let values = (0..specs.len())
            .map(|spec| row.get(spec, specs).map_err(|p| invalid(p.to_string())))
            .collect::<Result<SmallVec<[&str; 8]>, _>>()?;
        each(&CatalogRow {
            file,
            line: row.line,
            values: &values,
        })?;
    }
    Ok(())
}

/// The items of a `;`-separated list, trimmed, empty ones skipped.
pub(super) fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// A value as messages show it: quoted, control characters escaped, cut to a
/// readable length (the one rule of [`crate::csvio::shown`]).
pub fn quoted(value: &str) -> String {
    crate::csvio::shown(value).to_string()
}
