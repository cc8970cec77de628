//! Values echoed in error lines are cut to 80 characters (marked, with the value's
//! size) and their control characters escaped, so that a huge cell or an escape
//! sequence in an id never floods or steers the terminal or the log.

use crate::errors::{STATUS_VALUES, with_file, with_lines};
use crate::harness::*;

/// No stderr line is long, and none holds a control character.
fn assert_tame(stderr: &str) {
    for line in stderr.lines() {
        assert!(line.chars().count() <= 400, "a long line: {line}");
        assert!(
            !line.chars().any(char::is_control),
            "a raw control: {line:?}"
        );
    }
}

#[test]
fn long_values_and_control_characters_are_cut_and_escaped() {
    let huge = "a".repeat(5_000_000);
    let subscription = format!("s-3,c-1,Office 365 Business,\u{1b}[31m{huge},-\u{7},this_partner");
    let ws = with_lines(&[
        (SUBSCRIPTIONS, subscription.as_str()),
        (
            LICENSES,
            "c-\u{1b}]0;x\u{7},zoe@gamma.example,Office 365 Business,",
        ),
        (RELATIONSHIPS, "r-3,c-2,active,*,\"2026-01\r\n-01\","),
    ]);
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_tame(&run.stderr);
    let status = format!(
        "subscriptions.csv:4: status: unknown value \"\\u{{1b}}[31m{}…\" (5,000,005 bytes) \
         (expected one of {STATUS_VALUES})",
        "a".repeat(69)
    );
    assert_eq!(
        run.stderr_lines(),
        [
            status.as_str(),
            "subscriptions.csv:4: quantity: \"-\\u{7}\" is not a non-negative integer",
            "admin_relationships.csv:4: start_date: invalid date \"2026-01\\r\\n-01\" (expected \
             YYYY-MM-DD, DD.MM.YYYY or an ISO 8601 date-time, a real calendar day)",
            "license_assignments.csv:4: customer_id: unknown customer \"c-\\u{1b}]0;x\\u{7}\" \
             (not in customers.csv)",
            "3 rows rejected, more than --max-errors 0; nothing written",
        ]
    );
}

#[test]
fn header_names_in_header_errors_are_escaped() {
    let ws = with_file(
        CUSTOMERS,
        "customer_id,company_name,Domain name,Primary\u{85}domain\nc-1,A,a,b\n",
    );
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_tame(&run.stderr);
    assert_eq!(
        run.stderr_lines(),
        [
            "customers.csv:1: columns 3 \"Domain name\" and 4 \"Primary\\u{85}domain\" both map \
             to \"domain\"; choose one with --column customers.domain=HEADER"
        ]
    );
}

#[test]
fn catalog_values_in_catalog_errors_are_escaped() {
    let ws = with_lines(&[]);
    std::fs::create_dir(ws.catalog()).expect("create catalog/");
    let long = "z".repeat(200);
    std::fs::write(
        ws.catalog().join("offers.csv"),
        "offer_id,name,sku,region,max_quantity,services,aliases\n\
         a,Alpha,,,,Exchange,\nb,Beta,,,\"1\n0\",Exchange,\n",
    )
    .expect("write offers");
    std::fs::write(
        ws.catalog().join("upgrade_paths.csv"),
        format!("from_offer,to_offer\na,{long}\n"),
    )
    .expect("write paths");
    let run = assert_fails_writing_nothing(
        &ws,
        &["--catalog", ws.catalog().to_str().expect("UTF-8 path")],
        65,
    );
    assert_tame(&run.stderr);
    let offers = ws.catalog().join("offers.csv");
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "catalog: {}:3: max_quantity: \"1\\n0\" is not a positive integer (leave it empty \
             for no limit)",
            offers.display()
        )
        .as_str()]
    );
    std::fs::write(
        &offers,
        "offer_id,name,sku,region,max_quantity,services,aliases\na,Alpha,,,,Exchange,\n",
    )
    .expect("write offers");
    let run = assert_fails_writing_nothing(
        &ws,
        &["--catalog", ws.catalog().to_str().expect("UTF-8 path")],
        65,
    );
    let paths = ws.catalog().join("upgrade_paths.csv");
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "catalog: {}:2: to_offer: unknown offer \"{}…\" (200 bytes) (not in offers.csv)",
            paths.display(),
            "z".repeat(79)
        )
        .as_str()]
    );
}
