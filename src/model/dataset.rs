//! Grouping and ordering of the accepted records by customer.

use std::cmp::Ordering;

use super::records::{Customer, CustomerIdx, License, Relationship, Subscription};

/// Accepted records, grouped by customer and in report order.
#[derive(Debug, Default)]
pub struct Dataset {
    pub customers: Vec<Customer>,
    pub subscriptions: Vec<Subscription>,
    pub relationships: Vec<Relationship>,
    pub licenses: Vec<License>,
    /// Lower-case user principal names; `License::user` indexes this.
    pub users: Vec<Box<str>>,
    /// For customer `i`, its records are `[starts[i], starts[i + 1])` of each list.
    subscription_starts: Vec<u32>,
    relationship_starts: Vec<u32>,
    license_starts: Vec<u32>,
}

/// One customer and its records.
#[derive(Debug, Clone, Copy)]
pub struct CustomerView<'d> {
    pub idx: CustomerIdx,
    pub customer: &'d Customer,
    /// Ordered by subscription id (ASCII case-insensitive).
    pub subscriptions: &'d [Subscription],
    pub relationships: &'d [Relationship],
    /// Ordered by user principal name, then offer.
    pub licenses: &'d [License],
}

/// Orders ids as the contract compares them, ASCII case-insensitively (then byte-wise,
/// so that the order is total).
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
        .then_with(|| a.cmp(b))
}

impl Dataset {
    /// Groups records by customer. Every record's `customer` must index `customers`.
    pub fn new(
        customers: Vec<Customer>,
        mut subscriptions: Vec<Subscription>,
        mut relationships: Vec<Relationship>,
        licenses: Vec<License>,
        users: Vec<Box<str>>,
    ) -> Dataset {
        let mut order: Vec<u32> = (0..customers.len() as u32).collect();
        order.sort_by(|&a, &b| compare_ids(&customers[a as usize].id, &customers[b as usize].id));
        let mut new_position = vec![0u32; customers.len()];
        for (new, &old) in order.iter().enumerate() {
            new_position[old as usize] = new as u32;
        }
        let remap = |idx: CustomerIdx| CustomerIdx(new_position[idx.0 as usize]);
        let mut slots: Vec<Option<Customer>> = customers.into_iter().map(Some).collect();
        let customers: Vec<Customer> = order
            .iter()
            .filter_map(|&old| slots[old as usize].take())
            .collect();

        for subscription in &mut subscriptions {
            subscription.customer = remap(subscription.customer);
        }
        subscriptions.sort_by(|a, b| {
            a.customer
                .cmp(&b.customer)
                .then_with(|| compare_ids(&a.id, &b.id))
        });
        let subscription_starts = starts(customers.len(), subscriptions.iter().map(|s| s.customer));

        for relationship in &mut relationships {
            relationship.customer = remap(relationship.customer);
        }
        relationships.sort_by_key(|r| r.customer);
        let relationship_starts = starts(customers.len(), relationships.iter().map(|r| r.customer));

        let licenses = group_licenses(licenses, &remap, customers.len(), &users);
        let license_starts = starts(customers.len(), licenses.iter().map(|l| l.customer));

        Dataset {
            customers,
            subscriptions,
            relationships,
            licenses,
            users,
            subscription_starts,
            relationship_starts,
            license_starts,
        }
    }

    pub fn customer(&self, idx: CustomerIdx) -> CustomerView<'_> {
        let i = idx.0 as usize;
        let range = |starts: &[u32]| starts[i] as usize..starts[i + 1] as usize;
        CustomerView {
            idx,
            customer: &self.customers[i],
            subscriptions: &self.subscriptions[range(&self.subscription_starts)],
            relationships: &self.relationships[range(&self.relationship_starts)],
            licenses: &self.licenses[range(&self.license_starts)],
        }
    }

    pub fn customer_views(&self) -> impl ExactSizeIterator<Item = CustomerView<'_>> {
        (0..self.customers.len() as u32).map(|i| self.customer(CustomerIdx(i)))
    }

    pub fn user_name(&self, license: &License) -> &str {
        &self.users[license.user.0 as usize]
    }
}

/// Start offsets per customer of a list sorted by customer, plus the end.
fn starts(customers: usize, sorted: impl Iterator<Item = CustomerIdx>) -> Vec<u32> {
    let mut counts = vec![0u32; customers + 1];
    for customer in sorted {
        counts[customer.0 as usize + 1] += 1;
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    counts
}

/// Licenses grouped by (remapped) customer with a counting sort, then each
/// customer's licenses ordered by user name and offer.
fn group_licenses(
    mut licenses: Vec<License>,
    remap: &impl Fn(CustomerIdx) -> CustomerIdx,
    customers: usize,
    users: &[Box<str>],
) -> Vec<License> {
    for license in &mut licenses {
        license.customer = remap(license.customer);
    }
    let mut next = starts(customers, licenses.iter().map(|l| l.customer));
    let bounds = next.clone();
    let mut grouped = licenses.clone();
    for license in &licenses {
        let slot = &mut next[license.customer.0 as usize];
        grouped[*slot as usize] = *license;
        *slot += 1;
    }
    for window in bounds.windows(2) {
        grouped[window[0] as usize..window[1] as usize].sort_unstable_by(|a, b| {
            users[a.user.0 as usize]
                .cmp(&users[b.user.0 as usize])
                .then_with(|| a.offer.cmp(&b.offer))
        });
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{OfferIdx, ServiceSet};
    use crate::model::{Channel, SubscriptionStatus, UserIdx};

    fn customer(id: &str) -> Customer {
        Customer {
            id: id.into(),
            company_name: "x".into(),
            domain: "".into(),
            country: "".into(),
            account_manager: "".into(),
        }
    }

    fn subscription(id: &str, customer: u32) -> Subscription {
        Subscription {
            id: id.into(),
            customer: CustomerIdx(customer),
            offer: None,
            offer_text: "x".into(),
            status: SubscriptionStatus::Active,
            quantity: 1,
            channel: Channel::ThisPartner,
        }
    }

    fn license(customer: u32, user: u32, offer: u16) -> License {
        License {
            customer: CustomerIdx(customer),
            user: UserIdx(user),
            offer: Some(OfferIdx(offer)),
            disabled: ServiceSet::EMPTY,
        }
    }

    #[test]
    fn groups_and_orders_by_customer_id_then_record() {
        let dataset = Dataset::new(
            vec![customer("c-B"), customer("c-a"), customer("c-c")],
            vec![
                subscription("S2", 0),
                subscription("s1", 0),
                subscription("x", 1),
            ],
            vec![],
            vec![
                license(0, 1, 0),
                license(1, 0, 0),
                license(0, 0, 1),
                license(0, 0, 0),
            ],
            vec!["zed@x".into(), "amy@x".into()],
        );
        let ids: Vec<&str> = dataset.customers.iter().map(|c| &*c.id).collect();
        assert_eq!(ids, ["c-a", "c-B", "c-c"]);
        let b = dataset.customer(CustomerIdx(1));
        assert_eq!(&*b.customer.id, "c-B");
        let subs: Vec<&str> = b.subscriptions.iter().map(|s| &*s.id).collect();
        assert_eq!(subs, ["s1", "S2"]);
        let users: Vec<(&str, Option<OfferIdx>)> = b
            .licenses
            .iter()
            .map(|l| (dataset.user_name(l), l.offer))
            .collect();
        assert_eq!(
            users,
            [
                ("amy@x", Some(OfferIdx(0))),
                ("zed@x", Some(OfferIdx(0))),
                ("zed@x", Some(OfferIdx(1)))
            ]
        );
        assert_eq!(dataset.customer(CustomerIdx(0)).licenses.len(), 1);
        assert!(dataset.customer(CustomerIdx(2)).subscriptions.is_empty());
    }
}
