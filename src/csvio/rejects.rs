//! The text of rejected rows, read back from their file for problems found after
//! the file was parsed (duplicates).

use std::collections::HashSet;
use std::path::Path;

use rustc_hash::FxHashMap;

use super::encoding;
use super::error::CsvError;
use super::records::{Record, RecordReader};
use super::sniff::Sniffed;

/// The raw text of the records that start on `lines`.
pub fn record_texts(
    path: &Path,
    file: &str,
    sniffed: &Sniffed,
    lines: HashSet<u64>,
) -> Result<FxHashMap<u64, String>, CsvError> {
    let raw = std::fs::read(path).map_err(|source| CsvError::Open {
        file: file.to_owned(),
        source,
    })?;
    let (bytes, _) =
        encoding::decode(&raw, Some(sniffed.encoding)).map_err(|error| CsvError::Encoding {
            file: file.to_owned(),
            error,
        })?;
    let mut reader = RecordReader::new(&bytes, 1, sniffed.delimiter);
    let mut record = Record::default();
    let mut texts = FxHashMap::default();
    while texts.len() < lines.len() && reader.read(&mut record) {
        if lines.contains(&record.line) {
            let text = String::from_utf8_lossy(&bytes[record.span.clone()]).into_owned();
            texts.insert(record.line, text);
        }
    }
    Ok(texts)
}
