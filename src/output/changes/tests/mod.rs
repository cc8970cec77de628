//! Tests of changes: shared builders of records and sides, and a row sink that
//! collects rows as text; the tests themselves in one file per module under test.

mod csv_sets;
mod merging;
mod records;

use super::record::{self, Counts, Mask};
use super::*;

/// (id, company, account manager, [(subscription, [(target, verdict)])]).
pub(super) type Customer<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Vec<(&'a str, Vec<(&'a str, Mask)>)>,
);

pub(super) fn entries(customers: &[Customer<'_>]) -> (Vec<u8>, Counts) {
    let mut out = Vec::new();
    let mut counts = Counts::default();
    for (id, company, manager, subscriptions) in customers {
        record::push_customer(&mut out, id, company, manager);
        counts.customers += 1;
        for (subscription, pairs) in subscriptions {
            record::push_subscription(&mut out, subscription);
            counts.subscriptions += 1;
            for (target, mask) in pairs {
                record::push_pair(&mut out, target, *mask);
                counts.pairs += 1;
            }
        }
    }
    (out, counts)
}

pub(super) fn record_bytes(codes: &[String], customers: &[Customer<'_>]) -> Vec<u8> {
    let (body, counts) = entries(customers);
    let mut bytes = record::header(codes);
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(&record::end(&counts));
    bytes
}

pub(super) fn parsed(customers: &[Customer<'_>]) -> Record {
    Record::parse(record_bytes(&record::registry_codes(), customers)).expect("a valid record")
}

/// Rows as `a,b,…` strings (no quoting: the test values hold no comma).
#[derive(Default)]
pub(super) struct Table {
    pub(super) rows: Vec<String>,
    row: Vec<String>,
}

impl RowSink for Table {
    fn text(&mut self, value: &str) {
        self.row.push(value.to_owned());
    }
    fn number(&mut self, value: u64) {
        self.row.push(value.to_string());
    }
    fn token(&mut self, value: &str) {
        self.row.push(value.to_owned());
    }
    fn end_row(&mut self) {
        self.rows.push(self.row.join(","));
        self.row.clear();
    }
}

pub(super) fn compare(old: &[Customer<'_>], new: &[Customer<'_>]) -> (Vec<String>, ChangeCounts) {
    let codes = record::registry_codes();
    let comparison = Comparison::new(&codes, &codes, None, None);
    let mut table = Table::default();
    let mut counts = ChangeCounts::default();
    comparison.compare(&entries(old).0, &entries(new).0, &mut table, &mut counts);
    (table.rows, counts)
}

pub(super) const STATUS: Mask = 1; // SubscriptionStatusNotActive
pub(super) const NO_ADMIN: Mask = 1 << 2; // DelegatedAdminPermissionsDisabled
pub(super) const CONFLICT: Mask = 1 << 5; // ConflictingServiceTypes
