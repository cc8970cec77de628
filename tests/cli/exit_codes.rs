//! Errors about whole files, the output folder, the command line and
//! `--max-errors`: exit code, the stderr lines, and reports written or left alone.

use std::fs;

use crate::errors::{STATUS_VALUES, valid_workspace, with_file, with_lines};
use crate::harness::*;

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

/// A report that cannot be put in place fails the run with 74 before the commit
/// point; the staging folder is removed and the earlier reports stay as they were
/// (the snapshot holds hidden files too: no leftovers).
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
            "error: invalid value '0' for '--threads <N>': expected a number from 1 to 256",
        ),
        (
            vec!["--threads", "18446744073709551615"],
            "error: invalid value '18446744073709551615' for '--threads <N>': expected a number from 1 to 256",
        ),
        (
            vec!["--threads", "257"],
            "error: invalid value '257' for '--threads <N>': expected a number from 1 to 256",
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
        "--customer <ID>",
        "--account-manager <NAME>",
        "--quiet",
        "--help",
    ] {
        assert!(help.contains(option), "help lacks {option}:\n{help}");
    }
    for code in ["0", "2", "3", "65", "66", "74", "75"] {
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
    assert_eq!(
        run.stderr, "upgrade-recon: warning: 2 input rows rejected; see rejects.csv\n",
        "--quiet: no summary line, but a warning about the rejected rows"
    );
    assert_eq!(run.run_line, None);
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
    let line = loud.run_line.as_deref().expect("the run's line");
    assert!(line.contains("; 2 rejected rows in rejects.csv;"), "{line}");
    assert!(line.ends_with("; exit 3"), "{line}");
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

/// Worker threads the system refuses (here: an address-space limit too small for
/// 256 thread stacks) are exit 71, and nothing is written.
#[cfg(unix)]
#[test]
fn worker_threads_that_cannot_start_exit_71() {
    let ws = valid_workspace();
    let binary = assert_cmd::cargo::cargo_bin("upgrade-recon");
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 300000; exec \"$0\" \"$@\"")
        .arg(&binary)
        .args([
            "run",
            "--as-of",
            AS_OF,
            "--quiet",
            "--threads",
            "256",
            "--input",
        ])
        .arg(ws.input())
        .arg("--out")
        .arg(ws.out());
    let run = outcome(&mut cmd);
    run.assert_code(71);
    run.assert_stderr_line_starting("cannot start 256 worker threads: ");
    assert!(!ws.out().exists(), "nothing written");
}

/// A stderr that cannot be written (`2>/dev/full`, a closed pipe) is no panic:
/// the documented exit code still comes out.
#[cfg(unix)]
#[test]
fn an_unwritable_stderr_keeps_the_exit_code() {
    use std::process::{Command, Stdio};
    let ws = valid_workspace();
    let full = || {
        Stdio::from(
            fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full"),
        )
    };
    let closed_pipe = || {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        Stdio::from(writer)
    };
    let input = ws.input();
    let out = ws.out();
    let cases: [(&[&str], i32, &str); 3] = [
        (&["--input", input.to_str().expect("utf-8")], 0, "success"),
        (&["--input", "/nonexistent/input"], 66, "missing input"),
        (&["--colour"], 2, "usage error"),
    ];
    for (stderr, what) in [
        (full as fn() -> Stdio, "/dev/full"),
        (closed_pipe, "closed pipe"),
    ] {
        for (args, code, case) in cases {
            let status = Command::new(assert_cmd::cargo::cargo_bin("upgrade-recon"))
                .args(["run", "--as-of", AS_OF, "--out"])
                .arg(&out)
                .args(args)
                .stdout(Stdio::null())
                .stderr(stderr())
                .status()
                .expect("run");
            assert_eq!(status.code(), Some(code), "{what}: {case}");
        }
    }
}

/// 1,000 bad rows (300 of them duplicate ids, found after parsing): only the
/// first rows are kept in memory, yet every count is exact, and within
/// `--max-errors` every row reaches `rejects.csv`.
#[test]
fn many_rejected_rows_are_counted_exactly() {
    let rows: Vec<String> = (0..1000)
        .map(|i| match i % 10 {
            0..=2 => "s-1,c-1,Office 365 Business,active,1,".to_owned(),
            _ => format!("x-{i},c-1,Office 365 Business,actve,1,"),
        })
        .collect();
    let extra: Vec<(&str, &str)> = rows.iter().map(|r| (SUBSCRIPTIONS, r.as_str())).collect();
    let ws = with_lines(&extra);
    let run = assert_fails_writing_nothing(&ws, &["--max-errors", "999"], 65);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 102, "stderr: {}", run.stderr);
    assert_eq!(
        lines[0],
        "subscriptions.csv:4: subscription_id: duplicate \"s-1\" (first on line 2)"
    );
    assert_eq!(lines[100], "... and 900 more problems");
    assert_eq!(
        lines[101],
        "1000 rows rejected, more than --max-errors 999; nothing written"
    );

    ws.run(&["--max-errors", "1000"]).assert_code(3);
    let rejects = csv_rows(&ws.report(REJECTS));
    assert_eq!(rejects.len(), 1000);
    let lines: Vec<u64> = rejects
        .iter()
        .map(|r| r[1].parse().expect("line"))
        .collect();
    assert_eq!(lines, (4..1004).collect::<Vec<u64>>());
    let summary = ws.summary();
    assert_eq!(number(&summary, "/rejected_rows"), 1000);
    assert_eq!(number(&summary, "/inputs/1/rejected"), 1000);
}
