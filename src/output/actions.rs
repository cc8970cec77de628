//! `actions.csv`: the fix list — one row per (customer, action, subject), the
//! fixes that unblock the most pairs first.

use std::ops::Range;

use super::ACTIONS_FILE;
use super::cells::CellRecorder;
use super::csv::CsvOut;
use super::render::{Formats, Rendered, WholeReport};
use super::rows::{RowSink, Tee};
use super::spill::{Part, RowBytes};
use crate::decision::{CustomerDecisions, Subject};
use crate::model::CustomerIdx;
use crate::rules::tally_actions;
use crate::text::{Context, Texts};

pub const ACTIONS_HEADER: [&str; 8] = [
    "customer_id",
    "company_name",
    "action",
    "subject",
    "unblocks_pairs",
    "involved_pairs",
    "details",
    "account_manager",
];

/// One batch's rows of `actions.csv`, rendered (in parallel with the other
/// batches) in every format of the run, with the keys that put them in report
/// order once every batch is in ([`ActionsReport`]). Rendering at the end would
/// format and copy the whole file on one core while the other idles.
pub struct BatchActions {
    csv: CsvOut,
    cells: Option<CellRecorder>,
    /// The rows' subjects, one after the other (the order's last key).
    subjects: String,
    rows: Vec<RowKey>,
}

/// Where a row is and how it sorts.
struct RowKey {
    unblocks_pairs: u64,
    involved_pairs: u64,
    /// Dataset order is report order of customer ids.
    customer: CustomerIdx,
    action: &'static str,
    subject: Range<usize>,
    csv: Range<usize>,
    cells: Range<usize>,
}

impl BatchActions {
    pub fn new(formats: Formats) -> BatchActions {
        BatchActions {
            csv: CsvOut::with_style(Vec::new(), formats.csv),
            cells: formats.workbook.then(CellRecorder::default),
            subjects: String::new(),
            rows: Vec::new(),
        }
    }

    /// Renders the action rows of one customer.
    pub fn add_customer(
        &mut self,
        cx: &Context<'_>,
        texts: &dyn Texts,
        decisions: &CustomerDecisions,
        details: &mut String,
    ) {
        let customer = cx.customer.customer;
        for tally in tally_actions(cx.catalog, decisions) {
            let subject = match tally.action.subject {
                Subject::Customer => customer.id(),
                Subject::Subscription(position) => &cx.customer.subscriptions[position].id,
            };
            details.clear();
            texts.action_details(details, cx, &tally);
            let start = (
                self.subjects.len(),
                self.csv.as_bytes().len(),
                self.cells_len(),
            );
            self.subjects.push_str(subject);
            let mut sink = Tee {
                first: &mut self.csv,
                second: self.cells.as_mut(),
            };
            sink.text(customer.id());
            sink.text(customer.company_name());
            sink.token(tally.action.kind.code());
            sink.text(subject);
            sink.number(tally.unblocks_pairs);
            sink.number(tally.involved_pairs);
            sink.text(details);
            sink.text(customer.account_manager());
            sink.end_row();
            self.rows.push(RowKey {
                unblocks_pairs: tally.unblocks_pairs,
                involved_pairs: tally.involved_pairs,
                customer: cx.customer.idx,
                action: tally.action.kind.code(),
                subject: start.0..self.subjects.len(),
                csv: start.1..self.csv.as_bytes().len(),
                cells: start.2..self.cells_len(),
            });
        }
    }

    fn cells_len(&self) -> usize {
        self.cells
            .as_ref()
            .map_or(0, |cells| cells.as_bytes().len())
    }
}

/// Every batch's action rows, in customer order.
#[derive(Default)]
pub struct ActionsReport {
    batches: Vec<BatchActions>,
}

impl ActionsReport {
    pub fn push(&mut self, batch: BatchActions) {
        self.batches.push(batch);
    }

    /// The whole report: the header, then the rows by unblocks_pairs descending,
    /// involved_pairs descending, customer, action, subject (contract §5).
    pub fn finish(self, formats: Formats) -> WholeReport {
        let mut order: Vec<(u32, &RowKey)> = self
            .batches
            .iter()
            .enumerate()
            .flat_map(|(at, batch)| batch.rows.iter().map(move |row| (at as u32, row)))
            .collect();
        let subject = |at: u32, row: &RowKey| {
            &self.batches[at as usize].subjects.as_bytes()[row.subject.clone()]
        };
        order.sort_by(|&(a_at, a), &(b_at, b)| {
            b.unblocks_pairs
                .cmp(&a.unblocks_pairs)
                .then(b.involved_pairs.cmp(&a.involved_pairs))
                .then(a.customer.cmp(&b.customer))
                .then(a.action.cmp(b.action))
                .then_with(|| subject(a_at, a).cmp(subject(b_at, b)))
        });
        let mut header = CsvOut::with_style(Vec::new(), formats.csv);
        header.preamble(formats.csv.preamble());
        for name in ACTIONS_HEADER {
            header.text(name);
        }
        header.end_row();
        let rows_len: usize = self.batches.iter().map(|b| b.csv.as_bytes().len()).sum();
        let mut csv = header.into_bytes();
        csv.reserve(rows_len);
        let mut cells = formats.workbook.then(|| {
            let mut header = CellRecorder::default();
            for name in ACTIONS_HEADER {
                header.text(name);
            }
            header.end_row();
            header.into_bytes()
        });
        for &(at, row) in &order {
            let batch = &self.batches[at as usize];
            csv.extend_from_slice(&batch.csv.as_bytes()[row.csv.clone()]);
            if let (Some(cells), Some(recorded)) = (&mut cells, &batch.cells) {
                cells.extend_from_slice(&recorded.as_bytes()[row.cells.clone()]);
            }
        }
        WholeReport {
            file: ACTIONS_FILE,
            rows: Rendered {
                csv: Part::in_memory(csv),
                cells: cells.map(Part::in_memory),
                neutralized: self.batches.iter().map(|b| b.csv.neutralized()).sum(),
            },
        }
    }
}
