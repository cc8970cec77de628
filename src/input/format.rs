//! How the partner's files are written, as the command line says, and the
//! sniffing of one input file under it.

use std::path::Path;

use super::headers::{ColumnOverride, InputFile};
use crate::csvio::{self, ColumnSpec, CsvError, Encoding, Forced, Sniffed};

/// How the partner's files are written, where the command line says so; what it
/// leaves open is detected per file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputFormat {
    pub delimiter: Option<u8>,
    pub encoding: Option<Encoding>,
    pub overrides: Vec<ColumnOverride>,
}

impl InputFormat {
    /// What the command line fixes of every file's layout.
    pub fn forced(&self) -> Forced {
        Forced {
            encoding: self.encoding,
            delimiter: self.delimiter,
        }
    }
}

/// Sniffs the input file at `path` (named `file` in messages), of kind `kind`,
/// whose reader reads `specs`.
pub fn sniff_file(
    path: &Path,
    file: &str,
    kind: InputFile,
    specs: &[ColumnSpec],
    format: &InputFormat,
) -> Result<Sniffed, CsvError> {
    let rules = kind.rules(specs, &format.overrides);
    csvio::sniff_file(path, file, format.forced(), &rules)
}
