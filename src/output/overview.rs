//! `overview.csv`: one row per accepted subscription, whatever its channel or
//! offer — the verdict an account manager looks up first.

use super::rows::{Repeat, RowSink};
use crate::catalog::Catalog;
use crate::decision::{CustomerDecisions, SubscriptionDecision, Verdict};
use crate::model::{CustomerView, KnownValues};

pub const OVERVIEW_HEADER: [&str; 13] = [
    "customer_id",
    "company_name",
    "subscription_id",
    "offer",
    "offer_id",
    "status",
    "channel",
    "quantity",
    "verdict",
    "eligible_targets",
    "blocked_targets",
    "first_reason_code",
    "account_manager",
];

/// A subscription's verdict as the summary counts it.
pub fn verdict(decision: &SubscriptionDecision) -> &'static str {
    match decision {
        SubscriptionDecision::OtherChannel => "other_channel",
        SubscriptionDecision::NotUpgradable => "not_upgradable",
        SubscriptionDecision::Evaluated(pairs) => {
            if pairs
                .iter()
                .any(|p| matches!(p.verdict, Verdict::Eligible(_)))
            {
                "eligible"
            } else {
                "blocked"
            }
        }
    }
}

/// Renders the overview rows of one customer.
pub fn render_customer(
    sink: &mut impl RowSink,
    catalog: &Catalog,
    customer: CustomerView<'_>,
    decisions: &CustomerDecisions,
    scratch: &mut String,
) {
    let record = customer.customer;
    let key = u64::from(customer.idx.0);
    for (subscription, decision) in customer.subscriptions.iter().zip(&decisions.subscriptions) {
        sink.repeated(Repeat::Leading, key, &|sink| {
            sink.text(record.id());
            sink.text(record.company_name());
        });
        sink.text(&subscription.id);
        sink.text(&subscription.offer_text);
        sink.text(
            subscription
                .offer
                .map_or("", |offer| &catalog.offer(offer).id),
        );
        sink.token(subscription.status.as_str());
        sink.token(subscription.channel.as_str());
        sink.number(subscription.quantity);
        sink.token(verdict(decision));
        let pairs = match decision {
            SubscriptionDecision::Evaluated(pairs) => pairs.as_slice(),
            _ => &[],
        };
        for eligible in [true, false] {
            scratch.clear();
            let targets = pairs
                .iter()
                .filter(|p| matches!(p.verdict, Verdict::Eligible(_)) == eligible);
            for (i, pair) in targets.enumerate() {
                if i > 0 {
                    scratch.push(';');
                }
                scratch.push_str(&catalog.offer(pair.target).id);
            }
            sink.text(scratch);
        }
        let first_reason = pairs.iter().find_map(|p| match &p.verdict {
            Verdict::Blocked(failures) => failures.first().map(|f| f.reason().code()),
            Verdict::Eligible(_) => None,
        });
        sink.token(first_reason.unwrap_or(""));
        sink.repeated(Repeat::Trailing, key, &|sink| {
            sink.text(record.account_manager())
        });
        sink.end_row();
    }
}
