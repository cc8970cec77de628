//! Evaluates every subscription of one customer into decision records. The run
//! evaluates its customers in parallel batches (`cmd::run`, through [`ordered`]),
//! each customer on its own, so the decisions never depend on the number of threads.

pub mod ordered;

use chrono::NaiveDate;

use crate::catalog::Catalog;
use crate::decision::{
    CustomerDecisions, EligibleUpgrade, Evidence, PairDecision, SubscriptionDecision, UpgradeType,
    Verdict,
};
use crate::model::{Channel, CustomerView};
use crate::rules::{self, CustomerMemo, UpgradePair, admin_access};

/// Evaluates the subscriptions of one customer.
pub fn evaluate_customer(
    catalog: &Catalog,
    customer: CustomerView<'_>,
    as_of: NaiveDate,
) -> CustomerDecisions {
    let access = admin_access(catalog, customer.relationships, as_of);
    let mut memo = CustomerMemo::default();
    let mut evidence = Evidence::default();
    let subscriptions = customer
        .subscriptions
        .iter()
        .enumerate()
        .map(|(subject, subscription)| {
            if subscription.channel != Channel::ThisPartner {
                return SubscriptionDecision::OtherChannel;
            }
            let Some(source) = subscription.offer else {
                return SubscriptionDecision::NotUpgradable;
            };
            let path = catalog.upgrade_path(source);
            if path.is_empty() {
                return SubscriptionDecision::NotUpgradable;
            }
            let pairs = path
                .iter()
                .map(|&target| {
                    let assigned_users = memo.assigned_users(customer, source);
                    let pair = UpgradePair {
                        catalog,
                        customer,
                        access: &access,
                        subject,
                        source,
                        target,
                        upgrade_type: UpgradeType::for_assigned_users(assigned_users),
                    };
                    PairDecision {
                        target,
                        verdict: decide(&pair, &mut memo, &mut evidence),
                    }
                })
                .collect();
            SubscriptionDecision::Evaluated(pairs)
        })
        .collect();
    CustomerDecisions {
        subscriptions,
        evidence,
    }
}

fn decide(pair: &UpgradePair<'_>, memo: &mut CustomerMemo, evidence: &mut Evidence) -> Verdict {
    let failures = rules::blocking_failures(pair, memo, evidence);
    if !failures.is_empty() {
        return Verdict::Blocked(failures);
    }
    let assigned_users = memo.assigned_users(pair.customer, pair.source);
    Verdict::Eligible(EligibleUpgrade {
        upgrade_type: pair.upgrade_type,
        assigned_users,
        reassignments: memo.reassignments(pair, evidence),
    })
}
