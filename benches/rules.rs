//! Micro-benchmarks of the upgrade rules and the engine, on small in-memory
//! datasets built with the public API (no files are read).
//!
//! What is measured (all inputs are built once, before timing starts):
//! - `admin_access`: folding 0, 2 and 5 delegated-admin relationships on one day;
//! - `blocking_failures`: one pair, Business Essentials → E5, for a customer that
//!   also holds a conflicting Power BI Pro subscription (and two others);
//! - `reassignments`: Business Essentials → E5 over 40 license rows (20 users ×
//!   2 licenses, every third user with disabled services);
//! - `evaluate_customer`: the engine on that typical customer (4 subscriptions,
//!   2 relationships, 40 licenses), every upgrade path of every subscription;
//! - `evaluate_1000_customers`: the engine over 1000 generated customers, one
//!   after another, as a worker evaluates its batch.
//!
//! Run with `cargo bench --bench rules`; add `-- NAME` to run only the benchmarks
//! whose name contains NAME, and `-- --help` for divan's options.

use chrono::NaiveDate;
use divan::{Bencher, black_box};
use upgrade_recon::catalog::{Catalog, OfferIdx, ServiceSet};
use upgrade_recon::decision::{Evidence, UpgradeType};
use upgrade_recon::engine;
use upgrade_recon::input::parse_iso_date;
use upgrade_recon::model::{
    Channel, Coverage, Customer, CustomerIdx, Dataset, DisabledIdx, License, LicenseOffer,
    LicenseRows, Relationship, RelationshipStatus, Subscription, SubscriptionStatus, Users,
};
use upgrade_recon::rules::{self, UpgradePair};

fn main() {
    divan::main();
}

const AS_OF: &str = "2026-11-24";

fn day(text: &str) -> NaiveDate {
    parse_iso_date(text).expect("benchmark dates are valid")
}

fn catalog() -> Catalog {
    Catalog::builtin().expect("built-in catalog")
}

fn offer(catalog: &Catalog, key: &str) -> OfferIdx {
    catalog
        .resolve(key)
        .unwrap_or_else(|| panic!("offer {key}"))
}

/// A service set from `;`-separated service names.
fn services(catalog: &Catalog, names: &str) -> ServiceSet {
    names
        .split(';')
        .filter(|name| !name.is_empty())
        .fold(ServiceSet::EMPTY, |set, name| {
            let service = catalog.vocabulary().lookup(name);
            set.with(service.unwrap_or_else(|| panic!("service {name}")))
        })
}

/// (id, offer, status, quantity, channel) of a subscription.
type Sub<'a> = (&'a str, &'a str, SubscriptionStatus, u64, Channel);
/// (status, services, `START..END`) of a relationship.
type Rel<'a> = (RelationshipStatus, Coverage, &'a str);

const CURRENT: &str = "2025-01-01..2027-12-31";

/// Records of a dataset under construction, for [`Dataset::build`].
#[derive(Default)]
struct Records {
    customers: Vec<Customer>,
    subscriptions: Vec<Subscription>,
    relationships: Vec<Relationship>,
    licenses: LicenseRows,
    users: Users,
}

impl Records {
    /// Adds a customer and its records. Each of its `users` users holds Business
    /// Essentials (every third one with services disabled) and one of `extras`.
    fn customer(
        &mut self,
        catalog: &Catalog,
        id: &str,
        subs: &[Sub],
        rels: &[Rel],
        users: u32,
        extras: &[&str],
    ) {
        let customer = CustomerIdx(self.customers.len() as u32);
        self.customers
            .push(Customer::new(id, "Contoso Ltd", "contoso.example", ""));
        for &(id, offer, status, quantity, channel) in subs {
            self.subscriptions.push(Subscription {
                id: id.into(),
                customer,
                offer: catalog.resolve(offer),
                offer_text: offer.into(),
                status,
                quantity,
                channel,
            });
        }
        for (status, services, span) in rels {
            let (start, end) = span.split_once("..").expect("START..END");
            self.relationships.push(Relationship {
                id: format!("rel-{}", self.relationships.len()).into(),
                customer,
                status: *status,
                services: Some(services.clone()),
                roles: Box::default(),
                display_name: Box::default(),
                start: Some(day(start)),
                end: Some(day(end)),
            });
        }
        let essentials = offer(catalog, "o365-business-essentials");
        // Index 1 of the dataset's table of disabled sets (see `build`).
        let (disabled, none) = (DisabledIdx(1), DisabledIdx::NONE);
        for u in 0..users {
            let user = self.users.push(&format!("user{u:02}@{id}.example"));
            let extra = offer(catalog, extras[u as usize % extras.len()]);
            let off = if u % 3 == 0 { disabled } else { none };
            for (offer, disabled) in [(essentials, off), (extra, none)] {
                let line = self.licenses.rows.len() as u32 + 2;
                let offer = LicenseOffer::known(offer);
                let license = License {
                    user,
                    offer,
                    line,
                    disabled,
                };
                self.licenses.push(customer, license);
            }
        }
    }

    fn build(self, catalog: &Catalog) -> Dataset {
        let licenses = vec![self.licenses];
        let (subscriptions, relationships) = (self.subscriptions, self.relationships);
        let (dataset, duplicates) = Dataset::build(
            self.customers,
            subscriptions,
            relationships,
            licenses,
            self.users,
            &[],
        );
        assert!(duplicates.is_empty(), "benchmark licenses are unique");
        let mut dataset = dataset;
        dataset.disabled_sets = vec![ServiceSet::EMPTY, services(catalog, "Yammer;Planner")];
        dataset
    }
}

/// Adds the typical customer: Business Essentials, a conflicting Power BI Pro, a
/// suspended Teams Phone and an Exchange plan of another partner; one relationship
/// covering every service and one expired; 20 users × 2 licenses.
fn typical_customer(records: &mut Records, catalog: &Catalog, id: &str) {
    use Channel::{OtherPartner, ThisPartner};
    use SubscriptionStatus::{Active, Suspended};
    let subs = [
        ("sub-1", "o365-business-essentials", Active, 20, ThisPartner),
        ("sub-2", "power-bi-pro", Active, 5, ThisPartner),
        ("sub-3", "teams-phone-standard", Suspended, 3, ThisPartner),
        ("sub-4", "exchange-online-plan1", Active, 2, OtherPartner),
    ];
    let scope = Coverage::Services(services(catalog, "Exchange;SharePoint;Teams"));
    let rels = [
        (RelationshipStatus::Active, Coverage::All, CURRENT),
        (RelationshipStatus::Expired, scope, "2023-01-01..2024-12-31"),
    ];
    let extras = ["power-bi-pro", "teams-phone-standard", "o365-business"];
    records.customer(catalog, id, &subs, &rels, 20, &extras);
}

fn typical_dataset(catalog: &Catalog) -> Dataset {
    let mut records = Records::default();
    typical_customer(&mut records, catalog, "c-typical");
    records.build(catalog)
}

/// Five relationships of one customer with varied statuses, scopes and dates.
fn relationships(catalog: &Catalog) -> Vec<Relationship> {
    use RelationshipStatus::{Active, Approved, Expired, Expiring, Terminated};
    let scoped = |names| Coverage::Services(services(catalog, names));
    let rels = [
        (Active, scoped("Exchange;SharePoint;Teams"), CURRENT),
        (
            Expiring,
            scoped("OfficeApps;PowerBI"),
            "2024-06-01..2026-12-01",
        ),
        (Expired, Coverage::All, "2022-01-01..2024-01-01"),
        (Approved, scoped("Intune"), "2026-01-01..2028-01-01"),
        (Terminated, scoped("Exchange"), "2025-01-01..2026-01-01"),
    ];
    let mut records = Records::default();
    records.customer(catalog, "c-rel", &[], &rels, 0, &[]);
    records.relationships
}

#[divan::bench(args = [0, 2, 5])]
fn admin_access(bencher: Bencher, relationships_count: usize) {
    let all = relationships(&catalog());
    let relationships = &all[..relationships_count];
    let as_of = day(AS_OF);
    let catalog = catalog();
    bencher.bench(|| rules::admin_access(&catalog, black_box(relationships), black_box(as_of)));
}

#[divan::bench]
fn blocking_failures(bencher: Bencher) {
    let catalog = catalog();
    let dataset = typical_dataset(&catalog);
    let customer = dataset.customer(CustomerIdx(0));
    let access = rules::admin_access(&catalog, customer.relationships, day(AS_OF));
    let pair = UpgradePair {
        catalog: &catalog,
        customer,
        access: &access,
        subject: 0,
        source: offer(&catalog, "o365-business-essentials"),
        target: offer(&catalog, "o365-e5"),
        upgrade_type: UpgradeType::UpgradeWithLicenseTransfer,
    };
    assert_eq!(customer.subscriptions[0].offer, Some(pair.source));
    let failures = |pair: &UpgradePair<'_>| {
        let mut memo = rules::CustomerMemo::default();
        let mut evidence = Evidence::default();
        rules::blocking_failures(pair, &mut memo, &mut evidence)
    };
    assert!(!failures(&pair).is_empty(), "E5 conflicts");
    bencher.bench(|| failures(black_box(&pair)));
}

#[divan::bench]
fn reassignments(bencher: Bencher) {
    let catalog = catalog();
    let dataset = typical_dataset(&catalog);
    let customer = dataset.customer(CustomerIdx(0));
    assert_eq!(customer.licenses.len(), 40);
    let source = offer(&catalog, "o365-business-essentials");
    let target = offer(&catalog, "o365-e5");
    bencher
        .bench(|| rules::reassignments(&catalog, black_box(customer), black_box(source), target));
}

#[divan::bench]
fn evaluate_customer(bencher: Bencher) {
    let catalog = catalog();
    let dataset = typical_dataset(&catalog);
    let customer = dataset.customer(CustomerIdx(0));
    let as_of = day(AS_OF);
    bencher.bench(|| engine::evaluate_customer(&catalog, black_box(customer), as_of));
}

/// `count` customers: every fourth one typical, the others with a varying source
/// offer, status, seat count, admin access and number of users.
fn generated_dataset(catalog: &Catalog, count: u32) -> Dataset {
    use SubscriptionStatus::{Active, Pending, Suspended};
    let sources = [
        "o365-business-essentials",
        "o365-business",
        "o365-business-premium",
        "o365-business-essentials-india",
        "m365-business-premium",
    ];
    let statuses = [Active, Active, Pending, Suspended];
    let basic = Coverage::Services(services(catalog, "Exchange;SharePoint;OneDrive;Teams"));
    let extras = ["o365-business", "exchange-online-plan1"];
    let mut records = Records::default();
    for i in 0..count {
        let id = format!("c{i:05}");
        if i % 4 == 0 {
            typical_customer(&mut records, catalog, &id);
            continue;
        }
        let (source, status) = (sources[i as usize % 5], statuses[i as usize % 4]);
        let (a, b, seats) = (format!("{id}-a"), format!("{id}-b"), 5 + u64::from(i % 400));
        let subs = [
            (&*a, source, status, seats, Channel::ThisPartner),
            (&*b, "power-bi-pro", Active, 2, Channel::ThisPartner),
        ];
        let coverage = if i % 3 == 0 {
            Coverage::All
        } else {
            basic.clone()
        };
        let rels = [(RelationshipStatus::Active, coverage, CURRENT)];
        let rels = if i % 7 == 0 { &rels[..0] } else { &rels[..] };
        records.customer(catalog, &id, &subs, rels, 1 + i % 25, &extras);
    }
    records.build(catalog)
}

#[divan::bench]
fn evaluate_1000_customers(bencher: Bencher) {
    let catalog = catalog();
    let dataset = generated_dataset(&catalog, 1000);
    assert_eq!(dataset.customers.len(), 1000);
    let as_of = day(AS_OF);
    let customers: Vec<CustomerIdx> = (0..1000).map(CustomerIdx).collect();
    bencher.bench(|| {
        let dataset = black_box(&dataset);
        customers
            .iter()
            .map(|&idx| engine::evaluate_customer(&catalog, dataset.customer(idx), as_of))
            .collect::<Vec<_>>()
    });
}
