//! Golden tests: the sample data set and small hand-made cases, compared byte for
//! byte with reviewed report files in `tests/cases/<case>/expected/`.

use crate::harness::*;

fn run_case(case: &str) -> Workspace {
    let ws = Workspace::from_case(case);
    ws.run(&[]).assert_code(0);
    assert_reports_match(&ws, case);
    ws
}

fn pairs(summary: &serde_json::Value) -> (u64, u64) {
    (
        number(summary, "/upgrade_pairs/eligible"),
        number(summary, "/upgrade_pairs/blocked"),
    )
}

fn by_reason(
    summary: &serde_json::Value,
    pointer: &str,
) -> std::collections::BTreeMap<String, u64> {
    counts(summary, pointer)
}

/// Checks that the report rows agree with the summary's counts.
fn assert_reports_agree_with_summary(ws: &Workspace) {
    let summary = ws.summary();
    let counts = subscription_counts(&summary);
    let eligible = csv_rows(&ws.report(ELIGIBLE));
    let blocked = csv_rows(&ws.report(BLOCKED));
    let reassignments = csv_rows(&ws.report(REASSIGNMENTS));
    assert_eq!(
        pairs(&summary),
        (eligible.len() as u64, blocked.len() as u64)
    );
    assert_eq!(
        number(&summary, "/reassignments/total"),
        reassignments.len() as u64
    );
    let eligible_subs: std::collections::BTreeSet<&str> =
        eligible.iter().map(|r| r[2].as_str()).collect();
    let blocked_only: std::collections::BTreeSet<&str> = blocked
        .iter()
        .map(|r| r[2].as_str())
        .filter(|id| !eligible_subs.contains(id))
        .collect();
    assert_eq!(eligible_subs.len() as u64, counts.eligible);
    assert_eq!(blocked_only.len() as u64, counts.blocked);
    let first_codes: u64 = by_reason(&summary, "/blocked_by_reason").values().sum();
    assert_eq!(first_codes, blocked.len() as u64);
}

#[test]
fn sample_reports_match_the_reviewed_golden_files() {
    let ws = Workspace::sample();
    let run = ws.run(&[]);
    run.assert_code(0);
    assert_eq!(run.stderr, "", "--quiet prints nothing on success");
    assert_reports_match(&ws, "sample");

    let summary = ws.summary();
    assert_eq!(summary["as_of"], AS_OF);
    assert_eq!(
        subscription_counts(&summary),
        SubscriptionCounts {
            total: 125,
            evaluated: 108,
            eligible: 28,
            blocked: 21,
            not_upgradable: 59,
            other_channel: 17,
        }
    );
    // The totals of fixtures/sample/SCENARIOS.md, computed by hand from the contract.
    assert_eq!(pairs(&summary), (80, 96));
    assert_eq!(
        by_reason(&summary, "/blocked_by_reason"),
        named(&[
            ("SubscriptionStatusNotActive", 20),
            ("SubscriptionNotProvisioned", 4),
            ("DelegatedAdminPermissionsDisabled", 16),
            ("InsufficientGranularAdminPermissions", 26),
            ("TargetOfferAlreadyOwned", 4),
            ("ConflictingServiceTypes", 25),
            ("QuantityExceedsTargetLimit", 1),
        ])
    );
    assert_eq!(number(&summary, "/reassignments/total"), 69);
    assert_eq!(
        by_reason(&summary, "/reassignments/by_reason"),
        named(&[
            ("DisabledServicesReset", 47),
            ("ServicesDropped", 0),
            ("ConflictingLicense", 22),
        ])
    );
    // Dynamics, Visio, Microsoft 365 E3/E5/F3 and the like are products of Microsoft's
    // list; these names are in neither catalog file.
    assert_eq!(
        by_reason(&summary, "/unknown_offers"),
        named(&[
            ("Azure plan", 16),
            ("Microsoft 365 Copilot", 6),
            ("Microsoft Intune Plan 1", 1),
            ("Microsoft Teams Enterprise", 1),
            ("Project Plan 3", 1),
        ])
    );
    assert_eq!(
        by_reason(&summary, "/unknown_roles"),
        named(&[
            ("44367163-eba1-44c3-98af-f5787879f96a", 1),
            ("Power Platform Administrator", 2),
            ("c4e39bd9-1100-46d3-8c65-fb160da0071f", 1),
        ])
    );
    assert_eq!(number(&summary, "/rejected_rows"), 0);
    let inputs: Vec<(String, u64, usize)> = summary["inputs"]
        .as_array()
        .expect("inputs array")
        .iter()
        .map(|i| {
            (
                i["file"].as_str().expect("file").to_owned(),
                i["rows"].as_u64().expect("rows"),
                i["sha256"].as_str().expect("sha256").len(),
            )
        })
        .collect();
    assert_eq!(
        inputs,
        [
            (CUSTOMERS.to_owned(), 50, 64),
            (SUBSCRIPTIONS.to_owned(), 125, 64),
            (RELATIONSHIPS.to_owned(), 55, 64),
            (LICENSES.to_owned(), 430, 64),
        ]
    );
    assert_reports_agree_with_summary(&ws);
}

/// Without `--quiet` a successful run leaves exactly one summary line on stderr.
#[test]
fn without_quiet_a_run_prints_one_summary_line() {
    let ws = Workspace::sample();
    let run = outcome(ws.bare_command(&ws.out()).args(["--as-of", AS_OF]));
    run.assert_code(0);
    assert_eq!(
        run.stderr,
        "upgrade-recon: warning: 3 GDAP roles (4 mentions) are not in the catalog's roles.csv \
         and grant nothing; see unknown_roles in summary.json\n",
        "the unknown roles' warning, then the run's line"
    );
    let line = run.run_line.as_deref().expect("the run's line");
    let (_time, rest) = line.split_once(' ').expect("a timestamp first");
    let input = ws.input();
    let expected_start = format!(
        "upgrade-recon {}: input {}, as of {AS_OF}: 125 subscriptions, 108 evaluated: 28 eligible, \
         21 blocked, 59 not upgradable; 80 upgrade pairs eligible, 96 blocked; 69 reassignments; \
         reports in ",
        env!("CARGO_PKG_VERSION"),
        input.display()
    );
    assert!(rest.starts_with(&expected_start), "run line: {line}");
    assert!(rest.ends_with("; exit 0"), "run line: {line}");
    assert_reports_match(&ws, "sample");
}

/// SCENARIOS.md: Gärtnerei Blümel's only relationship starts 2027-01-01; from then
/// on its subscription is eligible, and nothing else changes until 2028-01-06.
#[test]
fn as_of_date_decides_which_relationships_count() {
    let ws = Workspace::sample();
    outcome(
        ws.bare_command(&ws.out())
            .args(["--as-of", "2027-01-15", "--quiet"]),
    )
    .assert_code(0);
    let bluemel = "b9a7dc92-";
    let golden_blocked = expected("sample", BLOCKED);
    let without_bluemel: String = golden_blocked
        .lines()
        .filter(|line| !line.starts_with(bluemel))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(
        golden_blocked.lines().count() - without_bluemel.lines().count(),
        4,
        "the golden file blocks Blümel's four pairs"
    );
    // The date appears in the details of DelegatedAdminPermissionsDisabled rows.
    let expected_blocked = without_bluemel.replace(
        "relationship is active on 2026-11-24",
        "relationship is active on 2027-01-15",
    );
    assert_text_eq(
        &ws.report(BLOCKED),
        &expected_blocked,
        "blocked_upgrades.csv",
    );

    let eligible = csv_rows(&ws.report(ELIGIBLE));
    let bluemel_targets: Vec<&str> = eligible
        .iter()
        .filter(|r| r[0].starts_with(bluemel))
        .map(|r| r[5].as_str())
        .collect();
    assert_eq!(
        bluemel_targets,
        ["o365-business-premium", "o365-e1", "o365-e3", "o365-e5"]
    );
    let summary = ws.summary();
    assert_eq!(summary["as_of"], "2027-01-15");
    let counts = subscription_counts(&summary);
    // Gärtnerei Blümel's relationship starts on 2027-01-01: its 4 pairs become eligible.
    assert_eq!((counts.eligible, counts.blocked), (29, 20));
    assert_eq!(pairs(&summary), (84, 92));
}

#[test]
fn rules_basic_one_customer_per_block_reason() {
    let ws = run_case("rules_basic");
    let summary = ws.summary();
    assert_eq!(
        subscription_counts(&summary),
        SubscriptionCounts {
            total: 12,
            evaluated: 9,
            eligible: 3,
            blocked: 5,
            not_upgradable: 1,
            other_channel: 3,
        }
    );
    assert_eq!(pairs(&summary), (5, 13));
    assert_eq!(
        by_reason(&summary, "/blocked_by_reason"),
        named(&[
            ("SubscriptionStatusNotActive", 4),
            ("SubscriptionNotProvisioned", 2),
            ("DelegatedAdminPermissionsDisabled", 2),
            ("InsufficientGranularAdminPermissions", 1),
            ("TargetOfferAlreadyOwned", 1),
            ("ConflictingServiceTypes", 2),
            ("QuantityExceedsTargetLimit", 1),
        ])
    );
    assert_eq!(
        by_reason(&summary, "/unknown_offers"),
        named(&[("Azure plan", 1)])
    );
    assert_eq!(number(&summary, "/reassignments/total"), 0);
    assert_reports_agree_with_summary(&ws);
}

#[test]
fn relationship_dates_are_inclusive_and_granular_relationships_add_up() {
    let ws = run_case("relationship_dates");
    let summary = ws.summary();
    assert_eq!(
        subscription_counts(&summary),
        SubscriptionCounts {
            total: 6,
            evaluated: 6,
            eligible: 3,
            blocked: 3,
            not_upgradable: 0,
            other_channel: 0,
        }
    );
    assert_eq!(pairs(&summary), (5, 7));
    assert_eq!(
        number(
            &summary,
            "/blocked_by_reason/DelegatedAdminPermissionsDisabled"
        ),
        6
    );
    assert_eq!(
        number(
            &summary,
            "/blocked_by_reason/InsufficientGranularAdminPermissions"
        ),
        1
    );
    assert_reports_agree_with_summary(&ws);
}

#[test]
fn reassignments_india_and_the_rename_trap() {
    let ws = run_case("reassignments");
    let summary = ws.summary();
    // "Microsoft 365 Business Premium" is SPB: no upgrade path, so not_upgradable.
    assert_eq!(
        subscription_counts(&summary),
        SubscriptionCounts {
            total: 6,
            evaluated: 6,
            eligible: 5,
            blocked: 0,
            not_upgradable: 1,
            other_channel: 0,
        }
    );
    assert_eq!(pairs(&summary), (14, 0));
    assert_eq!(number(&summary, "/reassignments/total"), 17);
    assert_eq!(
        by_reason(&summary, "/reassignments/by_reason"),
        named(&[
            ("DisabledServicesReset", 14),
            ("ServicesDropped", 0),
            ("ConflictingLicense", 3),
        ])
    );
    assert_eq!(by_reason(&summary, "/unknown_offers"), named(&[]));
    // The India customer never gets the global Business Premium as a target.
    let eligible = ws.report(ELIGIBLE);
    assert!(
        !eligible
            .lines()
            .any(|l| l.starts_with("ra-02,") && l.contains(",o365-business-premium,")),
        "India offers must not upgrade to o365-business-premium:\n{eligible}"
    );
    assert_reports_agree_with_summary(&ws);
}

/// Windows exports: a UTF-8 byte order mark and CRLF line ends change nothing.
#[test]
fn bom_and_crlf_inputs_give_the_same_reports() {
    let ws = Workspace::sample();
    for file in INPUT_FILES {
        let text = read_text(&ws.input().join(file));
        let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        ws.write_input(file, &windows);
    }
    ws.run(&[]).assert_code(0);
    assert_reports_match(&ws, "sample");
}

/// Input files holding only their header: a successful run writing header-only reports.
#[test]
fn header_only_inputs_give_header_only_reports() {
    let ws = Workspace::with_inputs(&[
        (CUSTOMERS, "customer_id,company_name\n"),
        (
            SUBSCRIPTIONS,
            "subscription_id,customer_id,offer,status,quantity\n",
        ),
        (RELATIONSHIPS, "customer_id,status,services\n"),
        (LICENSES, "customer_id,user_principal_name,offer\n"),
    ]);
    ws.run(&[]).assert_code(0);
    for file in REPORT_CSVS {
        let header = expected("sample", file)
            .lines()
            .next()
            .expect("header")
            .to_owned();
        assert_eq!(ws.report(file), format!("{header}\n"), "{file}");
    }
    let summary = ws.summary();
    assert_eq!(subscription_counts(&summary), SubscriptionCounts::default());
    assert_eq!(number(&summary, "/reassignments/total"), 0);
    assert_eq!(number(&summary, "/rejected_rows"), 0);
}

/// Reports are ordinary files: readable by whoever may read the folder (the umask
/// decides), like the files of any other batch job.
#[cfg(unix)]
#[test]
fn reports_are_created_with_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::sample();
    ws.run(&[]).assert_code(0);
    for file in REPORT_FILES {
        let mode = std::fs::metadata(ws.out().join(file))
            .expect("metadata")
            .permissions()
            .mode();
        assert_ne!(mode & 0o044, 0, "{file} has mode {:o}", mode & 0o777);
    }
}
