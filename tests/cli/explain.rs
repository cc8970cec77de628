//! `upgrade-recon explain` (contract §6): its JSON agrees with what `run` reports
//! for every subscription of the sample; its text for one blocked and one eligible
//! subscription is reviewed like a golden report; every error has its exit code.

use std::collections::BTreeMap;

use crate::harness::*;

/// A pair's decision as the reports state it: "eligible <type> <assigned> <needing>"
/// or the `;`-joined codes.
type Pairs = BTreeMap<(String, String), String>;
/// (subscription, target) → reassignment rows (user, reason, services).
type Reassignments = BTreeMap<(String, String), Vec<(String, String, String)>>;

fn from_reports(ws: &Workspace) -> (Pairs, Reassignments) {
    let mut pairs = Pairs::new();
    for r in csv_rows(&ws.report(ELIGIBLE)) {
        let decision = format!("eligible {} {} {}", r[8], r[9], r[10]);
        pairs.insert((r[2].clone(), r[5].clone()), decision);
    }
    for r in csv_rows(&ws.report(BLOCKED)) {
        pairs.insert((r[2].clone(), r[5].clone()), r[9].clone());
    }
    let mut reassignments = Reassignments::new();
    for r in csv_rows(&ws.report(REASSIGNMENTS)) {
        reassignments
            .entry((r[2].clone(), r[4].clone()))
            .or_default()
            .push((r[6].clone(), r[7].clone(), r[8].clone()));
    }
    (pairs, reassignments)
}

fn from_explain(document: &serde_json::Value) -> (Pairs, Reassignments) {
    let mut pairs = Pairs::new();
    let mut reassignments = Reassignments::new();
    for customer in document["customers"].as_array().expect("customers") {
        for s in customer["subscriptions"].as_array().expect("subscriptions") {
            let id = s["subscription_id"].as_str().expect("id").to_owned();
            for u in s["upgrades"].as_array().expect("upgrades") {
                let target = u["target_offer_id"].as_str().expect("target").to_owned();
                let codes: Vec<&str> = u["upgrade_errors"]
                    .as_array()
                    .expect("errors")
                    .iter()
                    .map(|c| c.as_str().expect("code"))
                    .collect();
                let failed: Vec<&str> = u["checks"]
                    .as_array()
                    .expect("checks")
                    .iter()
                    .filter(|c| c["passed"] == false)
                    .map(|c| c["code"].as_str().expect("code"))
                    .collect();
                assert_eq!(
                    codes, failed,
                    "{id} → {target}: upgrade_errors are the failed checks"
                );
                let decision = if u["is_eligible"] == true {
                    format!(
                        "eligible {} {} {}",
                        u["upgrade_type"].as_str().expect("type"),
                        u["assigned_users"],
                        u["users_needing_reassignment"]
                    )
                } else {
                    codes.join(";")
                };
                pairs.insert((id.clone(), target.clone()), decision);
                for row in u["reassignments"].as_array().expect("reassignments") {
                    let services: Vec<&str> = row["services"]
                        .as_array()
                        .expect("services")
                        .iter()
                        .map(|s| s.as_str().expect("service"))
                        .collect();
                    reassignments
                        .entry((id.clone(), target.clone()))
                        .or_default()
                        .push((
                            row["user_principal_name"]
                                .as_str()
                                .expect("user")
                                .to_owned(),
                            row["reason_code"].as_str().expect("reason").to_owned(),
                            services.join(";"),
                        ));
                }
            }
        }
    }
    (pairs, reassignments)
}

#[test]
fn json_agrees_with_run_for_every_sample_subscription() {
    let ws = Workspace::sample();
    ws.run(&[]).assert_code(0);
    let (pairs, reassignments) = from_reports(&ws);
    let overview = csv_rows(&ws.report(OVERVIEW));
    let mut explained_pairs = Pairs::new();
    let mut explained_reassignments = Reassignments::new();
    for row in &overview {
        let id = &row[2];
        let run = ws.explain(&["--subscription", id, "--json"]);
        run.assert_code(0);
        let document: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let subscription = &document["customers"][0]["subscriptions"][0];
        assert_eq!(subscription["subscription_id"], id.as_str());
        assert_eq!(
            subscription["verdict"],
            row[8].as_str(),
            "{id}: verdict as in overview.csv"
        );
        let (p, r) = from_explain(&document);
        explained_pairs.extend(p);
        explained_reassignments.extend(r);
    }
    assert_eq!(explained_pairs, pairs);
    assert_eq!(explained_reassignments, reassignments);
}

#[test]
fn customer_json_lists_every_subscription_of_the_customer() {
    let ws = Workspace::sample();
    let run = ws.explain(&[
        "--customer",
        "A17B5552-6EE0-4DDA-9FBD-E2D350F26CB6",
        "--json",
    ]);
    run.assert_code(0);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let customer = &document["customers"][0];
    assert_eq!(customer["company_name"], "Elektro Gößwein GmbH");
    let ids: Vec<&str> = customer["subscriptions"]
        .as_array()
        .expect("subscriptions")
        .iter()
        .map(|s| s["subscription_id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(document["as_of"], AS_OF);
}

/// The text of one subscription (`extra` arguments given), compared with `tests/cases/explain/<name>.txt`
/// (re-blessed with `UPGRADE_RECON_BLESS=1`).
pub fn assert_text_matches(ws: &Workspace, subscription: &str, name: &str, extra: &[&str]) {
    let mut args = vec!["--subscription", subscription];
    args.extend_from_slice(extra);
    let run = ws.explain(&args);
    run.assert_code(0);
    let path = case_dir("explain").join(format!("{name}.txt"));
    if std::env::var_os("UPGRADE_RECON_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(case_dir("explain")).expect("explain case dir");
        std::fs::write(&path, &run.stdout).expect("bless");
        return;
    }
    assert_text_eq(&run.stdout, &read_text(&path), &format!("explain {name}"));
}

#[test]
fn text_of_a_blocked_and_an_eligible_subscription() {
    let ws = Workspace::sample();
    assert_text_matches(&ws, "629716c2-e8d8-4ff2-bfc5-d3e9a123b5b4", "blocked", &[]);
    assert_text_matches(&ws, "e09d5376-82aa-4e6c-9e57-68b1233f2a95", "eligible", &[]);
}

#[test]
fn an_unknown_id_exits_1_with_the_closest_ids() {
    let ws = Workspace::sample();
    let run = ws.explain(&["--subscription", "629716c2-e8d8-4ff2-bfc5-d3e9a123b5b5"]);
    run.assert_code(1);
    run.assert_stderr_line(
        "upgrade-recon: no subscription with the id \"629716c2-e8d8-4ff2-bfc5-d3e9a123b5b5\"; did you mean 629716c2-e8d8-4ff2-bfc5-d3e9a123b5b4?",
    );
    assert_eq!(run.stdout, "");
    let run = ws.explain(&["--customer", "nobody"]);
    run.assert_code(1);
    run.assert_stderr_line("upgrade-recon: no customer with the id \"nobody\"");
}

#[test]
fn usage_errors_exit_2() {
    let ws = Workspace::sample();
    for args in [
        vec![],
        vec!["--subscription", "x", "--customer", "y"],
        vec!["--subscription", "x", "--colour"],
    ] {
        let run = ws.explain(&args);
        run.assert_code(2);
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn input_errors_exit_as_run_does() {
    // Rejected rows within --max-errors: the explanation, and exit 3.
    let ws = Workspace::from_case("actions");
    let subscriptions = read_text(&ws.input().join(SUBSCRIPTIONS));
    ws.write_input(
        SUBSCRIPTIONS,
        &format!("{subscriptions}w1,c2,Office 365 Business,actve,1,\n"),
    );
    let run = ws.explain(&["--subscription", "s1", "--max-errors", "1"]);
    run.assert_code(3);
    assert!(
        run.stdout.starts_with("Customer c1 — Alpha GmbH"),
        "{}",
        run.stdout
    );
    // Beyond --max-errors: 65 with the problem, as `run`.
    let run = ws.explain(&["--subscription", "s1"]);
    run.assert_code(65);
    run.assert_stderr_line_starting("subscriptions.csv:9: status: unknown value \"actve\"");
    assert_eq!(run.stdout, "");
    // A missing input file: 66.
    std::fs::remove_file(ws.input().join(CUSTOMERS)).expect("remove");
    ws.explain(&["--subscription", "s1"]).assert_code(66);
}
