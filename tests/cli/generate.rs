//! `generate`: the benchmark's input is deterministic and valid input, and a
//! run over many batches of it keeps the reports' orders.

use std::fs;

use crate::harness::*;

#[test]
fn generated_input_is_deterministic_and_runs_without_a_rejected_row() {
    let ws = Workspace::empty();
    let generate = |out: std::path::PathBuf| {
        outcome(
            assert_cmd::Command::cargo_bin("upgrade-recon")
                .expect("binary")
                .args(["generate", "--customers", "3000", "--seed", "42", "--out"])
                .arg(&out),
        )
        .assert_code(0);
        out
    };
    let (first, second) = (generate(ws.input()), generate(ws.path().join("again")));
    for file in INPUT_FILES {
        let (a, b) = (fs::read(first.join(file)), fs::read(second.join(file)));
        assert_eq!(a.expect("first"), b.expect("second"), "{file}");
    }
    ws.run(&[]).assert_code(0);
    let summary = ws.summary();
    assert_eq!(number(&summary, "/rejected_rows"), 0);
    assert!(number(&summary, "/upgrade_pairs/blocked") > 0);
    assert!(number(&summary, "/reassignments/total") > 0);

    // 3,000 customers are six batches: actions.csv is in the contract's order
    // across them (unblocks_pairs and involved_pairs descending, then customer,
    // action, subject; the generated ids are lower case, so bytes order them).
    let actions = csv_rows(&ws.report(ACTIONS));
    assert!(actions.len() > 1000, "{} action rows", actions.len());
    let key = |row: &Vec<String>| {
        let count = |i: usize| u64::MAX - row[i].parse::<u64>().expect("a count");
        (
            count(4),
            count(5),
            row[0].clone(),
            row[2].clone(),
            row[3].clone(),
        )
    };
    for pair in actions.windows(2) {
        assert!(
            key(&pair[0]) <= key(&pair[1]),
            "{:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
}
