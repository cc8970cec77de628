//! A synthetic export built from customer specs, with the decisions expected of
//! it, for the determinism and accounting tests.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;

use crate::harness::*;
/// Offer spellings the generator uses: (as written, offer it names, upgrade path length).
/// The offer key tells spellings of one offer apart from others (licenses must be unique
/// per user and offer); unknown offers have no path.
pub(crate) const OFFERS: &[(&str, &str, usize)] = &[
    ("Office 365 Business Essentials", "ess", 4),
    ("Microsoft 365 Business Basic", "ess", 4),
    ("O365_BUSINESS_ESSENTIALS", "ess", 4),
    ("office 365  business essentials", "ess", 4),
    ("Office 365 Business", "bus", 4),
    ("Microsoft 365 Apps for business", "bus", 4),
    ("Office 365 Business Premium", "bp", 2),
    ("Microsoft 365 Business Standard", "bp", 2),
    ("Microsoft 365 Business Premium", "spb", 0),
    ("Microsoft 365 Business Basic India", "ess-in", 4),
    ("Microsoft 365 Apps for business India", "bus-in", 4),
    ("Office 365 Business Premium India", "bp-in", 2),
    ("Office 365 E1", "e1", 0),
    ("ENTERPRISEPACK", "e3", 0),
    ("Office 365 E5", "e5", 0),
    ("Microsoft 365 Apps for enterprise", "proplus", 0),
    ("Exchange Online (Plan 1)", "exo1", 0),
    ("SharePoint Online (Plan 1)", "spo1", 0),
    ("Power BI Pro", "pbi", 0),
    ("Phone System", "phone", 0),
    ("Office 365 Advanced Threat Protection", "atp", 0),
    ("Azure plan", "azure", 0),
    ("Visio Plan 2", "visio", 0),
];

pub(crate) const SUBSCRIPTION_STATUSES: &[&str] = &[
    "active",
    "Active",
    "pending",
    "suspended",
    "disabled",
    "expired",
    "deleted",
    "cancelled",
];
pub(crate) const CHANNELS: &[&str] = &[
    "",
    "this_partner",
    "This_Partner",
    "other_partner",
    "direct",
];
pub(crate) const RELATIONSHIP_STATUSES: &[&str] = &[
    "active",
    "ACTIVE",
    "expiring",
    "approvalpending",
    "approved",
    "activating",
    "created",
    "expired",
    "terminated",
    "terminating",
    "terminationrequested",
];
pub(crate) const SERVICES: &[&str] = &[
    "Exchange",
    "SharePoint",
    "OneDrive",
    "OfficeApps",
    "OfficeWeb",
    "Teams",
    "Yammer",
    "Planner",
    "Bookings",
    "Stream",
    "InformationProtection",
    "PhoneSystem",
    "AudioConferencing",
    "PowerBI",
    "DefenderO365",
    "Intune",
    "EntraIDP1",
];
pub(crate) const COMPANY_WORDS: &[&str] = &[
    "Müller",
    "Weiß, Groß & Partner",
    "Bäckerei \"Zur Post\"",
    "Schäfer",
    "Größl",
    "Öztürk",
    "Kühne",
];

#[derive(Debug, Clone)]
pub(crate) struct SubscriptionSpec {
    pub(crate) offer: usize,
    pub(crate) status: usize,
    pub(crate) quantity: u64,
    pub(crate) channel: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct RelationshipSpec {
    pub(crate) status: usize,
    /// `None` is `*`; otherwise a bit set over [`SERVICES`].
    pub(crate) services: Option<u32>,
    /// Days from the as-of date.
    pub(crate) start: Option<i64>,
    pub(crate) end: Option<i64>,
}

#[derive(Debug, Clone)]
pub(crate) struct UserSpec {
    pub(crate) upper_case: bool,
    /// (offer, disabled services as a bit set over [`SERVICES`]).
    pub(crate) licenses: Vec<(usize, u32)>,
}

#[derive(Debug, Clone)]
pub(crate) struct CustomerSpec {
    pub(crate) upper_case_refs: bool,
    pub(crate) subscriptions: Vec<SubscriptionSpec>,
    pub(crate) relationships: Vec<RelationshipSpec>,
    pub(crate) users: Vec<UserSpec>,
}

/// What the generated files should produce, computed from the specs alone.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Expectation {
    pub(crate) subscriptions: u64,
    pub(crate) other_channel: u64,
    pub(crate) not_upgradable: u64,
    pub(crate) pairs: u64,
}

pub(crate) fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
}

pub(crate) fn service_list(bits: u32) -> String {
    SERVICES
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, s)| *s)
        .collect::<Vec<_>>()
        .join(";")
}

/// A permutation of `0..n` from `seed` (Fisher-Yates with SplitMix64).
pub(crate) fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = SplitMix(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

pub(crate) fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>], order_seed: u64) {
    let mut writer = csv::Writer::from_path(path).expect("create input file");
    writer.write_record(header).expect("write header");
    for i in permutation(rows.len(), order_seed) {
        writer.write_record(&rows[i]).expect("write row");
    }
    writer.flush().expect("flush");
}

/// Writes the four input files for `customers` into `dir`, rows of each file in a
/// shuffled order, and returns what the run must account for.
pub(crate) fn render(customers: &[CustomerSpec], order_seed: u64, dir: &Path) -> Expectation {
    let mut expectation = Expectation::default();
    let (mut c_rows, mut s_rows, mut r_rows, mut l_rows) = (vec![], vec![], vec![], vec![]);
    for (ci, customer) in customers.iter().enumerate() {
        let id = format!("cust-{ci:04}-x");
        let reference = if customer.upper_case_refs {
            id.to_ascii_uppercase()
        } else {
            id.clone()
        };
        c_rows.push(vec![
            id.clone(),
            format!("{} {ci}", COMPANY_WORDS[ci % COMPANY_WORDS.len()]),
            ["DE", "AT", "CH", "IN"][ci % 4].to_owned(),
        ]);
        for (si, s) in customer.subscriptions.iter().enumerate() {
            expectation.subscriptions += 1;
            let (offer, _, path) = OFFERS[s.offer];
            let channel = CHANNELS[s.channel];
            if channel.is_empty() || channel.eq_ignore_ascii_case("this_partner") {
                if path == 0 {
                    expectation.not_upgradable += 1;
                }
                expectation.pairs += path as u64;
            } else {
                expectation.other_channel += 1;
            }
            s_rows.push(vec![
                format!("sub-{ci:04}-{si}"),
                reference.clone(),
                offer.to_owned(),
                SUBSCRIPTION_STATUSES[s.status].to_owned(),
                s.quantity.to_string(),
                channel.to_owned(),
            ]);
        }
        for (ri, r) in customer.relationships.iter().enumerate() {
            let day = |offset: Option<i64>| {
                offset.map_or(String::new(), |d| {
                    (as_of() + chrono::Duration::days(d)).to_string()
                })
            };
            let (start, end) = match (r.start, r.end) {
                (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                other => other,
            };
            r_rows.push(vec![
                format!("rel-{ci}-{ri}"),
                reference.clone(),
                RELATIONSHIP_STATUSES[r.status].to_owned(),
                // An empty list would be a row error; the generator stays valid.
                r.services
                    .map_or("*".to_owned(), |bits| service_list(bits.max(1))),
                day(start),
                day(end),
            ]);
        }
        for (ui, user) in customer.users.iter().enumerate() {
            let upn = format!("user{ui}@cust{ci}.example");
            let upn = if user.upper_case {
                upn.to_uppercase()
            } else {
                upn
            };
            let mut offers_seen = HashSet::new();
            for (offer, disabled) in &user.licenses {
                let (written, key, _) = OFFERS[*offer];
                if !offers_seen.insert(key) {
                    continue;
                }
                l_rows.push(vec![
                    reference.clone(),
                    upn.clone(),
                    written.to_owned(),
                    service_list(*disabled),
                ]);
            }
        }
    }
    write_csv(
        &dir.join(CUSTOMERS),
        &["customer_id", "company_name", "country"],
        &c_rows,
        order_seed,
    );
    write_csv(
        &dir.join(SUBSCRIPTIONS),
        &[
            "subscription_id",
            "customer_id",
            "offer",
            "status",
            "quantity",
            "channel",
        ],
        &s_rows,
        order_seed ^ 1,
    );
    write_csv(
        &dir.join(RELATIONSHIPS),
        &[
            "relationship_id",
            "customer_id",
            "status",
            "services",
            "start_date",
            "end_date",
        ],
        &r_rows,
        order_seed ^ 2,
    );
    write_csv(
        &dir.join(LICENSES),
        &[
            "customer_id",
            "user_principal_name",
            "offer",
            "disabled_services",
        ],
        &l_rows,
        order_seed ^ 3,
    );
    expectation
}

/// SplitMix64: a tiny deterministic generator for the fixed data set.
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A fixed data set of `count` customers with varied, valid data.
pub(crate) fn generated_customers(count: usize, seed: u64) -> Vec<CustomerSpec> {
    let mut rng = SplitMix(seed);
    let offset = |rng: &mut SplitMix| -> Option<i64> {
        rng.chance(75).then(|| rng.below(1600) as i64 - 800)
    };
    (0..count)
        .map(|_| {
            let subscriptions = (0..rng.below(6))
                .map(|_| SubscriptionSpec {
                    offer: rng.below(OFFERS.len() as u64) as usize,
                    status: if rng.chance(50) {
                        0
                    } else {
                        rng.below(SUBSCRIPTION_STATUSES.len() as u64) as usize
                    },
                    quantity: if rng.chance(20) {
                        280 + rng.below(60)
                    } else {
                        rng.below(120)
                    },
                    channel: rng.below(CHANNELS.len() as u64) as usize,
                })
                .collect();
            let relationships = (0..rng.below(4))
                .map(|_| RelationshipSpec {
                    status: if rng.chance(50) {
                        0
                    } else {
                        rng.below(RELATIONSHIP_STATUSES.len() as u64) as usize
                    },
                    services: (!rng.chance(50)).then(|| rng.next() as u32 & 0x1_FFFF),
                    start: offset(&mut rng),
                    end: offset(&mut rng),
                })
                .collect();
            let users = (0..rng.below(9))
                .map(|_| UserSpec {
                    upper_case: rng.chance(20),
                    licenses: (0..1 + rng.below(3))
                        .map(|_| {
                            let disabled = if rng.chance(30) {
                                rng.next() as u32 & 0x1_FFFF & rng.next() as u32
                            } else {
                                0
                            };
                            (rng.below(OFFERS.len() as u64) as usize, disabled)
                        })
                        .collect(),
                })
                .collect();
            CustomerSpec {
                upper_case_refs: rng.chance(15),
                subscriptions,
                relationships,
                users,
            }
        })
        .collect()
}
