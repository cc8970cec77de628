//! The indexed dataset the rules run on: accepted records grouped by customer,
//! customers in id order, each customer's subscriptions in id order and its
//! licenses in user order.

mod dataset;
mod licenses;
mod order;
mod records;
mod select;
mod users;

pub use dataset::{CustomerView, Dataset};
pub use licenses::DuplicateLicense;
pub use order::compare_ids;
pub use records::{
    Channel, Coverage, Customer, CustomerIdx, CustomerRuns, DisabledIdx, KnownValues, License,
    LicenseOffer, LicenseRows, Relationship, RelationshipStatus, Subscription, SubscriptionStatus,
    UserIdx,
};
pub use select::{Filter, FilterMatcher, Selection};
pub use users::{UserName, Users};
