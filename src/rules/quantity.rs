//! Check 6: the subscription's seats must fit the target's seat limit.

use crate::decision::Failure;

pub fn check_quantity(quantity: u64, limit: Option<u64>) -> Option<Failure> {
    match limit {
        Some(limit) if quantity > limit => Some(Failure::QuantityExceedsLimit { quantity, limit }),
        _ => None,
    }
}
