//! Where a report row's cells go. Every report's rows are rendered once, in
//! `decisions.rs` and beside it, into a [`RowSink`]; the CSV writer and the
//! workbook each implement it, so both show the same rows and columns.

/// The receiver of one report's rows, cell by cell.
pub trait RowSink {
    /// Text from the input or the catalog, or a sentence: quoted (and guarded
    /// against spreadsheet formulas) as the format needs.
    fn text(&mut self, value: &str);
    /// A count.
    fn number(&mut self, value: u64);
    /// A code or keyword of ours (`upgrade_only`, `ConflictingServiceTypes;…`):
    /// never needs quoting or guarding.
    fn token(&mut self, value: &str);
    /// Ends the row.
    fn end_row(&mut self);
    /// Cells that many rows repeat — a subscription's leading cells, a customer's
    /// account manager — as `render` writes them. `key` says whose they are: while
    /// it stays the same at `at`, a sink may write the cells it wrote last time
    /// instead of rendering them again.
    fn repeated(&mut self, _at: Repeat, _key: u64, render: &dyn Fn(&mut dyn RowSink))
    where
        Self: Sized,
    {
        render(self);
    }
}

/// Where in a row a run of repeated cells stands (see [`RowSink::repeated`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// The first cells (a customer's or a subscription's).
    Leading,
    /// The last cells (the account manager).
    Trailing,
    /// An offer's cells (a target's id and name), keyed by the offer.
    Offer,
}

impl Repeat {
    pub const COUNT: usize = 3;

    pub fn index(self) -> usize {
        self as usize
    }

    /// How many keys' cells a sink keeps: rows of one customer or subscription
    /// come together, but rows of the few targets alternate.
    pub fn kept(self) -> usize {
        match self {
            Repeat::Leading | Repeat::Trailing => 1,
            Repeat::Offer => 16,
        }
    }
}

/// One row rendered into two sinks alike: the CSV and, with the workbook, its
/// recorded cells.
pub struct Tee<'a, A, B> {
    pub first: &'a mut A,
    pub second: Option<&'a mut B>,
}

impl<A: RowSink, B: RowSink> RowSink for Tee<'_, A, B> {
    fn text(&mut self, value: &str) {
        self.first.text(value);
        if let Some(second) = &mut self.second {
            second.text(value);
        }
    }

    fn number(&mut self, value: u64) {
        self.first.number(value);
        if let Some(second) = &mut self.second {
            second.number(value);
        }
    }

    fn token(&mut self, value: &str) {
        self.first.token(value);
        if let Some(second) = &mut self.second {
            second.token(value);
        }
    }

    fn end_row(&mut self) {
        self.first.end_row();
        if let Some(second) = &mut self.second {
            second.end_row();
        }
    }

    fn repeated(&mut self, at: Repeat, key: u64, render: &dyn Fn(&mut dyn RowSink)) {
        self.first.repeated(at, key, render);
        if let Some(second) = &mut self.second {
            second.repeated(at, key, render);
        }
    }
}
