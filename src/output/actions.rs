//! `actions.csv`: the fix list — one row per (customer, action, subject), the
//! fixes that unblock the most pairs first.

use std::cmp::Ordering;
use std::ops::Range;

use super::cells::CellRecorder;
use super::csv::CsvOut;
use super::render::{Formats, OrderedRows, WholeCsv, WholeReport};
use super::rows::{Repeat, RowSink, Tee};
use super::spill::{Part, RowBytes};
use super::{ACTIONS_FILE, Leftovers};
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
    /// Rows are rendered into `scratch` (emptied; its memory reused), which
    /// [`BatchActions::sort`] hands back.
    pub fn new(formats: Formats, scratch: Vec<u8>) -> BatchActions {
        BatchActions {
            csv: CsvOut::with_style(scratch, formats.csv),
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
            let key = u64::from(cx.customer.idx.0);
            sink.repeated(Repeat::Leading, key, &|sink| {
                sink.text(customer.id());
                sink.text(customer.company_name());
            });
            sink.token(tally.action.kind.code());
            sink.text(subject);
            sink.number(tally.unblocks_pairs);
            sink.number(tally.involved_pairs);
            sink.text(details);
            sink.repeated(Repeat::Trailing, key, &|sink| {
                sink.text(customer.account_manager());
            });
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

    /// Puts the batch's rows in report order (on the worker that rendered them),
    /// so that the end only takes the batches' runs ([`ActionsReport::order`]).
    /// The CSV bytes are put in that order too, while they are in the cache: a run
    /// of rows is then one piece of memory to write, where copying 140,000 rows
    /// one by one from all over the batches held up the end of a 100k run. The
    /// buffer they were rendered into is handed back, for the next batch.
    pub fn sort(&mut self) -> Vec<u8> {
        let subjects = &self.subjects;
        self.rows.sort_unstable_by(|a, b| {
            report_order(
                a,
                &subjects[a.subject.clone()],
                b,
                &subjects[b.subject.clone()],
            )
        });
        let rendered = self.csv.as_bytes();
        let mut sorted = Vec::with_capacity(rendered.len());
        for key in &mut self.rows {
            let start = sorted.len();
            sorted.extend_from_slice(&rendered[key.csv.clone()]);
            key.csv = start..sorted.len();
        }
        let mut scratch = self.csv.replace_rows(sorted);
        scratch.clear();
        scratch
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
        // Rows that follow each other in their batch's buffer are one piece.
        let mut rows: Vec<(u32, Range<usize>)> = Vec::new();
        for &(at, row) in &order {
            let range = self.batches[at as usize].rows[row as usize].csv.clone();
            match rows.last_mut() {
                Some((last_at, last)) if *last_at == at && last.end == range.start => {
                    last.end = range.end;
                }
                _ => rows.push((at, range)),
            }
        }
        let neutralized = self.batches.iter().map(|b| b.csv.neutralized()).sum();
        let mut keys = Vec::with_capacity(self.batches.len());
        let buffers = self
            .batches
            .into_iter()
            .map(|batch| {
                keys.push((batch.rows, batch.subjects, batch.cells));
                batch.csv.into_bytes()
            })
            .collect();
        // Freeing the batches' keys (megabytes in blocks that each make glibc
        // consolidate its free lists) took 10–25 ms on the run's critical path.
        let mut leftovers = Leftovers::default();
        leftovers.keep(keys);
        WholeReport {
            file: ACTIONS_FILE,
            csv: WholeCsv::Ordered(OrderedRows {
                head: header.into_bytes(),
                buffers,
                rows,
            }),
            cells,
            neutralized,
            leftovers,
        }
    }

    /// Every row as (batch, row in batch), in report order. Each batch's rows are
    /// sorted ([`BatchActions::sort`]) and the batches hold consecutive customers,
    /// so the rows sharing (unblocks_pairs, involved_pairs) are the batches' runs
    /// of those counts, taken in batch order: the end only lists the distinct
    /// counts (2–5 ms at 100k customers; sorting every row took 25–80 ms). Should
    /// there be so many distinct counts that visiting every batch for each costs
    /// more than the rows, every row is sorted instead.
    fn order(&self) -> Vec<(u32, u32)> {
        let rows: usize = self.batches.iter().map(|b| b.rows.len()).sum();
        let mut distinct: Vec<(u64, u64)> = self
            .batches
            .iter()
            .flat_map(|batch| {
                batch
                    .rows
                    .chunk_by(|a, b| counts(a) == counts(b))
                    .map(|run| counts(&run[0]))
            })
            .collect();
        distinct.sort_unstable_by(|a, b| b.cmp(a));
        distinct.dedup();
        if whole_sort_is_cheaper(distinct.len(), self.batches.len(), rows) {
            return self.sorted();
        }
        let mut next = vec![0usize; self.batches.len()];
        let mut order = Vec::with_capacity(rows);
        for wanted in distinct {
            for (at, batch) in self.batches.iter().enumerate() {
                let start = next[at];
                let run = batch.rows[start..]
                    .iter()
                    .take_while(|key| counts(key) == wanted)
                    .count();
                order.extend((start..start + run).map(|row| (at as u32, row as u32)));
                next[at] = start + run;
            }
        }
        order
    }

    /// Every row in report order, sorted as a whole.
    fn sorted(&self) -> Vec<(u32, u32)> {
        let mut order: Vec<(u32, u32)> = self
            .batches
            .iter()
            .enumerate()
            .flat_map(|(at, batch)| (0..batch.rows.len()).map(move |row| (at as u32, row as u32)))
            .collect();
        let key = |&(at, row): &(u32, u32)| {
            let batch = &self.batches[at as usize];
            let key = &batch.rows[row as usize];
            (key, &batch.subjects[key.subject.clone()])
        };
        order.sort_unstable_by(|a, b| {
            let ((a_key, a_subject), (b_key, b_subject)) = (key(a), key(b));
            report_order(a_key, a_subject, b_key, b_subject)
                // One row per (customer, action, subject): never reached.
                .then(a.cmp(b))
        });
        order
    }
}

/// True when visiting every batch for each distinct count would cost more than
/// sorting every row.
fn whole_sort_is_cheaper(distinct_counts: usize, batches: usize, rows: usize) -> bool {
    distinct_counts.saturating_mul(batches) > rows.saturating_mul(8)
}

/// A row's unblocks_pairs and involved_pairs, the first keys of the report order.
fn counts(key: &RowKey) -> (u64, u64) {
    (key.unblocks_pairs, key.involved_pairs)
}

/// The report order of two rows: unblocks_pairs descending, involved_pairs
/// descending, customer, action, subject (contract §5).
fn report_order(a: &RowKey, a_subject: &str, b: &RowKey, b_subject: &str) -> Ordering {
    b.unblocks_pairs
        .cmp(&a.unblocks_pairs)
        .then(b.involved_pairs.cmp(&a.involved_pairs))
        .then(a.customer.0.cmp(&b.customer.0))
        .then_with(|| a.action.cmp(b.action))
        .then_with(|| a_subject.cmp(b_subject))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ACTIONS: [&str; 3] = [
        "CancelSubscription",
        "ExtendAdminRelationship",
        "ReduceQuantity",
    ];

    /// Batches of consecutive customers; each row (customer, action, subject) once,
    /// its counts from `counts`.
    fn batches(rows: &[Vec<(u8, u8, u8)>]) -> ActionsReport {
        let mut report = ActionsReport::default();
        for (at, batch_rows) in rows.iter().enumerate() {
            let mut batch = BatchActions::new(Formats::default(), Vec::new());
            for (i, &(unblocks, extra, action)) in batch_rows.iter().enumerate() {
                let start = batch.subjects.len();
                batch.subjects.push_str(&format!("s{}", i % 3));
                batch.rows.push(RowKey {
                    unblocks_pairs: u64::from(unblocks % 4),
                    involved_pairs: u64::from(unblocks % 4 + extra % 3),
                    // Consecutive customers per batch; a customer has up to 9 rows.
                    customer: CustomerIdx((at * 100 + i / 9) as u32),
                    action: ACTIONS[usize::from(action) % 3],
                    subject: start..batch.subjects.len(),
                    csv: 0..0,
                    cells: 0..0,
                });
            }
            // One row per (customer, action, subject), as tallies give them.
            let subjects = batch.subjects.clone();
            let mut seen = std::collections::HashSet::new();
            batch.rows.retain(|key| {
                seen.insert((
                    key.customer.0,
                    key.action,
                    subjects[key.subject.clone()].to_owned(),
                ))
            });
            // Each row's CSV bytes name its keys, so that the report's bytes show
            // its order.
            for key in &mut batch.rows {
                let start = batch.csv.as_bytes().len();
                batch.csv.record(row_text(key, &subjects));
                key.csv = start..batch.csv.as_bytes().len();
            }
            let scratch = batch.sort();
            assert!(scratch.is_empty());
            report.push(batch);
        }
        report
    }

    /// The fields a test row's CSV line holds.
    fn row_text(key: &RowKey, subjects: &str) -> [String; 5] {
        [
            format!("c{}", key.customer.0),
            key.action.to_owned(),
            subjects[key.subject.clone()].to_owned(),
            key.unblocks_pairs.to_string(),
            key.involved_pairs.to_string(),
        ]
    }

    proptest! {
        /// The report's bytes are the header, then every row's bytes in the
        /// contract's order: the batches' bytes put in order on their workers and
        /// taken as runs at the end.
        #[test]
        fn the_report_holds_every_row_once_in_report_order(
            rows in proptest::collection::vec(
                proptest::collection::vec((0u8..8, 0u8..8, 0u8..3), 0..30),
                0..6,
            )
        ) {
            let report = batches(&rows);
            let mut expected = CsvOut::default();
            for name in ACTIONS_HEADER {
                expected.text(name);
            }
            expected.end_row();
            for (at, row) in report.sorted() {
                let batch = &report.batches[at as usize];
                expected.record(row_text(&batch.rows[row as usize], &batch.subjects));
            }
            let mut written = Vec::new();
            let mut csv = report.finish(Formats::default()).csv;
            csv.for_each_piece(&mut Vec::new(), |piece| {
                written.extend_from_slice(piece);
                Ok(())
            })
            .expect("in memory");
            prop_assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(expected.as_bytes())
            );
        }

        /// Up to 12 batches: with many batches of few rows each, `order` takes the
        /// whole sort (see the test below).
        #[test]
        fn runs_by_counts_and_the_whole_sort_give_the_report_order(
            rows in proptest::collection::vec(
                proptest::collection::vec((0u8..8, 0u8..8, 0u8..3), 0..30),
                0..12,
            )
        ) {
            let report = batches(&rows);
            let mut expected: Vec<(u32, u32)> = report
                .batches
                .iter()
                .enumerate()
                .flat_map(|(at, b)| (0..b.rows.len()).map(move |row| (at as u32, row as u32)))
                .collect();
            // The contract's order, spelled out on the rows' values.
            let key = |&(at, row): &(u32, u32)| {
                let batch = &report.batches[at as usize];
                let key = &batch.rows[row as usize];
                (
                    u64::MAX - key.unblocks_pairs,
                    u64::MAX - key.involved_pairs,
                    key.customer.0,
                    key.action,
                    batch.subjects[key.subject.clone()].to_owned(),
                )
            };
            expected.sort_by_key(key);
            prop_assert_eq!(report.order(), expected.clone());
            prop_assert_eq!(report.sorted(), expected);
        }
    }

    #[test]
    fn many_distinct_counts_over_many_batches_take_the_whole_sort_in_report_order() {
        // Ten batches of one row, each with counts of its own: ten distinct counts
        // times ten batches is more than eight visits per row.
        let rows: Vec<Vec<(u8, u8, u8)>> = (0..10u8).map(|i| vec![(i, i, 0)]).collect();
        let report = batches(&rows);
        let total: usize = report.batches.iter().map(|b| b.rows.len()).sum();
        let distinct: std::collections::HashSet<(u64, u64)> = report
            .batches
            .iter()
            .flat_map(|b| b.rows.iter().map(counts))
            .collect();
        assert!(distinct.len() > 1, "{distinct:?}");
        assert!(whole_sort_is_cheaper(
            distinct.len(),
            report.batches.len(),
            total
        ));
        assert_eq!(report.order(), report.sorted());
        // Descending counts first, whatever the batch.
        let first: Vec<(u64, u64)> = report
            .order()
            .iter()
            .map(|&(at, row)| counts(&report.batches[at as usize].rows[row as usize]))
            .collect();
        let mut descending = first.clone();
        descending.sort_by(|a, b| b.cmp(a));
        assert_eq!(first, descending);
    }

    #[test]
    fn few_distinct_counts_take_the_runs() {
        assert!(!whole_sort_is_cheaper(3, 200, 140_000));
        assert!(!whole_sort_is_cheaper(0, 0, 0));
        assert!(whole_sort_is_cheaper(100, 10, 100));
    }
}
