//! Every documented row error: exit code, the stderr line naming file:line and column,
//! nothing written into a fresh `--out`, an existing report set left untouched.

use crate::harness::*;

pub(crate) const STATUS_VALUES: &str =
    "active, pending, suspended, disabled, expired, deleted, cancelled";
const VOCABULARY: &str = "OfficeApps, OneDrive, OfficeWeb, Exchange, SharePoint, Teams, Yammer, \
     Planner, Bookings, Stream, InformationProtection, PhoneSystem, AudioConferencing, PowerBI, \
     DefenderO365, Intune, EntraIDP1";

/// A small valid data set; the tests break one thing in it. Line numbers below
/// count the header as line 1.
pub(crate) fn valid() -> Vec<(&'static str, String)> {
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

pub(crate) fn valid_workspace() -> Workspace {
    with_lines(&[])
}

/// The valid data set with `line` appended to `file`.
pub(crate) fn with_line(file: &str, line: &str) -> Workspace {
    with_lines(&[(file, line)])
}

pub(crate) fn with_lines(extra: &[(&str, &str)]) -> Workspace {
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
pub(crate) fn with_file(file: &str, content: &str) -> Workspace {
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
pub(crate) fn assert_rejected(ws: &Workspace, rows: usize, lines: &[&str]) -> Outcome {
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
