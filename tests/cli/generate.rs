//! `generate`: the benchmark's input is deterministic and valid input.

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
}
