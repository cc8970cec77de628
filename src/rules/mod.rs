//! Partner Center's Office 365 upgrade rules (contract §4) as pure functions.
//!
//! A rule sees one customer's records and the catalog, never files or paths. Each
//! check returns `None` when it passes or a [`Failure`] carrying the evidence (which
//! status, which services are missing, which subscriptions conflict) so that reports
//! and a future `explain` command can show why.

mod checks;
mod reassign;

pub use checks::{
    AdminAccess, admin_access, check_admin_access, check_conflicting_services, check_quantity,
    check_status, check_target_owned,
};
pub use reassign::{
    ReassignmentFinding, UserReassignment, reassignments, user_findings, users_holding,
};

use smallvec::SmallVec;

use crate::catalog::{Catalog, OfferIdx, ServiceSet};
use crate::model::{CustomerView, SubscriptionStatus};

/// Why an upgrade pair is blocked, in the order the checks run. The names are
/// Partner Center's `UpgradeErrorCode`s where one exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BlockReason {
    SubscriptionStatusNotActive,
    SubscriptionNotProvisioned,
    DelegatedAdminPermissionsDisabled,
    InsufficientGranularAdminPermissions,
    TargetOfferAlreadyOwned,
    ConflictingServiceTypes,
    QuantityExceedsTargetLimit,
}

impl BlockReason {
    pub const ALL: [BlockReason; 7] = [
        Self::SubscriptionStatusNotActive,
        Self::SubscriptionNotProvisioned,
        Self::DelegatedAdminPermissionsDisabled,
        Self::InsufficientGranularAdminPermissions,
        Self::TargetOfferAlreadyOwned,
        Self::ConflictingServiceTypes,
        Self::QuantityExceedsTargetLimit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::SubscriptionStatusNotActive => "SubscriptionStatusNotActive",
            Self::SubscriptionNotProvisioned => "SubscriptionNotProvisioned",
            Self::DelegatedAdminPermissionsDisabled => "DelegatedAdminPermissionsDisabled",
            Self::InsufficientGranularAdminPermissions => "InsufficientGranularAdminPermissions",
            Self::TargetOfferAlreadyOwned => "TargetOfferAlreadyOwned",
            Self::ConflictingServiceTypes => "ConflictingServiceTypes",
            Self::QuantityExceedsTargetLimit => "QuantityExceedsTargetLimit",
        }
    }
}

/// Why a user account needs attention after an eligible upgrade, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReassignmentReason {
    DisabledServicesReset,
    ServicesDropped,
    ConflictingLicense,
}

impl ReassignmentReason {
    pub const ALL: [ReassignmentReason; 3] = [
        Self::DisabledServicesReset,
        Self::ServicesDropped,
        Self::ConflictingLicense,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::DisabledServicesReset => "DisabledServicesReset",
            Self::ServicesDropped => "ServicesDropped",
            Self::ConflictingLicense => "ConflictingLicense",
        }
    }
}

/// How Partner Center would carry out an eligible upgrade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpgradeType {
    /// No user holds a license of the source offer.
    UpgradeOnly,
    /// Users' licenses move from the source offer to the target.
    UpgradeWithLicenseTransfer,
}

impl UpgradeType {
    /// At least one user of the customer holding the source offer means a license transfer.
    pub fn for_assigned_users(assigned_users: usize) -> UpgradeType {
        if assigned_users > 0 {
            Self::UpgradeWithLicenseTransfer
        } else {
            Self::UpgradeOnly
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::UpgradeOnly => "upgrade_only",
            Self::UpgradeWithLicenseTransfer => "upgrade_with_license_transfer",
        }
    }
}

/// The failed checks of a pair. Hundreds of thousands of pairs are blocked in a
/// large run, mostly by one or two checks naming one or two subscriptions: these
/// lists are kept inline, without an allocation each.
pub type Failures = SmallVec<[Failure; 2]>;
/// Subscriptions named by their position in the customer's subscriptions.
pub type Positions = SmallVec<[usize; 2]>;
pub type Conflicts = SmallVec<[Conflict; 2]>;

/// A failed check with its evidence. Subscriptions are named by their position
/// in the customer's [`CustomerView::subscriptions`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    StatusNotActive(SubscriptionStatus),
    NotProvisioned,
    NoActiveAdminRelationship,
    MissingAdminServices { missing: ServiceSet },
    TargetAlreadyOwned { subscriptions: Positions },
    ConflictingServices { conflicts: Conflicts },
    QuantityExceedsLimit { quantity: u64, limit: u64 },
}

/// Another held subscription that already provides some of the target's additional services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub subscription: usize,
    pub services: ServiceSet,
}

impl Failure {
    pub fn reason(&self) -> BlockReason {
        match self {
            Failure::StatusNotActive(_) => BlockReason::SubscriptionStatusNotActive,
            Failure::NotProvisioned => BlockReason::SubscriptionNotProvisioned,
            Failure::NoActiveAdminRelationship => BlockReason::DelegatedAdminPermissionsDisabled,
            Failure::MissingAdminServices { .. } => {
                BlockReason::InsufficientGranularAdminPermissions
            }
            Failure::TargetAlreadyOwned { .. } => BlockReason::TargetOfferAlreadyOwned,
            Failure::ConflictingServices { .. } => BlockReason::ConflictingServiceTypes,
            Failure::QuantityExceedsLimit { .. } => BlockReason::QuantityExceedsTargetLimit,
        }
    }
}

/// One upgrade pair to decide: subscription `subject` of `customer` to `target`.
#[derive(Clone, Copy, Debug)]
pub struct UpgradePair<'a> {
    pub catalog: &'a Catalog,
    pub customer: CustomerView<'a>,
    /// The customer's delegated-admin access on the as-of date.
    pub access: AdminAccess,
    /// Position of the subscription in `customer.subscriptions`; its offer is known.
    pub subject: usize,
    pub source: OfferIdx,
    pub target: OfferIdx,
}

impl UpgradePair<'_> {
    /// Services of the target that the source lacks.
    pub fn additional_services(&self) -> ServiceSet {
        let services = |offer| self.catalog.offer(offer).services;
        services(self.target).minus(services(self.source))
    }
}

/// Every failing check of the pair, in contract order; empty when the pair is eligible.
pub fn blocking_failures(pair: &UpgradePair<'_>) -> Failures {
    let subscription = &pair.customer.subscriptions[pair.subject];
    let target = pair.catalog.offer(pair.target);
    [
        check_status(subscription.status),
        check_admin_access(pair.access, target.services),
        check_target_owned(pair.customer.subscriptions, pair.target),
        check_conflicting_services(
            pair.catalog,
            pair.customer.subscriptions,
            pair.subject,
            pair.additional_services(),
        ),
        check_quantity(subscription.quantity, target.max_quantity),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests;
