//! `--min-customers` and `--max-drop`: an export that lost its customers fails
//! with exit 65 and leaves the previous report set as it was.

use crate::harness::*;

/// The sample with only its first `keep` customers (their subscriptions and
/// licenses then reject, which --max-errors allows here).
fn sample_with_customers(keep: usize) -> Workspace {
    let ws = Workspace::sample();
    let customers = read_text(&ws.input().join(CUSTOMERS));
    let kept: String = customers
        .lines()
        .take(keep + 1)
        .map(|line| format!("{line}\n"))
        .collect();
    ws.write_input(CUSTOMERS, &kept);
    ws
}

const MANY_ERRORS: [&str; 2] = ["--max-errors", "100000"];

#[test]
fn fewer_customers_than_min_customers_is_exit_65_and_keeps_the_set() {
    let ws = Workspace::sample();
    ws.run(&[]).assert_code(0);
    let before = read_text(&ws.out().join(SUMMARY));
    let run = ws.run(&["--min-customers", "51"]);
    run.assert_code(65);
    assert!(
        run.stderr
            .contains("the input holds 50 customers, fewer than --min-customers 51"),
        "{}",
        run.stderr
    );
    assert_eq!(read_text(&ws.out().join(SUMMARY)), before);
    ws.run(&["--min-customers", "50"]).assert_code(0);
}

#[test]
fn a_drop_beyond_max_drop_is_exit_65_against_the_set_in_out() {
    let ws = Workspace::sample();
    ws.run(&[]).assert_code(0);
    let before = read_text(&ws.out().join(SUMMARY));
    let shrunk = sample_with_customers(25);
    let out = ws.out();
    let mut args = vec!["--max-drop", "10"];
    args.extend(MANY_ERRORS);
    let run = shrunk.run_with_out(&out, &args);
    run.assert_code(65);
    assert!(
        run.stderr
            .contains("50.0% fewer than the 50 of the previous report set"),
        "{}",
        run.stderr
    );
    assert_eq!(read_text(&out.join(SUMMARY)), before, "the set is kept");
    let mut args = vec!["--max-drop", "60"];
    args.extend(MANY_ERRORS);
    shrunk.run_with_out(&out, &args).assert_code(3);
}

#[test]
fn max_drop_measures_against_previous_when_given() {
    let ws = Workspace::sample();
    ws.run(&[]).assert_code(0);
    let previous = ws.out();
    let shrunk = sample_with_customers(25);
    let previous_arg = previous.to_string_lossy().into_owned();
    let mut args = vec!["--max-drop", "10", "--previous", &previous_arg];
    args.extend(MANY_ERRORS);
    // A fresh folder for tonight: the drop is measured against --previous.
    let run = shrunk.run_with_out(&shrunk.path().join("tonight"), &args);
    run.assert_code(65);
    assert!(!shrunk.path().join("tonight").join(SUMMARY).exists());
}
