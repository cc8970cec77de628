//! The report set in `--out` (contract §1, §7): one run at a time (exit 75), and
//! whole after a kill at any phase once the next run has recovered, with no
//! leftovers. Kills and failures are injected with the test hook of
//! `upgrade_recon::output::set::hook`.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use upgrade_recon::output::set::OutLock;
use upgrade_recon::output::set::hook::{ABORT_AT, FAIL_AT, Phase};

use crate::errors::valid_workspace;
use crate::harness::*;

/// The as-of date of a later run, whose set differs from one of [`AS_OF`].
const OTHER_DAY: &str = "2026-11-25";

/// `std::process::abort` ends the process with SIGABRT (6 on Linux and macOS).
const SIGABRT: i32 = 6;

type Set = BTreeMap<String, Option<Vec<u8>>>;

/// `run --as-of <as_of> --quiet` of `ws` into `out`, with a test hook when given.
fn run(
    ws: &Workspace,
    out: &Path,
    as_of: &str,
    hook: Option<(&str, Phase)>,
) -> std::process::Output {
    let mut cmd = ws.bare_command(out);
    cmd.args(["--as-of", as_of, "--quiet"]);
    if let Some((variable, phase)) = hook {
        cmd.env(variable, phase.name());
    }
    cmd.output().expect("run upgrade-recon")
}

/// The set a clean run of `ws` on `as_of` writes.
fn reference(ws: &Workspace, as_of: &str) -> Set {
    let out = ws.path().join(format!("reference-{as_of}"));
    let output = run(ws, &out, as_of, None);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    snapshot(&out)
}

fn assert_aborted(output: &std::process::Output, what: &str) {
    assert_eq!(
        (output.status.code(), output.status.signal()),
        (None, Some(SIGABRT)),
        "{what}: the run was not aborted: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `out` holds exactly `expected` and the lock file: one whole set, no leftovers.
fn assert_whole_set(out: &Path, expected: &Set, what: &str) {
    let mut names: Vec<String> = expected.keys().cloned().collect();
    names.push(LOCK_FILE.to_owned());
    names.sort();
    let listed: Vec<String> = snapshot_with_lock(out).into_keys().collect();
    assert_eq!(listed, names, "{what}: the files in --out");
    assert!(
        comparable(snapshot(out)) == comparable(expected.clone()),
        "{what}: a report is not the expected set's"
    );
}

/// A set without what depends on the set it replaced: `changes.csv` and the
/// summary's account of it (the reference sets were written into empty folders).
fn comparable(mut set: Set) -> Set {
    set.remove(CHANGES);
    if let Some(Some(bytes)) = set.get_mut(SUMMARY) {
        let mut summary: serde_json::Value = serde_json::from_slice(bytes).expect("summary");
        if let Some(fields) = summary.as_object_mut() {
            fields.remove("changes_baseline");
            fields.remove("changes");
            fields.remove("reports");
        }
        *bytes = summary.to_string().into_bytes();
    }
    set
}

/// A run that recovers `out` and then fails (exit 66: its input folder is empty),
/// so that `out` shows what recovery left.
fn recover_only(out: &Path, hook: Option<(&str, Phase)>) -> std::process::Output {
    let empty = Workspace::empty();
    run(&empty, out, AS_OF, hook)
}

#[test]
fn a_kill_at_any_phase_leaves_the_old_or_the_new_set_once_the_next_run_has_recovered() {
    let ws = valid_workspace();
    let new = reference(&ws, AS_OF);
    let later = reference(&ws, OTHER_DAY);
    for phase in Phase::ALL {
        let what = phase.name();
        let out = ws.path().join(format!("out-{what}"));
        let old = plant_report_set(&out);
        assert_aborted(&run(&ws, &out, AS_OF, Some((ABORT_AT, phase))), what);
        assert!(out.join(LOCK_FILE).exists(), "{what}: the lock file");

        // The lock of the killed run does not block; its replacement is completed
        // (committed) or undone (not yet), even by a run that then fails.
        let failed = recover_only(&out, None);
        assert_eq!(failed.status.code(), Some(66), "{what}: {failed:?}");
        let expected = if phase.is_committed() { &new } else { &old };
        assert_whole_set(&out, expected, what);

        let next = run(&ws, &out, OTHER_DAY, None);
        assert_eq!(next.status.code(), Some(0), "{what}: {next:?}");
        assert_whole_set(&out, &later, what);
    }
}

#[test]
fn a_kill_while_a_run_recovers_is_recovered_by_the_run_after() {
    let ws = valid_workspace();
    let new = reference(&ws, AS_OF);
    let out = ws.path().join("out");
    plant_report_set(&out);
    assert_aborted(
        &run(&ws, &out, AS_OF, Some((ABORT_AT, Phase::JournalWritten))),
        "the run",
    );
    // Killed after the first rename of its recovery: half old, half new.
    assert_aborted(
        &recover_only(&out, Some((ABORT_AT, Phase::AfterFirstRename))),
        "the recovery",
    );
    let half = snapshot_with_lock(&out);
    assert!(
        half.contains_key(".upgrade-recon.journal"),
        "{:?}",
        half.keys()
    );
    assert_eq!(
        half.get(ELIGIBLE),
        new.get(ELIGIBLE),
        "the first report is renamed"
    );
    assert_ne!(
        half.get(SUMMARY),
        new.get(SUMMARY),
        "the summary is not yet"
    );

    assert_eq!(recover_only(&out, None).status.code(), Some(66));
    assert_whole_set(&out, &new, "after the second recovery");
}

#[test]
fn a_run_failing_before_the_commit_leaves_the_old_set_and_no_folder_it_created() {
    let ws = valid_workspace();
    for phase in [Phase::StagingCreated, Phase::Staged] {
        let what = phase.name();
        let out = ws.path().join(format!("out-{what}"));
        let old = plant_report_set(&out);
        let failed = run(&ws, &out, AS_OF, Some((FAIL_AT, phase)));
        assert_eq!(failed.status.code(), Some(74), "{what}: {failed:?}");
        assert_eq!(
            split_run_line(String::from_utf8_lossy(&failed.stderr).into_owned()).0,
            format!(
                "cannot write reports: {}: failure injected at {what} ({FAIL_AT})\n",
                out.display()
            )
        );
        assert_whole_set(&out, &old, what);

        let fresh = ws.path().join(format!("new-{what}"));
        let failed = run(
            &ws,
            &fresh.join("deeper").join("out"),
            AS_OF,
            Some((FAIL_AT, phase)),
        );
        assert_eq!(failed.status.code(), Some(74), "{what}: {failed:?}");
        assert!(
            !fresh.exists(),
            "{what}: a failed run left the folders it created"
        );
    }
}

#[test]
fn a_run_failing_for_its_input_removes_the_folders_it_created() {
    let empty = Workspace::empty();
    let fresh = empty.path().join("new");
    let failed = run(&empty, &fresh.join("deeper").join("out"), AS_OF, None);
    assert_eq!(failed.status.code(), Some(66), "{failed:?}");
    assert!(!fresh.exists(), "a failed run left the folders it created");
}

#[test]
fn a_run_failing_after_the_commit_is_completed_by_the_next_run() {
    let ws = valid_workspace();
    let new = reference(&ws, AS_OF);
    let out = ws.path().join("out");
    plant_report_set(&out);
    let failed = run(&ws, &out, AS_OF, Some((FAIL_AT, Phase::AfterFirstRename)));
    assert_eq!(failed.status.code(), Some(74), "{failed:?}");
    assert_eq!(
        split_run_line(String::from_utf8_lossy(&failed.stderr).into_owned()).0,
        format!(
            "cannot write reports: {}: failure injected at after-first-rename ({FAIL_AT}) \
             (the new report set is committed and incomplete; the next run on this folder completes it)\n",
            out.join(ELIGIBLE).display()
        )
    );
    assert_eq!(recover_only(&out, None).status.code(), Some(66));
    assert_whole_set(&out, &new, "after recovery");
}

#[test]
fn a_second_run_exits_75_naming_the_holder_and_changes_nothing() {
    let ws = valid_workspace();
    let out = ws.path().join("reports");
    plant_report_set(&out);
    // A killed run's staging folder: even recovery waits for the lock.
    fs::create_dir(out.join(".upgrade-recon-staging")).expect("mkdir");
    let lock = OutLock::acquire(&out).expect("lock");
    let holder = read_text(&out.join(LOCK_FILE));
    let started = holder
        .lines()
        .find_map(|line| line.strip_prefix("started "))
        .expect("the holder's start time");
    let before = snapshot_with_lock(&out);
    let second = ws.run_with_out(&out, &[]);
    second.assert_code(75);
    assert_eq!(
        second.stderr,
        format!(
            "{}: locked by another upgrade-recon run (pid {}, started {started}); nothing written\n",
            out.display(),
            std::process::id()
        )
    );
    assert!(
        snapshot_with_lock(&out) == before,
        "the second run changed --out"
    );

    drop(lock);
    ws.run_with_out(&out, &[]).assert_code(0);
    assert_whole_set(&out, &reference(&ws, AS_OF), "after the holder finished");
}

#[test]
fn a_lock_file_naming_nobody_is_reported_as_pid_unknown() {
    let ws = valid_workspace();
    let out = ws.path().join("reports");
    fs::create_dir(&out).expect("mkdir");
    let lock_file = File::create(out.join(LOCK_FILE)).expect("lock file");
    lock_file.try_lock().expect("lock");
    let second = ws.run_with_out(&out, &[]);
    second.assert_code(75);
    second.assert_stderr_line(&format!(
        "{}: locked by another upgrade-recon run (pid unknown); nothing written",
        out.display()
    ));
    assert_eq!(
        snapshot_with_lock(&out).into_keys().collect::<Vec<_>>(),
        [LOCK_FILE]
    );
    assert_eq!(read_text(&out.join(LOCK_FILE)), "");
}

#[test]
fn leftovers_of_the_v1_scheme_are_removed_and_other_files_kept() {
    let ws = valid_workspace();
    let out = ws.path().join("reports");
    plant_report_set(&out);
    fs::write(
        out.join(".eligible_upgrades.csv.Ab12Cd.tmp"),
        "half a report",
    )
    .expect("write");
    fs::write(out.join(".summary.json.previous-4242"), "{}").expect("write");
    fs::write(out.join("notes.txt"), "the operator's").expect("write");
    let run = ws.run_with_out(&out, &[]);
    run.assert_code(0);
    let mut expected = reference(&ws, AS_OF);
    expected.insert("notes.txt".to_owned(), Some(b"the operator's".to_vec()));
    assert_whole_set(&out, &expected, "after the run");

    // Without --quiet the run says what it removed.
    fs::write(out.join(".rejects.csv.Zz99Zz.tmp"), "").expect("write");
    let loud = outcome(ws.bare_command(&out).args(["--as-of", AS_OF]));
    loud.assert_code(0);
    loud.assert_stderr_line(&format!(
        "upgrade-recon: {}: removed 1 leftover file of an interrupted run",
        out.display()
    ));
}
