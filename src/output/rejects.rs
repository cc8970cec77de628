//! `rejects.csv`: one row per rejected input row, every problem in `error`, the
//! row as it stood in `record` (both guarded against formulas in the CSV, like
//! every text cell).

use super::rows::RowSink;
use crate::input::RejectedRow;

pub const REJECTS_HEADER: [&str; 4] = ["file", "line", "error", "record"];

pub fn render(sink: &mut impl RowSink, rejected: &[RejectedRow]) {
    for row in rejected {
        sink.text(row.file.as_str());
        // A line number, or a JSON element's position (`[3]`) for Graph's exports.
        match &row.element {
            Some(element) => sink.text(element),
            None => sink.number(row.line),
        }
        sink.text(&row.joined_problems());
        sink.text(&row.record);
        sink.end_row();
    }
}
