//! Changes since the last run (contract §7): `changes.csv` against the set in
//! `--out` or `--previous`, the baseline in `summary.json`, damaged and v1
//! baselines, filtered runs, and `upgrade-recon diff`.

use std::fs;
use std::path::Path;

use crate::harness::*;

const CUSTOMERS_CSV: &str = "\
customer_id,company_name,domain,country,account_manager
k1,Alpha GmbH,alpha.example,DE,Ann Berg
k2,Beta AG,beta.example,AT,Bob Kurz
k3,Gamma KG,gamma.example,DE,Ann Berg
k4,Delta OHG,delta.example,DE,Bob Kurz
";

const SUBSCRIPTIONS_CSV: &str = "\
subscription_id,customer_id,offer,status,quantity,channel
s1,k1,o365-business-premium,active,5,this_partner
s2,k2,o365-business-essentials,active,5,this_partner
s3,k3,o365-business-premium,active,5,this_partner
s4,k3,o365-e3,active,5,other_partner
s5,k4,o365-business-premium,active,5,this_partner
";

const RELATIONSHIPS_CSV: &str = "\
relationship_id,customer_id,status,services,start_date,end_date
r1,k1,active,*,,
r2,k2,active,*,2025-01-01,
r3,k3,active,*,,
";

const LICENSES_CSV: &str = "customer_id,user_principal_name,offer\n";

const HEADER: &str = "customer_id,company_name,subscription_id,target_offer_id,change,previous,current,account_manager\n";

/// Day 1: k1's Business Premium s1 and k2's Business Essentials s2 can be upgraded
/// to every target; k3's Business Premium s3 is blocked by the other partner's E3
/// s4 (→ E3: it is held, and it provides InformationProtection that E3 adds; → E5:
/// the same service); k4 has no relationship (both pairs blocked).
fn day_one() -> Workspace {
    Workspace::with_inputs(&[
        (CUSTOMERS, CUSTOMERS_CSV),
        (SUBSCRIPTIONS, SUBSCRIPTIONS_CSV),
        (RELATIONSHIPS, RELATIONSHIPS_CSV),
        (LICENSES, LICENSES_CSV),
    ])
}

/// Day 2: (a) s1 suspended, (b) k2's relationship expired, (c) the conflicting s4
/// cancelled.
fn day_two(ws: &Workspace) {
    ws.write_input(
        SUBSCRIPTIONS,
        &SUBSCRIPTIONS_CSV
            .replace(
                "s1,k1,o365-business-premium,active",
                "s1,k1,o365-business-premium,suspended",
            )
            .replace("s4,k3,o365-e3,active", "s4,k3,o365-e3,cancelled"),
    );
    ws.write_input(
        RELATIONSHIPS,
        &RELATIONSHIPS_CSV.replace(
            "r2,k2,active,*,2025-01-01,",
            "r2,k2,expired,*,2025-01-01,2026-11-20",
        ),
    );
}

/// What day 2 changed, worked out from the rules by hand: (a) both targets of s1
/// newly blocked by the status; (b) all four targets of s2 newly blocked for want
/// of an active relationship; (c) both targets of s3 newly eligible. k4 stays
/// blocked by the same code (its details name another as-of date): no row.
const DAY_TWO_CHANGES: &str = "\
customer_id,company_name,subscription_id,target_offer_id,change,previous,current,account_manager
k1,Alpha GmbH,s1,o365-e3,newly_blocked,eligible,SubscriptionStatusNotActive,Ann Berg
k1,Alpha GmbH,s1,o365-e5,newly_blocked,eligible,SubscriptionStatusNotActive,Ann Berg
k2,Beta AG,s2,o365-business-premium,newly_blocked,eligible,DelegatedAdminPermissionsDisabled,Bob Kurz
k2,Beta AG,s2,o365-e1,newly_blocked,eligible,DelegatedAdminPermissionsDisabled,Bob Kurz
k2,Beta AG,s2,o365-e3,newly_blocked,eligible,DelegatedAdminPermissionsDisabled,Bob Kurz
k2,Beta AG,s2,o365-e5,newly_blocked,eligible,DelegatedAdminPermissionsDisabled,Bob Kurz
k3,Gamma KG,s3,o365-e3,newly_eligible,TargetOfferAlreadyOwned;ConflictingServiceTypes,eligible,Ann Berg
k3,Gamma KG,s3,o365-e5,newly_eligible,ConflictingServiceTypes,eligible,Ann Berg
";

/// `run` into `out` on another as-of date than day 1 (the date alone changes nothing).
fn run_day_two(ws: &Workspace, out: &Path, extra: &[&str]) -> Outcome {
    outcome(
        ws.bare_command(out)
            .args(["--as-of", "2026-11-25", "--quiet"])
            .args(extra),
    )
}

fn diff(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Outcome {
    let mut cmd = assert_cmd::Command::cargo_bin("upgrade-recon").expect("binary");
    cmd.arg("diff");
    for arg in args {
        cmd.arg(arg);
    }
    outcome(&mut cmd)
}

fn summary_of(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read_text(&dir.join(SUMMARY))).expect("summary.json")
}

#[test]
fn two_days_give_the_hand_checked_changes() {
    let ws = day_one();
    let day1 = ws.path().join("day1");
    ws.run_with_out(&day1, &[]).assert_code(0);
    assert_eq!(read_text(&day1.join(CHANGES)), HEADER, "a first run");
    let summary = summary_of(&day1);
    assert_eq!(summary["changes_baseline"]["source"], "none");
    assert_eq!(number(&summary, "/changes/added"), 0);

    day_two(&ws);
    let day2 = ws.path().join("day2");
    let day1_text = day1.to_str().expect("utf-8");
    run_day_two(&ws, &day2, &["--previous", day1_text]).assert_code(0);
    assert_text_eq(
        &read_text(&day2.join(CHANGES)),
        DAY_TWO_CHANGES,
        "changes.csv",
    );
    let summary = summary_of(&day2);
    assert_eq!(summary["changes_baseline"]["source"], "previous");
    assert_eq!(summary["changes_baseline"]["path"], day1_text);
    assert_eq!(
        counts(&summary, "/changes"),
        named(&[
            ("added", 0),
            ("removed", 0),
            ("newly_eligible", 2),
            ("newly_blocked", 6),
            ("reasons_changed", 0)
        ])
    );

    // diff of the two sets equals what the second run wrote.
    let diffed = diff(&[&day1, &day2]);
    diffed.assert_code(0);
    assert_text_eq(&diffed.stdout, DAY_TWO_CHANGES, "diff day1 day2");
    let into = ws.path().join("diffed");
    diff(&[&day1, &day2, &"--out", &into]).assert_code(0);
    assert_text_eq(
        &read_text(&into.join(CHANGES)),
        DAY_TWO_CHANGES,
        "diff --out",
    );
    // The other way round, everything turns back.
    let back = diff(&[&day2, &day1]);
    assert!(back.stdout.contains("k3,Gamma KG,s3,o365-e3,newly_blocked,eligible,TargetOfferAlreadyOwned;ConflictingServiceTypes,Ann Berg\n"), "{}", back.stdout);

    // Day 2 into day 1's folder: the baseline is the set in --out.
    run_day_two(&ws, &day1, &[]).assert_code(0);
    assert_text_eq(
        &read_text(&day1.join(CHANGES)),
        DAY_TWO_CHANGES,
        "against --out",
    );
    assert_eq!(summary_of(&day1)["changes_baseline"]["source"], "out");
}

#[test]
fn a_rerun_of_the_same_input_changes_nothing() {
    let ws = Workspace::sample();
    ws.run(&[]).assert_code(0);
    assert_eq!(ws.report(CHANGES), HEADER);
    assert_eq!(
        ws.summary()["changes_baseline"],
        serde_json::json!({"source": "none", "note": "no earlier report set in --out"})
    );
    let first = fs::read(ws.out().join(RECORD)).expect("record");
    assert_eq!(ws.run(&[]).assert_code(0).stderr, "", "no warning");
    assert_eq!(ws.report(CHANGES), HEADER);
    assert_eq!(ws.summary()["changes_baseline"]["source"], "out");
    assert_eq!(
        fs::read(ws.out().join(RECORD)).expect("record"),
        first,
        "same record"
    );
    let listed = ws.summary()["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["file"].as_str().expect("file").to_owned())
        .collect::<Vec<_>>();
    assert!(
        listed.contains(&RECORD.to_owned()) && listed.contains(&CHANGES.to_owned()),
        "{listed:?}"
    );
}

#[test]
fn a_filtered_run_compares_only_the_selected_customers() {
    let ws = day_one();
    let day1 = ws.path().join("day1");
    ws.run_with_out(&day1, &[]).assert_code(0);
    // Day 2: s1 suspended and k2's relationship expired as before; k3 left (its
    // rows go), k5 of Ann Berg came.
    day_two(&ws);
    let without_k3 = |text: &str, line_start: &str| {
        text.lines()
            .filter(|l| !l.contains(line_start))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    ws.write_input(
        CUSTOMERS,
        &format!(
            "{}k5,Epsilon AG,eps.example,DE,ann berg\n",
            without_k3(CUSTOMERS_CSV, "k3,")
        ),
    );
    let subscriptions = read_text(&ws.input().join(SUBSCRIPTIONS));
    ws.write_input(
        SUBSCRIPTIONS,
        &format!(
            "{}s9,k5,o365-business-premium,active,3,this_partner\n",
            without_k3(&subscriptions, ",k3,")
        ),
    );
    let relationships = read_text(&ws.input().join(RELATIONSHIPS));
    ws.write_input(
        RELATIONSHIPS,
        &format!("{}r5,k5,active,*,,\n", without_k3(&relationships, ",k3,")),
    );
    let day1_text = day1.to_str().expect("utf-8");
    let filtered = ws.path().join("ann");
    run_day_two(
        &ws,
        &filtered,
        &["--previous", day1_text, "--account-manager", "ANN BERG"],
    )
    .assert_code(0);
    assert_text_eq(
        &read_text(&filtered.join(CHANGES)),
        &format!(
            "{HEADER}\
             k1,Alpha GmbH,s1,o365-e3,newly_blocked,eligible,SubscriptionStatusNotActive,Ann Berg\n\
             k1,Alpha GmbH,s1,o365-e5,newly_blocked,eligible,SubscriptionStatusNotActive,Ann Berg\n\
             k3,Gamma KG,s3,o365-e3,removed,TargetOfferAlreadyOwned;ConflictingServiceTypes,,Ann Berg\n\
             k3,Gamma KG,s3,o365-e5,removed,ConflictingServiceTypes,,Ann Berg\n\
             k5,Epsilon AG,s9,o365-e3,added,,eligible,ann berg\n\
             k5,Epsilon AG,s9,o365-e5,added,,eligible,ann berg\n"
        ),
        "Ann Berg's changes (Bob Kurz's k2 and k4 are not compared)",
    );
    // diff of the full day-1 set and the filtered set gives the same: a set
    // records its filter.
    let diffed = diff(&[&day1, &filtered]);
    assert_text_eq(
        &diffed.stdout,
        &read_text(&filtered.join(CHANGES)),
        "diff of a filtered set",
    );
    // A filter selecting nothing: the previous set's customers of that name are removed.
    let nobody = ws.path().join("nobody");
    run_day_two(&ws, &nobody, &["--previous", day1_text, "--customer", "k3"]).assert_code(0);
    let rows = csv_rows(&read_text(&nobody.join(CHANGES)));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().all(|r| r[0] == "k3" && r[4] == "removed"),
        "{rows:?}"
    );
}

/// The warning of a baseline that cannot be used.
const UNUSABLE: &str = "upgrade-recon: warning: the previous report set cannot be used (";

#[test]
fn a_damaged_baseline_is_treated_as_none_with_one_warning() {
    let ws = day_one();
    ws.run(&[]).assert_code(0);
    day_two(&ws);
    let out = ws.out();
    type Damage = fn(&Path);
    let damages: [(&str, Damage); 4] = [
        (
            "decisions.bin: differs from what summary.json lists",
            |out| {
                let record = fs::read(out.join(RECORD)).expect("record");
                fs::write(out.join(RECORD), &record[..record.len() - 1]).expect("truncate");
            },
        ),
        ("summary.json: missing", |out| {
            fs::remove_file(out.join(SUMMARY)).expect("remove")
        }),
        ("decisions.bin: missing", |out| {
            fs::remove_file(out.join(RECORD)).expect("remove")
        }),
        ("summary.json: not the summary of a report set", |out| {
            fs::write(out.join(SUMMARY), "{\"reports\": 5}").expect("write")
        }),
    ];
    for (problem, damage) in damages {
        let day1 = ws.path().join("day1");
        let _ = fs::remove_dir_all(&day1);
        ws.run_with_out(&day1, &[]).assert_code(0);
        damage(&day1);
        let run = run_day_two(&ws, &day1, &[]);
        run.assert_code(0);
        let warnings: Vec<&str> = run.stderr_lines();
        assert_eq!(warnings.len(), 1, "one line: {}", run.stderr);
        assert!(warnings[0].starts_with(UNUSABLE), "{}", run.stderr);
        assert!(warnings[0].contains(problem), "{problem}: {}", run.stderr);
        assert_eq!(read_text(&day1.join(CHANGES)), HEADER, "{problem}");
        let baseline = &summary_of(&day1)["changes_baseline"];
        assert_eq!(baseline["source"], "none", "{problem}");
        assert!(
            baseline["note"].as_str().expect("note").contains(problem),
            "{baseline}"
        );
        // The next run compares with the set this run wrote.
        run_day_two(&ws, &day1, &[]).assert_code(0);
        assert_eq!(summary_of(&day1)["changes_baseline"]["source"], "out");
    }
    // A --previous folder that is not there.
    let run = run_day_two(&ws, &out, &["--previous", "no-such-set"]);
    run.assert_code(0);
    assert!(
        run.stderr.starts_with(UNUSABLE)
            && run.stderr.contains("no-such-set/summary.json: missing"),
        "{}",
        run.stderr
    );
    let baseline = &summary_of(&out)["changes_baseline"];
    assert_eq!(baseline["source"], "none");
    assert_eq!(baseline["path"], "no-such-set");
}

/// Turns the set in `dir` into what v1 wrote: no record, no `account_manager`
/// column, a summary without the list of reports.
fn make_v1(dir: &Path) {
    fs::remove_file(dir.join(RECORD)).expect("remove record");
    for file in [ELIGIBLE, BLOCKED] {
        let text = read_text(&dir.join(file));
        let v1: String = text
            .lines()
            .map(|line| {
                let cut = line.rfind(',').expect("a last column");
                format!("{}\n", &line[..cut])
            })
            .collect();
        fs::write(dir.join(file), v1).expect("write v1 report");
    }
    fs::write(
        dir.join(SUMMARY),
        "{\"as_of\": \"2026-11-24\", \"rejected_rows\": 0}\n",
    )
    .expect("v1 summary");
}

#[test]
fn a_v1_set_is_read_from_its_csvs() {
    let ws = day_one();
    let day1 = ws.path().join("day1");
    ws.run_with_out(&day1, &[]).assert_code(0);
    make_v1(&day1);
    day_two(&ws);
    let day1_text = day1.to_str().expect("utf-8");
    let run = run_day_two(&ws, &ws.out(), &["--previous", day1_text]);
    run.assert_code(0);
    assert_eq!(run.stderr, "");
    assert_text_eq(&ws.report(CHANGES), DAY_TWO_CHANGES, "against a v1 set");
    assert_eq!(ws.summary()["changes_baseline"]["source"], "previous");
    let diffed = diff(&[&day1, &ws.out()]);
    assert_text_eq(&diffed.stdout, DAY_TWO_CHANGES, "diff of a v1 set");

    // A set of the version before the record: it lists its reports, which must match.
    let listed = ws.path().join("listed");
    ws.run_with_out(&listed, &[]).assert_code(0);
    fs::remove_file(listed.join(RECORD)).expect("remove record");
    let summary = read_text(&listed.join(SUMMARY));
    let without_record: serde_json::Value = {
        let mut value: serde_json::Value = serde_json::from_str(&summary).expect("json");
        let reports = value["reports"].as_array_mut().expect("reports");
        reports.retain(|r| r["file"] != RECORD);
        value
    };
    fs::write(listed.join(SUMMARY), without_record.to_string()).expect("write summary");
    diff(&[&listed, &ws.out()]).assert_code(0);
    let blocked = read_text(&listed.join(BLOCKED));
    fs::write(
        listed.join(BLOCKED),
        blocked.replace("Delta OHG", "Delta KG"),
    )
    .expect("edit");
    let refused = diff(&[&listed, &ws.out()]);
    refused.assert_code(66);
    assert!(
        refused
            .stderr
            .contains("blocked_upgrades.csv: differs from what summary.json lists"),
        "{}",
        refused.stderr
    );
}

/// Ids that start like a formula: a set that shows them neutralised (`'=k5`) holds
/// the same ids as one that shows them raw (`=k5`).
#[test]
fn neutralised_values_compare_equal_to_raw_ones() {
    let ws = Workspace::with_inputs(&[
        (
            CUSTOMERS,
            "customer_id,company_name\n=k5,=HYPERLINK(\"x\")\nk6,Normal\n",
        ),
        (
            SUBSCRIPTIONS,
            "subscription_id,customer_id,offer,status,quantity\n-s1,=k5,o365-business-premium,active,5\n+s2,k6,o365-business-premium,suspended,5\n",
        ),
        (
            RELATIONSHIPS,
            "customer_id,status,services\n=k5,active,*\nk6,active,*\n",
        ),
        (LICENSES, LICENSES_CSV),
    ]);
    ws.run(&[]).assert_code(0);
    let neutralised = ws.path().join("neutralised");
    fs::create_dir(&neutralised).expect("dir");
    for file in [ELIGIBLE, BLOCKED] {
        let text = read_text(&ws.out().join(file));
        let shown: String = text
            .lines()
            .map(|line| {
                let cells: Vec<String> = line
                    .split(',')
                    .map(|cell| match cell.as_bytes().first() {
                        Some(b'=' | b'+' | b'-' | b'@') => format!("'{cell}"),
                        _ => cell.to_owned(),
                    })
                    .collect();
                format!("{}\n", cells.join(","))
            })
            .collect();
        assert!(shown.contains("'=k5") || shown.contains("'+s2"), "{shown}");
        fs::write(neutralised.join(file), shown).expect("write");
    }
    fs::write(neutralised.join(SUMMARY), "{}").expect("summary");
    let diffed = diff(&[&neutralised, &ws.out()]);
    diffed.assert_code(0);
    assert_eq!(diffed.stdout, HEADER);
    let again = ws.path().join("again");
    let neutralised_text = neutralised.to_str().expect("utf-8");
    ws.run_with_out(&again, &["--previous", neutralised_text])
        .assert_code(0);
    assert_eq!(read_text(&again.join(CHANGES)), HEADER);
    assert_eq!(summary_of(&again)["changes_baseline"]["source"], "previous");
}

#[test]
fn diff_exit_codes() {
    let ws = day_one();
    ws.run(&[]).assert_code(0);
    let missing = ws.path().join("missing");
    let run = diff(&[&missing, &ws.out()]);
    run.assert_code(66);
    assert_eq!(
        run.stderr,
        format!(
            "upgrade-recon: cannot read the report set: {}: missing\n",
            missing.join(SUMMARY).display()
        )
    );
    assert_eq!(run.stdout, "");
    let damaged = ws.path().join("damaged");
    ws.run_with_out(&damaged, &[]).assert_code(0);
    fs::write(damaged.join(RECORD), b"URDECREC\x01").expect("damage");
    let run = diff(&[&ws.out(), &damaged]);
    run.assert_code(66);
    assert!(
        run.stderr
            .contains(&format!("{}: differs", damaged.join(RECORD).display())),
        "{}",
        run.stderr
    );

    diff(&[&ws.out()]).assert_code(2);
    diff(&[&ws.out(), &ws.out(), &"--bogus"]).assert_code(2);
    let same = diff(&[&ws.out(), &ws.out()]);
    same.assert_code(0);
    assert_eq!(same.stdout, HEADER);

    // --out where a file stands: nothing can be written there.
    let blocked_out = ws.path().join("file");
    fs::write(&blocked_out, "x").expect("file");
    let run = diff(&[&ws.out(), &ws.out(), &"--out", &blocked_out]);
    run.assert_code(74);
    assert!(
        run.stderr.starts_with("upgrade-recon: cannot write"),
        "{}",
        run.stderr
    );
}
