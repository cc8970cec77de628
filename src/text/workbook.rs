//! The workbook's own words — sheet names, column headings, the Summary sheet's
//! labels — one table per language ([`Lang::workbook_words`]).
//!
//! The CSV reports keep their English column names in every language (scripts
//! read them); the workbook is read by people, so its headings follow `--lang`.

use super::Lang;

/// The sheets of the workbook, one per report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheet {
    Summary,
    Overview,
    Eligible,
    Blocked,
    Reassignments,
    Changes,
    Actions,
    Rejects,
}

/// The words of one language's workbook.
pub struct WorkbookWords {
    /// Sheet names in [`Sheet`] order (at most 27 characters: Excel allows 31,
    /// and a continued sheet adds ` (2)`).
    pub sheets: [&'static str; 8],
    /// A report's column name → its heading; a column not listed keeps its name.
    pub headings: &'static [(&'static str, &'static str)],
    pub title: &'static str,
    pub as_of: &'static str,
    pub catalog: &'static str,
    pub filter: &'static str,
    pub subscriptions: &'static str,
    /// Total, evaluated, eligible, blocked, not upgradable, other channel.
    pub subscription_counts: [&'static str; 6],
    pub pairs: &'static str,
    /// Eligible, blocked.
    pub pair_counts: [&'static str; 2],
    pub by_reason: &'static str,
    pub reassignments: &'static str,
    pub changes: &'static str,
    /// Added, removed, newly eligible, newly blocked, reasons changed.
    pub change_counts: [&'static str; 5],
    pub total: &'static str,
    pub none: &'static str,
    pub rejected: &'static str,
    pub neutralized: &'static str,
    pub top_actions: &'static str,
    /// The marker that ends a cell cut at Excel's length limit, given the
    /// original length in characters.
    pub cut: fn(usize) -> String,
}

impl WorkbookWords {
    pub fn sheet(&self, sheet: Sheet) -> &'static str {
        self.sheets[sheet as usize]
    }

    /// The heading of the column `name`.
    pub fn heading<'a>(&self, name: &'a str) -> &'a str {
        self.headings
            .iter()
            .find(|(column, _)| *column == name)
            .map_or(name, |(_, heading)| heading)
    }
}

impl Lang {
    pub const fn workbook_words(self) -> &'static WorkbookWords {
        match self {
            Lang::En => &super::en::WORKBOOK,
            Lang::De => &super::de::WORKBOOK,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_in_excel_with_room_for_a_continuation() {
        for lang in [Lang::En, Lang::De] {
            for name in lang.workbook_words().sheets {
                assert!(name.chars().count() <= 27, "{name}");
                assert!(
                    !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
                    "{name}"
                );
            }
        }
    }
}
