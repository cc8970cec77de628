//! `explain`'s two outputs — text for a terminal, JSON shaped like Partner
//! Center's `Upgrade` resource — over the same decision records `run` reports.

pub mod json;
pub mod text;

use crate::decision::{BlockReason, Failure, PairDecision, Verdict};

/// The six checks of contract §4, in rule order, by the code each reports.
pub const CHECKS: [(u8, BlockReason); 6] = [
    (1, BlockReason::SubscriptionStatusNotActive),
    (2, BlockReason::DelegatedAdminPermissionsDisabled),
    (3, BlockReason::InsufficientGranularAdminPermissions),
    (4, BlockReason::TargetOfferAlreadyOwned),
    (5, BlockReason::ConflictingServiceTypes),
    (6, BlockReason::QuantityExceedsTargetLimit),
];

/// One check of one pair as `explain` shows it.
#[derive(Debug, Clone, Copy)]
pub struct CheckView<'a> {
    pub check: u8,
    /// The code the check reported, or its usual code when it passed.
    pub code: BlockReason,
    pub passed: bool,
    /// False for check 3 when check 2 failed (codes 2 and 3 are exclusive).
    pub applicable: bool,
    pub failure: Option<&'a Failure>,
}

/// Every check of an evaluated pair, in rule order.
pub fn checks(pair: &PairDecision) -> [CheckView<'_>; 6] {
    let failures: &[Failure] = match &pair.verdict {
        Verdict::Blocked(failures) => failures,
        Verdict::Eligible(_) => &[],
    };
    let no_relationship = failures
        .iter()
        .any(|f| matches!(f, Failure::NoActiveAdminRelationship));
    CHECKS.map(|(check, code)| {
        let failure = failures.iter().find(|f| {
            let reason = f.reason();
            reason == code
                || (code == BlockReason::SubscriptionStatusNotActive
                    && reason == BlockReason::SubscriptionNotProvisioned)
        });
        CheckView {
            check,
            code: failure.map_or(code, Failure::reason),
            passed: failure.is_none(),
            applicable: !(check == 3 && no_relationship),
            failure,
        }
    })
}
