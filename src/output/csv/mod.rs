//! The CSV emitter: the streamed reports' rows formatted into byte buffers in
//! parallel, batch by batch, and appended in order by a writer thread (`sink`)
//! that writes past the page cache where it can (`direct`). The record of the
//! set's decisions (`decisions.bin`) and `changes.csv` are streamed the same way.

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

use super::changes::{self, ChangeCounts, Comparison, record};
use super::decisions::{
    BLOCKED_HEADER, DecisionSinks, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, ReportInput,
    render_customer,
};
use super::overview::{self, OVERVIEW_HEADER};
use super::{
    BLOCKED_FILE, CHANGES_FILE, ELIGIBLE_FILE, OVERVIEW_FILE, REASSIGNMENTS_FILE, RECORD_FILE,
};
use crate::decision::CustomerDecisions;
use crate::input::RejectedRow;
use crate::model::CustomerIdx;

pub const REJECTS_HEADER: [&str; 4] = ["file", "line", "error", "record"];

/// Files streamed batch by batch.
pub const STREAMED_COUNT: usize = 6;

/// The reports whose rows are streamed batch by batch, in [`StreamedRows`] order.
pub const STREAMED_FILES: [&str; STREAMED_COUNT] = [
    ELIGIBLE_FILE,
    BLOCKED_FILE,
    REASSIGNMENTS_FILE,
    OVERVIEW_FILE,
    CHANGES_FILE,
    RECORD_FILE,
];

/// Where the record is in [`StreamedRows`].
const RECORD: usize = 5;

/// Rows of the streamed reports for a run of customers, as CSV bytes (the
/// record's entries for `decisions.bin`), one part per file in
/// [`STREAMED_FILES`] order.
#[derive(Debug, Default)]
pub struct StreamedRows(pub [Part; STREAMED_COUNT]);

impl StreamedRows {
    /// The record's last entry, alone.
    pub fn record_end(counts: &record::Counts) -> StreamedRows {
        let mut rows = StreamedRows::default();
        rows.0[RECORD] = Part::in_memory(record::end(counts));
        rows
    }
}

/// The header rows of the streamed reports, and the record's header.
pub fn streamed_headers() -> StreamedRows {
    let headers: [&[&str]; 5] = [
        &ELIGIBLE_HEADER,
        &BLOCKED_HEADER,
        &REASSIGNMENTS_HEADER,
        &OVERVIEW_HEADER,
        &changes::CHANGES_HEADER,
    ];
    let [eligible, blocked, reassignments, overview, changes] = headers.map(|header| {
        let mut out = CsvOut::default();
        out.record(header);
        out.into_bytes()
    });
    let record = record::header(&record::registry_codes());
    StreamedRows([eligible, blocked, reassignments, overview, changes, record].map(Part::in_memory))
}

/// A batch's part of the comparison with the previous set: the previous set's
/// customers that sort among the batch's.
#[derive(Clone, Copy)]
pub struct BatchChanges<'a> {
    pub comparison: &'a Comparison,
    pub previous: &'a [u8],
}

/// One batch's formatted rows, with what its record holds and the changes counted.
pub struct StreamedBatch {
    pub rows: StreamedRows,
    pub record: record::Counts,
    pub changes: ChangeCounts,
}

/// Formats the streamed reports' rows of `customers` (with their decisions, in
/// report order), their record entries and, given the previous set's customers
/// among them, their changes. `buffers` (emptied) are written into, so that a
/// caller can reuse their memory; rows past a limit spill to unnamed files in
/// `spill_dir`.
pub fn streamed_rows(
    input: ReportInput<'_>,
    customers: &[CustomerIdx],
    decisions: &[CustomerDecisions],
    buffers: StreamedRows,
    changes: Option<BatchChanges<'_>>,
    spill_dir: &Path,
) -> io::Result<StreamedBatch> {
    let [
        eligible,
        blocked,
        reassignments,
        overview_rows,
        changed,
        entries,
    ] = buffers.0;
    let mut entries = entries.bytes;
    let [eligible, blocked, reassignments, overview_rows, changed] =
        [eligible, blocked, reassignments, overview_rows, changed]
            .map(|part| Spilling::new(part.bytes, spill_dir));
    let (mut eligible, mut blocked, mut reassignments, mut overview_rows, mut changed) =
        (eligible, blocked, reassignments, overview_rows, changed);
    entries.clear();
    let mut counts = record::Counts::default();
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
        record::encode_customer(
            &mut entries,
            &cx.customer,
            decisions,
            input.catalog,
            &mut counts,
        );
    }
    let mut change_counts = ChangeCounts::default();
    if let Some(batch) = changes {
        batch
            .comparison
            .compare(batch.previous, &entries, &mut changed, &mut change_counts);
    }
    Ok(StreamedBatch {
        rows: StreamedRows([
            eligible.finish()?,
            blocked.finish()?,
            reassignments.finish()?,
            overview_rows.finish()?,
            changed.finish()?,
            Part::in_memory(entries),
        ]),
        record: counts,
        changes: change_counts,
    })
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
