//! `actions.csv`: the fix list — one row per (customer, action, subject), the
//! fixes that unblock the most pairs first.

use std::ops::Range;

use rayon::slice::ParallelSliceMut;

use super::ACTIONS_FILE;
use super::cells::CellRecorder;
use super::csv::CsvOut;
use super::render::{Formats, OrderedRows, WholeCsv, WholeReport};
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
        let order = self.order();
        let mut header = CsvOut::with_style(Vec::new(), formats.csv);
        header.preamble(formats.csv.preamble());
        for name in ACTIONS_HEADER {
            header.text(name);
        }
        header.end_row();
        let cells = formats.workbook.then(|| {
            let mut cells = CellRecorder::default();
            for name in ACTIONS_HEADER {
                cells.text(name);
            }
            cells.end_row();
            let mut cells = cells.into_bytes();
            for &(at, row) in &order {
                let batch = &self.batches[at as usize];
                if let Some(recorded) = &batch.cells {
                    let range = batch.rows[row as usize].cells.clone();
                    cells.extend_from_slice(&recorded.as_bytes()[range]);
                }
            }
            Part::in_memory(cells)
        });
        let rows = order
            .iter()
            .map(|&(at, row)| (at, self.batches[at as usize].rows[row as usize].csv.clone()))
            .collect();
        let neutralized = self.batches.iter().map(|b| b.csv.neutralized()).sum();
        WholeReport {
            file: ACTIONS_FILE,
            csv: WholeCsv::Ordered(OrderedRows {
                head: header.into_bytes(),
                buffers: self
                    .batches
                    .into_iter()
                    .map(|b| b.csv.into_bytes())
                    .collect(),
                rows,
            }),
            cells,
            neutralized,
        }
    }

    /// Every row as (batch, row in batch), in report order. The numeric keys are
    /// copied next to each other first: comparing through the rows' keys, spread
    /// over every batch, took most of the sort's time.
    fn order(&self) -> Vec<(u32, u32)> {
        let mut keys: Vec<OrderKey> = self
            .batches
            .iter()
            .enumerate()
            .flat_map(|(at, batch)| {
                batch
                    .rows
                    .iter()
                    .enumerate()
                    .map(move |(row, key)| OrderKey {
                        unblocks_pairs: key.unblocks_pairs,
                        involved_pairs: key.involved_pairs,
                        customer: key.customer.0,
                        at: at as u32,
                        row: row as u32,
                    })
            })
            .collect();
        let full = |key: &OrderKey| &self.batches[key.at as usize].rows[key.row as usize];
        let subject = |key: &OrderKey| {
            let batch = &self.batches[key.at as usize];
            &batch.subjects.as_bytes()[batch.rows[key.row as usize].subject.clone()]
        };
        keys.par_sort_unstable_by(|a, b| {
            b.unblocks_pairs
                .cmp(&a.unblocks_pairs)
                .then(b.involved_pairs.cmp(&a.involved_pairs))
                .then(a.customer.cmp(&b.customer))
                .then_with(|| full(a).action.cmp(full(b).action))
                .then_with(|| subject(a).cmp(subject(b)))
                // One row per (customer, action, subject): never reached.
                .then((a.at, a.row).cmp(&(b.at, b.row)))
        });
        keys.into_iter().map(|key| (key.at, key.row)).collect()
    }
}

/// A row's numeric sort keys and where the row is.
struct OrderKey {
    unblocks_pairs: u64,
    involved_pairs: u64,
    customer: u32,
    at: u32,
    row: u32,
}
