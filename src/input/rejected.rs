//! Rejected rows of the input files: each file's report and rejected rows as read,
//! and the rows rejected after parsing (duplicate ids, duplicate licenses), whose
//! text is read back from the still open file. Only the first rows are kept (see
//! `csvio::Rejects`); every one is counted.

use rustc_hash::FxHashSet;

use super::error::InputError;
use super::format::Opened;
use super::licenses;
use super::loaded::{FILES, InputFileReport, LICENSES, LoadedInput};
use crate::csvio::{ChunkOutput, FieldProblem, FileRead, RejectedRow, Rejects, delimiter_name};
use crate::model::DuplicateLicense;

/// Records a file's report and rejected rows; returns its chunks.
pub(super) fn record<I, L>(
    loaded: &mut LoadedInput,
    opened: &Opened,
    read: FileRead<I, L>,
) -> Vec<ChunkOutput<I, L>> {
    let mut chunks = read.chunks;
    let mut rejected = loaded.rejected.empty_like();
    for chunk in &mut chunks {
        let chunk_rejected = std::mem::replace(&mut chunk.rejected, rejected.empty_like());
        rejected.append(chunk_rejected);
    }
    let sniffed = &opened.sniffed;
    loaded.files.push(InputFileReport {
        file: opened.file.name().to_owned(),
        rows: read.rows,
        rejected: rejected.rows(),
        sha256: read.sha256,
        encoding: read.encoding.name().to_owned(),
        delimiter: delimiter_name(sniffed.delimiter).to_owned(),
        columns: sniffed.columns.iter().cloned().collect(),
        ignored_columns: sniffed.ignored.clone(),
        customers_without_export: None,
        json_shape: None,
    });
    loaded.rejected.append(rejected);
    chunks
}

/// A row rejected after parsing for `problem`, its text still to be read back.
pub(super) fn late_row(file: &str, line: u64, problem: FieldProblem) -> RejectedRow {
    RejectedRow {
        element: None,
        file: file.to_owned(),
        line,
        problems: vec![problem],
        record: String::new(),
    }
}

/// Adds rows rejected after parsing (in line order) to those of their file,
/// reading the text of the kept ones back from the file.
pub(super) fn reject_late(
    opened: &Opened,
    mut late: Rejects,
    loaded: &mut LoadedInput,
) -> Result<(), InputError> {
    if late.rows() == 0 {
        return Ok(());
    }
    let lines: FxHashSet<u64> = late.kept().iter().map(|row| row.line).collect();
    if !lines.is_empty() {
        let texts = opened.file.record_texts(&opened.sniffed, &lines)?;
        for row in late.kept_mut() {
            row.record = texts.get(&row.line).cloned().unwrap_or_default();
        }
    }
    let file = opened.file.name();
    if let Some(report) = loaded.files.iter_mut().find(|f| f.file == file) {
        report.rejected += late.rows();
    }
    loaded.rejected.merge(late, order);
    Ok(())
}

/// Rejects the license rows the dataset found to repeat an earlier row.
pub fn reject_duplicate_licenses(
    duplicates: &[DuplicateLicense],
    loaded: &mut LoadedInput,
) -> Result<(), InputError> {
    // Only `license_assignments.csv` can hold duplicates: each Active-users export
    // rejects a user listed twice itself.
    let Some(opened) = loaded.licenses_file.take() else {
        return Ok(());
    };
    let mut late = loaded.rejected.empty_like();
    for duplicate in duplicates {
        late.push_with(1, || {
            let message = format!(
                "duplicate of the license on line {} (same customer, user and offer)",
                duplicate.first_line
            );
            let problem = FieldProblem::new(licenses::COLUMNS[1].name, message);
            late_row(LICENSES, u64::from(duplicate.line), problem)
        });
    }
    reject_late(&opened, late, loaded)
}

/// The order of rejected rows: by file (in [`FILES`] order, the Active-users
/// exports after them), then line.
fn order(row: &RejectedRow) -> (usize, u64) {
    let file = FILES
        .iter()
        .position(|known| *known == row.file)
        .unwrap_or(FILES.len());
    (file, row.line)
}
