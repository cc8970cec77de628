//! Grouping and ordering of the accepted records by customer.

use std::cmp::Ordering;

use super::licenses::{DuplicateLicense, LicenseTable};
use super::order::{by_customer_and_id, permute};

use super::records::{
    Customer, CustomerIdx, License, LicenseOffer, LicenseRows, Relationship, Subscription, UserIdx,
};
use super::users::{UserName, Users};
use crate::catalog::ServiceSet;

/// Accepted records, grouped by customer and in report order.
#[derive(Debug, Default)]
pub struct Dataset {
    pub customers: Vec<Customer>,
    pub subscriptions: Vec<Subscription>,
    pub relationships: Vec<Relationship>,
    licenses: LicenseTable,
    /// Lower-case user principal names; `License::user` indexes this.
    pub users: Users,
    /// The distinct sets of disabled services; `License::disabled` indexes this.
    pub disabled_sets: Vec<ServiceSet>,
    /// For customer `i`, its records are `[starts[i], starts[i + 1])` of each list.
    subscription_starts: Vec<u32>,
    relationship_starts: Vec<u32>,
}

/// One customer and its records.
#[derive(Debug, Clone, Copy)]
pub struct CustomerView<'d> {
    pub idx: CustomerIdx,
    pub customer: &'d Customer,
    /// Ordered by subscription id (ASCII case-insensitive).
    pub subscriptions: &'d [Subscription],
    pub relationships: &'d [Relationship],
    /// Grouped by user (one user has one [`UserIdx`]), then ordered by offer.
    pub licenses: &'d [License],
    /// The names `License::user` indexes (the dataset's, shared by every customer).
    pub users: &'d Users,
    /// The sets `License::disabled` indexes (the dataset's).
    pub disabled_sets: &'d [ServiceSet],
}

impl<'d> CustomerView<'d> {
    /// A user's principal name, in lower case.
    pub fn user_name(&self, user: UserIdx) -> UserName<'d> {
        self.users.name(user)
    }

    /// The services disabled in `license`.
    pub fn disabled(&self, license: &License) -> &'d ServiceSet {
        static NONE: ServiceSet = ServiceSet::EMPTY;
        self.disabled_sets
            .get(license.disabled.0 as usize)
            .unwrap_or(&NONE)
    }
}

impl Dataset {
    /// Groups records by customer. Every record's `customer` must index `customers`.
    /// `unknown_offer_keys` gives, per unknown license-offer spelling, the number of
    /// its case- and space-folded form, so that two spellings of one offer are one
    /// offer. License rows that repeat an earlier row's (customer, user, offer) are
    /// left out and returned, in line order.
    pub fn build(
        customers: Vec<Customer>,
        subscriptions: Vec<Subscription>,
        relationships: Vec<Relationship>,
        licenses: Vec<LicenseRows>,
        users: Users,
        unknown_offer_keys: &[u32],
    ) -> (Dataset, Vec<DuplicateLicense>) {
        let order = by_customer_and_id(&customers, |_| 0, |c| c.id(), |_, _| Ordering::Equal);
        let mut new_position = vec![0u32; customers.len()];
        for (new, &old) in order.iter().enumerate() {
            new_position[old as usize] = new as u32;
        }
        let remap = |idx: CustomerIdx| CustomerIdx(new_position[idx.0 as usize]);
        let customers = permute(customers, &order);

        // Subscription ids are unique (case-insensitively); relationships are also
        // ordered by dates so that reports do not depend on row order.
        let order_subscriptions = || {
            let order = by_customer_and_id(
                &subscriptions,
                |s| remap(s.customer).0,
                |s| &s.id,
                |_, _| Ordering::Equal,
            );
            permute(subscriptions, &order)
        };
        let order_relationships = || {
            let order = by_customer_and_id(
                &relationships,
                |r| remap(r.customer).0,
                |r| &r.id,
                |a, b| (a.start, a.end).cmp(&(b.start, b.end)),
            );
            permute(relationships, &order)
        };
        let offer_key = |offer: LicenseOffer| match offer.unknown_spelling() {
            Some(spelling) => LicenseOffer::unknown(
                unknown_offer_keys
                    .get(spelling as usize)
                    .copied()
                    .unwrap_or(spelling),
            ),
            None => offer,
        };
        let group = || LicenseTable::group(licenses, &remap, customers.len(), &users, &offer_key);
        let (mut subscriptions, (mut relationships, (licenses, duplicates))) =
            rayon::join(order_subscriptions, || {
                rayon::join(order_relationships, group)
            });
        for subscription in &mut subscriptions {
            subscription.customer = remap(subscription.customer);
        }
        for relationship in &mut relationships {
            relationship.customer = remap(relationship.customer);
        }
        let subscription_starts = starts(customers.len(), subscriptions.iter().map(|s| s.customer));
        let relationship_starts = starts(customers.len(), relationships.iter().map(|r| r.customer));

        let dataset = Dataset {
            customers,
            subscriptions,
            relationships,
            licenses,
            users,
            disabled_sets: vec![ServiceSet::EMPTY],
            subscription_starts,
            relationship_starts,
        };
        (dataset, duplicates)
    }

    pub fn customer(&self, idx: CustomerIdx) -> CustomerView<'_> {
        let i = idx.0 as usize;
        let range = |starts: &[u32]| starts[i] as usize..starts[i + 1] as usize;
        CustomerView {
            idx,
            customer: &self.customers[i],
            subscriptions: &self.subscriptions[range(&self.subscription_starts)],
            relationships: &self.relationships[range(&self.relationship_starts)],
            licenses: self.licenses.of(i),
            users: &self.users,
            disabled_sets: &self.disabled_sets,
        }
    }

    pub fn customer_views(&self) -> impl ExactSizeIterator<Item = CustomerView<'_>> {
        (0..self.customers.len() as u32).map(|i| self.customer(CustomerIdx(i)))
    }

    /// Frees the dataset, its license rows and user names first: a few hundred
    /// large blocks that hold most of its memory and go back to the system at once.
    /// `between` runs before the millions of small records, whose freeing is slow,
    /// are freed (with the rest of `self`, on return).
    pub fn free_largest_first(self, between: impl FnOnce()) {
        let Dataset {
            licenses, users, ..
        } = self;
        drop((licenses, users));
        between();
    }

    pub fn user_name(&self, user: UserIdx) -> UserName<'_> {
        self.users.name(user)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::OfferIdx;
    use crate::model::{Channel, SubscriptionStatus, UserIdx};

    fn customer(id: &str) -> Customer {
        Customer::new(id, "x", "", "")
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

    fn license(customer: u32, user: u32, offer: u16, line: u32) -> (u32, License) {
        let license = License {
            user: UserIdx(user),
            offer: LicenseOffer::known(OfferIdx(offer)),
            line,
            disabled: crate::model::DisabledIdx::NONE,
        };
        (customer, license)
    }

    /// A chunk of license rows, each with its customer.
    fn chunk<const N: usize>(rows: [(u32, License); N]) -> LicenseRows {
        let mut chunk = LicenseRows::default();
        for (customer, license) in rows {
            chunk.push(CustomerIdx(customer), license);
        }
        chunk
    }

    fn users(names: &[&str]) -> Users {
        let mut users = Users::default();
        for name in names {
            users.push(name);
        }
        users
    }

    #[test]
    fn groups_and_orders_by_customer_id_then_record() {
        let (dataset, duplicates) = Dataset::build(
            vec![customer("c-B"), customer("c-a"), customer("c-c")],
            vec![
                subscription("S2", 0),
                subscription("s1", 0),
                subscription("x", 1),
            ],
            vec![],
            vec![
                chunk([license(0, 1, 0, 2), license(1, 0, 0, 3)]),
                chunk([license(0, 0, 1, 4), license(0, 0, 0, 5)]),
            ],
            users(&["zed@x", "amy@x"]),
            &[],
        );
        assert!(duplicates.is_empty());
        let ids: Vec<&str> = dataset.customers.iter().map(|c| c.id()).collect();
        assert_eq!(ids, ["c-a", "c-B", "c-c"]);
        let b = dataset.customer(CustomerIdx(1));
        assert_eq!(b.customer.id(), "c-B");
        let subs: Vec<&str> = b.subscriptions.iter().map(|s| &*s.id).collect();
        assert_eq!(subs, ["s1", "S2"]);
        let users: Vec<(String, Option<OfferIdx>)> = b
            .licenses
            .iter()
            .map(|l| (dataset.user_name(l.user).to_string(), l.offer.offer()))
            .collect();
        assert_eq!(
            users,
            [
                ("amy@x".to_owned(), Some(OfferIdx(0))),
                ("zed@x".to_owned(), Some(OfferIdx(0))),
                ("zed@x".to_owned(), Some(OfferIdx(1)))
            ]
        );
        assert_eq!(dataset.customer(CustomerIdx(0)).licenses.len(), 1);
        assert!(dataset.customer(CustomerIdx(2)).subscriptions.is_empty());
    }

    #[test]
    fn one_user_one_index_and_repeated_rows_are_duplicates() {
        // "a@x" was interned twice (two chunks); spellings 0 and 1 of an unknown offer fold to one key.
        let mut unknown = license(0, 2, 0, 9);
        unknown.1.offer = LicenseOffer::unknown(1);
        let mut unknown_first = license(0, 0, 0, 8);
        unknown_first.1.offer = LicenseOffer::unknown(0);
        let (dataset, duplicates) = Dataset::build(
            vec![customer("c")],
            vec![],
            vec![],
            vec![
                chunk([
                    license(0, 0, 3, 2),
                    license(0, 2, 4, 3),
                    license(0, 2, 3, 7),
                ]),
                chunk([license(0, 1, 3, 5), unknown_first, unknown]),
            ],
            users(&["a@x", "b@x", "a@x"]),
            &[0, 0],
        );
        assert_eq!(
            duplicates,
            [
                DuplicateLicense {
                    line: 7,
                    first_line: 2
                },
                DuplicateLicense {
                    line: 9,
                    first_line: 8
                }
            ]
        );
        let licenses = dataset.customer(CustomerIdx(0)).licenses;
        let a: Vec<UserIdx> = licenses
            .iter()
            .filter(|l| dataset.user_name(l.user) == "a@x")
            .map(|l| l.user)
            .collect();
        assert_eq!(a.len(), 3);
        assert!(a.iter().all(|&u| u == a[0]), "one index per user: {a:?}");
    }

    #[test]
    fn users_interned_in_two_segments_are_matched_by_name() {
        let mut first_part = Users::default();
        first_part.push("b@x");
        first_part.push("a@x");
        let mut second_part = Users::default();
        second_part.push("a@x");
        let mut users = Users::default();
        users.append(first_part, true);
        let base = users.append(second_part, true);
        let (dataset, duplicates) = Dataset::build(
            vec![customer("c0"), customer("c1")],
            vec![],
            vec![],
            vec![
                chunk([
                    license(0, 1, 3, 2),
                    license(1, 0, 3, 3),
                    license(1, 1, 3, 4),
                ]),
                chunk([license(0, base, 3, 9), license(0, 0, 4, 10)]),
            ],
            users,
            &[],
        );
        assert_eq!(
            duplicates,
            [DuplicateLicense {
                line: 9,
                first_line: 2
            }]
        );
        assert_eq!(dataset.customer(CustomerIdx(0)).licenses.len(), 2);
        let one_segment = dataset.customer(CustomerIdx(1)).licenses;
        assert_eq!(one_segment.len(), 2);
        assert_ne!(one_segment[0].user, one_segment[1].user);
    }
}
