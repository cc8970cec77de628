//! The registry of codes: for every reason an upgrade pair is blocked and every
//! reason an account needs reassignment, its check, its Partner Center counterpart
//! and what it means — one place that `explain`, `actions.csv` and
//! the documentation's tables are made from (a test holds `docs/reasons.md` to it).

use crate::decision::{ActionKind, BlockReason, ReassignmentReason};

/// Partner Center's counterpart of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counterpart {
    /// A value of Partner Center's `UpgradeErrorCode` enum.
    UpgradeErrorCode { value: u8, name: &'static str },
    /// Partner Center has no code for it; ours names the article's condition.
    Ours,
}

/// What the registry knows about a blocked-pair code.
#[derive(Clone, Copy, Debug)]
pub struct BlockReasonDoc {
    pub reason: BlockReason,
    /// The check of contract §4 that reports it (1 to 6).
    pub check: u8,
    pub counterpart: Counterpart,
    /// When the check fails, in one sentence.
    pub fails_when: &'static str,
    /// The fix `actions.csv` lists for it.
    pub action: ActionKind,
    /// What the action is taken on, and when there is none.
    pub action_on: &'static str,
}

/// What the registry knows about a reassignment reason.
#[derive(Clone, Copy, Debug)]
pub struct ReassignmentReasonDoc {
    pub reason: ReassignmentReason,
    /// When a user gets a row of this reason, in one sentence.
    pub applies_when: &'static str,
    /// What the row's `services` column holds.
    pub services: &'static str,
}

/// Partner Center's `UpgradeErrorCode` for an offer without upgrade paths: our
/// `not_upgradable` verdict.
pub const NO_UPGRADE_PATHS: Counterpart = Counterpart::UpgradeErrorCode {
    value: 7,
    name: "SubscriptionDoesNotHaveAnyUpgradePaths",
};

pub const BLOCK_REASONS: [BlockReasonDoc; 7] = [
    BlockReasonDoc {
        reason: BlockReason::SubscriptionStatusNotActive,
        check: 1,
        counterpart: Counterpart::UpgradeErrorCode {
            value: 2,
            name: "SubscriptionStatusNotActive",
        },
        fails_when: "the subscription is suspended, disabled, expired, deleted or cancelled",
        action: ActionKind::ReactivateSubscription,
        action_on: "the subscription, when it is suspended; a disabled, expired, deleted or cancelled one cannot be brought back, so its pairs call for no action",
    },
    BlockReasonDoc {
        reason: BlockReason::SubscriptionNotProvisioned,
        check: 1,
        counterpart: Counterpart::UpgradeErrorCode {
            value: 9,
            name: "SubscriptionNotProvisioned",
        },
        fails_when: "the subscription is pending (instead of SubscriptionStatusNotActive)",
        action: ActionKind::AwaitProvisioning,
        action_on: "the subscription",
    },
    BlockReasonDoc {
        reason: BlockReason::DelegatedAdminPermissionsDisabled,
        check: 2,
        counterpart: Counterpart::UpgradeErrorCode {
            value: 1,
            name: "DelegatedAdminPermissionsDisabled",
        },
        fails_when: "the customer has no delegated-admin relationship active on the as-of date",
        action: ActionKind::EstablishAdminRelationship,
        action_on: "the customer",
    },
    BlockReasonDoc {
        reason: BlockReason::InsufficientGranularAdminPermissions,
        check: 3,
        counterpart: Counterpart::UpgradeErrorCode {
            value: 11,
            name: "InsufficientGranularAdminPermissions",
        },
        fails_when: "the customer's active relationships together do not cover every service \
                     of the target (never together with DelegatedAdminPermissionsDisabled)",
        action: ActionKind::ExtendAdminRelationship,
        action_on: "the customer (for GDAP roles: a new relationship with the missing roles, since an active one cannot change)",
    },
    BlockReasonDoc {
        reason: BlockReason::TargetOfferAlreadyOwned,
        check: 4,
        counterpart: Counterpart::Ours,
        fails_when: "the customer already holds a subscription of the target offer (any channel)",
        action: ActionKind::CancelSubscription,
        action_on: "each held subscription of the target",
    },
    BlockReasonDoc {
        reason: BlockReason::ConflictingServiceTypes,
        check: 5,
        counterpart: Counterpart::UpgradeErrorCode {
            value: 3,
            name: "ConflictingServiceTypes",
        },
        fails_when: "another held subscription (any channel, any offer or product) already \
                     provides a service that the target would add",
        action: ActionKind::CancelSubscription,
        action_on: "each conflicting subscription",
    },
    BlockReasonDoc {
        reason: BlockReason::QuantityExceedsTargetLimit,
        check: 6,
        counterpart: Counterpart::Ours,
        fails_when: "the subscription's quantity exceeds the target's seat limit",
        action: ActionKind::ReduceQuantity,
        action_on: "the subscription",
    },
];

pub const REASSIGNMENT_REASONS: [ReassignmentReasonDoc; 3] = [
    ReassignmentReasonDoc {
        reason: ReassignmentReason::DisabledServicesReset,
        applies_when: "the user has services of the target disabled in the source license; the \
                       transferred license switches every service of the target on",
        services: "the disabled services that the target includes",
    },
    ReassignmentReasonDoc {
        reason: ReassignmentReason::ServicesDropped,
        applies_when: "a service enabled in the user's source license is not part of the target",
        services: "the services the user would lose",
    },
    ReassignmentReasonDoc {
        reason: ReassignmentReason::ConflictingLicense,
        applies_when: "the user also holds a license of another known offer or product that \
                       provides a service the target adds",
        services: "the services provided twice",
    },
];

/// The registry entry of a blocked-pair code.
pub fn block_reason(reason: BlockReason) -> &'static BlockReasonDoc {
    // The table lists every reason in enum order (a test holds it so).
    &BLOCK_REASONS[reason as usize]
}

pub fn reassignment_reason(reason: ReassignmentReason) -> &'static ReassignmentReasonDoc {
    &REASSIGNMENT_REASONS[reason as usize]
}

/// The reasons as the Markdown tables of `docs/reasons.md` (a test keeps the two equal).
pub fn markdown_tables() -> String {
    let mut out = String::from(
        "| # | code | fails when | Partner Center `UpgradeErrorCode` | action (on) |\n\
         |---|---|---|---|---|\n",
    );
    for doc in &BLOCK_REASONS {
        let counterpart = match doc.counterpart {
            Counterpart::UpgradeErrorCode { value, name } => format!("{value} `{name}`"),
            Counterpart::Ours => "none (ours)".to_owned(),
        };
        out.push_str(&format!(
            "| {} | `{}` | {} | {counterpart} | `{}` ({}) |\n",
            doc.check,
            doc.reason.code(),
            doc.fails_when,
            doc.action.code(),
            doc.action_on
        ));
    }
    out.push_str("\n| reason | applies when | `services` column |\n|---|---|---|\n");
    for doc in &REASSIGNMENT_REASONS {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            doc.reason.code(),
            doc.applies_when,
            doc.services
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_reasons_md_holds_the_registry_tables() {
        let doc = include_str!("../../docs/reasons.md");
        let tables = markdown_tables();
        for table in tables.split("\n\n") {
            assert!(
                doc.contains(table),
                "docs/reasons.md is out of date; its tables must read:\n{tables}"
            );
        }
    }

    #[test]
    fn tables_list_every_code_once_in_enum_order() {
        let blocked: Vec<BlockReason> = BLOCK_REASONS.iter().map(|doc| doc.reason).collect();
        assert_eq!(blocked, BlockReason::ALL);
        let reassign: Vec<ReassignmentReason> =
            REASSIGNMENT_REASONS.iter().map(|doc| doc.reason).collect();
        assert_eq!(reassign, ReassignmentReason::ALL);
        let checks: Vec<u8> = BLOCK_REASONS.iter().map(|doc| doc.check).collect();
        assert!(checks.is_sorted(), "rule order: {checks:?}");
    }
}
