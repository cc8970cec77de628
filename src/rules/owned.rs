//! Check 4: the customer must not already hold a subscription of the target offer
//! (any channel).

use crate::catalog::OfferIdx;
use crate::decision::Positions;
use crate::model::Subscription;

/// The positions of the customer's held subscriptions of `target`.
pub fn holding_target(subscriptions: &[Subscription], target: OfferIdx) -> Positions {
    subscriptions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.status.is_held() && s.offer == Some(target))
        .map(|(i, _)| i)
        .collect()
}
