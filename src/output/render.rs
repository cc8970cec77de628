//! Report rows rendered once for every format the run writes: each row goes to
//! the CSV (styled, formula-guarded) and, with `--xlsx`, to a recording of its
//! raw cells for the workbook ([`ReportRows`], a tee of the two). Both spill past
//! a limit, so a batch takes bounded memory whatever a customer's output.

use std::io;
use std::ops::Range;
use std::path::Path;

use super::Leftovers;
use super::cells::CellRecorder;
use super::changes::{CHANGES_HEADER, ChangeCounts, Comparison, record};
use super::csv::{CsvOut, CsvStyle};
use super::decisions::{
    BLOCKED_HEADER, DecisionSinks, ELIGIBLE_HEADER, REASSIGNMENTS_HEADER, render_customer,
};
use super::overview::{self, OVERVIEW_HEADER};
use super::rows::{Repeat, RowSink, Tee};
use super::spill::{Part, Spilling};
use super::{
    BLOCKED_FILE, CHANGES_FILE, ELIGIBLE_FILE, OVERVIEW_FILE, REASSIGNMENTS_FILE, RECORD_FILE,
};
use crate::decision::CustomerDecisions;
use crate::text::{Context, Lang, Texts};

/// The formats a run writes its reports in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Formats {
    /// The layout of every CSV report.
    pub csv: CsvStyle,
    /// Whether the reports also go into `upgrade-recon.xlsx`.
    pub workbook: bool,
    /// The language of the sentences and of the workbook's words.
    pub lang: Lang,
}

/// The reports whose rows are streamed batch by batch.
pub const STREAMED_REPORTS: usize = 5;

/// Files streamed batch by batch: the reports, then the record of the decisions.
pub const STREAMED_COUNT: usize = STREAMED_REPORTS + 1;

/// The files streamed batch by batch, in [`StreamedRows`] order: the reports,
/// then `decisions.bin`.
pub const STREAMED_FILES: [&str; STREAMED_COUNT] = [
    ELIGIBLE_FILE,
    BLOCKED_FILE,
    REASSIGNMENTS_FILE,
    OVERVIEW_FILE,
    CHANGES_FILE,
    RECORD_FILE,
];

const STREAMED_HEADERS: [&[&str]; STREAMED_REPORTS] = [
    &ELIGIBLE_HEADER,
    &BLOCKED_HEADER,
    &REASSIGNMENTS_HEADER,
    &OVERVIEW_HEADER,
    &CHANGES_HEADER,
];

/// One report's rows (of a batch, or whole) in every format of the run.
#[derive(Debug, Default)]
pub struct Rendered {
    pub csv: Part,
    /// The recorded cells for the workbook (`None` without `--xlsx`).
    pub cells: Option<Part>,
    /// CSV cells written with the formula guard.
    pub neutralized: u64,
}

/// Rows of the streamed reports for a run of customers, one part per report in
/// [`STREAMED_FILES`] order, and the record's entries for `decisions.bin`.
#[derive(Debug, Default)]
pub struct StreamedRows {
    pub reports: [Rendered; STREAMED_REPORTS],
    pub record: Part,
}

impl StreamedRows {
    /// The record's last entry, alone.
    pub fn record_end(counts: &record::Counts) -> StreamedRows {
        StreamedRows {
            record: Part::in_memory(record::end(counts)),
            ..StreamedRows::default()
        }
    }
}

/// A report written whole at the end (`rejects.csv`, `actions.csv`, …): its
/// name and its rows, header first.
#[derive(Debug)]
pub struct WholeReport {
    pub file: &'static str,
    pub csv: WholeCsv,
    /// The recorded cells for the workbook (`None` without `--xlsx`).
    pub cells: Option<Part>,
    /// CSV cells written with the formula guard.
    pub neutralized: u64,
    /// Memory that rendering the report used, freed after the commit.
    pub leftovers: Leftovers,
}

/// The CSV bytes of a report written whole.
#[derive(Debug)]
pub enum WholeCsv {
    /// Rendered in order.
    Part(Part),
    /// Rendered in several buffers and put in order afterwards.
    Ordered(OrderedRows),
}

/// Rows rendered in several buffers (in parallel) and then put in order: written
/// piece by piece, never copied together first — at 100k customers, gathering
/// `actions.csv` into one buffer cost more than writing it.
#[derive(Debug)]
pub struct OrderedRows {
    /// The preamble and the header row.
    pub head: Vec<u8>,
    pub buffers: Vec<Vec<u8>>,
    /// The rows in order, as pieces of the buffers: a buffer's index and a
    /// range of one or more rows there.
    pub rows: Vec<(u32, Range<usize>)>,
}

impl WholeCsv {
    /// Feeds every byte in order to `write`, in pieces (`buffer` is scratch space).
    pub fn for_each_piece(
        &mut self,
        buffer: &mut Vec<u8>,
        mut write: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        match self {
            WholeCsv::Part(part) => part.for_each_piece(buffer, write),
            WholeCsv::Ordered(ordered) => {
                write(&ordered.head)?;
                for (at, range) in &ordered.rows {
                    write(&ordered.buffers[*at as usize][range.clone()])?;
                }
                Ok(())
            }
        }
    }
}

/// The sink one report's rows are rendered into: the CSV and, with the workbook,
/// the recorded cells.
pub struct ReportRows<'d> {
    csv: Spilling<'d, CsvOut>,
    cells: Option<Spilling<'d, CellRecorder>>,
}

impl<'d> ReportRows<'d> {
    /// Renders into `csv_buffer` (emptied; its memory reused); spills go to
    /// `spill_dir` (or none: the rows stay in memory).
    pub fn new(
        csv_buffer: Vec<u8>,
        formats: Formats,
        spill_dir: Option<&'d Path>,
    ) -> ReportRows<'d> {
        ReportRows {
            csv: Spilling::new(CsvOut::with_style(csv_buffer, formats.csv), spill_dir),
            cells: formats
                .workbook
                .then(|| Spilling::new(CellRecorder::default(), spill_dir)),
        }
    }

    /// The start of a report: the style's preamble (the BOM) and the header row.
    pub fn start_report(&mut self, style: CsvStyle, header: &[&str]) {
        self.csv.sink_mut().preamble(style.preamble());
        for name in header {
            self.text(name);
        }
        self.end_row();
    }

    pub fn finish(self) -> io::Result<Rendered> {
        let neutralized = self.csv.sink().neutralized();
        Ok(Rendered {
            csv: self.csv.finish()?,
            cells: self.cells.map(Spilling::finish).transpose()?,
            neutralized,
        })
    }

    fn tee(&mut self) -> Tee<'_, Spilling<'d, CsvOut>, Spilling<'d, CellRecorder>> {
        Tee {
            first: &mut self.csv,
            second: self.cells.as_mut(),
        }
    }
}

impl RowSink for ReportRows<'_> {
    fn text(&mut self, value: &str) {
        self.tee().text(value);
    }

    fn number(&mut self, value: u64) {
        self.tee().number(value);
    }

    fn token(&mut self, value: &str) {
        self.tee().token(value);
    }

    fn end_row(&mut self) {
        self.tee().end_row();
    }

    fn repeated(&mut self, at: Repeat, key: u64, render: &dyn Fn(&mut dyn RowSink)) {
        self.tee().repeated(at, key, render);
    }
}

/// Renders a report written whole: its header, then what `render` writes. Its
/// rows stay in memory, like the records they are rendered from.
pub fn whole_report(
    file: &'static str,
    header: &[&str],
    formats: Formats,
    render: impl FnOnce(&mut ReportRows<'_>),
) -> io::Result<WholeReport> {
    let mut rows = ReportRows::new(Vec::new(), formats, None);
    rows.start_report(formats.csv, header);
    render(&mut rows);
    let rows = rows.finish()?;
    Ok(WholeReport {
        file,
        csv: WholeCsv::Part(rows.csv),
        cells: rows.cells,
        neutralized: rows.neutralized,
        leftovers: Leftovers::default(),
    })
}

/// The header rows of the streamed reports (after the style's preamble), and
/// the record's header.
pub fn streamed_headers(formats: Formats) -> io::Result<StreamedRows> {
    let mut rendered = StreamedRows {
        record: Part::in_memory(record::header(&record::registry_codes())),
        ..StreamedRows::default()
    };
    for (slot, header) in rendered.reports.iter_mut().zip(STREAMED_HEADERS) {
        let mut rows = ReportRows::new(Vec::new(), formats, None);
        rows.start_report(formats.csv, header);
        *slot = rows.finish()?;
    }
    Ok(rendered)
}

/// A batch's part of the comparison with the previous set: the previous set's
/// customers that sort among the batch's.
#[derive(Clone, Copy)]
pub struct BatchChanges<'a> {
    pub comparison: &'a Comparison,
    pub previous: &'a [u8],
}

/// One batch's rendered rows, with what its record holds and the changes counted.
pub struct StreamedBatch {
    pub rows: StreamedRows,
    pub record: record::Counts,
    pub changes: ChangeCounts,
}

/// Renders the streamed reports' rows customer by customer, in report order, with
/// their record entries; [`StreamedRenderer::finish`] then compares the entries with
/// the previous set's. A customer's rows are rendered right after its decisions are
/// made, while they are in the cache, and the decisions are dropped before the next
/// customer's are made, so that their memory is reused at once.
pub struct StreamedRenderer<'d> {
    eligible: ReportRows<'d>,
    blocked: ReportRows<'d>,
    reassignments: ReportRows<'d>,
    overview: ReportRows<'d>,
    changed: ReportRows<'d>,
    entries: Vec<u8>,
    counts: record::Counts,
    scratch: String,
}

impl<'d> StreamedRenderer<'d> {
    /// Renders into `buffers` (emptied, in [`STREAMED_FILES`] order), so that a
    /// caller can reuse their memory; rows past a limit spill to unnamed files in
    /// `spill_dir`.
    pub fn new(
        buffers: [Vec<u8>; STREAMED_COUNT],
        formats: Formats,
        spill_dir: &'d Path,
    ) -> StreamedRenderer<'d> {
        let [
            eligible,
            blocked,
            reassignments,
            overview,
            changed,
            mut entries,
        ] = buffers;
        let [eligible, blocked, reassignments, overview, changed] =
            [eligible, blocked, reassignments, overview, changed]
                .map(|buffer| ReportRows::new(buffer, formats, Some(spill_dir)));
        entries.clear();
        StreamedRenderer {
            eligible,
            blocked,
            reassignments,
            overview,
            changed,
            entries,
            counts: record::Counts::default(),
            scratch: String::new(),
        }
    }

    /// Renders the rows and the record entry of the customer `cx` is about, whose
    /// decisions are `decisions`; customers must come in report order.
    pub fn add_customer(
        &mut self,
        cx: &Context<'_>,
        texts: &dyn Texts,
        decisions: &CustomerDecisions,
    ) {
        let mut sinks = DecisionSinks {
            eligible: &mut self.eligible,
            blocked: &mut self.blocked,
            reassignments: &mut self.reassignments,
        };
        render_customer(cx, texts, decisions, &mut sinks, &mut self.scratch);
        overview::render_customer(
            &mut self.overview,
            cx.catalog,
            cx.customer,
            decisions,
            &mut self.scratch,
        );
        record::encode_customer(
            &mut self.entries,
            &cx.customer,
            decisions,
            cx.catalog,
            &mut self.counts,
        );
    }

    /// The rows rendered, with the changes against the previous set's customers
    /// among them (`changes`), if any.
    pub fn finish(mut self, changes: Option<BatchChanges<'_>>) -> io::Result<StreamedBatch> {
        let mut change_counts = ChangeCounts::default();
        if let Some(batch) = changes {
            batch.comparison.compare(
                batch.previous,
                &self.entries,
                &mut self.changed,
                &mut change_counts,
            );
        }
        Ok(StreamedBatch {
            rows: StreamedRows {
                reports: [
                    self.eligible.finish()?,
                    self.blocked.finish()?,
                    self.reassignments.finish()?,
                    self.overview.finish()?,
                    self.changed.finish()?,
                ],
                record: Part::in_memory(self.entries),
            },
            record: self.counts,
            changes: change_counts,
        })
    }
}
