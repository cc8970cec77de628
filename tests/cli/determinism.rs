//! Same input, same bytes, whatever the thread count; and every subscription is
//! accounted for exactly once. Data sets are generated in the test: a fixed
//! ~300-customer one and small random ones (proptest).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::num::NonZeroUsize;
use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;
use upgrade_recon::config::{CatalogSource, Config};
use upgrade_recon::input::{InputFormat, ReadOptions};
use upgrade_recon::progress::Progress;

use crate::harness::*;

/// Offer spellings the generator uses: (as written, offer it names, upgrade path length).
/// The offer key tells spellings of one offer apart from others (licenses must be unique
/// per user and offer); unknown offers have no path.
const OFFERS: &[(&str, &str, usize)] = &[
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

const SUBSCRIPTION_STATUSES: &[&str] = &[
    "active",
    "Active",
    "pending",
    "suspended",
    "disabled",
    "expired",
    "deleted",
    "cancelled",
];
const CHANNELS: &[&str] = &[
    "",
    "this_partner",
    "This_Partner",
    "other_partner",
    "direct",
];
const RELATIONSHIP_STATUSES: &[&str] = &[
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
const SERVICES: &[&str] = &[
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
const COMPANY_WORDS: &[&str] = &[
    "Müller",
    "Weiß, Groß & Partner",
    "Bäckerei \"Zur Post\"",
    "Schäfer",
    "Größl",
    "Öztürk",
    "Kühne",
];

#[derive(Debug, Clone)]
struct SubscriptionSpec {
    offer: usize,
    status: usize,
    quantity: u64,
    channel: usize,
}

#[derive(Debug, Clone)]
struct RelationshipSpec {
    status: usize,
    /// `None` is `*`; otherwise a bit set over [`SERVICES`].
    services: Option<u32>,
    /// Days from the as-of date.
    start: Option<i64>,
    end: Option<i64>,
}

#[derive(Debug, Clone)]
struct UserSpec {
    upper_case: bool,
    /// (offer, disabled services as a bit set over [`SERVICES`]).
    licenses: Vec<(usize, u32)>,
}

#[derive(Debug, Clone)]
struct CustomerSpec {
    upper_case_refs: bool,
    subscriptions: Vec<SubscriptionSpec>,
    relationships: Vec<RelationshipSpec>,
    users: Vec<UserSpec>,
}

/// What the generated files should produce, computed from the specs alone.
#[derive(Debug, Default, PartialEq, Eq)]
struct Expectation {
    subscriptions: u64,
    other_channel: u64,
    not_upgradable: u64,
    pairs: u64,
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
}

fn service_list(bits: u32) -> String {
    SERVICES
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, s)| *s)
        .collect::<Vec<_>>()
        .join(";")
}

/// A permutation of `0..n` from `seed` (Fisher-Yates with SplitMix64).
fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = SplitMix(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>], order_seed: u64) {
    let mut writer = csv::Writer::from_path(path).expect("create input file");
    writer.write_record(header).expect("write header");
    for i in permutation(rows.len(), order_seed) {
        writer.write_record(&rows[i]).expect("write row");
    }
    writer.flush().expect("flush");
}

/// Writes the four input files for `customers` into `dir`, rows of each file in a
/// shuffled order, and returns what the run must account for.
fn render(customers: &[CustomerSpec], order_seed: u64, dir: &Path) -> Expectation {
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
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A fixed data set of `count` customers with varied, valid data.
fn generated_customers(count: usize, seed: u64) -> Vec<CustomerSpec> {
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

/// Runs the library on `input` with `threads` and returns the summary and the bytes
/// of every report.
fn run_library(
    input: &Path,
    out: &Path,
    threads: usize,
) -> (
    upgrade_recon::report::Summary,
    BTreeMap<&'static str, Vec<u8>>,
) {
    let config = Config {
        input: input.to_owned(),
        out: out.to_owned(),
        as_of: as_of(),
        catalog: CatalogSource::Builtin,
        max_errors: 0,
        threads: NonZeroUsize::new(threads).expect("threads > 0"),
        quiet: true,
        // One thread reads sequentially; more threads read in tiny chunks, so that
        // comparing the two also compares the sequential and the parallel reader.
        read: ReadOptions {
            chunk_bytes: 512,
            parallel: threads > 1,
        },
        format: InputFormat::default(),
    };
    let outcome = upgrade_recon::run::run(&config, Progress::hidden())
        .unwrap_or_else(|e| panic!("run failed: {:?}", e.problem_lines()));
    let reports = REPORT_FILES
        .iter()
        .map(|f| (*f, std::fs::read(out.join(f)).expect("report")))
        .collect();
    (outcome.summary, reports)
}

/// Every subscription is accounted for exactly once, in the summary and the reports.
fn check_accounting(
    summary: &upgrade_recon::report::Summary,
    reports: &BTreeMap<&'static str, Vec<u8>>,
    expectation: &Expectation,
) {
    let s = summary.subscriptions;
    assert_eq!(s.total, expectation.subscriptions, "{s:?}");
    assert_eq!(s.total, s.evaluated + s.other_channel, "{s:?}");
    assert_eq!(
        s.evaluated,
        s.eligible + s.blocked + s.not_upgradable,
        "{s:?}"
    );
    assert_eq!(s.other_channel, expectation.other_channel, "{s:?}");
    assert_eq!(s.not_upgradable, expectation.not_upgradable, "{s:?}");
    assert_eq!(summary.rejected_rows, 0);

    let text = |f: &str| String::from_utf8(reports[f].clone()).expect("UTF-8 report");
    let eligible = csv_rows(&text(ELIGIBLE));
    let blocked = csv_rows(&text(BLOCKED));
    assert_eq!(text(REJECTS), REJECTS_HEADER);
    assert_eq!(eligible.len() as u64, summary.upgrade_pairs.eligible);
    assert_eq!(blocked.len() as u64, summary.upgrade_pairs.blocked);
    assert_eq!(
        (eligible.len() + blocked.len()) as u64,
        expectation.pairs,
        "one row per (subscription, target on its path)"
    );
    let eligible_ids: BTreeSet<&str> = eligible.iter().map(|r| r[2].as_str()).collect();
    let blocked_ids: BTreeSet<&str> = blocked.iter().map(|r| r[2].as_str()).collect();
    let all: BTreeSet<&str> = eligible_ids.union(&blocked_ids).copied().collect();
    assert_eq!(eligible_ids.len() as u64, s.eligible);
    assert_eq!(all.len() as u64, s.eligible + s.blocked);
    let pairs: HashSet<(&str, &str)> = eligible
        .iter()
        .chain(&blocked)
        .map(|r| (r[2].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(pairs.len(), eligible.len() + blocked.len(), "a pair twice");

    let order = [
        "SubscriptionStatusNotActive",
        "SubscriptionNotProvisioned",
        "DelegatedAdminPermissionsDisabled",
        "InsufficientGranularAdminPermissions",
        "TargetOfferAlreadyOwned",
        "ConflictingServiceTypes",
        "QuantityExceedsTargetLimit",
    ];
    for row in &blocked {
        let codes: Vec<&str> = row[9].split(';').collect();
        assert_eq!(row[8], codes[0], "reason_code is the first code: {row:?}");
        let positions: Vec<usize> = codes
            .iter()
            .map(|c| order.iter().position(|o| o == c).expect("known code"))
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "codes in rule order: {row:?}"
        );
        assert!(
            !(positions.contains(&0) && positions.contains(&1)),
            "check 1 codes are exclusive: {row:?}"
        );
        assert!(
            !(positions.contains(&2) && positions.contains(&3)),
            "checks 2 and 3 are exclusive: {row:?}"
        );
    }
    let first_codes: u64 = summary.blocked_by_reason.0.iter().map(|(_, n)| n).sum();
    assert_eq!(first_codes, blocked.len() as u64);
    let reassignments = csv_rows(&text(REASSIGNMENTS));
    assert_eq!(reassignments.len() as u64, summary.reassignments.total);
    for row in &reassignments {
        assert_eq!(
            row[6],
            row[6].to_lowercase(),
            "UPNs are reported lower-case"
        );
        assert!(
            eligible_ids.contains(row[2].as_str()),
            "reassignments only for eligible pairs: {row:?}"
        );
    }
}

/// Runs the binary with `--threads 1` and `--threads 2` and checks byte-identical reports.
fn assert_same_reports_for_thread_counts(ws: &Workspace) {
    let one = ws.path().join("out-1");
    let two = ws.path().join("out-2");
    ws.run_with_out(&one, &["--threads", "1"]).assert_code(0);
    ws.run_with_out(&two, &["--threads", "2"]).assert_code(0);
    for file in REPORT_FILES {
        assert_text_eq(
            &read_text(&two.join(file)),
            &read_text(&one.join(file)),
            &format!("{file} with --threads 2 vs --threads 1"),
        );
    }
}

#[test]
fn sample_reports_are_identical_for_one_and_two_threads() {
    let ws = Workspace::sample();
    assert_same_reports_for_thread_counts(&ws);
    assert_text_eq(
        &read_text(&ws.path().join("out-2").join(ELIGIBLE)),
        &expected("sample", ELIGIBLE),
        "eligible_upgrades.csv",
    );
}

/// 600 customers: more than two of the engine's 256-customer work units, so both
/// threads have work.
#[test]
fn generated_data_set_reports_are_identical_for_one_and_two_threads() {
    let ws = Workspace::empty();
    let customers = generated_customers(600, 0x5EED_2026_1124);
    let expectation = render(&customers, 7, &ws.input());
    assert!(expectation.subscriptions > 1000, "{expectation:?}");
    assert_same_reports_for_thread_counts(&ws);

    let out = ws.path().join("out-1");
    let reports: BTreeMap<&'static str, Vec<u8>> = REPORT_FILES
        .iter()
        .map(|f| (*f, std::fs::read(out.join(f)).expect("report")))
        .collect();
    let (summary, library_reports) = run_library(&ws.input(), &ws.path().join("lib-out"), 2);
    assert_eq!(library_reports, reports, "library and binary agree");
    check_accounting(&summary, &reports, &expectation);
    // The data set is varied enough to exercise every decision.
    let s = summary.subscriptions;
    assert!(s.eligible > 0 && s.blocked > 0 && s.not_upgradable > 0 && s.other_channel > 0);
    assert!(
        summary.blocked_by_reason.0.iter().all(|(_, n)| *n > 0),
        "{:?}",
        summary.blocked_by_reason
    );
    assert!(summary.reassignments.total > 0);

    // Rows shuffled differently in the files: the same decisions in the same order.
    // (Only the `details` of blocked rows may differ: they list a customer's
    // relationships in file order.)
    let reshuffled = Workspace::empty();
    assert_eq!(render(&customers, 99, &reshuffled.input()), expectation);
    let (_, reshuffled_reports) =
        run_library(&reshuffled.input(), &reshuffled.path().join("out"), 1);
    let text = |bytes: &Vec<u8>| String::from_utf8(bytes.clone()).expect("UTF-8");
    for file in [ELIGIBLE, REASSIGNMENTS, REJECTS] {
        assert_text_eq(
            &text(&reshuffled_reports[file]),
            &text(&reports[file]),
            &format!("{file} from reshuffled input rows"),
        );
    }
    let without_details = |bytes: &Vec<u8>| -> Vec<Vec<String>> {
        let mut rows = csv_rows(&text(bytes));
        for row in &mut rows {
            row.pop();
        }
        rows
    };
    assert_eq!(
        without_details(&reshuffled_reports[BLOCKED]),
        without_details(&reports[BLOCKED]),
        "blocked_upgrades.csv from reshuffled input rows"
    );
}

fn subscription_strategy() -> impl Strategy<Value = SubscriptionSpec> {
    (
        0..OFFERS.len(),
        0..SUBSCRIPTION_STATUSES.len(),
        prop_oneof![0u64..40, 290u64..320],
        0..CHANNELS.len(),
    )
        .prop_map(|(offer, status, quantity, channel)| SubscriptionSpec {
            offer,
            status,
            quantity,
            channel,
        })
}

fn relationship_strategy() -> impl Strategy<Value = RelationshipSpec> {
    (
        0..RELATIONSHIP_STATUSES.len(),
        proptest::option::of(0u32..(1 << SERVICES.len())),
        proptest::option::of(-400i64..400),
        proptest::option::of(-400i64..400),
    )
        .prop_map(|(status, services, start, end)| RelationshipSpec {
            status,
            services,
            start,
            end,
        })
}

fn user_strategy() -> impl Strategy<Value = UserSpec> {
    (
        any::<bool>(),
        proptest::collection::vec(
            (
                0..OFFERS.len(),
                prop_oneof![Just(0u32), 0u32..(1 << SERVICES.len())],
            ),
            1..4,
        ),
    )
        .prop_map(|(upper_case, licenses)| UserSpec {
            upper_case,
            licenses,
        })
}

fn customer_strategy() -> impl Strategy<Value = CustomerSpec> {
    (
        any::<bool>(),
        proptest::collection::vec(subscription_strategy(), 0..5),
        proptest::collection::vec(relationship_strategy(), 0..3),
        proptest::collection::vec(user_strategy(), 0..5),
    )
        .prop_map(
            |(upper_case_refs, subscriptions, relationships, users)| CustomerSpec {
                upper_case_refs,
                subscriptions,
                relationships,
                users,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Random small valid data sets: every subscription accounted for exactly once,
    /// and one thread or two give the same bytes.
    #[test]
    fn every_subscription_is_accounted_for_once(
        customers in proptest::collection::vec(customer_strategy(), 1..12),
        order_seed in any::<u64>(),
    ) {
        let ws = Workspace::empty();
        let expectation = render(&customers, order_seed, &ws.input());
        let (summary, one) = run_library(&ws.input(), &ws.path().join("out-1"), 1);
        let (_, two) = run_library(&ws.input(), &ws.path().join("out-2"), 2);
        prop_assert_eq!(&one, &two);
        check_accounting(&summary, &one, &expectation);
    }
}
