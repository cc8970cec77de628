//! The CSV emitter: report rows formatted into byte buffers in parallel, batch by
//! batch, and appended in order by a writer thread (`sink`) that writes past the
//! page cache where it can (`direct`).

mod direct;
mod sink;
mod writer;

pub use sink::Sink;
pub use writer::CsvOut;

use super::decisions::{
    BLOCKED_HEADER, DecisionSinks, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, ReportInput, render,
};
use crate::input::RejectedRow;

pub const REJECTS_HEADER: [&str; 4] = ["file", "line", "error", "record"];

/// The rows of the three decision reports for a run of customers, as CSV bytes.
#[derive(Debug, Default)]
pub struct DecisionRows {
    pub eligible: Vec<u8>,
    pub blocked: Vec<u8>,
    pub reassignments: Vec<u8>,
}

/// The header rows of the three decision reports.
pub fn decision_headers() -> DecisionRows {
    let mut writers = [Vec::new(), Vec::new(), Vec::new()].map(CsvOut::new);
    for (writer, header) in writers.iter_mut().zip([
        &ELIGIBLE_HEADER[..],
        &BLOCKED_HEADER[..],
        &REASSIGNMENTS_HEADER[..],
    ]) {
        writer.record(header);
    }
    into_rows(writers)
}

/// Formats the decision rows of customers `customers` (dataset positions) in
/// report order. `buffers` (emptied) are written into, so that a caller can reuse
/// their memory.
pub fn decision_rows(
    input: ReportInput<'_>,
    customers: std::ops::Range<usize>,
    buffers: DecisionRows,
) -> DecisionRows {
    let DecisionRows {
        eligible,
        blocked,
        reassignments,
    } = buffers;
    let [mut eligible, mut blocked, mut reassignments] =
        [eligible, blocked, reassignments].map(CsvOut::new);
    let mut sinks = DecisionSinks {
        eligible: &mut eligible,
        blocked: &mut blocked,
        reassignments: &mut reassignments,
    };
    render(input, customers, &mut sinks);
    into_rows([eligible, blocked, reassignments])
}

fn into_rows(writers: [CsvOut; 3]) -> DecisionRows {
    let [eligible, blocked, reassignments] = writers.map(CsvOut::into_bytes);
    DecisionRows {
        eligible,
        blocked,
        reassignments,
    }
}

/// `rejects.csv`: one row per rejected row, every problem in `error`.
pub fn rejects_csv(rejected: &[RejectedRow]) -> Vec<u8> {
    let mut out = CsvOut::default();
    out.record(REJECTS_HEADER);
    let mut line = itoa::Buffer::new();
    for row in rejected {
        out.record([
            row.file.as_str(),
            line.format(row.line),
            &row.joined_problems(),
            &row.record,
        ]);
    }
    out.into_bytes()
}
