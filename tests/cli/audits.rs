//! Audits (contract §5–§6): `overview.csv`, `actions.csv` and the
//! `--customer`/`--account-manager` filters, on a small hand-computed case
//! (`tests/cases/actions`) and the sample.

use crate::harness::*;

/// (customer, action, subject, unblocks_pairs, involved_pairs) of every row, in file order.
fn action_rows(ws: &Workspace) -> Vec<(String, String, String, u64, u64)> {
    csv_rows(&ws.report(ACTIONS))
        .into_iter()
        .map(|r| {
            let count = |i: usize| r[i].parse::<u64>().expect("a count");
            (r[0].clone(), r[2].clone(), r[3].clone(), count(4), count(5))
        })
        .collect()
}

fn owned(rows: &[(&str, &str, &str, u64, u64)]) -> Vec<(String, String, String, u64, u64)> {
    rows.iter()
        .map(|&(c, a, s, u, i)| (c.into(), a.into(), s.into(), u, i))
        .collect()
}

#[test]
fn actions_match_the_hand_computed_fix_list() {
    let ws = Workspace::from_case("actions");
    ws.run(&[]).assert_code(0);
    assert_reports_match(&ws, "actions");
    // c1: s1 (Business Essentials) → BP, E1 conflict with the other partner's E3 s2
    //     only; → E3 is blocked by TargetOfferAlreadyOwned and ConflictingServiceTypes,
    //     both naming s2 (one action); → E5 conflicts with s2 and the direct Power BI s3
    //     (two actions).
    // c2: t1 suspended with 320 seats → BP needs reactivation and fewer seats; the
    //     other three targets reactivation only.
    // c3: u1 is cancelled (no action for any of its pairs); u2 → E3, E5 lack services.
    // c4: v1 pending and no relationship: two actions on each of its two pairs.
    let expected = owned(&[
        ("c1", "CancelSubscription", "s2", 3, 4),
        ("c2", "ReactivateSubscription", "t1", 3, 4),
        ("c3", "ExtendAdminRelationship", "c3", 2, 2),
        ("c4", "AwaitProvisioning", "v1", 0, 2),
        ("c4", "EstablishAdminRelationship", "c4", 0, 2),
        ("c1", "CancelSubscription", "s3", 0, 1),
        ("c2", "ReduceQuantity", "t1", 0, 1),
    ]);
    assert_eq!(action_rows(&ws), expected);
}

#[test]
fn overview_has_one_row_per_subscription_with_its_verdict() {
    let ws = Workspace::from_case("actions");
    ws.run(&[]).assert_code(0);
    let rows = csv_rows(&ws.report(OVERVIEW));
    let verdicts: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r[2].as_str(), r[8].as_str(), r[10].as_str(), r[11].as_str()))
        .collect();
    assert_eq!(
        verdicts,
        [
            (
                "s1",
                "blocked",
                "o365-business-premium;o365-e1;o365-e3;o365-e5",
                "ConflictingServiceTypes"
            ),
            ("s2", "other_channel", "", ""),
            ("s3", "other_channel", "", ""),
            (
                "t1",
                "blocked",
                "o365-business-premium;o365-proplus;o365-e3;o365-e5",
                "SubscriptionStatusNotActive"
            ),
            (
                "u1",
                "blocked",
                "o365-business-premium;o365-e1;o365-e3;o365-e5",
                "SubscriptionStatusNotActive"
            ),
            (
                "u2",
                "blocked",
                "o365-e3;o365-e5",
                "InsufficientGranularAdminPermissions"
            ),
            (
                "v1",
                "blocked",
                "o365-e3;o365-e5",
                "SubscriptionNotProvisioned"
            ),
        ]
    );
    assert_eq!(rows[3][12], "Bernd", "account_manager is the last column");
    assert_eq!(rows[4][12], "", "a customer without an account manager");
}

#[test]
fn sample_overview_agrees_with_the_summary() {
    let ws = Workspace::sample();
    ws.run(&[]).assert_code(0);
    let summary = ws.summary();
    let counts = subscription_counts(&summary);
    let rows = csv_rows(&ws.report(OVERVIEW));
    assert_eq!(rows.len() as u64, counts.total);
    let count = |verdict: &str| rows.iter().filter(|r| r[8] == verdict).count() as u64;
    assert_eq!(count("eligible"), counts.eligible);
    assert_eq!(count("blocked"), counts.blocked);
    assert_eq!(count("not_upgradable"), counts.not_upgradable);
    assert_eq!(count("other_channel"), counts.other_channel);
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(ids.len(), rows.len(), "every subscription once");
}

#[test]
fn filters_select_the_union_of_customers_and_account_managers() {
    let ws = Workspace::from_case("actions");
    let run = ws.run(&["--customer", "C1", "--account-manager", "  ANNA   äbi "]);
    run.assert_code(0);
    assert_eq!(run.stderr, "");
    for file in [ELIGIBLE, BLOCKED, REASSIGNMENTS, OVERVIEW, ACTIONS] {
        for row in csv_rows(&ws.report(file)) {
            assert!(["c1", "c4"].contains(&row[0].as_str()), "{file}: {row:?}");
        }
    }
    let customers: std::collections::BTreeSet<String> = csv_rows(&ws.report(OVERVIEW))
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(customers.into_iter().collect::<Vec<_>>(), ["c1", "c4"]);
    let summary = ws.summary();
    assert_eq!(
        number(&summary, "/subscriptions/total"),
        4,
        "s1, s2, s3, v1"
    );
    assert_eq!(number(&summary, "/filter/selected_customers"), 2);
    assert_eq!(summary["filter"]["customers"][0], "C1");
    assert_eq!(summary["filter"]["account_managers"][0], "  ANNA   äbi ");
    let rows = action_rows(&ws);
    assert_eq!(
        rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["c1", "c4", "c4", "c1"]
    );
}

#[test]
fn a_filter_that_selects_nothing_warns_and_writes_empty_reports() {
    let ws = Workspace::from_case("actions");
    let run = ws.run(&["--customer", "nobody", "--account-manager", "Nobody"]);
    run.assert_code(0);
    run.assert_stderr_line("upgrade-recon: warning: --customer \"nobody\" matches no customer");
    run.assert_stderr_line(
        "upgrade-recon: warning: --account-manager \"Nobody\" matches no customer",
    );
    run.assert_stderr_line(
        "upgrade-recon: warning: the filter selects no customer; the reports are empty",
    );
    for file in [ELIGIBLE, BLOCKED, REASSIGNMENTS, OVERVIEW, ACTIONS] {
        assert_eq!(ws.report(file).lines().count(), 1, "{file} is header-only");
    }
    assert_eq!(number(&ws.summary(), "/subscriptions/total"), 0);
}

#[test]
fn rejected_rows_are_never_filtered() {
    let ws = Workspace::from_case("actions");
    let subscriptions = read_text(&ws.input().join(SUBSCRIPTIONS));
    ws.write_input(
        SUBSCRIPTIONS,
        &format!("{subscriptions}w1,c2,Office 365 Business,actve,1,\n"),
    );
    let run = ws.run(&["--customer", "c1", "--max-errors", "1"]);
    run.assert_code(3);
    let rejects = csv_rows(&ws.report(REJECTS));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0][0], SUBSCRIPTIONS);
    assert_eq!(number(&ws.summary(), "/rejected_rows"), 1);
}
