//! Check 1: the subscription must be active (a pending one is "not provisioned").

use crate::decision::Failure;
use crate::model::SubscriptionStatus;

pub fn check_status(status: SubscriptionStatus) -> Option<Failure> {
    match status {
        SubscriptionStatus::Active => None,
        SubscriptionStatus::Pending => Some(Failure::NotProvisioned),
        other => Some(Failure::StatusNotActive(other)),
    }
}
