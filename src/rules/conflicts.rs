//! Check 5: no other held subscription (any channel, any offer or product) may
//! already provide one of the target's additional services — those of the target
//! that the source offer lacks.
//!
//! The subscription being upgraded never appears: its offer has none of the
//! additional services by their definition. So a pair's conflicts depend only on
//! the customer and the additional services, and pairs with the same additional
//! services share one list ([`super::CustomerMemo`]).

use crate::catalog::{Catalog, ServiceSet};
use crate::decision::{Conflict, Conflicts};
use crate::model::Subscription;

/// The held subscriptions providing some of `additional`, with the services each provides.
pub fn conflicting_subscriptions(
    catalog: &Catalog,
    subscriptions: &[Subscription],
    additional: &ServiceSet,
) -> Conflicts {
    if additional.is_empty() {
        return Conflicts::new();
    }
    subscriptions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.status.is_held())
        .filter_map(|(i, s)| {
            let services = catalog.services_of(s.offer).intersection(additional);
            (!services.is_empty()).then_some(Conflict {
                subscription: i,
                services,
            })
        })
        .collect()
}
