//! The CSV emitter: the streamed reports' rows formatted into byte buffers in
//! parallel, batch by batch, and appended in order by a writer thread (`sink`)
//! that writes past the page cache where it can (`direct`).

mod direct;
mod sink;
mod spill;
mod writer;

pub use sink::Sink;
pub use spill::Part;
pub use writer::CsvOut;

use std::io;
use std::path::Path;

use spill::Spilling;

use super::decisions::{
    BLOCKED_HEADER, DecisionSinks, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, ReportInput,
    render_customer,
};
use super::overview::{self, OVERVIEW_HEADER};
use super::{BLOCKED_FILE, ELIGIBLE_FILE, OVERVIEW_FILE, REASSIGNMENTS_FILE};
use crate::decision::CustomerDecisions;
use crate::input::RejectedRow;
use crate::model::CustomerIdx;

pub const REJECTS_HEADER: [&str; 4] = ["file", "line", "error", "record"];

/// The reports whose rows are streamed batch by batch, in [`StreamedRows`] order.
pub const STREAMED_FILES: [&str; 4] = [
    ELIGIBLE_FILE,
    BLOCKED_FILE,
    REASSIGNMENTS_FILE,
    OVERVIEW_FILE,
];

/// Rows of the streamed reports for a run of customers, as CSV bytes, one part
/// per report in [`STREAMED_FILES`] order.
#[derive(Debug, Default)]
pub struct StreamedRows(pub [Part; 4]);

/// The header rows of the streamed reports.
pub fn streamed_headers() -> StreamedRows {
    let headers: [&[&str]; 4] = [
        &ELIGIBLE_HEADER,
        &BLOCKED_HEADER,
        &REASSIGNMENTS_HEADER,
        &OVERVIEW_HEADER,
    ];
    StreamedRows(headers.map(|header| {
        let mut out = CsvOut::default();
        out.record(header);
        Part::in_memory(out.into_bytes())
    }))
}

/// Formats the streamed reports' rows of `customers` (with their decisions, in
/// report order). `buffers` (emptied) are written into, so that a caller can
/// reuse their memory; rows past a limit spill to unnamed files in `spill_dir`.
pub fn streamed_rows(
    input: ReportInput<'_>,
    customers: &[CustomerIdx],
    decisions: &[CustomerDecisions],
    buffers: StreamedRows,
    spill_dir: &Path,
) -> io::Result<StreamedRows> {
    let [eligible, blocked, reassignments, overview_rows] =
        buffers.0.map(|part| Spilling::new(part.bytes, spill_dir));
    let (mut eligible, mut blocked, mut reassignments, mut overview_rows) =
        (eligible, blocked, reassignments, overview_rows);
    let mut scratch = String::new();
    for (&customer, decisions) in customers.iter().zip(decisions) {
        let cx = input.context(customer, decisions);
        let mut sinks = DecisionSinks {
            eligible: &mut eligible,
            blocked: &mut blocked,
            reassignments: &mut reassignments,
        };
        render_customer(&cx, input.texts, decisions, &mut sinks, &mut scratch);
        overview::render_customer(
            &mut overview_rows,
            input.catalog,
            cx.customer,
            decisions,
            &mut scratch,
        );
    }
    Ok(StreamedRows([
        eligible.finish()?,
        blocked.finish()?,
        reassignments.finish()?,
        overview_rows.finish()?,
    ]))
}

/// `rejects.csv`: one row per rejected row, every problem in `error`.
pub fn rejects_csv(rejected: &[RejectedRow]) -> Vec<u8> {
    let mut out = CsvOut::default();
    out.record(REJECTS_HEADER);
    for row in rejected {
        out.record([
            row.file.as_str(),
            &row.location(),
            &row.joined_problems(),
            &row.record,
        ]);
    }
    out.into_bytes()
}

/// `actions.csv`, whole.
pub fn actions_csv(rows: &[super::actions::ActionRow]) -> Vec<u8> {
    let mut out = CsvOut::default();
    out.record(super::actions::ACTIONS_HEADER);
    super::actions::render(&mut out, rows);
    out.into_bytes()
}
