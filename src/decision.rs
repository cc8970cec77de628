//! Decision records: what the engine decided for each subscription, upgrade pair and
//! user account, as ids (dataset positions, catalog indices), codes and evidence.
//!
//! No text and no format live here: the emitters (`output`: CSV reports, the
//! workbook, `explain`) and the messages (`text`) turn these records into what
//! people read. The codes' documentation, Partner Center counterparts and actions
//! are in the rules' registry. This module depends on none of them.
//!
//! Evidence that several pairs of one customer share (the subscriptions that hold a
//! target, those that conflict with a set of services, the users whose licenses move)
//! is stored once per customer in [`Evidence`] and referenced by [`ListIdx`], so that
//! a customer's decisions take memory in proportion to its input, however many of
//! its pairs name the same subscriptions or users.

use smallvec::SmallVec;

use crate::catalog::{OfferIdx, ServiceSet};
use crate::model::{SubscriptionStatus, UserIdx};

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

    /// The reason whose code is `code` (exact spelling).
    pub fn from_code(code: &str) -> Option<BlockReason> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
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

    pub fn from_code(code: &str) -> Option<ReassignmentReason> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }
}

/// How Partner Center would carry out an upgrade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// A list in a customer's [`Evidence`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ListIdx(pub u32);

/// The decisions about one customer's subscriptions, indexed like the customer's
/// subscriptions in the dataset.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CustomerDecisions {
    pub subscriptions: Vec<SubscriptionDecision>,
    pub evidence: Evidence,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SubscriptionDecision {
    /// Sold by another partner or direct: context only, not evaluated.
    OtherChannel,
    /// Evaluated, but its offer is unknown or has no upgrade path.
    NotUpgradable,
    /// One decision per target on the offer's upgrade path, in path order.
    Evaluated(Vec<PairDecision>),
}

/// The decision about one (subscription, target offer) pair.
#[derive(Debug, PartialEq, Eq)]
pub struct PairDecision {
    pub target: OfferIdx,
    pub verdict: Verdict,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Eligible(EligibleUpgrade),
    /// Every failing check, in rule order (never empty).
    Blocked(Failures),
}

#[derive(Debug, PartialEq, Eq)]
pub struct EligibleUpgrade {
    pub upgrade_type: UpgradeType,
    /// Users of the customer holding a license of the source offer.
    pub assigned_users: usize,
    /// The users that need attention, in the customer's evidence.
    pub reassignments: ListIdx,
}

/// The failed checks of a pair. Hundreds of thousands of pairs are blocked in a
/// large run, mostly by one or two checks: these lists are kept inline.
pub type Failures = SmallVec<[Failure; 2]>;
/// Subscriptions named by their position in the customer's subscriptions.
pub type Positions = SmallVec<[usize; 2]>;
pub type Conflicts = SmallVec<[Conflict; 2]>;

/// A failed check with its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    StatusNotActive(SubscriptionStatus),
    NotProvisioned,
    NoActiveAdminRelationship,
    /// Check 3: services no active relationship covers (perhaps none), and the
    /// upgrade type no active GDAP role allows when every active relationship is
    /// role-only.
    MissingAdminServices {
        missing: ServiceSet,
        missing_right: Option<UpgradeType>,
    },
    /// The subscriptions of the customer holding the target (a `held` list).
    TargetAlreadyOwned {
        held: ListIdx,
    },
    /// The held subscriptions providing some of the target's additional services
    /// (a `conflicts` list).
    ConflictingServices {
        conflicts: ListIdx,
    },
    QuantityExceedsLimit {
        quantity: u64,
        limit: u64,
    },
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

/// Another held subscription that already provides some of the target's additional services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Its position in the customer's subscriptions.
    pub subscription: usize,
    pub services: ServiceSet,
}

/// One reason a user needs attention, with the services concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReassignmentFinding {
    pub reason: ReassignmentReason,
    pub services: ServiceSet,
    /// For [`ReassignmentReason::ConflictingLicense`]: the user's other offers and
    /// products that provide the services, in catalog order; empty otherwise.
    pub conflicting_offers: Vec<OfferIdx>,
}

/// A user of the source offer and every reason that applies to them, in reason order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserReassignment {
    pub user: UserIdx,
    pub findings: Vec<ReassignmentFinding>,
}

/// Evidence lists of one customer, shared by the pairs that name them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Subscriptions holding a target offer.
    pub held: Vec<Positions>,
    /// Held subscriptions conflicting with a set of additional services.
    pub conflicts: Vec<Conflicts>,
    /// Per list of `conflicts`: every service its subscriptions hold (of those the
    /// target would add), so that a pair's text need not gather them again.
    pub conflicting_services: Vec<ServiceSet>,
    /// Users needing attention after an upgrade, ordered by user principal name.
    pub reassignments: Vec<Vec<UserReassignment>>,
}

impl Evidence {
    pub fn held(&self, list: ListIdx) -> &[usize] {
        &self.held[list.0 as usize]
    }

    pub fn conflicts(&self, list: ListIdx) -> &[Conflict] {
        &self.conflicts[list.0 as usize]
    }

    pub fn conflicting_services(&self, list: ListIdx) -> &ServiceSet {
        &self.conflicting_services[list.0 as usize]
    }

    pub fn reassignments(&self, list: ListIdx) -> &[UserReassignment] {
        &self.reassignments[list.0 as usize]
    }
}

/// A fix that would unblock blocked pairs (contract §5, `actions.csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActionKind {
    ReactivateSubscription,
    AwaitProvisioning,
    EstablishAdminRelationship,
    ExtendAdminRelationship,
    CancelSubscription,
    ReduceQuantity,
}

impl ActionKind {
    pub const ALL: [ActionKind; 6] = [
        Self::ReactivateSubscription,
        Self::AwaitProvisioning,
        Self::EstablishAdminRelationship,
        Self::ExtendAdminRelationship,
        Self::CancelSubscription,
        Self::ReduceQuantity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ReactivateSubscription => "ReactivateSubscription",
            Self::AwaitProvisioning => "AwaitProvisioning",
            Self::EstablishAdminRelationship => "EstablishAdminRelationship",
            Self::ExtendAdminRelationship => "ExtendAdminRelationship",
            Self::CancelSubscription => "CancelSubscription",
            Self::ReduceQuantity => "ReduceQuantity",
        }
    }
}

/// What an action is taken on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// The customer (its admin relationships).
    Customer,
    /// A subscription, by its position in the customer's subscriptions.
    Subscription(usize),
}

/// One action on one subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Action {
    pub kind: ActionKind,
    pub subject: Subject,
}

/// An action of one customer with the blocked pairs it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionTally {
    pub action: Action,
    /// Blocked pairs whose action set is exactly this action.
    pub unblocks_pairs: u64,
    /// Blocked pairs whose action set contains this action.
    pub involved_pairs: u64,
    /// For `EstablishAdminRelationship`: the services the involved targets need;
    /// for `ExtendAdminRelationship`: the services the active relationships miss.
    pub services: ServiceSet,
    /// For `ExtendAdminRelationship` on role-only relationships: the upgrade type
    /// no active role allows (the strongest one needed).
    pub missing_right: Option<UpgradeType>,
    /// For `ReduceQuantity`: the smallest and largest seat limit of the involved targets.
    pub limits: Option<(u64, u64)>,
}
