//! Spreadsheet readers (contract §5): the formula guard in every CSV report, the
//! bytes of each `--csv-style`, and the `--xlsx` workbook read back with calamine
//! — on input whose ids, names and users look like numbers, dates and formulas.

use std::collections::BTreeMap;
use std::fs;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use upgrade_recon::output::neutralize;

use crate::harness::*;

const WORKBOOK: &str = "upgrade-recon.xlsx";

/// Ids, names and users a spreadsheet would take for a number, a date or a
/// formula, and one rejected row whose record starts a formula.
fn tricky_inputs() -> Workspace {
    Workspace::with_inputs(&[
        (
            CUSTOMERS,
            "customer_id,company_name,domain,country,account_manager\n\
             00042,1E5,a.example,DE,\"=HYPERLINK(\"\"http://x.example\"\";\"\"x\"\")\"\n\
             c2,12.03.,b.example,DE,Anna Äbi\n\
             c3,=1+1,c.example,DE,@admin\n\
             c4,Druckerei Kühn,d.example,DE,+49 Team\n\
             =cmd|' /C calc'!A0,,x.example,DE,\n",
        ),
        (
            SUBSCRIPTIONS,
            "subscription_id,customer_id,offer,status,quantity,channel\n\
             s1,00042,Office 365 Business Essentials,active,10,this_partner\n\
             s2,c2,Office 365 Business Essentials,suspended,5,this_partner\n\
             s3,c3,Office 365 Business Essentials,suspended,3,this_partner\n\
             -s4,c4,Office 365 Business Essentials,active,2,this_partner\n",
        ),
        (
            RELATIONSHIPS,
            "relationship_id,customer_id,status,services,start_date,end_date\n\
             r1,00042,active,*,2024-01-01,2028-01-01\n\
             r2,c2,active,*,2024-01-01,2028-01-01\n\
             r4,c4,active,*,2024-01-01,2028-01-01\n",
        ),
        (
            LICENSES,
            "customer_id,user_principal_name,offer,disabled_services\n\
             00042,=cmd@a.example,Office 365 Business Essentials,Yammer\n",
        ),
    ])
}

fn run_tricky(extra: &[&str]) -> Workspace {
    let ws = tricky_inputs();
    let mut args = vec!["--max-errors", "1"];
    args.extend_from_slice(extra);
    ws.run(&args).assert_code(3);
    ws
}

/// Every row of a report, header first, read with the csv crate as `style` lays it out.
fn read_csv(path: &Path, delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_path(path)
        .expect("report");
    reader
        .records()
        .map(|r| r.expect("report row").iter().map(str::to_owned).collect())
        .collect()
}

fn starts_a_formula(cell: &str) -> bool {
    matches!(
        cell.bytes().next(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

#[test]
fn cells_that_would_start_a_formula_get_a_leading_quote_in_every_csv_report() {
    let ws = run_tricky(&[]);
    let overview = csv_rows(&ws.report(OVERVIEW));
    let companies: Vec<(&str, &str, &str)> = overview
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[12].as_str()))
        .collect();
    assert_eq!(
        companies,
        [
            ("00042", "1E5", "'=HYPERLINK(\"http://x.example\";\"x\")"),
            ("c2", "12.03.", "Anna Äbi"),
            ("c3", "'=1+1", "'@admin"),
            ("c4", "Druckerei Kühn", "'+49 Team"),
        ],
        "ids, numbers and dates stay as they are"
    );
    assert_eq!(overview[3][2], "'-s4");
    let reassignments = csv_rows(&ws.report(REASSIGNMENTS));
    assert_eq!(reassignments[0][6], "'=cmd@a.example");
    let rejects = csv_rows(&ws.report(REJECTS));
    assert_eq!(rejects.len(), 1);
    assert!(
        rejects[0][3].starts_with("'=cmd|' /C calc'!A0,"),
        "{rejects:?}"
    );

    // No cell of any report starts a formula, and the summary counts the guarded ones.
    let mut guarded = 0;
    for report in REPORT_CSVS {
        for row in read_csv(&ws.out().join(report), b',') {
            for cell in row {
                assert!(!starts_a_formula(&cell), "{report}: {cell:?}");
                guarded += usize::from(cell.starts_with('\'') && starts_a_formula(&cell[1..]));
            }
        }
    }
    assert!(guarded >= 10, "{guarded}");
    assert_eq!(number(&ws.summary(), "/neutralized_cells"), guarded as u64);
    assert_eq!(ws.summary()["csv_style"], "plain");
    for threads in ["1", "2"] {
        let again = run_tricky(&["--threads", threads]);
        assert_eq!(
            number(&again.summary(), "/neutralized_cells"),
            guarded as u64,
            "{threads} threads"
        );
    }
}

#[test]
fn each_csv_style_has_its_bom_delimiter_and_line_ends_and_the_same_cells() {
    let plain = run_tricky(&[]);
    for (style, bom, delimiter, crlf) in [
        ("plain", false, b',', false),
        ("excel", true, b',', true),
        ("excel-de", true, b';', true),
    ] {
        let ws = run_tricky(&["--csv-style", style]);
        assert_eq!(ws.summary()["csv_style"], style);
        assert_eq!(
            number(&ws.summary(), "/neutralized_cells"),
            number(&plain.summary(), "/neutralized_cells"),
            "{style}"
        );
        for report in REPORT_CSVS {
            let path = ws.out().join(report);
            let bytes = fs::read(&path).expect("report");
            assert_eq!(bytes.starts_with(b"\xEF\xBB\xBF"), bom, "{style} {report}");
            let text = std::str::from_utf8(&bytes).expect("UTF-8");
            let header = text
                .trim_start_matches('\u{FEFF}')
                .lines()
                .next()
                .unwrap_or("");
            assert!(
                header.starts_with(&format!("{}{}", "file", delimiter as char))
                    || header.starts_with(&format!("customer_id{}", delimiter as char)),
                "{style} {report}: {header:?}"
            );
            let line_ends = text.matches('\n').count();
            let crlf_ends = text.matches("\r\n").count();
            assert_eq!(
                crlf_ends,
                if crlf { line_ends } else { 0 },
                "{style} {report}"
            );
            // Read back as the style lays it out, every cell equals plain's.
            let mut rows = read_csv(&path, delimiter);
            if let Some(first) = rows.first_mut().and_then(|row| row.first_mut()) {
                *first = first.trim_start_matches('\u{FEFF}').to_owned();
            }
            assert_eq!(
                rows,
                read_csv(&plain.out().join(report), b','),
                "{style} {report}"
            );
        }
        if style == "excel-de" {
            let blocked = ws.report(BLOCKED);
            assert!(
                blocked.contains(
                    ";\"SubscriptionStatusNotActive;DelegatedAdminPermissionsDisabled\";"
                ),
                "`;`-joined codes are quoted under excel-de:\n{blocked}"
            );
            assert!(blocked.contains(";'=1+1;"), "{blocked}");
        }
    }
}

type Book = Xlsx<BufReader<fs::File>>;

/// Every cell of a sheet, as calamine reads it.
fn sheet(book: &mut Book, name: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(name).expect("sheet");
    assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
    range.rows().map(<[Data]>::to_vec).collect()
}

#[test]
fn the_workbook_holds_the_same_rows_as_text_and_numbers_and_no_formula() {
    let ws = run_tricky(&["--xlsx"]);
    let path = ws.out().join(WORKBOOK);
    let mut book: Book = open_workbook(&path).expect("a workbook calamine reads");
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Overview",
            "Eligible",
            "Blocked",
            "Reassignments",
            "Actions",
            "Rejects",
            "Changes"
        ]
    );
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).expect("formulas");
        assert!(
            formulas.cells().all(|(_, _, formula)| formula.is_empty()),
            "{name} has a formula"
        );
    }
    for (name, report) in [
        ("Overview", OVERVIEW),
        ("Eligible", ELIGIBLE),
        ("Blocked", BLOCKED),
        ("Reassignments", REASSIGNMENTS),
        ("Changes", CHANGES),
        ("Actions", ACTIONS),
        ("Rejects", REJECTS),
    ] {
        let csv = read_csv(&ws.out().join(report), b',');
        let cells = sheet(&mut book, name);
        assert_eq!(
            cells.len(),
            csv.len(),
            "{name}: the CSV's rows, header included"
        );
        for (row, csv_row) in cells.iter().zip(&csv) {
            assert_eq!(row.len(), csv_row.len(), "{name}: {csv_row:?}");
            for (cell, csv_cell) in row.iter().zip(csv_row) {
                // The raw value, which the CSV holds guarded.
                let shown = match cell {
                    Data::String(text) => neutralize(text).into_owned(),
                    Data::Float(n) => format!("{n}"),
                    Data::Empty => String::new(),
                    other => panic!("{name}: unexpected cell {other:?}"),
                };
                assert_eq!(&shown, csv_cell, "{name}");
            }
        }
    }
    let overview = sheet(&mut book, "Overview");
    let text = |value: &str| Data::String(value.to_owned());
    assert_eq!(overview[1][0], text("00042"));
    assert_eq!(overview[1][1], text("1E5"));
    assert_eq!(
        overview[1][12],
        text("=HYPERLINK(\"http://x.example\";\"x\")")
    );
    assert_eq!(overview[1][7], Data::Float(10.0), "a quantity is a number");
    assert_eq!(overview[2][1], text("12.03."));
    assert_eq!(overview[3][1], text("=1+1"));
    assert_eq!(overview[4][2], text("-s4"));
    let rejects = sheet(&mut book, "Rejects");
    assert_eq!(rejects[1][1], Data::Float(6.0), "a line number is a number");

    let summary = sheet(&mut book, "Summary");
    let labelled = |label: &str| {
        summary
            .iter()
            .find(|row| row.first() == Some(&text(label)))
            .and_then(|row| row.get(1).cloned())
    };
    let counted = number(
        &ws.summary(),
        "/blocked_by_reason/SubscriptionStatusNotActive",
    );
    assert!(counted >= 2, "{counted}");
    assert_eq!(
        labelled("SubscriptionStatusNotActive"),
        Some(Data::Float(counted as f64))
    );
    assert_eq!(labelled("total"), Some(Data::Float(4.0)), "subscriptions");

    let listed: BTreeMap<String, u64> = ws.summary()["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().expect("name").to_owned(),
                r["bytes"].as_u64().expect("size"),
            )
        })
        .collect();
    assert_eq!(
        listed.get(WORKBOOK).copied(),
        Some(fs::metadata(&path).expect("workbook").len())
    );
}

#[test]
fn a_run_without_xlsx_removes_an_earlier_workbook() {
    let ws = run_tricky(&["--xlsx"]);
    assert!(ws.out().join(WORKBOOK).is_file());
    ws.run(&["--max-errors", "1"]).assert_code(3);
    assert!(
        !ws.out().join(WORKBOOK).exists(),
        "the workbook of another set is gone"
    );
    let listed = ws.summary()["reports"].to_string();
    assert!(!listed.contains(WORKBOOK), "{listed}");
}
