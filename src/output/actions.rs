//! `actions.csv`: the fix list — one row per (customer, action, subject), the
//! fixes that unblock the most pairs first.

use std::cmp::Ordering;

use super::rows::RowSink;
use crate::decision::{ActionTally, Subject};
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

/// One row of `actions.csv`, its texts rendered while the customer's records were at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    /// The customer's dataset position: dataset order is report order of customer ids.
    pub customer: CustomerIdx,
    pub customer_id: String,
    pub company_name: String,
    pub action: &'static str,
    pub subject: String,
    pub unblocks_pairs: u64,
    pub involved_pairs: u64,
    pub details: String,
    pub account_manager: String,
}

/// The action rows of one customer (unsorted).
pub fn customer_rows(
    cx: &Context<'_>,
    texts: &dyn Texts,
    decisions: &crate::decision::CustomerDecisions,
) -> Vec<ActionRow> {
    let tallies = tally_actions(cx.catalog, decisions);
    let customer = cx.customer.customer;
    tallies
        .iter()
        .map(|tally: &ActionTally| {
            let subject = match tally.action.subject {
                Subject::Customer => customer.id().to_owned(),
                Subject::Subscription(position) => {
                    cx.customer.subscriptions[position].id.to_string()
                }
            };
            let mut details = String::new();
            texts.action_details(&mut details, cx, tally);
            ActionRow {
                customer: cx.customer.idx,
                customer_id: customer.id().to_owned(),
                company_name: customer.company_name().to_owned(),
                action: tally.action.kind.code(),
                subject,
                unblocks_pairs: tally.unblocks_pairs,
                involved_pairs: tally.involved_pairs,
                details,
                account_manager: customer.account_manager().to_owned(),
            }
        })
        .collect()
}

/// Report order: unblocks_pairs descending, involved_pairs descending, customer,
/// action, subject.
pub fn sort(rows: &mut [ActionRow]) {
    rows.sort_by(|a, b| {
        b.unblocks_pairs
            .cmp(&a.unblocks_pairs)
            .then(b.involved_pairs.cmp(&a.involved_pairs))
            .then(a.customer.cmp(&b.customer))
            .then(a.action.cmp(b.action))
            .then_with(|| a.subject.as_bytes().cmp(b.subject.as_bytes()))
            .then(Ordering::Equal)
    });
}

pub fn render(sink: &mut impl RowSink, rows: &[ActionRow]) {
    for row in rows {
        sink.text(&row.customer_id);
        sink.text(&row.company_name);
        sink.token(row.action);
        sink.text(&row.subject);
        sink.number(row.unblocks_pairs);
        sink.number(row.involved_pairs);
        sink.text(&row.details);
        sink.text(&row.account_manager);
        sink.end_row();
    }
}
