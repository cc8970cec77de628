//! Old Mac exports end lines with a lone CR: their rows are read as those of any
//! other export, and every line number (errors, `rejects.csv`, headers after blank
//! lines, rows read back for duplicates) counts CR-ended lines.

use std::fs;

use crate::errors::{STATUS_VALUES, valid};
use crate::harness::*;

/// `text` with every line ended by a lone CR.
fn cr_only(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r")
}

#[test]
fn cr_only_exports_give_the_reports_of_lf_exports() {
    let lf = Workspace::sample();
    lf.run(&[]).assert_code(0);
    let cr = Workspace::sample();
    for file in INPUT_FILES {
        let path = cr.input().join(file);
        let text = read_text(&path);
        fs::write(&path, cr_only(&text)).expect("rewrite with CR line ends");
    }
    cr.run(&[]).assert_code(0);
    for file in [ELIGIBLE, BLOCKED, REASSIGNMENTS, REJECTS] {
        assert_text_eq(&cr.report(file), &lf.report(file), file);
    }
    assert_eq!(
        cr.summary()["inputs"][1]["rows"],
        lf.summary()["inputs"][1]["rows"]
    );
}

/// The small valid data set with CR line ends and bad rows: a customer name with
/// a quoted line break, duplicates found after parsing (read back from the file),
/// and a row error.
fn cr_only_workspace_with_bad_rows() -> Workspace {
    let extra = [
        (CUSTOMERS, "c-3,\"Gamma\rSüd\",DE\rc-3,Dup,DE\r"),
        (
            SUBSCRIPTIONS,
            "s-3,c-1,Office 365 Business,actve,3,this_partner\rs-1,c-2,Office 365 Business,active,3,\r",
        ),
        (
            LICENSES,
            "c-1,ann@alpha.example,Office 365 Business Essentials,\r",
        ),
    ];
    let files: Vec<(&str, String)> = valid()
        .into_iter()
        .map(|(name, text)| {
            let added = extra.iter().filter(|(file, _)| *file == name);
            let added: String = added.map(|(_, rows)| *rows).collect();
            (name, cr_only(&text) + &added)
        })
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    Workspace::with_inputs(&files)
}

#[test]
fn cr_only_errors_and_rejects_name_the_right_lines() {
    let ws = cr_only_workspace_with_bad_rows();
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    let status = format!(
        "subscriptions.csv:4: status: unknown value \"actve\" (expected one of {STATUS_VALUES})"
    );
    assert_eq!(
        run.stderr_lines(),
        [
            "customers.csv:6: customer_id: duplicate \"c-3\" (first on line 4)",
            status.as_str(),
            "subscriptions.csv:5: subscription_id: duplicate \"s-1\" (first on line 2)",
            "license_assignments.csv:4: user_principal_name: duplicate of the license on \
             line 2 (same customer, user and offer)",
            "4 rows rejected, more than --max-errors 0; nothing written",
        ]
    );

    ws.run(&["--max-errors", "4"]).assert_code(3);
    let rejects: Vec<(String, String, String)> = csv_rows(&ws.report(REJECTS))
        .into_iter()
        .map(|row| (row[0].clone(), row[1].clone(), row[3].clone()))
        .collect();
    let expected = [
        (CUSTOMERS, "6", "c-3,Dup,DE"),
        (
            SUBSCRIPTIONS,
            "4",
            "s-3,c-1,Office 365 Business,actve,3,this_partner",
        ),
        (SUBSCRIPTIONS, "5", "s-1,c-2,Office 365 Business,active,3,"),
        (
            LICENSES,
            "4",
            "c-1,ann@alpha.example,Office 365 Business Essentials,",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(f, l, r)| ((*f).to_owned(), (*l).to_owned(), (*r).to_owned()))
        .collect();
    assert_eq!(rejects, expected);
}

#[test]
fn a_header_after_blank_cr_lines_is_named_by_its_line() {
    let ws = Workspace::sample();
    let customers = read_text(&ws.input().join(CUSTOMERS));
    let renamed = cr_only(&customers.replacen("company_name", "firm", 1));
    ws.write_input(CUSTOMERS, &format!("\r\r{renamed}"));
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr,
        "customers.csv:3: missing required column \"company_name\" (looked for: company_name, \
         Company name, Customer name, CustomerName)\n"
    );
}
