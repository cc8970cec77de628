//! One report's sheets: rows replayed from the recorded cells into constant-memory
//! worksheets — the header bold and frozen, an autofilter, columns as wide as
//! the header and a sample of the first rows need (decided before any row is
//! written: a constant-memory sheet cannot go back), continued on "Blocked (2)"
//! and so on past Excel's row limit, over-long cells cut with a marker.

use std::borrow::Cow;
use std::io;
use std::sync::{Arc, Mutex};

use rust_xlsxwriter::{ColNum, Format, FormatAlign, RowNum, Workbook, Worksheet, XlsxError};

use crate::output::cells::{Cell, RowReader};
use crate::output::spill::Part;
use crate::text::workbook::WorkbookWords;

/// The limits a workbook is written within (smaller ones in tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Rows of one sheet, the header included.
    pub rows_per_sheet: u32,
    /// The longest text of a cell, in UTF-16 code units (as Excel counts).
    pub cell_units: usize,
    /// Rows whose texts decide the column widths.
    pub sample_rows: usize,
}

/// Excel's own limits.
pub const EXCEL_LIMITS: Limits = Limits {
    rows_per_sheet: 1_048_576,
    cell_units: 32_767,
    sample_rows: 2_000,
};

/// The narrowest and widest column, in characters.
const MIN_WIDTH: usize = 6;
pub const MAX_WIDTH: usize = 60;
/// Room for the autofilter's button beside a header name.
const FILTER_BUTTON: usize = 3;

/// Columns whose long sentences wrap instead of running on.
const WRAPPED_COLUMNS: [&str; 1] = ["details"];

/// The formats of the report sheets.
pub struct Styles {
    pub header: Format,
    /// Every data cell: aligned to the top, so that a wrapped neighbour reads well.
    pub cell: Format,
    pub wrapped: Format,
}

impl Styles {
    pub fn new() -> Styles {
        let cell = Format::new().set_align(FormatAlign::Top);
        Styles {
            header: Format::new().set_bold(),
            wrapped: cell.clone().set_text_wrap(),
            cell,
        }
    }
}

/// Printed, a sheet fills A4 landscape pages (a manager prints the Summary, a
/// reviewer a filtered list).
pub fn set_up_pages(sheet: &mut Worksheet) {
    const A4: u8 = 9;
    sheet.set_paper_size(A4).set_landscape();
}

pub(crate) fn xlsx_error(error: XlsxError) -> io::Error {
    io::Error::other(format!("cannot write the workbook: {error}"))
}

/// A cell kept beyond its batch (the first rows, for the Summary sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedCell {
    Text(String),
    Number(u64),
}

impl From<Cell<'_>> for OwnedCell {
    fn from(cell: Cell<'_>) -> OwnedCell {
        match cell {
            Cell::Text(text) => OwnedCell::Text(text.to_owned()),
            Cell::Number(n) => OwnedCell::Number(n),
        }
    }
}

/// The sheets of one report.
pub struct SheetGroup {
    name: &'static str,
    /// The headings and the cut marker, in the run's language.
    words: &'static WorkbookWords,
    /// The workbook the sheets belong to (which makes them), shared by every report.
    book: Arc<Mutex<Workbook>>,
    styles: Styles,
    limits: Limits,
    /// The column names: the first row recorded.
    header: Option<Vec<String>>,
    /// Widest text per column so far (in characters).
    widths: Vec<usize>,
    /// Parts received before the widths were decided, in order.
    pending: Vec<Part>,
    sampled_rows: usize,
    current: Option<(Worksheet, RowNum)>,
    /// Full sheets, in order.
    done: Vec<Worksheet>,
    /// How many of the first data rows to keep.
    keep_rows: usize,
    first_rows: Vec<Vec<OwnedCell>>,
}

impl SheetGroup {
    pub fn new(
        name: &'static str,
        words: &'static WorkbookWords,
        book: Arc<Mutex<Workbook>>,
        limits: Limits,
        keep_rows: usize,
    ) -> SheetGroup {
        SheetGroup {
            name,
            words,
            book,
            styles: Styles::new(),
            limits,
            header: None,
            widths: Vec::new(),
            pending: Vec::new(),
            sampled_rows: 0,
            current: None,
            done: Vec::new(),
            keep_rows,
            first_rows: Vec::new(),
        }
    }

    /// The column names, once a row has come.
    pub fn header(&self) -> Option<&[String]> {
        self.header.as_deref()
    }

    /// The first data rows (as many as asked for at creation).
    pub fn first_rows(&self) -> &[Vec<OwnedCell>] {
        &self.first_rows
    }

    /// Adds the rows of `part` (the first part starts with the header row).
    pub fn append(&mut self, mut part: Part) -> io::Result<()> {
        if part.is_empty() {
            return Ok(());
        }
        if self.current.is_some() {
            return self.write_part(&mut part);
        }
        self.sample(&mut part)?;
        self.pending.push(part);
        if self.sampled_rows >= self.limits.sample_rows {
            self.open()?;
        }
        Ok(())
    }

    /// Measures the rows of a part received before the sheet was opened.
    fn sample(&mut self, part: &mut Part) -> io::Result<()> {
        let mut rows = RowReader::new(part.reader()?);
        while let Some(row) = rows.next_row()? {
            if self.widths.len() < row.len() {
                self.widths.resize(row.len(), 0);
            }
            for (width, cell) in self.widths.iter_mut().zip(row.cells()) {
                *width = (*width).max(display_width(cell));
            }
            match &self.header {
                None => {
                    self.header = Some(
                        row.cells()
                            .map(|cell| cell_text(cell).into_owned())
                            .collect(),
                    );
                    for (width, name) in self.widths.iter_mut().zip(row.cells()) {
                        let heading = self.words.heading(&cell_text(name)).chars().count();
                        *width = (*width).max(heading) + FILTER_BUTTON;
                    }
                }
                Some(_) => self.sampled_rows += 1,
            }
        }
        Ok(())
    }

    /// Decides the widths, starts the first sheet and writes the rows held back.
    fn open(&mut self) -> io::Result<()> {
        self.start_sheet()?;
        let mut pending = std::mem::take(&mut self.pending);
        let mut header_skipped = false;
        for part in &mut pending {
            let mut rows = RowReader::new(part.reader()?);
            while let Some(row) = rows.next_row()? {
                if !header_skipped {
                    header_skipped = true;
                    continue;
                }
                self.write_row(row.cells())?;
            }
        }
        Ok(())
    }

    fn write_part(&mut self, part: &mut Part) -> io::Result<()> {
        let mut rows = RowReader::new(part.reader()?);
        while let Some(row) = rows.next_row()? {
            self.write_row(row.cells())?;
        }
        Ok(())
    }

    /// A new worksheet of this report, its columns set and its header written.
    fn start_sheet(&mut self) -> io::Result<()> {
        let mut sheet = self
            .book
            .lock()
            .map_err(|_| io::Error::other("the workbook's lock is poisoned"))?
            .new_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        let styles = &self.styles;
        let name = match self.done.len() {
            0 => self.name.to_owned(),
            n => format!("{} ({})", self.name, n + 1),
        };
        sheet.set_name(name).map_err(xlsx_error)?;
        let header = self.header.as_deref().unwrap_or_default();
        for (col, width) in self.widths.iter().enumerate() {
            let col = column(col)?;
            let wrapped = header
                .get(usize::from(col))
                .is_some_and(|name| WRAPPED_COLUMNS.contains(&name.as_str()));
            let width = (*width).clamp(MIN_WIDTH, MAX_WIDTH);
            sheet
                .set_column_width(col, width as f64 + 1.0)
                .map_err(xlsx_error)?;
            sheet
                .set_column_format(
                    col,
                    if wrapped {
                        &styles.wrapped
                    } else {
                        &styles.cell
                    },
                )
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        set_up_pages(&mut sheet);
        sheet.set_print_gridlines(true);
        sheet.set_repeat_rows(0, 0).map_err(xlsx_error)?;
        for (col, name) in header.iter().enumerate() {
            sheet
                .write_string_with_format(0, column(col)?, self.words.heading(name), &styles.header)
                .map_err(xlsx_error)?;
        }
        self.current = Some((sheet, 1));
        Ok(())
    }

    /// Closes the full sheet and starts the next ("Blocked (2)").
    fn continue_sheet(&mut self) -> io::Result<()> {
        if let Some(full) = self.close_current()? {
            self.done.push(full);
        }
        self.start_sheet()
    }

    /// The current sheet, its autofilter over the rows written.
    fn close_current(&mut self) -> io::Result<Option<Worksheet>> {
        let Some((mut sheet, rows)) = self.current.take() else {
            return Ok(None);
        };
        let columns = self.header.as_ref().map_or(0, Vec::len);
        if columns > 0 {
            sheet
                .autofilter(0, 0, rows.saturating_sub(1), column(columns - 1)?)
                .map_err(xlsx_error)?;
        }
        Ok(Some(sheet))
    }

    /// Every sheet of the report, in order; none when no row of it ever came.
    pub fn finish(&mut self) -> io::Result<Vec<Worksheet>> {
        if self.header.is_none() {
            return Ok(Vec::new());
        }
        if self.current.is_none() {
            self.open()?;
        }
        let last = self.close_current()?;
        let mut sheets = std::mem::take(&mut self.done);
        sheets.extend(last);
        Ok(sheets)
    }

    fn write_row<'c>(&mut self, cells: impl Iterator<Item = Cell<'c>>) -> io::Result<()> {
        if self
            .current
            .as_ref()
            .is_some_and(|(_, row)| *row >= self.limits.rows_per_sheet)
        {
            self.continue_sheet()?;
        }
        let Some((sheet, row)) = &mut self.current else {
            return Err(io::Error::other("a workbook row came before its sheet"));
        };
        let keep = self.first_rows.len() < self.keep_rows;
        let mut kept = Vec::new();
        for (col, cell) in cells.enumerate() {
            let col = column(col)?;
            match cell {
                Cell::Text("") => {}
                Cell::Text(text) => {
                    // Always as a string: a text cell never evaluates, whatever it holds.
                    sheet
                        .write_string(*row, col, cut(text, self.limits.cell_units, self.words))
                        .map_err(xlsx_error)?;
                }
                Cell::Number(n) => {
                    // Counts stay far below 2^53, where f64 is exact.
                    sheet
                        .write_number(*row, col, n as f64)
                        .map_err(xlsx_error)?;
                }
            }
            if keep {
                kept.push(OwnedCell::from(cell));
            }
        }
        if keep {
            self.first_rows.push(kept);
        }
        *row += 1;
        Ok(())
    }
}

fn column(index: usize) -> io::Result<ColNum> {
    ColNum::try_from(index)
        .map_err(|_| io::Error::other("a report has too many columns for a sheet"))
}

fn cell_text(cell: Cell<'_>) -> Cow<'_, str> {
    match cell {
        Cell::Text(text) => Cow::Borrowed(text),
        Cell::Number(n) => Cow::Owned(n.to_string()),
    }
}

/// The characters a cell shows on its longest line (capped: only the cap matters).
fn display_width(cell: Cell<'_>) -> usize {
    match cell {
        Cell::Text(text) => text
            .split('\n')
            .map(|line| line.chars().take(MAX_WIDTH).count())
            .max()
            .unwrap_or(0),
        Cell::Number(n) => n.checked_ilog10().map_or(1, |digits| digits as usize + 1),
    }
}

/// `text` within `limit` UTF-16 code units: whole, or its start with a marker
/// saying how long it was (`… [cut: 45,000 characters]`).
pub fn cut<'t>(text: &'t str, limit: usize, words: &WorkbookWords) -> Cow<'t, str> {
    // A UTF-8 byte never stands for more than one UTF-16 unit.
    if text.len() <= limit || text.encode_utf16().count() <= limit {
        return Cow::Borrowed(text);
    }
    let marker = (words.cut)(text.chars().count());
    let budget = limit.saturating_sub(marker.encode_utf16().count());
    let mut units = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > budget
        })
        .map_or(text.len(), |(at, _)| at);
    Cow::Owned(format!("{}{marker}", &text[..end]))
}
