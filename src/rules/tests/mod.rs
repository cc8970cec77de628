//! Table-driven tests of every check and reassignment reason, on the built-in
//! catalog and small hand-built customers; this module holds the customer builder.

use chrono::NaiveDate;

use super::*;
use crate::catalog::Catalog;
use crate::decision::{BlockReason, ReassignmentReason, UpgradeType};
use crate::model::{
    Channel, Coverage, Customer, CustomerIdx, Dataset, DisabledIdx, License, LicenseOffer,
    LicenseRows, Relationship, RelationshipStatus, Subscription, SubscriptionStatus, Users,
};

pub(super) fn day(text: &str) -> NaiveDate {
    crate::input::parse_iso_date(text).expect("test dates are valid")
}

pub(super) const AS_OF: &str = "2026-11-24";

pub(super) fn catalog() -> Catalog {
    Catalog::builtin().expect("built-in catalog")
}

pub(super) fn offer(catalog: &Catalog, key: &str) -> OfferIdx {
    catalog
        .resolve(key)
        .unwrap_or_else(|| panic!("offer {key}"))
}

pub(super) fn services(catalog: &Catalog, names: &str) -> ServiceSet {
    names
        .split(';')
        .filter(|n| !n.is_empty())
        .fold(ServiceSet::EMPTY, |set, n| {
            set.with(
                catalog
                    .vocabulary()
                    .lookup(n)
                    .unwrap_or_else(|| panic!("service {n}")),
            )
        })
}

/// One customer, written compactly.
#[derive(Default)]
pub(super) struct Customer1 {
    /// (id, offer, status, quantity, channel)
    pub(super) subscriptions: Vec<(&'static str, &'static str, SubscriptionStatus, u64, Channel)>,
    /// (status, services or "*", start, end)
    pub(super) relationships: Vec<(
        RelationshipStatus,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
    )>,
    /// (user, offer, disabled services)
    pub(super) licenses: Vec<(&'static str, &'static str, &'static str)>,
}

pub(super) use Channel::{Direct, OtherPartner, ThisPartner};
pub(super) use SubscriptionStatus::{
    Active, Cancelled, Deleted, Disabled, Expired, Pending, Suspended,
};

impl Customer1 {
    pub(super) fn with_full_access() -> Customer1 {
        Customer1 {
            relationships: vec![(RelationshipStatus::Active, "*", None, None)],
            ..Customer1::default()
        }
    }

    pub(super) fn sub(
        mut self,
        id: &'static str,
        offer: &'static str,
        status: SubscriptionStatus,
        quantity: u64,
        channel: Channel,
    ) -> Self {
        self.subscriptions
            .push((id, offer, status, quantity, channel));
        self
    }

    pub(super) fn license(
        mut self,
        user: &'static str,
        offer: &'static str,
        disabled: &'static str,
    ) -> Self {
        self.licenses.push((user, offer, disabled));
        self
    }

    pub(super) fn dataset(&self, catalog: &Catalog) -> Dataset {
        let c = CustomerIdx(0);
        let subscriptions = self
            .subscriptions
            .iter()
            .map(|&(id, offer, status, quantity, channel)| Subscription {
                id: id.into(),
                customer: c,
                offer: catalog.resolve(offer),
                offer_text: offer.into(),
                status,
                quantity,
                channel,
            })
            .collect();
        let relationships = self
            .relationships
            .iter()
            .map(|&(status, scope, start, end)| Relationship {
                id: "rel".into(),
                customer: c,
                status,
                // "roles:A;B" is a role-only relationship with the roles A and B.
                services: match scope {
                    _ if scope.starts_with("roles:") => None,
                    "*" => Some(Coverage::All),
                    _ => Some(Coverage::Services(services(catalog, scope))),
                },
                roles: scope
                    .strip_prefix("roles:")
                    .map(|roles| {
                        roles
                            .split(';')
                            .filter_map(|role| catalog.resolve_role(role))
                            .collect()
                    })
                    .unwrap_or_default(),
                display_name: Box::default(),
                start: start.map(day),
                end: end.map(day),
            })
            .collect();
        let mut users = Users::default();
        // The dataset's table of disabled sets: the empty one, then one per license.
        let mut disabled_sets = vec![ServiceSet::EMPTY];
        let mut licenses = LicenseRows::default();
        for (line, &(user, offer, disabled)) in self.licenses.iter().enumerate() {
            disabled_sets.push(services(catalog, disabled));
            let license = License {
                user: users.push(user),
                offer: catalog
                    .resolve(offer)
                    .map_or(LicenseOffer::unknown(0), LicenseOffer::known),
                line: line as u32 + 2,
                disabled: DisabledIdx(disabled_sets.len() as u32 - 1),
            };
            licenses.push(c, license);
        }
        let customer = Customer::new("c1", "Müller GmbH", "", "Stefanie Groß");
        let (dataset, duplicates) = Dataset::build(
            vec![customer],
            subscriptions,
            relationships,
            vec![licenses],
            users,
            &[0],
        );
        assert!(duplicates.is_empty());
        let mut dataset = dataset;
        dataset.disabled_sets = disabled_sets;
        dataset
    }

    /// The reasons blocking subscription `subject` → `target`.
    pub(super) fn reasons(&self, subject: &str, target: &str) -> Vec<BlockReason> {
        let catalog = catalog();
        let dataset = self.dataset(&catalog);
        let customer = dataset.customer(CustomerIdx(0));
        let position = customer
            .subscriptions
            .iter()
            .position(|s| &*s.id == subject)
            .expect("subject exists");
        let source = customer.subscriptions[position].offer.expect("known offer");
        let access = admin_access(&catalog, customer.relationships, day(AS_OF));
        let pair = UpgradePair {
            catalog: &catalog,
            customer,
            access: &access,
            subject: position,
            source,
            target: offer(&catalog, target),
            upgrade_type: UpgradeType::for_assigned_users(users_holding(customer.licenses, source)),
        };
        blocking_failures(
            &pair,
            &mut CustomerMemo::default(),
            &mut Evidence::default(),
        )
        .iter()
        .map(Failure::reason)
        .collect()
    }
}

mod checks;
mod reassign;
mod roles;
