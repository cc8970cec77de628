//! Every documented error: exit code, the stderr line naming file:line and column,
//! nothing written into a fresh `--out`, an existing report set left untouched.

use std::fs;

use crate::harness::*;

const STATUS_VALUES: &str = "active, pending, suspended, disabled, expired, deleted, cancelled";
const VOCABULARY: &str = "OfficeApps, OneDrive, OfficeWeb, Exchange, SharePoint, Teams, Yammer, \
     Planner, Bookings, Stream, InformationProtection, PhoneSystem, AudioConferencing, PowerBI, \
     DefenderO365, Intune, EntraIDP1";

/// A small valid data set; the tests break one thing in it. Line numbers below
/// count the header as line 1.
fn valid() -> Vec<(&'static str, String)> {
    vec![
        (
            CUSTOMERS,
            "customer_id,company_name,country\n\
             c-1,Alpha GmbH,DE\n\
             c-2,Beta AG,AT\n"
                .to_owned(),
        ),
        (
            SUBSCRIPTIONS,
            "subscription_id,customer_id,offer,status,quantity,channel\n\
             s-1,c-1,Office 365 Business Essentials,active,10,this_partner\n\
             s-2,c-2,Office 365 Business Premium,active,5,\n"
                .to_owned(),
        ),
        (
            RELATIONSHIPS,
            "relationship_id,customer_id,status,services,start_date,end_date\n\
             r-1,c-1,active,*,2024-01-01,2028-12-31\n\
             r-2,c-2,active,*,,\n"
                .to_owned(),
        ),
        (
            LICENSES,
            "customer_id,user_principal_name,offer,disabled_services\n\
             c-1,ann@alpha.example,Office 365 Business Essentials,Yammer\n\
             c-2,bob@beta.example,Office 365 Business Premium,\n"
                .to_owned(),
        ),
    ]
}

fn valid_workspace() -> Workspace {
    with_lines(&[])
}

/// The valid data set with `line` appended to `file`.
fn with_line(file: &str, line: &str) -> Workspace {
    with_lines(&[(file, line)])
}

fn with_lines(extra: &[(&str, &str)]) -> Workspace {
    let mut files = valid();
    for (file, line) in extra {
        let content = &mut files
            .iter_mut()
            .find(|(name, _)| name == file)
            .expect("known input file")
            .1;
        content.push_str(line);
        content.push('\n');
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(n, c)| (*n, c.as_str())).collect();
    Workspace::with_inputs(&files)
}

/// The valid data set with `file` replaced.
fn with_file(file: &str, content: &str) -> Workspace {
    let mut files = valid();
    files
        .iter_mut()
        .find(|(name, _)| *name == file)
        .expect("known input file")
        .1 = content.to_owned();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, c)| (*n, c.as_str())).collect();
    Workspace::with_inputs(&files)
}

/// Runs a data set with bad rows (and `--max-errors 0`): exit 65, nothing written,
/// the given problem lines on stderr and the verdict as the last line.
fn assert_rejected(ws: &Workspace, rows: usize, lines: &[&str]) -> Outcome {
    let run = assert_fails_writing_nothing(ws, &[], 65);
    for line in lines {
        run.assert_stderr_line(line);
    }
    assert_eq!(
        run.stderr_lines().last().copied(),
        Some(
            format!(
                "{rows} {} rejected, more than --max-errors 0; nothing written",
                if rows == 1 { "row" } else { "rows" }
            )
            .as_str()
        ),
        "stderr: {}",
        run.stderr
    );
    run
}

#[test]
fn the_valid_base_data_set_runs_cleanly() {
    let ws = valid_workspace();
    let run = ws.run(&[]);
    run.assert_code(0);
    assert_eq!(run.stderr, "");
    assert_eq!(ws.report(REJECTS), REJECTS_HEADER);
    let eligible = csv_rows(&ws.report(ELIGIBLE));
    let pairs: Vec<(&str, &str)> = eligible
        .iter()
        .map(|r| (r[2].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("s-1", "o365-business-premium"),
            ("s-1", "o365-e1"),
            ("s-1", "o365-e3"),
            ("s-1", "o365-e5"),
            ("s-2", "o365-e3"),
            ("s-2", "o365-e5"),
        ]
    );
}

#[test]
fn mistyped_status_is_rejected_with_the_expected_values() {
    let ws = with_line(
        SUBSCRIPTIONS,
        "s-3,c-1,Office 365 Business,actve,3,this_partner",
    );
    let run = assert_rejected(
        &ws,
        1,
        &[&format!(
            "subscriptions.csv:4: status: unknown value \"actve\" (expected one of {STATUS_VALUES})"
        )],
    );
    assert_eq!(run.stderr_lines().len(), 2, "stderr: {}", run.stderr);
}

#[test]
fn unknown_relationship_status_and_channel_are_rejected() {
    let ws = with_lines(&[
        (RELATIONSHIPS, "r-3,c-2,aktiv,*,,"),
        (
            SUBSCRIPTIONS,
            "s-3,c-1,Office 365 Business,active,3,reseller",
        ),
    ]);
    assert_rejected(
        &ws,
        2,
        &[
            "subscriptions.csv:4: channel: unknown value \"reseller\" (expected one of this_partner, other_partner, direct)",
            "admin_relationships.csv:4: status: unknown value \"aktiv\" (expected one of active, expiring, approvalpending, approved, activating, created, expired, terminated, terminating, terminationrequested)",
        ],
    );
}

#[test]
fn missing_required_column_fails_before_any_row_is_read() {
    let ws = with_file(
        SUBSCRIPTIONS,
        "subscription_id,customer_id,offer,status,channel\n\
         s-1,c-1,Office 365 Business Essentials,actve,this_partner\n",
    );
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    // Only the header problem: the row with the bad status is never read.
    assert_eq!(
        run.stderr_lines(),
        [
            "subscriptions.csv:1: missing required column \"quantity\" (looked for: quantity, Quantity, Licenses, Seats)"
        ]
    );
}

#[test]
fn missing_columns_in_several_files_are_all_named() {
    let ws = with_file(CUSTOMERS, "customer_id,name\nc-1,Alpha GmbH\nc-2,Beta AG\n");
    ws.write_input(
        LICENSES,
        "customer_id,user,offer\nc-1,ann@alpha.example,Office 365 Business Essentials\n",
    );
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr_lines(),
        [
            "customers.csv:1: missing required column \"company_name\" (looked for: company_name, Company name, Customer name, CustomerName)",
            "license_assignments.csv:1: missing required column \"user_principal_name\" (looked for: user_principal_name, User principal name, UserPrincipalName, UPN)",
        ]
    );
}

#[test]
fn empty_input_file_is_invalid_data() {
    let ws = with_file(RELATIONSHIPS, "");
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr_lines(),
        ["admin_relationships.csv: the file is empty; expected a header row"]
    );
}

#[test]
fn missing_required_value_is_rejected() {
    let ws = with_line(SUBSCRIPTIONS, "s-3,c-1,,active,3,this_partner");
    assert_rejected(
        &ws,
        1,
        &["subscriptions.csv:4: offer: missing required value"],
    );
}

#[test]
fn duplicate_customer_id_is_rejected_case_insensitively() {
    let ws = with_line(CUSTOMERS, "C-1,Alpha Zwei GmbH,DE");
    assert_rejected(
        &ws,
        1,
        &["customers.csv:4: customer_id: duplicate \"C-1\" (first on line 2)"],
    );
}

#[test]
fn duplicate_subscription_id_is_rejected() {
    let ws = with_line(SUBSCRIPTIONS, "S-1,c-2,Office 365 Business,active,1,direct");
    assert_rejected(
        &ws,
        1,
        &["subscriptions.csv:4: subscription_id: duplicate \"S-1\" (first on line 2)"],
    );
}

#[test]
fn duplicate_license_is_rejected_even_when_spelled_differently() {
    // Same customer, same user (other case), same offer (by its SKU).
    let ws = with_line(LICENSES, "c-1,Ann@Alpha.example,O365_BUSINESS_ESSENTIALS,");
    assert_rejected(
        &ws,
        1,
        &[
            "license_assignments.csv:4: user_principal_name: duplicate of the license on line 2 (same customer, user and offer)",
        ],
    );
}

#[test]
fn unknown_customer_id_is_rejected_in_every_file() {
    let ws = with_lines(&[
        (
            SUBSCRIPTIONS,
            "s-3,c-9,Office 365 Business,active,1,this_partner",
        ),
        (RELATIONSHIPS, "r-3,c-9,active,*,,"),
        (LICENSES, "c-9,zoe@gamma.example,Office 365 Business,"),
    ]);
    assert_rejected(
        &ws,
        3,
        &[
            "subscriptions.csv:4: customer_id: unknown customer \"c-9\" (not in customers.csv)",
            "admin_relationships.csv:4: customer_id: unknown customer \"c-9\" (not in customers.csv)",
            "license_assignments.csv:4: customer_id: unknown customer \"c-9\" (not in customers.csv)",
        ],
    );
}

#[test]
fn rows_of_a_rejected_customer_are_rejected_too() {
    let ws = with_lines(&[
        (CUSTOMERS, "c-3,,DE"),
        (
            SUBSCRIPTIONS,
            "s-3,c-3,Office 365 Business,active,1,this_partner",
        ),
        (RELATIONSHIPS, "r-3,C-3,active,*,,"),
        (LICENSES, "c-3,zoe@gamma.example,Office 365 Business,"),
    ]);
    assert_rejected(
        &ws,
        4,
        &[
            "customers.csv:4: company_name: missing required value",
            "subscriptions.csv:4: customer_id: customer \"c-3\" was rejected (customers.csv:4)",
            "admin_relationships.csv:4: customer_id: customer \"C-3\" was rejected (customers.csv:4)",
            "license_assignments.csv:4: customer_id: customer \"c-3\" was rejected (customers.csv:4)",
        ],
    );
}

#[test]
fn impossible_date_is_rejected() {
    let ws = with_lines(&[
        (RELATIONSHIPS, "r-3,c-1,active,*,2026-02-30,"),
        (RELATIONSHIPS, "r-4,c-2,active,*,2025-01-01,26-12-31"),
    ]);
    assert_rejected(
        &ws,
        2,
        &[
            "admin_relationships.csv:4: start_date: invalid date \"2026-02-30\" (expected YYYY-MM-DD, DD.MM.YYYY or an ISO 8601 date-time, a real calendar day)",
            "admin_relationships.csv:5: end_date: invalid date \"26-12-31\" (expected YYYY-MM-DD, DD.MM.YYYY or an ISO 8601 date-time, a real calendar day)",
        ],
    );
}

#[test]
fn start_date_after_end_date_is_rejected() {
    let ws = with_line(RELATIONSHIPS, "r-3,c-1,active,*,2027-01-01,2026-12-31");
    assert_rejected(
        &ws,
        1,
        &["admin_relationships.csv:4: start_date: 2027-01-01 is after end_date 2026-12-31"],
    );
}

#[test]
fn unknown_service_names_are_rejected_in_both_files() {
    let ws = with_lines(&[
        (RELATIONSHIPS, "r-3,c-1,active,Exchange;Exchnage,,"),
        (
            LICENSES,
            "c-1,cem@alpha.example,Office 365 Business Essentials,Yammer;Kaizala;Sway",
        ),
    ]);
    assert_rejected(
        &ws,
        2,
        &[
            &format!(
                "admin_relationships.csv:4: services: unknown service \"Exchnage\" (the catalog knows {VOCABULARY})"
            ),
            &format!(
                "license_assignments.csv:4: disabled_services: unknown services \"Kaizala\", \"Sway\" (the catalog knows {VOCABULARY})"
            ),
        ],
    );
}

#[test]
fn star_is_not_allowed_in_disabled_services() {
    let ws = with_line(
        LICENSES,
        "c-1,cem@alpha.example,Office 365 Business Essentials,*",
    );
    assert_rejected(
        &ws,
        1,
        &[
            "license_assignments.csv:4: disabled_services: \"*\" (all services) is allowed only in admin_relationships.csv",
        ],
    );
}

#[test]
fn quantity_must_be_a_non_negative_integer() {
    let ws = with_lines(&[
        (
            SUBSCRIPTIONS,
            "s-3,c-1,Office 365 Business,active,-3,this_partner",
        ),
        (
            SUBSCRIPTIONS,
            "s-4,c-1,Office 365 Business,active,2.5,this_partner",
        ),
        (
            SUBSCRIPTIONS,
            "s-5,c-1,Office 365 Business,active,zehn,this_partner",
        ),
    ]);
    assert_rejected(
        &ws,
        3,
        &[
            "subscriptions.csv:4: quantity: \"-3\" is not a non-negative integer",
            "subscriptions.csv:5: quantity: \"2.5\" is not a non-negative integer",
            "subscriptions.csv:6: quantity: \"zehn\" is not a non-negative integer",
        ],
    );
}

#[test]
fn ragged_row_is_rejected() {
    let ws = with_lines(&[
        (SUBSCRIPTIONS, "s-3,c-1,Office 365 Business,active"),
        (CUSTOMERS, "c-3,Gamma KG,DE,surplus value"),
    ]);
    assert_rejected(
        &ws,
        2,
        &[
            "customers.csv:4: row has 4 fields, the header has 3",
            "subscriptions.csv:4: row has 4 fields, the header has 6",
        ],
    );
}

#[test]
fn every_problem_of_a_row_is_reported() {
    let ws = with_line(
        SUBSCRIPTIONS,
        "s-3,c-9,Office 365 Business,actve,-1,partner",
    );
    assert_rejected(
        &ws,
        1,
        &[
            "subscriptions.csv:4: customer_id: unknown customer \"c-9\" (not in customers.csv)",
            &format!(
                "subscriptions.csv:4: status: unknown value \"actve\" (expected one of {STATUS_VALUES})"
            ),
            "subscriptions.csv:4: quantity: \"-1\" is not a non-negative integer",
            "subscriptions.csv:4: channel: unknown value \"partner\" (expected one of this_partner, other_partner, direct)",
        ],
    );
}

#[test]
fn line_numbers_count_physical_lines() {
    // A quoted company name spanning two lines and a blank line before the bad row.
    let ws = with_file(
        CUSTOMERS,
        "customer_id,company_name,country\n\
         c-1,\"Alpha\nGmbH\",DE\n\
         \n\
         c-2,Beta AG,AT\n\
         c-1,Alpha again,DE\n",
    );
    assert_rejected(
        &ws,
        1,
        &["customers.csv:6: customer_id: duplicate \"c-1\" (first on line 2)"],
    );
}

#[test]
fn missing_input_files_are_all_named() {
    let ws = with_file(CUSTOMERS, "customer_id,company_name\n");
    fs::remove_file(ws.input().join(SUBSCRIPTIONS)).expect("remove");
    fs::remove_file(ws.input().join(LICENSES)).expect("remove");
    let run = assert_fails_writing_nothing(&ws, &[], 66);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 2, "stderr: {}", run.stderr);
    assert!(
        lines[0].starts_with("subscriptions.csv: cannot read: "),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("license_assignments.csv: cannot read: "),
        "{}",
        lines[1]
    );

    let empty = Workspace::empty();
    let run = assert_fails_writing_nothing(&empty, &[], 66);
    let named: Vec<&str> = run
        .stderr_lines()
        .iter()
        .map(|l| l.split(':').next().unwrap_or_default())
        .collect();
    assert_eq!(named, INPUT_FILES);
}

#[test]
fn input_folder_that_does_not_exist_is_exit_66() {
    let ws = Workspace::empty();
    fs::remove_dir(ws.input()).expect("remove input folder");
    let run = assert_fails_writing_nothing(&ws, &[], 66);
    assert_eq!(run.stderr_lines().len(), 4, "stderr: {}", run.stderr);
}

#[test]
fn input_file_that_is_a_directory_is_exit_66() {
    let ws = with_file(CUSTOMERS, "");
    fs::remove_file(ws.input().join(CUSTOMERS)).expect("remove");
    fs::create_dir(ws.input().join(CUSTOMERS)).expect("mkdir");
    let run = assert_fails_writing_nothing(&ws, &[], 66);
    assert_eq!(run.stderr_lines().len(), 1, "stderr: {}", run.stderr);
    run.assert_stderr_line_starting("customers.csv: cannot read: ");
}

#[test]
fn output_folder_below_a_regular_file_is_exit_74() {
    let ws = valid_workspace();
    let blocker = ws.path().join("a-file");
    fs::write(&blocker, "not a folder\n").expect("write");
    let out = blocker.join("reports");
    let run = ws.run_with_out(&out, &[]);
    run.assert_code(74);
    run.assert_stderr_line_starting(&format!("cannot write reports: {}", out.display()));
    assert_eq!(
        fs::read_to_string(&blocker).expect("read"),
        "not a folder\n"
    );
}

/// A report that cannot be put in place fails the run with 74; the temporary files
/// are removed and the earlier reports stay as they were.
#[test]
fn report_that_cannot_be_replaced_is_exit_74_and_leaves_the_old_set() {
    let ws = valid_workspace();
    let out = ws.path().join("old-reports");
    plant_report_set(&out);
    // The first report to be put in place is blocked by a non-empty folder of its name.
    fs::remove_file(out.join(ELIGIBLE)).expect("remove");
    fs::create_dir(out.join(ELIGIBLE)).expect("mkdir");
    fs::write(out.join(ELIGIBLE).join("keep"), "x").expect("write");
    let before = snapshot(&out);
    let run = ws.run_with_out(&out, &[]);
    run.assert_code(74);
    run.assert_stderr_line_starting(&format!(
        "cannot write reports: {}",
        out.join(ELIGIBLE).display()
    ));
    assert!(snapshot(&out) == before, "the old report set was changed");
}

/// The contract: "A run that fails writes no report and leaves an existing set in
/// --out untouched." A report that cannot be put in place (here summary.json,
/// the last one) must not leave the reports before it replaced.
#[test]
fn report_set_is_replaced_all_or_nothing() {
    let ws = valid_workspace();
    let out = ws.path().join("old-reports");
    plant_report_set(&out);
    fs::remove_file(out.join(SUMMARY)).expect("remove");
    fs::create_dir(out.join(SUMMARY)).expect("mkdir");
    fs::write(out.join(SUMMARY).join("keep"), "x").expect("write");
    let before = snapshot(&out);
    ws.run_with_out(&out, &[]).assert_code(74);
    assert!(snapshot(&out) == before, "the old report set was changed");
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let ws = valid_workspace();

    let run = assert_fails_writing_nothing(&ws, &["--colour"], 2);
    run.assert_stderr_line("error: unexpected argument '--colour' found");

    // The standard arguments already hold --as-of, and repeating an option is itself a
    // usage error, so these commands are built by hand.
    for (args, line) in [
        (
            vec!["--as-of", "2026-02-30"],
            "error: invalid value '2026-02-30' for '--as-of <YYYY-MM-DD>': \"2026-02-30\" is not a date in the form YYYY-MM-DD",
        ),
        (
            vec!["--as-of", "24.11.2026"],
            "error: invalid value '24.11.2026' for '--as-of <YYYY-MM-DD>': \"24.11.2026\" is not a date in the form YYYY-MM-DD",
        ),
        (
            vec!["--threads", "0"],
            "error: invalid value '0' for '--threads <N>': number would be zero for non-zero type",
        ),
        (
            vec!["--max-errors", "-1"],
            "error: unexpected argument '-1' found",
        ),
        (
            vec!["--as-of", "2026-11-24", "--as-of", "2026-11-25"],
            "error: the argument '--as-of <YYYY-MM-DD>' cannot be used multiple times",
        ),
    ] {
        let run = assert_command_fails_writing_nothing(
            &ws,
            |out| {
                let mut cmd = ws.bare_command(out);
                cmd.arg("--quiet").args(&args);
                cmd
            },
            2,
        );
        run.assert_stderr_line(line);
    }

    let run = assert_command_fails_writing_nothing(
        &ws,
        |out| {
            let mut cmd = assert_cmd::Command::cargo_bin("upgrade-recon").expect("binary");
            cmd.arg("frobnicate").arg("--out").arg(out);
            cmd
        },
        2,
    );
    run.assert_stderr_line("error: unrecognized subcommand 'frobnicate'");
}

#[test]
fn help_exits_0_and_documents_every_option_and_exit_code() {
    let mut cmd = assert_cmd::Command::cargo_bin("upgrade-recon").expect("binary");
    let run = outcome(cmd.args(["run", "--help"]));
    run.assert_code(0);
    assert_eq!(run.stderr, "");
    let help = &run.stdout;
    for option in [
        "--input <DIR>",
        "--out <DIR>",
        "--as-of <YYYY-MM-DD>",
        "--catalog <DIR>",
        "--max-errors <N>",
        "--threads <N>",
        "--quiet",
        "--help",
    ] {
        assert!(help.contains(option), "help lacks {option}:\n{help}");
    }
    for code in ["0", "2", "3", "65", "66", "74"] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{code} "))),
            "help lacks exit code {code}:\n{help}"
        );
    }
    for file in INPUT_FILES.iter().chain(REPORT_FILES.iter()) {
        assert!(help.contains(file), "help does not mention {file}");
    }

    let mut cmd = assert_cmd::Command::cargo_bin("upgrade-recon").expect("binary");
    let run = outcome(cmd.arg("--help"));
    run.assert_code(0);
    assert!(run.stdout.contains("run"), "{}", run.stdout);
    assert!(run.stdout.contains("74"), "{}", run.stdout);
}

/// Two bad rows with `--max-errors 2`: skipped, listed in rejects.csv, exit 3.
#[test]
fn rejected_rows_within_max_errors_are_listed_and_skipped() {
    let ws = with_lines(&[
        (
            SUBSCRIPTIONS,
            "s-3,c-1,Office 365 Business,actve,3,this_partner",
        ),
        (LICENSES, "c-9,zoe@gamma.example,Office 365 Business,"),
    ]);
    let run = ws.run(&["--max-errors", "2"]);
    run.assert_code(3);
    assert_eq!(run.stderr, "", "--quiet: no summary line");
    assert_text_eq(
        &ws.report(REJECTS),
        &format!(
            "{REJECTS_HEADER}\
             subscriptions.csv,4,\"status: unknown value \"\"actve\"\" (expected one of {STATUS_VALUES})\",\"s-3,c-1,Office 365 Business,actve,3,this_partner\"\n\
             license_assignments.csv,4,\"customer_id: unknown customer \"\"c-9\"\" (not in customers.csv)\",\"c-9,zoe@gamma.example,Office 365 Business,\"\n"
        ),
        "rejects.csv",
    );
    // The reports hold the good rows only, exactly as without the bad ones.
    let clean = {
        let clean = valid_workspace();
        clean.run(&[]).assert_code(0);
        clean
    };
    for file in [ELIGIBLE, BLOCKED, REASSIGNMENTS] {
        assert_text_eq(&ws.report(file), &clean.report(file), file);
    }
    let summary = ws.summary();
    assert_eq!(number(&summary, "/rejected_rows"), 2);
    assert_eq!(subscription_counts(&summary).total, 2);
    let rejected: Vec<(String, u64, u64)> = summary["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| {
            (
                i["file"].as_str().expect("file").to_owned(),
                i["rows"].as_u64().expect("rows"),
                i["rejected"].as_u64().expect("rejected"),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        [
            (CUSTOMERS.to_owned(), 2, 0),
            (SUBSCRIPTIONS.to_owned(), 3, 1),
            (RELATIONSHIPS.to_owned(), 2, 0),
            (LICENSES.to_owned(), 3, 1),
        ]
    );

    // Without --quiet the summary line mentions the rejected rows.
    let loud = outcome(ws.bare_command(&ws.path().join("loud")).args([
        "--as-of",
        AS_OF,
        "--max-errors",
        "2",
    ]));
    loud.assert_code(3);
    assert!(
        loud.stderr.contains("; 2 rejected rows in rejects.csv;"),
        "{}",
        loud.stderr
    );
}

#[test]
fn more_rejected_rows_than_max_errors_is_exit_65() {
    let ws = with_lines(&[
        (
            SUBSCRIPTIONS,
            "s-3,c-1,Office 365 Business,actve,3,this_partner",
        ),
        (LICENSES, "c-9,zoe@gamma.example,Office 365 Business,"),
    ]);
    let run = assert_fails_writing_nothing(&ws, &["--max-errors", "1"], 65);
    assert_eq!(
        run.stderr_lines(),
        [
            format!(
                "subscriptions.csv:4: status: unknown value \"actve\" (expected one of {STATUS_VALUES})"
            )
            .as_str(),
            "license_assignments.csv:4: customer_id: unknown customer \"c-9\" (not in customers.csv)",
            "2 rows rejected, more than --max-errors 1; nothing written",
        ]
    );
}

/// 55 rows with two problems each: 100 problem lines, then the count of the rest.
#[test]
fn at_most_100_problems_are_listed() {
    let rows: Vec<String> = (0..55)
        .map(|i| format!("x-{i},c-1,Office 365 Business,actve,-{i},this_partner"))
        .collect();
    let extra: Vec<(&str, &str)> = rows.iter().map(|r| (SUBSCRIPTIONS, r.as_str())).collect();
    let ws = with_lines(&extra);
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 102, "stderr: {}", run.stderr);
    assert!(
        lines[..100]
            .iter()
            .all(|l| l.starts_with("subscriptions.csv:"))
    );
    assert_eq!(
        lines[0],
        format!(
            "subscriptions.csv:4: status: unknown value \"actve\" (expected one of {STATUS_VALUES})"
        )
    );
    assert_eq!(
        lines[1],
        "subscriptions.csv:4: quantity: \"-0\" is not a non-negative integer"
    );
    assert_eq!(
        lines[99],
        "subscriptions.csv:53: quantity: \"-49\" is not a non-negative integer"
    );
    assert_eq!(lines[100], "... and 10 more problems");
    assert_eq!(
        lines[101],
        "55 rows rejected, more than --max-errors 0; nothing written"
    );
}
