//! The six checks of an upgrade pair, one function each.

use chrono::NaiveDate;

use super::{Conflict, Conflicts, Failure, Positions};
use crate::catalog::{Catalog, OfferIdx, ServiceSet};
use crate::model::{Coverage, Relationship, Subscription, SubscriptionStatus};

/// Check 1: the subscription must be active (pending is "not provisioned").
pub fn check_status(status: SubscriptionStatus) -> Option<Failure> {
    match status {
        SubscriptionStatus::Active => None,
        SubscriptionStatus::Pending => Some(Failure::NotProvisioned),
        other => Some(Failure::StatusNotActive(other)),
    }
}

/// What the customer's delegated-admin relationships grant on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminAccess {
    /// No relationship is active that day.
    None,
    /// The union of the services of every active relationship.
    Granted(Coverage),
}

/// The union of the relationships active on `as_of`. Roles grant nothing yet: a
/// role-only relationship counts as active with no service.
pub fn admin_access(relationships: &[Relationship], as_of: NaiveDate) -> AdminAccess {
    relationships
        .iter()
        .filter(|relationship| relationship.is_active_on(as_of))
        .fold(AdminAccess::None, |access, relationship| {
            let services = relationship
                .services
                .unwrap_or(Coverage::Services(ServiceSet::EMPTY));
            match (access, services) {
                (AdminAccess::Granted(Coverage::All), _) | (_, Coverage::All) => {
                    AdminAccess::Granted(Coverage::All)
                }
                (AdminAccess::Granted(Coverage::Services(a)), Coverage::Services(b)) => {
                    AdminAccess::Granted(Coverage::Services(a.union(b)))
                }
                (AdminAccess::None, Coverage::Services(b)) => {
                    AdminAccess::Granted(Coverage::Services(b))
                }
            }
        })
}

/// Checks 2 and 3 (exclusive): some relationship must be active, and together the
/// active ones must cover every service of the target.
pub fn check_admin_access(access: AdminAccess, target_services: ServiceSet) -> Option<Failure> {
    match access {
        AdminAccess::None => Some(Failure::NoActiveAdminRelationship),
        AdminAccess::Granted(Coverage::All) => None,
        AdminAccess::Granted(Coverage::Services(granted)) => {
            let missing = target_services.minus(granted);
            (!missing.is_empty()).then_some(Failure::MissingAdminServices { missing })
        }
    }
}

/// Check 4: the customer must not already hold a subscription of the target offer.
pub fn check_target_owned(subscriptions: &[Subscription], target: OfferIdx) -> Option<Failure> {
    let owned: Positions = subscriptions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.status.is_held() && s.offer == Some(target))
        .map(|(i, _)| i)
        .collect();
    (!owned.is_empty()).then_some(Failure::TargetAlreadyOwned {
        subscriptions: owned,
    })
}

/// Check 5: no other held subscription may already include one of the target's
/// additional services (those the source offer lacks).
pub fn check_conflicting_services(
    catalog: &Catalog,
    subscriptions: &[Subscription],
    subject: usize,
    additional: ServiceSet,
) -> Option<Failure> {
    if additional.is_empty() {
        return None;
    }
    let conflicts: Conflicts = subscriptions
        .iter()
        .enumerate()
        .filter(|&(i, s)| i != subject && s.status.is_held())
        .filter_map(|(i, s)| {
            let services = catalog.services_of(s.offer).intersection(additional);
            (!services.is_empty()).then_some(Conflict {
                subscription: i,
                services,
            })
        })
        .collect();
    (!conflicts.is_empty()).then_some(Failure::ConflictingServices { conflicts })
}

/// Check 6: the subscription's seats must fit the target's limit.
pub fn check_quantity(quantity: u64, limit: Option<u64>) -> Option<Failure> {
    match limit {
        Some(limit) if quantity > limit => Some(Failure::QuantityExceedsLimit { quantity, limit }),
        _ => None,
    }
}
