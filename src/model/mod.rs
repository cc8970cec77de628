//! The indexed dataset the rules run on: accepted records grouped by customer,
//! customers in id order, each customer's subscriptions in id order and its
//! licenses in user order.

mod dataset;
mod records;

pub use dataset::{CustomerView, Dataset};
pub use records::{
    Channel, Coverage, Customer, CustomerIdx, KnownValues, License, Relationship,
    RelationshipStatus, Subscription, SubscriptionStatus, UserIdx,
};
