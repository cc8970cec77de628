//! Same input, same bytes, whatever the thread count; and every subscription is
//! accounted for exactly once. Data sets are generated in the test: a fixed
//! ~300-customer one and small random ones (proptest).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::num::NonZeroUsize;
use std::path::Path;

use proptest::prelude::*;
use upgrade_recon::config::{CatalogSource, Config, InputConfig};
use upgrade_recon::input::{InputFormat, ReadOptions};
use upgrade_recon::progress::Progress;

use crate::harness::*;

use crate::synthetic::*;

/// Runs the library on `input` with `threads` and returns the summary and the bytes
/// of every report.
fn run_library(
    input: &Path,
    out: &Path,
    threads: usize,
) -> (
    upgrade_recon::output::Summary,
    BTreeMap<&'static str, Vec<u8>>,
) {
    let config = Config {
        input: InputConfig {
            input: input.to_owned(),
            as_of: as_of(),
            catalog: CatalogSource::Builtin,
            max_errors: 0,
            threads: NonZeroUsize::new(threads).expect("threads > 0"),
            // One thread reads sequentially; more threads read in tiny chunks, so that
            // comparing the two also compares the sequential and the parallel reader.
            read: ReadOptions {
                chunk_bytes: 512,
                parallel: threads > 1,
                ..ReadOptions::default()
            },
            format: InputFormat::default(),
        },
        out: out.to_owned(),
        previous: None,
        filter: Default::default(),
        quiet: true,
        log_format: Default::default(),
        guard: Default::default(),
        formats: Default::default(),
    };
    let outcome = upgrade_recon::cmd::run::run(&config, Progress::hidden())
        .unwrap_or_else(|e| panic!("run failed: {:?}", e.problem_lines()));
    let reports = REPORT_FILES
        .iter()
        .map(|f| {
            (
                *f,
                without_times(&std::fs::read(out.join(f)).expect("report")),
            )
        })
        .collect();
    (outcome.summary, reports)
}

/// Every subscription is accounted for exactly once, in the summary and the reports.
fn check_accounting(
    summary: &upgrade_recon::output::Summary,
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
        let read = |dir: &std::path::Path| {
            let bytes = std::fs::read(dir.join(file)).expect("report");
            String::from_utf8_lossy(&without_times(&bytes)).into_owned()
        };
        assert_text_eq(
            &read(&two),
            &read(&one),
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

/// 600 customers: more than two of the engine's 256-customer work units and more
/// than one 512-customer batch, so both threads have work and the counts of two
/// batches are added up (and checked against the rows by `check_accounting`).
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
        .map(|f| {
            (
                *f,
                without_times(&std::fs::read(out.join(f)).expect("report")),
            )
        })
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
