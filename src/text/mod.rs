//! Every sentence a person reads — the `details` of the reports, the summary line
//! on stderr, `explain`'s text — in one place per language.
//!
//! A language implements [`Texts`]; emitters ask [`Lang::texts`] for it and never
//! build a sentence themselves. Codes, column names and input error messages are
//! not here: they stay English for whoever fixes the export (contract §5).

mod de;
mod en;
mod services;
pub mod workbook;

use chrono::NaiveDate;
use smallvec::SmallVec;

use crate::catalog::{Catalog, OfferIdx, RoleIdx};
use crate::decision::{ActionTally, Evidence, Failure, PairDecision, ReassignmentFinding};
use crate::model::{CustomerView, Relationship, RelationshipStatus};

pub use de::German;
pub use en::English;

/// The language of the texts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
    /// The value `--lang` takes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    pub fn texts(self) -> &'static dyn Texts {
        match self {
            Lang::En => &English,
            Lang::De => &German,
        }
    }

    pub fn explain_texts(self) -> &'static dyn ExplainTexts {
        match self {
            Lang::En => &English,
            Lang::De => &German,
        }
    }
}

/// What the texts about one customer's decisions refer to.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub catalog: &'a Catalog,
    pub customer: CustomerView<'a>,
    pub evidence: &'a Evidence,
    pub as_of: NaiveDate,
}

/// Why a relationship does not count on the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Inactive {
    /// Its status grants nothing (expired, terminated, …).
    Status(RelationshipStatus),
    Starts(NaiveDate),
    Ended(NaiveDate),
}

/// What every language says alike: the facts the sentences are made of.
impl<'a> Context<'a> {
    /// The relationships active on the as-of date (a customer has a few: no
    /// allocation for each sentence that names them).
    pub(crate) fn active_relationships(&self) -> SmallVec<[&'a Relationship; 4]> {
        let as_of = self.as_of;
        self.customer
            .relationships
            .iter()
            .filter(|r| r.is_active_on(as_of))
            .collect()
    }

    /// Whether an active relationship grants by GDAP roles, which cannot change
    /// once it is active (so the partner requests a new one rather than extend it).
    pub(crate) fn role_based(&self) -> bool {
        self.customer
            .relationships
            .iter()
            .any(|r| r.is_active_on(self.as_of) && r.services.is_none())
    }

    /// Why `relationship` does not count on the as-of date.
    pub(crate) fn inactive(&self, relationship: &Relationship) -> Inactive {
        match (relationship.start, relationship.end) {
            _ if !relationship.status.grants_access() => Inactive::Status(relationship.status),
            (Some(start), _) if start > self.as_of => Inactive::Starts(start),
            (_, Some(end)) if end < self.as_of => Inactive::Ended(end),
            _ => Inactive::Status(relationship.status),
        }
    }

    /// An offer as people know it: `Office 365 Business Premium (Microsoft 365
    /// Business Standard)` when Microsoft's product list names it otherwise today.
    pub(crate) fn push_offer_name(&self, out: &mut String, offer: OfferIdx) {
        out.push_str(&self.catalog.offer(offer).name);
        if let Some(name) = self.catalog.microsoft_name(offer) {
            push_all(out, [" (", name, ")"]);
        }
    }

    /// Role names, by their canonical name.
    pub(crate) fn push_role_names(&self, out: &mut String, roles: &[RoleIdx]) {
        push_joined(out, roles, ", ", |out, &role| {
            out.push_str(&self.catalog.role(role).name)
        });
    }
}

/// What the run's line on stderr reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunLine {
    pub input: String,
    pub out: String,
    pub as_of: String,
    pub seconds: f64,
    pub exit_code: u8,
    /// The counts of a run that wrote its reports; `None` for one that failed.
    pub counts: Option<RunCounts>,
}

/// The counts the summary line reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub subscriptions: u64,
    pub evaluated: u64,
    pub eligible: u64,
    pub blocked: u64,
    pub not_upgradable: u64,
    pub eligible_pairs: u64,
    pub blocked_pairs: u64,
    pub reassignments: u64,
    pub rejected_rows: u64,
}

/// The sentences of one language. Texts are appended to a buffer the caller
/// reuses: a large run writes hundreds of thousands of them.
pub trait Texts: Sync {
    /// The `details` of a blocked pair: one clause per failure, in rule order.
    fn blocked_details(
        &self,
        out: &mut String,
        cx: &Context<'_>,
        failures: &[Failure],
        target: OfferIdx,
    );

    /// The `details` of one reassignment row.
    fn reassignment_details(
        &self,
        out: &mut String,
        cx: &Context<'_>,
        finding: &ReassignmentFinding,
        source: OfferIdx,
        target: OfferIdx,
    );

    /// The `details` of one row of `actions.csv`: what to do, in words a
    /// non-engineer acts on, and who must act.
    fn action_details(&self, out: &mut String, cx: &Context<'_>, tally: &ActionTally);

    /// The run's line on stderr, after the timestamp and the program's name and version.
    fn run_line(&self, line: &RunLine) -> String;

    /// The warning a `--quiet` run with rejected rows still prints.
    fn rejected_warning(&self, rejected_rows: u64) -> String;
}

/// Appends every part (cheaper than `write!` for plain text).
pub(crate) fn push_all<const N: usize>(out: &mut String, parts: [&str; N]) {
    for part in parts {
        out.push_str(part);
    }
}

/// Appends `sentence` with its first letter upper-cased.
pub(crate) fn capitalized(out: &mut String, sentence: &str) {
    let mut chars = sentence.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// Appends every item with `write`, `separator` between them.
pub(crate) fn push_joined<T>(
    out: &mut String,
    items: &[T],
    separator: &str,
    mut write: impl FnMut(&mut String, &T),
) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        write(out, item);
    }
}

/// The sentences of `explain`'s text, one language. The layout (indentation,
/// marks, alignment, colour) is `output::explain::text`'s.
pub trait ExplainTexts: Sync {
    /// `Customer <id> — <company> (account manager: <name>)`.
    fn customer(&self, out: &mut String, cx: &Context<'_>);
    /// The heading of the relationships' list.
    fn relationships_heading(&self, out: &mut String, cx: &Context<'_>);
    /// One relationship and what it grants on the as-of date.
    fn relationship(&self, out: &mut String, cx: &Context<'_>, relationship: &Relationship);
    /// The heading of one subscription: its offer, status, seats and channel.
    fn subscription(&self, out: &mut String, cx: &Context<'_>, position: usize);
    /// Why a subscription was not evaluated (another channel, unknown offer, no path).
    fn not_evaluated(
        &self,
        out: &mut String,
        cx: &Context<'_>,
        position: usize,
        other_channel: bool,
    );
    /// The heading of one target: its name and the verdict.
    fn target(&self, out: &mut String, cx: &Context<'_>, pair: &PairDecision);
    /// The evidence of one check, passed or failed, never cut.
    fn check(
        &self,
        out: &mut String,
        cx: &Context<'_>,
        position: usize,
        pair: &PairDecision,
        check: u8,
        failure: Option<&Failure>,
    );
    /// The heading of the reassignment rows.
    fn reassignments_heading(&self, out: &mut String);
    /// A check that did not apply (check 3 when no relationship is active).
    fn not_applicable(&self, out: &mut String);
    /// No subscription was found for the id (exit 1), with the closest ids.
    fn unknown_id(&self, out: &mut String, what: IdKind, id: &str, closest: &[&str]);
}

/// What `explain` was asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    Subscription,
    Customer,
}

/// Items a list in a report's `details` shows before it says how many more there
/// are: hundreds of conflicting subscriptions would make every row of a customer
/// as long as the customer's input (and its output quadratic). The evidence is
/// never cut: `actions.csv` and `explain --json` have all of it.
pub const LIST_CAP: usize = 5;

/// Appends at most `cap` items with `write`, `separator` between them, then
/// `more(out, rest)` when items were left out.
pub(crate) fn push_capped<T>(
    out: &mut String,
    items: &[T],
    separator: &str,
    cap: usize,
    write: impl FnMut(&mut String, &T),
    more: impl FnOnce(&mut String, usize),
) {
    let shown = items.len().min(cap);
    push_joined(out, &items[..shown], separator, write);
    if items.len() > shown {
        more(out, items.len() - shown);
    }
}

/// `n` with its digits grouped in threes by `separator` (`1,995`; German `1.995`).
pub(crate) fn grouped(n: usize, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_capped_with_a_count() {
        let items: Vec<usize> = (1..=8).collect();
        let mut out = String::new();
        let write = |out: &mut String, n: &usize| out.push_str(&n.to_string());
        let more = |out: &mut String, rest: usize| out.push_str(&format!(" and {rest} more"));
        push_capped(&mut out, &items, ", ", 5, write, more);
        assert_eq!(out, "1, 2, 3, 4, 5 and 3 more");
        out.clear();
        push_capped(&mut out, &items[..5], ", ", 5, write, more);
        assert_eq!(out, "1, 2, 3, 4, 5");
    }

    #[test]
    fn thousands_are_grouped() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1_995, "1,995"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(grouped(n, ','), text);
        }
    }
}
