//! A NUL byte inside a value rejects its row, with a problem naming the column;
//! no report ever holds a NUL byte.

use crate::errors::with_lines;
use crate::harness::*;

#[test]
fn a_nul_byte_in_a_value_rejects_the_row_and_reaches_no_report() {
    let ws = with_lines(&[
        (
            SUBSCRIPTIONS,
            "s-3,c-1,Office 365\0 Business,active,3,this_partner",
        ),
        (
            LICENSES,
            "c-2,eve\0@beta.example,Office 365 Business Premium,",
        ),
    ]);
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr_lines(),
        [
            "subscriptions.csv:4: offer: value contains a NUL byte (\\0)",
            "license_assignments.csv:4: user_principal_name: value contains a NUL byte (\\0)",
            "2 rows rejected, more than --max-errors 0; nothing written",
        ]
    );

    ws.run(&["--max-errors", "2"]).assert_code(3);
    let rejects = csv_rows(&ws.report(REJECTS));
    let records: Vec<&str> = rejects.iter().map(|row| row[3].as_str()).collect();
    assert_eq!(
        records,
        [
            "s-3,c-1,Office 365\\0 Business,active,3,this_partner",
            "c-2,eve\\0@beta.example,Office 365 Business Premium,",
        ]
    );
    // decisions.bin is binary: its lengths may hold a zero byte.
    for file in REPORT_FILES.iter().filter(|file| !file.ends_with(".bin")) {
        let bytes = std::fs::read(ws.out().join(file)).expect("read report");
        assert!(!bytes.contains(&0), "{file} holds a NUL byte");
    }
}
