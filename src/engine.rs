//! Evaluates every subscription of every customer, customers in parallel (rayon).
//!
//! The result is in dataset order whatever the number of threads: rayon's ordered
//! `collect` puts each customer's outcome at its own position.

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::catalog::{Catalog, OfferIdx};
use crate::model::{Channel, CustomerIdx, CustomerView, Dataset, Users};
use crate::rules::{
    self, Failures, UpgradePair, UpgradeType, UserReassignment, admin_access, users_holding,
};

/// Outcomes of a run of customers: `customers[i]` is dataset customer `first + i`.
/// A large dataset is evaluated, reported and dropped one batch at a time.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Evaluation {
    pub first: usize,
    pub customers: Vec<CustomerOutcome>,
}

impl Evaluation {
    /// The outcome of dataset customer `customer`, which must lie in this range.
    pub fn outcome(&self, customer: usize) -> &CustomerOutcome {
        &self.customers[customer - self.first]
    }

    /// The dataset positions of the customers this evaluation covers.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.first..self.first + self.customers.len()
    }
}

/// Outcomes per subscription, indexed like the customer's `subscriptions`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CustomerOutcome {
    pub subscriptions: Vec<SubscriptionOutcome>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SubscriptionOutcome {
    /// Sold by another partner or direct: context only, not evaluated.
    OtherChannel,
    /// Evaluated, but its offer is unknown or has no upgrade path.
    NotUpgradable,
    /// One outcome per target on the offer's upgrade path, in path order.
    Evaluated(Vec<PairOutcome>),
}

#[derive(Debug, PartialEq, Eq)]
pub struct PairOutcome {
    pub target: OfferIdx,
    pub verdict: Verdict,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Eligible(EligibleUpgrade),
    /// Every failing check, in contract order (never empty).
    Blocked(Failures),
}

#[derive(Debug, PartialEq, Eq)]
pub struct EligibleUpgrade {
    pub upgrade_type: UpgradeType,
    /// Users of the customer holding a license of the source offer.
    pub assigned_users: usize,
    /// Those of them that need attention, ordered by user principal name.
    pub reassignments: Vec<UserReassignment>,
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
    // An indexed collect writes every outcome straight into its place in one vector.
    let customers = (first..end)
        .into_par_iter()
        .with_min_len(CUSTOMERS_PER_TASK)
        .map(|i| {
            let customer = dataset.customer(CustomerIdx(i as u32));
            evaluate_customer(catalog, &dataset.users, customer, as_of)
        })
        .collect();
    Evaluation { first, customers }
}

/// Evaluates the subscriptions of one customer.
pub fn evaluate_customer(
    catalog: &Catalog,
    users: &Users,
    customer: CustomerView<'_>,
    as_of: NaiveDate,
) -> CustomerOutcome {
    let access = admin_access(customer.relationships, as_of);
    let subscriptions = customer
        .subscriptions
        .iter()
        .enumerate()
        .map(|(subject, subscription)| {
            if subscription.channel != Channel::ThisPartner {
                return SubscriptionOutcome::OtherChannel;
            }
            let Some(source) = subscription.offer else {
                return SubscriptionOutcome::NotUpgradable;
            };
            let path = catalog.upgrade_path(source);
            if path.is_empty() {
                return SubscriptionOutcome::NotUpgradable;
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
                    PairOutcome {
                        target,
                        verdict: decide(&pair, users),
                    }
                })
                .collect();
            SubscriptionOutcome::Evaluated(pairs)
        })
        .collect();
    CustomerOutcome { subscriptions }
}

fn decide(pair: &UpgradePair<'_>, users: &Users) -> Verdict {
    let failures = rules::blocking_failures(pair);
    if !failures.is_empty() {
        return Verdict::Blocked(failures);
    }
    let licenses = pair.customer.licenses;
    let assigned_users = users_holding(licenses, pair.source);
    let mut reassignments = rules::reassignments(pair.catalog, licenses, pair.source, pair.target);
    reassignments.sort_by_cached_key(|r| users.name(r.user));
    Verdict::Eligible(EligibleUpgrade {
        upgrade_type: UpgradeType::for_assigned_users(assigned_users),
        assigned_users,
        reassignments,
    })
}
