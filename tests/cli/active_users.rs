//! Microsoft 365 admin center "Active users" exports in `users/` as the license
//! source when `license_assignments.csv` is absent: the same decisions as the
//! canonical input, and every error the folder can cause.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::harness::*;

const USERS: &str = "users";
const HEADER: &str =
    "Display name,User principal name,First name,Last name,Licenses,Usage location";

/// `customers`, `subscriptions` and `admin_relationships` of a small data set
/// (no `license_assignments.csv`) and the given exports in `users/`.
fn workspace(exports: &[(&str, &str)]) -> Workspace {
    let ws = Workspace::with_inputs(&[
        (
            CUSTOMERS,
            "customer_id,company_name,domain\n\
             c-1,Alpha GmbH,alpha.example\n\
             c-2,Beta AG,Beta.Example\n",
        ),
        (
            SUBSCRIPTIONS,
            "subscription_id,customer_id,offer,status,quantity\n\
             s-1,c-1,Office 365 Business Essentials,active,10\n\
             s-2,c-2,Office 365 Business Premium,active,5\n",
        ),
        (
            RELATIONSHIPS,
            "customer_id,status,services\n\
             c-1,active,*\n\
             c-2,active,*\n",
        ),
    ]);
    write_exports(&ws, exports);
    ws
}

fn write_exports(ws: &Workspace, exports: &[(&str, &str)]) {
    let dir = ws.input().join(USERS);
    fs::create_dir_all(&dir).expect("create users/");
    for (name, content) in exports {
        fs::write(dir.join(name), content).expect("write export");
    }
}

/// An export with [`HEADER`] and these `UPN,Licenses` rows.
fn export(rows: &[&str]) -> String {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        let (upn, licenses) = row.split_once(',').expect("UPN,Licenses");
        text.push_str(&format!("Someone,{upn},Some,One,{licenses},DE\n"));
    }
    text
}

/// `subscription_id target_offer_id upgrade_type assigned_users` per eligible pair.
fn eligible(ws: &Workspace) -> Vec<String> {
    let rows = csv_rows(&ws.report(ELIGIBLE));
    rows.into_iter()
        .map(|r| [&r[2], &r[5], &r[8], &r[9]].map(String::as_str).join(" "))
        .collect()
}

/// The summary's `inputs` entry of `file`.
fn input_report(summary: &serde_json::Value, file: &str) -> serde_json::Value {
    let inputs = summary["inputs"].as_array().expect("inputs");
    let found = inputs.iter().find(|i| i["file"] == file);
    found
        .unwrap_or_else(|| panic!("no input {file}: {summary}"))
        .clone()
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// A copy of `fixtures/sample` whose `license_assignments.csv` has every
/// `disabled_services` value emptied: what Active-users exports can express.
fn sample_without_disabled_services() -> Workspace {
    let ws = Workspace::sample();
    let path = ws.input().join(LICENSES);
    let text = fs::read(&path).expect("read sample licenses");
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let header = reader.headers().expect("header").clone();
    let column = header
        .iter()
        .position(|h| h == "disabled_services")
        .expect("disabled_services column");
    let mut writer = csv::Writer::from_path(&path).expect("rewrite licenses");
    writer.write_record(&header).expect("write header");
    for record in reader.records() {
        let record = record.expect("license row");
        let fields = record
            .iter()
            .enumerate()
            .map(|(i, f)| if i == column { "" } else { f });
        writer.write_record(fields).expect("write row");
    }
    writer.flush().expect("flush");
    ws
}

/// A workspace holding `fixtures/active-users` with its `users/` folder.
fn active_users_fixture() -> Workspace {
    let source = repo_path("fixtures/active-users");
    let ws = Workspace::from_dir(&source);
    assert!(!ws.input().join(LICENSES).exists());
    let dir = ws.input().join(USERS);
    fs::create_dir(&dir).expect("create users/");
    for entry in fs::read_dir(source.join(USERS)).expect("read fixture users/") {
        let path = entry.expect("entry").path();
        fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy export");
    }
    ws
}

fn export_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read users/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_fixture_gives_the_decisions_of_the_canonical_input() {
    let canonical = sample_without_disabled_services();
    canonical.run(&[]).assert_code(0);
    let exports = active_users_fixture();
    let run = exports.run(&[]);
    run.assert_code(0);
    assert_eq!(run.stderr, "");
    for file in [ELIGIBLE, BLOCKED, REASSIGNMENTS, REJECTS] {
        assert_text_eq(
            &exports.report(file),
            &canonical.report(file),
            &format!("active-users vs. canonical: {file}"),
        );
    }
    assert!(csv_rows(&exports.report(REASSIGNMENTS)).len() > 1);

    // The summaries agree but for the license source's entry in `inputs`.
    let (mut ours, mut theirs) = (exports.summary(), canonical.summary());
    let users = input_report(&ours, "users/");
    ours["inputs"].as_array_mut().expect("inputs").pop();
    theirs["inputs"].as_array_mut().expect("inputs").pop();
    assert_eq!(ours, theirs);

    // The exports are named by customer id and by domain (one in upper case),
    // and list users without licenses ("Unlicensed" or empty) and with several.
    let dir = repo_path("fixtures/active-users/users");
    let names = export_names(&dir);
    assert!(names.iter().any(|n| n == "baeckerei-weiss.de.csv"));
    assert!(names.iter().any(|n| n == "AUTOHAUS-SCHAEFER.DE.csv"));
    let texts: Vec<Vec<u8>> = names
        .iter()
        .map(|n| fs::read(dir.join(n)).expect("read export"))
        .collect();
    let mut licenses = Vec::new();
    for text in &texts {
        let rows = csv_rows(&String::from_utf8_lossy(text));
        let header = csv::Reader::from_reader(text.as_slice())
            .headers()
            .expect("export header")
            .clone();
        let column = header
            .iter()
            .position(|h| h == "Licenses")
            .expect("Licenses");
        licenses.extend(rows.into_iter().map(|r| r[column].clone()));
    }
    assert!(licenses.iter().any(|l| l == "Unlicensed"));
    assert!(licenses.iter().any(String::is_empty));
    assert!(licenses.iter().any(|l| l.contains('+')));

    // `users/` in `inputs`: all data rows, and the digest of the exports' digests.
    let rows = licenses.len();
    let digests: String = texts.iter().map(|t| sha256_hex(t)).collect();
    assert_eq!(users["rows"], rows as u64);
    assert_eq!(users["rejected"], 0);
    assert_eq!(users["sha256"], sha256_hex(digests.as_bytes()));
    assert_eq!(users["encoding"], "utf-8-bom");
    assert_eq!(users["delimiter"], "comma");
    assert_eq!(users["columns"]["licenses"], "Licenses");
    assert_eq!(
        users["columns"]["user_principal_name"],
        "User principal name"
    );
}

#[test]
fn unlicensed_users_hold_no_licenses_and_exports_may_be_named_by_domain() {
    let beta = "UserPrincipalName;Assigned licenses;Abteilung\r\n\
                j\u{f6}rg@beta.example;Microsoft 365 Business Standard + Microsoft 365 Copilot;Verkauf\r\n";
    let (beta, _, _) = encoding_rs::WINDOWS_1252.encode(beta);
    let ws = workspace(&[
        (
            "c-1.csv",
            &export(&["ann@alpha.example,Unlicensed", "bob@alpha.example,"]),
        ),
        ("notes.txt", "not an export"),
        (".c-1.csv", "ignored: hidden"),
    ]);
    fs::write(ws.input().join("users/beta.example.CSV"), &beta).expect("write export");
    ws.run(&[]).assert_code(0);
    assert_eq!(
        eligible(&ws),
        [
            "s-1 o365-business-premium upgrade_only 0",
            "s-1 o365-e1 upgrade_only 0",
            "s-1 o365-e3 upgrade_only 0",
            "s-1 o365-e5 upgrade_only 0",
            "s-2 o365-e3 upgrade_with_license_transfer 1",
            "s-2 o365-e5 upgrade_with_license_transfer 1",
        ]
    );
    let summary = ws.summary();
    assert_eq!(
        counts(&summary, "/unknown_license_offers"),
        named(&[("Microsoft 365 Copilot", 1)])
    );
    let users = input_report(&summary, "users/");
    assert_eq!(users["rows"], 3);
    assert_eq!(users["encoding"], "mixed");
    assert_eq!(users["delimiter"], "mixed");
    // The columns of the first export in file-name order.
    assert_eq!(users["columns"]["licenses"], "Assigned licenses");
}

/// Microsoft's "Enterprise Mobility + Security E3" holds the `+` that joins a user's
/// products; read as two unknown products it would hide the conflict its
/// Information Protection makes with Office 365 E3 and E5.
#[test]
fn a_product_name_holding_a_plus_is_one_product() {
    let ws = workspace(&[(
        "c-2.csv",
        &export(&[
            "ann@beta.example,Microsoft 365 Business Standard+Enterprise Mobility + Security E3",
        ]),
    )]);
    ws.run(&[]).assert_code(0);
    let rows = csv_rows(&ws.report(REASSIGNMENTS));
    let rows: Vec<String> = (rows.iter())
        .map(|r| {
            [&r[2], &r[4], &r[6], &r[7], &r[8]]
                .map(String::as_str)
                .join(" ")
        })
        .collect();
    assert_eq!(
        rows,
        [
            "s-2 o365-e3 ann@beta.example ConflictingLicense InformationProtection",
            "s-2 o365-e5 ann@beta.example ConflictingLicense InformationProtection",
        ]
    );
    let summary = ws.summary();
    assert_eq!(counts(&summary, "/unknown_license_offers"), named(&[]));
}

/// A customer with subscriptions to upgrade but no export would count as having no
/// licensed users: its license transfers would pass as upgrades without one.
#[test]
fn a_customer_without_an_export_is_warned_about_even_under_quiet() {
    let ws = workspace(&[("c-2.csv", &export(&["ann@beta.example,Office 365 E1"]))]);
    let run = ws.run(&[]); // (the harness runs with --quiet)
    run.assert_code(0);
    assert_eq!(
        run.stderr_lines(),
        [
            "upgrade-recon: warning: 1 customer with subscriptions to upgrade has no export in \
             users/ and counts as having no licensed users; see customers_without_export in \
             summary.json"
        ]
    );
    assert_eq!(
        input_report(&ws.summary(), "users/")["customers_without_export"],
        1
    );

    // An export with only its header says "no licensed users" on purpose.
    write_exports(&ws, &[("c-1.csv", &export(&[]))]);
    let run = ws.run(&[]); // (the harness runs with --quiet)
    run.assert_code(0);
    assert_eq!(run.stderr, "");
    assert_eq!(
        input_report(&ws.summary(), "users/")["customers_without_export"],
        0
    );
}

#[test]
fn an_export_of_an_unknown_customer_stops_the_run() {
    let ws = workspace(&[
        ("c-1.csv", &export(&["ann@alpha.example,Office 365 E3"])),
        (
            "gamma.example.csv",
            &export(&["gus@gamma.example,Office 365 E3"]),
        ),
    ]);
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr_lines(),
        [
            "users/gamma.example.csv: no customer in customers.csv has the customer_id or \
             domain \"gamma.example\" (name each Active-users export <customer_id>.csv or \
             <domain>.csv)"
        ]
    );
}

#[test]
fn two_exports_of_one_customer_stop_the_run() {
    let ws = workspace(&[
        ("C-1.csv", &export(&["ann@alpha.example,Office 365 E3"])),
        (
            "alpha.example.csv",
            &export(&["ann@alpha.example,Office 365 E3"]),
        ),
        ("beta.example.csv", &export(&[])),
    ]);
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr_lines(),
        [
            "users/alpha.example.csv: customer \"c-1\" already has an export, users/C-1.csv; \
             keep one of them"
        ]
    );
}

#[test]
fn a_domain_of_several_customers_does_not_name_an_export() {
    let ws = workspace(&[("shared.example.csv", &export(&[]))]);
    ws.write_input(
        CUSTOMERS,
        "customer_id,company_name,domain\n\
         c-1,Alpha GmbH,shared.example\n\
         c-2,Beta AG,SHARED.example\n",
    );
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr_lines(),
        [
            "users/shared.example.csv: the domain \"shared.example\" belongs to customers \
             \"c-1\", \"c-2\"; name the export <customer_id>.csv"
        ]
    );
}

#[test]
fn bad_rows_are_rejected_with_file_and_line() {
    let ws = workspace(&[(
        "c-1.csv",
        &export(&[
            "ann@alpha.example,Office 365 Business Essentials",
            ",Office 365 Business Essentials",
            "ANN@alpha.example,Office 365 E3",
            "bob@alpha.example,Office 365 Business Essentials+Microsoft 365 Business Basic",
            "carl@alpha.example,Visio Plan 2+visio  plan 2",
        ]),
    )]);
    let problems = [
        "users/c-1.csv:3: user_principal_name: missing required value",
        "users/c-1.csv:4: user_principal_name: duplicate \"ANN@alpha.example\" (first on line 2)",
        "users/c-1.csv:5: licenses: \"Office 365 Business Essentials\" and \"Microsoft 365 \
         Business Basic\" are the same product",
        "users/c-1.csv:6: licenses: \"Visio Plan 2\" and \"visio  plan 2\" are the same product",
    ];
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    let mut expected: Vec<&str> = problems.to_vec();
    expected.push("4 rows rejected, more than --max-errors 0; nothing written");
    assert_eq!(run.stderr_lines(), expected);

    ws.run(&["--max-errors", "4"]).assert_code(3);
    let rejects = csv_rows(&ws.report(REJECTS));
    let listed: Vec<String> = rejects
        .iter()
        .map(|r| format!("{}:{}: {}", r[0], r[1], r[2]))
        .collect();
    assert_eq!(listed, problems);
    assert_eq!(
        rejects[0][3],
        "Someone,,Some,One,Office 365 Business Essentials,DE"
    );
    // The first row of ann stays: s-1 has one assigned user.
    assert_eq!(
        eligible(&ws)[0],
        "s-1 o365-business-premium upgrade_with_license_transfer 1"
    );
    let users = input_report(&ws.summary(), "users/");
    assert_eq!(users["rows"], 5);
    assert_eq!(users["rejected"], 4);
}

#[test]
fn rows_of_a_rejected_customer_are_rejected() {
    let ws = workspace(&[
        ("c-3.csv", &export(&["cleo@gamma.example,Office 365 E3"])),
        ("c-1.csv", &export(&["ann@alpha.example,Office 365 E3"])),
    ]);
    ws.write_input(
        CUSTOMERS,
        "customer_id,company_name,domain\n\
         c-1,Alpha GmbH,alpha.example\n\
         c-2,Beta AG,beta.example\n\
         c-3,,gamma.example\n",
    );
    ws.run(&["--max-errors", "2"]).assert_code(3);
    let rejects = csv_rows(&ws.report(REJECTS));
    let listed: Vec<String> = rejects
        .iter()
        .map(|r| format!("{}:{}: {}", r[0], r[1], r[2]))
        .collect();
    assert_eq!(
        listed,
        [
            "customers.csv:4: company_name: missing required value",
            "users/c-3.csv:2: customer \"c-3\" was rejected (customers.csv:4)",
        ]
    );
}

#[test]
fn an_export_without_a_licenses_column_fails_before_any_row_is_read() {
    let ws = workspace(&[
        (
            "c-1.csv",
            "User principal name,Display name\nann@alpha.example,Ann\n",
        ),
        ("c-2.csv", ""),
    ]);
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr_lines(),
        [
            "users/c-1.csv:1: missing required column \"licenses\" (looked for: licenses, \
             Licenses, Assigned licenses)",
            "users/c-2.csv: the file is empty; expected a header row",
        ]
    );
}

#[test]
fn both_license_sources_are_an_error_and_one_of_them_is_required() {
    // A stale license_assignments.csv beside fresh exports would silently hide
    // every export's users (and the other way round).
    let ws = workspace(&[("c-1.csv", &export(&["ann@alpha.example,Office 365 E1"]))]);
    ws.write_input(LICENSES, "customer_id,user_principal_name,offer\n");
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    let dir = ws.input().display().to_string();
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "license_assignments.csv and users/ (Active-users exports) are both in {dir}; \
             keep the one to read"
        )
        .as_str()]
    );

    // users/ without exports (hidden files and other names only) is no second source.
    fs::remove_file(ws.input().join(USERS).join("c-1.csv")).expect("remove export");
    fs::write(ws.input().join(USERS).join(".c-1.csv"), "hidden").expect("write");
    fs::write(ws.input().join(USERS).join("notes.txt"), "notes").expect("write");
    ws.run(&[]).assert_code(0);
    assert_eq!(input_report(&ws.summary(), LICENSES)["rows"], 0);

    fs::remove_file(ws.input().join(LICENSES)).expect("remove licenses");
    fs::remove_dir_all(ws.input().join(USERS)).expect("remove users/");
    let run = assert_fails_writing_nothing(&ws, &[], 66);
    run.assert_stderr_line_starting("license_assignments.csv: cannot read: ");
    assert_eq!(run.stderr_lines().len(), 1, "stderr: {}", run.stderr);
}

#[test]
fn column_overrides_name_the_headers_of_german_exports() {
    let german = "Anzeigename;Benutzerprinzipalname;Lizenzen\n\
                  Ann;ann@alpha.example;Microsoft 365 Business Basic\n";
    let ws = workspace(&[("c-1.csv", german)]);
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr_lines(),
        [
            "users/c-1.csv:1: missing required column \"user_principal_name\" (looked for: \
             user_principal_name, User principal name, UserPrincipalName, UPN)"
        ]
    );
    let columns = [
        "--column",
        "users.user_principal_name=Benutzerprinzipalname",
        "--column",
        "users.licenses=Lizenzen",
    ];
    ws.run(&columns).assert_code(0);
    assert_eq!(
        eligible(&ws)[0],
        "s-1 o365-business-premium upgrade_with_license_transfer 1"
    );
    let users = input_report(&ws.summary(), "users/");
    assert_eq!(users["delimiter"], "semicolon");
    assert_eq!(users["columns"]["licenses"], "Lizenzen");
}
