//! How the partner's files are written, as the command line says, and the
//! sniffing of one input file under it.

use std::path::Path;

use super::headers::{ColumnOverride, InputFile};
use crate::csvio::{ColumnSpec, CsvError, CsvFile, Encoding, Forced, Sniffed};

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

/// An input file, opened once and sniffed.
#[derive(Debug)]
pub struct Opened {
    pub file: CsvFile,
    pub sniffed: Sniffed,
}

/// Opens the input file at `path` (named `file` in messages), of kind `kind`,
/// whose reader reads `specs`, and works out its layout.
pub fn open(
    path: &Path,
    file: &str,
    kind: InputFile,
    specs: &[ColumnSpec],
    format: &InputFormat,
) -> Result<Opened, CsvError> {
    let file = CsvFile::open(path, file)?;
    let sniffed = file.sniff(format.forced(), &kind.rules(specs, &format.overrides))?;
    Ok(Opened { file, sniffed })
}
