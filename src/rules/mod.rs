//! Partner Center's Office 365 upgrade rules (contract §4) as pure functions.
//!
//! A rule sees one customer's records and the catalog, never files or paths. One
//! file per check; each returns `None` when it passes or a [`Failure`] carrying the
//! evidence (which status, which services are missing, which subscriptions hold
//! the target or conflict). [`registry`] documents every code: its check, its
//! Partner Center counterpart and what to do about it.
//!
//! Evidence lists that several pairs of a customer share are built once per
//! customer ([`CustomerMemo`]): a customer with thousands of subscriptions is
//! checked in time linear in its records, not in pairs × subscriptions.

mod actions;
mod admin;
mod conflicts;
mod owned;
mod quantity;
mod reassign;
pub mod registry;
mod status;

pub use actions::{cancel_lists, own_actions, tally_actions};
pub use admin::{
    AdminAccess, Grant, admin_access, check_admin_access, needed_right, relationship_grant,
    role_for_right, roles_for_services,
};
pub use conflicts::conflicting_subscriptions;
pub use owned::holding_target;
pub use quantity::check_quantity;
pub use reassign::{reassignments, user_findings, users_holding};
pub use status::check_status;

use smallvec::SmallVec;

use crate::catalog::{Catalog, OfferIdx, ServiceSet};
use crate::decision::{Evidence, Failure, Failures, ListIdx, UpgradeType};
use crate::model::CustomerView;

/// One upgrade pair to decide: subscription `subject` of `customer` to `target`.
#[derive(Clone, Copy, Debug)]
pub struct UpgradePair<'a> {
    pub catalog: &'a Catalog,
    pub customer: CustomerView<'a>,
    /// The customer's delegated-admin access on the as-of date.
    pub access: &'a AdminAccess,
    /// Position of the subscription in `customer.subscriptions`; its offer is known.
    pub subject: usize,
    pub source: OfferIdx,
    pub target: OfferIdx,
    /// How Partner Center would carry the upgrade out (for blocked pairs too):
    /// check 3 asks whether the customer's GDAP roles allow it.
    pub upgrade_type: UpgradeType,
}

impl UpgradePair<'_> {
    /// Services of the target that the source lacks.
    pub fn additional_services(&self) -> ServiceSet {
        let services = |offer| &self.catalog.offer(offer).services;
        services(self.target).minus(services(self.source))
    }
}

/// The evidence lists already built for one customer, found again by what they
/// depend on. Keys are few (bounded by the catalog's upgrade paths), so the
/// look-ups are linear scans of short inline lists.
#[derive(Debug, Default)]
pub struct CustomerMemo {
    /// Per target offer: its held subscriptions, if any.
    held: SmallVec<[(OfferIdx, Option<ListIdx>); 4]>,
    /// Per set of additional services: the conflicting subscriptions, if any.
    conflicts: SmallVec<[(ServiceSet, Option<ListIdx>); 4]>,
    /// Per source offer: the users holding a license of it.
    assigned: SmallVec<[(OfferIdx, usize); 2]>,
    /// Per (source, target): the users needing attention.
    reassignments: SmallVec<[((OfferIdx, OfferIdx), ListIdx); 4]>,
}

impl CustomerMemo {
    /// The users of the customer holding a license of `source`.
    pub fn assigned_users(&mut self, customer: CustomerView<'_>, source: OfferIdx) -> usize {
        if let Some(&(_, count)) = self.assigned.iter().find(|(key, _)| *key == source) {
            return count;
        }
        let count = users_holding(customer.licenses, source);
        self.assigned.push((source, count));
        count
    }

    /// The users needing attention after upgrading `source` to `target`, ordered
    /// by user principal name.
    pub fn reassignments(&mut self, pair: &UpgradePair<'_>, evidence: &mut Evidence) -> ListIdx {
        let key = (pair.source, pair.target);
        if let Some(&(_, list)) = self.reassignments.iter().find(|(k, _)| *k == key) {
            return list;
        }
        let mut found = reassignments(pair.catalog, pair.customer, pair.source, pair.target);
        found.sort_by_cached_key(|r| pair.customer.user_name(r.user));
        let list = push(&mut evidence.reassignments, found);
        self.reassignments.push((key, list));
        list
    }

    fn held(&mut self, pair: &UpgradePair<'_>, evidence: &mut Evidence) -> Option<ListIdx> {
        if let Some(&(_, list)) = self.held.iter().find(|(key, _)| *key == pair.target) {
            return list;
        }
        let found = holding_target(pair.customer.subscriptions, pair.target);
        let list = (!found.is_empty()).then(|| push(&mut evidence.held, found));
        self.held.push((pair.target, list));
        list
    }

    fn conflicts(&mut self, pair: &UpgradePair<'_>, evidence: &mut Evidence) -> Option<ListIdx> {
        let additional = pair.additional_services();
        if let Some(&(_, list)) = self.conflicts.iter().find(|(key, _)| *key == additional) {
            return list;
        }
        let found =
            conflicting_subscriptions(pair.catalog, pair.customer.subscriptions, &additional);
        let list = (!found.is_empty()).then(|| {
            let held = found.iter().fold(ServiceSet::EMPTY, |held, conflict| {
                held.union(&conflict.services)
            });
            evidence.conflicting_services.push(held);
            push(&mut evidence.conflicts, found)
        });
        self.conflicts.push((additional, list));
        list
    }
}

fn push<T>(lists: &mut Vec<T>, list: T) -> ListIdx {
    lists.push(list);
    ListIdx((lists.len() - 1) as u32)
}

/// Every failing check of the pair, in rule order; empty when the pair is
/// eligible. Evidence lists go to the customer's `evidence`.
pub fn blocking_failures(
    pair: &UpgradePair<'_>,
    memo: &mut CustomerMemo,
    evidence: &mut Evidence,
) -> Failures {
    let subscription = &pair.customer.subscriptions[pair.subject];
    let target = pair.catalog.offer(pair.target);
    let mut failures = Failures::new();
    failures.extend(check_status(subscription.status));
    failures.extend(check_admin_access(
        pair.access,
        &target.services,
        pair.upgrade_type,
    ));
    if let Some(held) = memo.held(pair, evidence) {
        failures.push(Failure::TargetAlreadyOwned { held });
    }
    if let Some(conflicts) = memo.conflicts(pair, evidence) {
        failures.push(Failure::ConflictingServices { conflicts });
    }
    failures.extend(check_quantity(subscription.quantity, target.max_quantity));
    failures
}

#[cfg(test)]
mod tests;
