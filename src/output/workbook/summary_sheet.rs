//! The Summary sheet, the one a manager reads first: the counts of
//! `summary.json`, the blocked pairs by reason and the top rows of the fix list.

use std::io;

use rust_xlsxwriter::{ColNum, Format, FormatAlign, RowNum, Worksheet};

use super::sheet::{MAX_WIDTH, OwnedCell, set_up_pages, xlsx_error};
use crate::output::Summary;
use crate::text::workbook::{Sheet, WorkbookWords};

/// Widths of the columns: labels, then the action list's columns.
const WIDTHS: [f64; 8] = [50.0, 32.0, 28.0, 38.0, 20.0, 20.0, MAX_WIDTH as f64, 24.0];
/// The action list's column that holds sentences.
const WRAPPED_COLUMN: &str = "details";
/// Characters of a sentence on one line of the wrapped column (a width unit is
/// the width of a digit; text averages narrower letters, less the ends of lines
/// that words wrap from), and a line's height in points.
const WRAPPED_CHARS_PER_LINE: usize = MAX_WIDTH + 6;
const LINE_HEIGHT: f64 = 15.0;

struct Writer {
    sheet: Worksheet,
    row: RowNum,
    bold: Format,
    title: Format,
    top: Format,
    wrapped: Format,
}

impl Writer {
    fn label(&mut self, text: &str, format: Option<&Format>) -> io::Result<()> {
        match format {
            Some(format) => self
                .sheet
                .write_string_with_format(self.row, 0, text, format),
            None => self
                .sheet
                .write_string_with_format(self.row, 0, text, &self.top),
        }
        .map_err(xlsx_error)?;
        Ok(())
    }

    fn section(&mut self, heading: &str) -> io::Result<()> {
        self.row += 1;
        let bold = self.bold.clone();
        self.label(heading, Some(&bold))?;
        self.row += 1;
        Ok(())
    }

    fn count(&mut self, label: &str, value: u64) -> io::Result<()> {
        self.label(label, None)?;
        self.sheet
            .write_number_with_format(self.row, 1, value as f64, &self.top)
            .map_err(xlsx_error)?;
        self.row += 1;
        Ok(())
    }

    fn text(&mut self, label: &str, value: &str) -> io::Result<()> {
        self.label(label, None)?;
        self.sheet
            .write_string_with_format(self.row, 1, value, &self.top)
            .map_err(xlsx_error)?;
        self.row += 1;
        Ok(())
    }

    /// The counts above zero; whether there was one.
    fn counts<'a>(&mut self, counts: impl IntoIterator<Item = (&'a str, u64)>) -> io::Result<bool> {
        let mut any = false;
        for (label, count) in counts.into_iter().filter(|(_, count)| *count > 0) {
            any = true;
            self.count(label, count)?;
        }
        Ok(any)
    }

    fn table(
        &mut self,
        header: &[String],
        rows: &[Vec<OwnedCell>],
        words: &WorkbookWords,
    ) -> io::Result<()> {
        for (col, name) in header.iter().enumerate() {
            let col = ColNum::try_from(col).map_err(io::Error::other)?;
            self.sheet
                .write_string_with_format(self.row, col, words.heading(name), &self.bold)
                .map_err(xlsx_error)?;
        }
        self.row += 1;
        for cells in rows {
            // A row as high as its wrapped sentence (the sheet is small, so its
            // height is set rather than left to the reader, which not all compute).
            let longest = header
                .iter()
                .zip(cells)
                .filter(|(name, _)| *name == WRAPPED_COLUMN)
                .map(|(_, cell)| match cell {
                    OwnedCell::Text(text) => text.chars().count(),
                    OwnedCell::Number(_) => 0,
                })
                .max()
                .unwrap_or(0);
            let lines = longest.div_ceil(WRAPPED_CHARS_PER_LINE).max(1);
            self.sheet
                .set_row_height(self.row, LINE_HEIGHT * lines as f64)
                .map_err(xlsx_error)?;
            for (col, cell) in cells.iter().enumerate() {
                let format = match header.get(col) {
                    Some(name) if name == WRAPPED_COLUMN => &self.wrapped,
                    _ => &self.top,
                };
                let col = ColNum::try_from(col).map_err(io::Error::other)?;
                match cell {
                    OwnedCell::Text(text) if text.is_empty() => Ok(&mut self.sheet),
                    OwnedCell::Text(text) => self
                        .sheet
                        .write_string_with_format(self.row, col, text, format),
                    OwnedCell::Number(n) => self
                        .sheet
                        .write_number_with_format(self.row, col, *n as f64, format),
                }
                .map_err(xlsx_error)?;
            }
            self.row += 1;
        }
        Ok(())
    }
}

/// The Summary sheet of `summary`, with the action list's header and first rows
/// when the workbook has them.
pub fn summary_sheet(
    summary: &Summary,
    actions: Option<(&[String], &[Vec<OwnedCell>])>,
    words: &WorkbookWords,
) -> io::Result<Worksheet> {
    let top = Format::new().set_align(FormatAlign::Top);
    let mut writer = Writer {
        sheet: Worksheet::new(),
        row: 0,
        bold: Format::new().set_bold(),
        title: Format::new().set_bold().set_font_size(14),
        wrapped: top.clone().set_text_wrap(),
        top,
    };
    writer
        .sheet
        .set_name(words.sheet(Sheet::Summary))
        .map_err(xlsx_error)?;
    set_up_pages(&mut writer.sheet);
    writer.sheet.set_print_fit_to_pages(1, 0);
    for (col, width) in WIDTHS.iter().enumerate() {
        let col = ColNum::try_from(col).map_err(io::Error::other)?;
        writer
            .sheet
            .set_column_width(col, *width)
            .map_err(xlsx_error)?;
    }
    let title = writer.title.clone();
    writer.label(words.title, Some(&title))?;
    writer.row += 1;
    writer.text(words.as_of, &summary.as_of)?;
    writer.text(words.catalog, &summary.catalog)?;
    if let Some(filter) = &summary.filter {
        let mut selected = filter.customers.clone();
        selected.extend(filter.account_managers.iter().cloned());
        writer.text(words.filter, &selected.join("; "))?;
    }

    let s = &summary.subscriptions;
    writer.section(words.subscriptions)?;
    let values = [
        s.total,
        s.evaluated,
        s.eligible,
        s.blocked,
        s.not_upgradable,
        s.other_channel,
    ];
    for (label, value) in words.subscription_counts.iter().zip(values) {
        writer.count(label, value)?;
    }
    writer.section(words.pairs)?;
    let pairs = [
        summary.upgrade_pairs.eligible,
        summary.upgrade_pairs.blocked,
    ];
    for (label, value) in words.pair_counts.iter().zip(pairs) {
        writer.count(label, value)?;
    }
    writer.section(words.by_reason)?;
    if !writer.counts(summary.blocked_by_reason.0.iter().copied())? {
        writer.label(words.none, None)?;
        writer.row += 1;
    }
    writer.section(words.reassignments)?;
    writer.count(words.total, summary.reassignments.total)?;
    writer.counts(summary.reassignments.by_reason.0.iter().copied())?;
    writer.section(words.changes)?;
    let c = &summary.changes;
    let changes = [
        c.added,
        c.removed,
        c.newly_eligible,
        c.newly_blocked,
        c.reasons_changed,
    ];
    if !writer.counts(words.change_counts.iter().copied().zip(changes))? {
        writer.label(words.none, None)?;
        writer.row += 1;
    }
    writer.row += 1;
    writer.count(words.rejected, summary.rejected_rows)?;
    writer.count(words.neutralized, summary.neutralized_cells)?;

    if let Some((header, rows)) = actions {
        writer.section(words.top_actions)?;
        writer.table(header, rows, words)?;
    }
    Ok(writer.sheet)
}
