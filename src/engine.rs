//! Evaluates every subscription of every customer, customers in parallel (rayon),
//! into decision records.
//!
//! The result is in dataset order whatever the number of threads: rayon's indexed
//! `collect` puts each customer's decisions at its own position.

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::decision::{
    CustomerDecisions, EligibleUpgrade, Evidence, PairDecision, SubscriptionDecision, UpgradeType,
    Verdict,
};
use crate::model::{Channel, CustomerIdx, CustomerView, Dataset};
use crate::rules::{self, CustomerMemo, UpgradePair, admin_access};

/// Decisions of a run of customers: `customers[i]` is dataset customer `first + i`.
/// A large dataset is evaluated, reported and dropped one batch at a time.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Evaluation {
    pub first: usize,
    pub customers: Vec<CustomerDecisions>,
}

impl Evaluation {
    /// The decisions about dataset customer `customer`, which must lie in this range.
    pub fn customer(&self, customer: usize) -> &CustomerDecisions {
        &self.customers[customer - self.first]
    }

    /// The dataset positions of the customers this evaluation covers.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.first..self.first + self.customers.len()
    }
}

/// The fewest customers one rayon task evaluates: enough to amortise scheduling,
/// small enough to balance two cores.
const CUSTOMERS_PER_TASK: usize = 256;

/// Evaluates the customers at dataset positions `customers`, in parallel.
pub fn evaluate(
    dataset: &Dataset,
    catalog: &Catalog,
    as_of: NaiveDate,
    customers: std::ops::Range<usize>,
) -> Evaluation {
    let first = customers.start;
    let end = customers.end.min(dataset.customers.len());
    let customers = (first..end)
        .into_par_iter()
        .with_min_len(CUSTOMERS_PER_TASK)
        .map(|i| {
            let customer = dataset.customer(CustomerIdx(i as u32));
            evaluate_customer(catalog, customer, as_of)
        })
        .collect();
    Evaluation { first, customers }
}

/// Evaluates the subscriptions of one customer.
pub fn evaluate_customer(
    catalog: &Catalog,
    customer: CustomerView<'_>,
    as_of: NaiveDate,
) -> CustomerDecisions {
    let access = admin_access(customer.relationships, as_of);
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
                    let pair = UpgradePair {
                        catalog,
                        customer,
                        access,
                        subject,
                        source,
                        target,
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
        upgrade_type: UpgradeType::for_assigned_users(assigned_users),
        assigned_users,
        reassignments: memo.reassignments(pair, evidence),
    })
}
