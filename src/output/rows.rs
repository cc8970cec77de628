//! Where a report row's cells go. Every report's rows are rendered once, in
//! `decisions.rs` and beside it, into a [`RowSink`]; the CSV writer and the
//! workbook each implement it, so both show the same rows and columns.

/// The receiver of one report's rows, cell by cell.
pub trait RowSink {
    /// Text from the input or the catalog, or a sentence: quoted (and guarded
    /// against spreadsheet formulas) as the format needs.
    fn text(&mut self, value: &str);
    /// A count.
    fn number(&mut self, value: u64);
    /// A code or keyword of ours (`upgrade_only`, `ConflictingServiceTypes;…`):
    /// never needs quoting or guarding.
    fn token(&mut self, value: &str);
    /// Ends the row.
    fn end_row(&mut self);
}
