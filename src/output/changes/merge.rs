//! The comparison of two report sets' decisions (contract §7): a merge of two
//! customer streams in report order, customer by customer, subscription by
//! subscription, target by target, that renders one `changes.csv` row per pair
//! whose verdict or codes differ, or that only one side has.

use std::cmp::Ordering;

use serde::Serialize;

use super::neutral::{compare_key_bytes, compare_targets, raw_form_bytes};
use super::record::{Decoded, Entries, Mask};
use crate::model::{Filter, FilterMatcher};
use crate::output::rows::RowSink;

pub const CHANGES_HEADER: [&str; 8] = [
    "customer_id",
    "company_name",
    "subscription_id",
    "target_offer_id",
    "change",
    "previous",
    "current",
    "account_manager",
];

/// What happened to a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    NewlyEligible,
    NewlyBlocked,
    ReasonsChanged,
}

impl Change {
    pub fn code(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::NewlyEligible => "newly_eligible",
            Change::NewlyBlocked => "newly_blocked",
            Change::ReasonsChanged => "reasons_changed",
        }
    }

    /// The change between two verdicts of one pair, if any.
    fn between(previous: Mask, current: Mask) -> Option<Change> {
        match (previous == 0, current == 0) {
            _ if previous == current => None,
            (true, false) => Some(Change::NewlyBlocked),
            (false, true) => Some(Change::NewlyEligible),
            _ => Some(Change::ReasonsChanged),
        }
    }
}

/// Changes by kind, for `summary.json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ChangeCounts {
    pub added: u64,
    pub removed: u64,
    pub newly_eligible: u64,
    pub newly_blocked: u64,
    pub reasons_changed: u64,
}

impl ChangeCounts {
    fn add(&mut self, change: Change) {
        *match change {
            Change::Added => &mut self.added,
            Change::Removed => &mut self.removed,
            Change::NewlyEligible => &mut self.newly_eligible,
            Change::NewlyBlocked => &mut self.newly_blocked,
            Change::ReasonsChanged => &mut self.reasons_changed,
        } += 1;
    }

    pub fn merge(&mut self, other: &ChangeCounts) {
        self.added += other.added;
        self.removed += other.removed;
        self.newly_eligible += other.newly_eligible;
        self.newly_blocked += other.newly_blocked;
        self.reasons_changed += other.reasons_changed;
    }

    pub fn total(&self) -> u64 {
        self.added + self.removed + self.newly_eligible + self.newly_blocked + self.reasons_changed
    }
}

/// Writes the header of `changes.csv`.
pub fn write_header(sink: &mut impl RowSink) {
    for column in CHANGES_HEADER {
        sink.token(column);
    }
    sink.end_row();
}

/// How two report sets are compared: their codes brought into one table (the new
/// set's, then codes only the old set knows), and the customers each set covers
/// (the filter it was written with, if any).
#[derive(Debug)]
pub struct Comparison {
    codes: Vec<String>,
    /// The bit in `codes` of each bit of the old set's table.
    old_bits: Vec<u32>,
    /// The old table is a prefix of the new one: old bits need no translation.
    old_bits_same: bool,
    old_scope: Option<FilterMatcher>,
    new_scope: Option<FilterMatcher>,
}

impl Comparison {
    pub fn new(
        old_codes: &[String],
        new_codes: &[String],
        old_filter: Option<&Filter>,
        new_filter: Option<&Filter>,
    ) -> Comparison {
        let mut codes = new_codes.to_vec();
        let old_bits = old_codes
            .iter()
            .map(|code| match codes.iter().position(|c| c == code) {
                Some(at) => at as u32,
                None => {
                    codes.push(code.clone());
                    (codes.len() - 1) as u32
                }
            })
            .collect::<Vec<u32>>();
        let old_bits_same = old_bits.iter().enumerate().all(|(i, &b)| i as u32 == b);
        let scope =
            |filter: Option<&Filter>| filter.filter(|f| !f.is_empty()).map(FilterMatcher::new);
        Comparison {
            codes,
            old_bits,
            old_bits_same,
            old_scope: scope(old_filter),
            new_scope: scope(new_filter),
        }
    }

    fn old_mask(&self, mask: Mask) -> Mask {
        if self.old_bits_same {
            return mask;
        }
        self.old_bits
            .iter()
            .enumerate()
            .filter(|(i, _)| mask >> i & 1 == 1)
            .fold(0, |m, (_, &bit)| m | 1 << bit)
    }

    /// Renders the changes between the customers of `old` and of `new` (entries
    /// in report order, as [`Entries`] reads them) into `sink`. A customer only
    /// one side has counts when the other side's filter would select it.
    pub fn compare(
        &self,
        old: &[u8],
        new: &[u8],
        sink: &mut impl RowSink,
        counts: &mut ChangeCounts,
    ) {
        let mut out = Out {
            comparison: self,
            sink,
            counts,
            scratch: String::new(),
        };
        let (mut old_entries, mut new_entries) = (Entries::new(old), Entries::new(new));
        let (mut o, mut n) = (Decoded::default(), Decoded::default());
        // Both sides were checked or written by this program: a problem ends a side.
        let mut has_old = old_entries.next_customer(&mut o).unwrap_or(false);
        let mut has_new = new_entries.next_customer(&mut n).unwrap_or(false);
        while has_old || has_new {
            let order = match (has_old, has_new) {
                (true, true) => compare_key_bytes(o.id, n.id),
                (true, false) => Ordering::Less,
                _ => Ordering::Greater,
            };
            if order.is_le() {
                if order.is_lt() && admits(&self.new_scope, &o) {
                    out.all(&o, Change::Removed);
                }
                if order.is_eq() {
                    out.customer(&o, &n);
                }
                has_old = old_entries.next_customer(&mut o).unwrap_or(false);
            }
            if order.is_ge() {
                if order.is_gt() && admits(&self.old_scope, &n) {
                    out.all(&n, Change::Added);
                }
                has_new = new_entries.next_customer(&mut n).unwrap_or(false);
            }
        }
    }
}

fn admits(scope: &Option<FilterMatcher>, customer: &Decoded<'_>) -> bool {
    scope.as_ref().is_none_or(|matcher| {
        let text = |bytes| String::from_utf8_lossy(raw_form_bytes(bytes));
        matcher.matches(&text(customer.id), &text(customer.account_manager))
    })
}

/// Where the rows go.
struct Out<'c, 's, S> {
    comparison: &'c Comparison,
    sink: &'s mut S,
    counts: &'s mut ChangeCounts,
    scratch: String,
}

impl<S: RowSink> Out<'_, '_, S> {
    /// Every pair of a customer only one side has.
    fn all(&mut self, customer: &Decoded<'_>, change: Change) {
        for (subscription, range) in &customer.subscriptions {
            for &(target, mask) in &customer.pairs[range.clone()] {
                self.row(customer, subscription, target, change, mask);
            }
        }
    }

    fn customer(&mut self, old: &Decoded<'_>, new: &Decoded<'_>) {
        let (mut i, mut j) = (0, 0);
        let (olds, news) = (&old.subscriptions, &new.subscriptions);
        while i < olds.len() || j < news.len() {
            let order = match (olds.get(i), news.get(j)) {
                (Some(o), Some(n)) => compare_key_bytes(o.0, n.0),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match order {
                Ordering::Less => {
                    let (id, range) = &olds[i];
                    for &(target, mask) in &old.pairs[range.clone()] {
                        self.row(old, id, target, Change::Removed, mask);
                    }
                    i += 1;
                }
                Ordering::Greater => {
                    let (id, range) = &news[j];
                    for &(target, mask) in &new.pairs[range.clone()] {
                        self.row(new, id, target, Change::Added, mask);
                    }
                    j += 1;
                }
                Ordering::Equal => {
                    self.subscription(old, i, new, j);
                    i += 1;
                    j += 1;
                }
            }
        }
    }

    /// The pairs of one subscription both sides have, both sorted by target.
    fn subscription(&mut self, old: &Decoded<'_>, i: usize, new: &Decoded<'_>, j: usize) {
        let (old_id, old_range) = &old.subscriptions[i];
        let (new_id, new_range) = &new.subscriptions[j];
        let (olds, news) = (&old.pairs[old_range.clone()], &new.pairs[new_range.clone()]);
        let (mut a, mut b) = (0, 0);
        while a < olds.len() || b < news.len() {
            let order = match (olds.get(a), news.get(b)) {
                (Some(o), Some(n)) => compare_targets(o.0, n.0),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match order {
                Ordering::Less => {
                    let (target, mask) = olds[a];
                    self.row(old, old_id, target, Change::Removed, mask);
                    a += 1;
                }
                Ordering::Greater => {
                    let (target, mask) = news[b];
                    self.row(new, new_id, target, Change::Added, mask);
                    b += 1;
                }
                Ordering::Equal => {
                    let (target, current) = news[b];
                    let previous = self.comparison.old_mask(olds[a].1);
                    if let Some(change) = Change::between(previous, current) {
                        self.changed(new, new_id, target, change, previous, current);
                    }
                    a += 1;
                    b += 1;
                }
            }
        }
    }

    /// A pair one side lacks: its values come from the side that has it.
    fn row(
        &mut self,
        customer: &Decoded<'_>,
        subscription: &[u8],
        target: &[u8],
        change: Change,
        mask: Mask,
    ) {
        let (previous, current) = match change {
            Change::Removed => (Some(self.comparison.old_mask(mask)), None),
            _ => (None, Some(mask)),
        };
        self.write(customer, subscription, target, change, [previous, current]);
    }

    fn changed(
        &mut self,
        customer: &Decoded<'_>,
        subscription: &[u8],
        target: &[u8],
        change: Change,
        previous: Mask,
        current: Mask,
    ) {
        let verdicts = [Some(previous), Some(current)];
        self.write(customer, subscription, target, change, verdicts);
    }

    fn write(
        &mut self,
        customer: &Decoded<'_>,
        subscription: &[u8],
        target: &[u8],
        change: Change,
        verdicts: [Option<Mask>; 2],
    ) {
        self.counts.add(change);
        // Texts come from a checked record or from this run: the conversion copies nothing.
        let text = |bytes| String::from_utf8_lossy(bytes);
        let sink = &mut *self.sink;
        sink.text(&text(customer.id));
        sink.text(&text(customer.company_name));
        sink.text(&text(subscription));
        sink.text(&text(target));
        sink.token(change.code());
        for verdict in verdicts {
            self.scratch.clear();
            if let Some(mask) = verdict {
                verdict_text(&mut self.scratch, &self.comparison.codes, mask);
            }
            sink.text(&self.scratch);
        }
        sink.text(&text(customer.account_manager));
        sink.end_row();
    }
}

/// `eligible`, or the codes of `mask` `;`-joined in table (rule) order.
fn verdict_text(out: &mut String, codes: &[String], mask: Mask) {
    if mask == 0 {
        out.push_str("eligible");
        return;
    }
    for (i, code) in codes.iter().enumerate() {
        if mask >> i & 1 == 1 {
            if !out.is_empty() {
                out.push(';');
            }
            out.push_str(code);
        }
    }
}
