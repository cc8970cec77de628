//! Tests of the lock, the commit and the recovery, on folders in a temp dir. Kills
//! at each phase are tested on the binary (`tests/cli/report_set.rs`).

use std::collections::BTreeMap;
use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};

use super::journal::{JOURNAL_FILE, JOURNAL_TEMP, Journal};
use super::recover::is_v1_leftover;
use super::*;

fn temp_out() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    (dir, out)
}

fn write(path: &Path, text: &str) {
    fs::write(path, text).expect("write");
}

fn plant(dir: &Path, files: &[(&str, &str)]) {
    fs::create_dir_all(dir).expect("create folder");
    for (name, text) in files {
        write(&dir.join(name), text);
    }
}

/// Every entry of `dir` (hidden ones too), folders marked with a trailing `/`.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read folder")
        .map(|entry| {
            let entry = entry.expect("entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().expect("type").is_dir() {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    names.sort();
    names
}

/// The text of every file in `dir` but the lock file.
fn contents(dir: &Path) -> BTreeMap<String, String> {
    listing(dir)
        .into_iter()
        .filter(|name| name != LOCK_FILE && !name.ends_with('/'))
        .map(|name| {
            let text = fs::read_to_string(dir.join(&name)).expect("read");
            (name, text)
        })
        .collect()
}

fn named(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
        .collect()
}

const OLD_SET: [(&str, &str); 3] = [
    ("a.csv", "old a"),
    ("b.csv", "old b"),
    ("summary.json", "old"),
];
const NEW_SET: [(&str, &str); 3] = [
    ("a.csv", "new a"),
    ("b.csv", "new b"),
    ("summary.json", "new"),
];
const NEW_NAMES: [&str; 3] = ["a.csv", "b.csv", "summary.json"];

fn stage_new_set(staging: &Staging<'_>) {
    for (name, text) in NEW_SET {
        write(&staging.path(name), text);
    }
}

#[test]
fn a_second_lock_on_the_same_folder_is_refused_naming_the_holder() {
    let (_dir, out) = temp_out();
    let lock = OutLock::acquire(&out).expect("first lock");
    let lock_file = fs::read(out.join(LOCK_FILE)).expect("lock file");
    let Err(LockError::Held(held)) = OutLock::acquire(&out) else {
        panic!("a second lock was granted");
    };
    assert_eq!(held.out, out);
    assert_eq!(held.pid, Some(std::process::id()));
    let started = held.started.expect("start time read back");
    let age = chrono::Local::now().fixed_offset() - started;
    assert!(age.num_seconds().abs() < 600, "started {started}");
    assert_eq!(
        held.to_string(),
        format!(
            "{}: locked by another upgrade-recon run (pid {}, started {}); nothing written",
            out.display(),
            std::process::id(),
            started.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        )
    );
    assert_eq!(
        fs::read(out.join(LOCK_FILE)).expect("lock file"),
        lock_file,
        "the contender wrote"
    );
    drop(lock);
    OutLock::acquire(&out).expect("free again once the holder is gone");
}

/// flock belongs to the open file description: another open of the same file, even
/// in the same process, conflicts — which is what the integration tests rely on.
#[test]
fn the_lock_conflicts_with_any_other_open_of_the_lock_file() {
    let (_dir, out) = temp_out();
    let lock = OutLock::acquire(&out).expect("lock");
    let other = File::open(out.join(LOCK_FILE)).expect("open");
    assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
    drop(lock);
    other.try_lock().expect("free once the holder is dropped");
}

#[test]
fn a_lock_file_naming_no_holder_is_reported_as_pid_unknown() {
    let (_dir, out) = temp_out();
    plant(&out, &[(LOCK_FILE, "")]);
    let holder = File::open(out.join(LOCK_FILE)).expect("open");
    holder.try_lock().expect("lock");
    let Err(LockError::Held(held)) = OutLock::acquire(&out) else {
        panic!("a second lock was granted");
    };
    assert_eq!((held.pid, held.started), (None, None));
    assert_eq!(
        held.to_string(),
        format!(
            "{}: locked by another upgrade-recon run (pid unknown); nothing written",
            out.display()
        )
    );
}

#[test]
fn holder_lines_are_read_as_far_as_they_make_sense() {
    let started = "2026-11-24T02:30:00+01:00";
    for (text, pid, time) in [
        (
            "pid 42\nstarted 2026-11-24T02:30:00+01:00\n",
            Some(42),
            Some(started),
        ),
        (
            "started 2026-11-24T02:30:00+01:00\npid 42",
            Some(42),
            Some(started),
        ),
        ("pid 42\n", Some(42), None),
        ("pid 42\nstarted yesterday\n", Some(42), None),
        (
            "pid -1\nstarted 2026-11-24T02:30:00+01:00\n",
            None,
            Some(started),
        ),
        ("", None, None),
        ("4242\n", None, None),
        ("pid\u{0}42\n", None, None),
    ] {
        let (got_pid, got_started) = lock::parse_holder(text);
        assert_eq!(got_pid, pid, "{text:?}");
        assert_eq!(
            got_started.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)),
            time.map(str::to_owned),
            "{text:?}"
        );
    }
    let held = HeldBy {
        out: PathBuf::from("reports"),
        pid: Some(42),
        started: None,
    };
    assert_eq!(
        held.to_string(),
        "reports: locked by another upgrade-recon run (pid 42); nothing written"
    );
}

#[test]
fn missing_folders_are_created_for_the_lock_and_removed_when_the_run_leaves_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("new").join("deeper").join("out");
    let lock = OutLock::acquire(&out).expect("lock");
    assert_eq!(listing(&out), [LOCK_FILE]);
    drop(lock);
    assert_eq!(
        listing(dir.path()),
        Vec::<String>::new(),
        "created folders left"
    );

    // A run that wrote reports leaves its folders and the lock file.
    let lock = OutLock::acquire(&out).expect("lock");
    write(&out.join("a.csv"), "report");
    drop(lock);
    assert_eq!(listing(&out), [LOCK_FILE, "a.csv"]);
}

#[test]
fn the_lock_file_stays_in_a_folder_that_existed() {
    let (_dir, out) = temp_out();
    fs::create_dir(&out).expect("mkdir");
    drop(OutLock::acquire(&out).expect("lock"));
    assert_eq!(listing(&out), [LOCK_FILE]);
}

#[test]
fn a_regular_file_where_the_folder_goes_is_an_io_error() {
    let (dir, out) = temp_out();
    write(&out, "not a folder");
    let Err(LockError::Io { path, source }) = OutLock::acquire(&out) else {
        panic!("locked a file");
    };
    assert_eq!(path, out);
    assert_eq!(source.kind(), std::io::ErrorKind::NotADirectory);
    let below = out.join("reports");
    assert!(matches!(
        OutLock::acquire(&below),
        Err(LockError::Io { .. })
    ));
    assert_eq!(listing(dir.path()), ["out"]);
}

#[test]
fn commit_replaces_the_set_and_removes_old_reports_the_new_set_lacks() {
    let (_dir, out) = temp_out();
    plant(&out, &OLD_SET);
    plant(
        &out,
        &[
            ("extra.xlsx", "old workbook"),
            ("notes.txt", "the operator's"),
        ],
    );
    let lock = OutLock::acquire(&out).expect("lock");
    let staging = Staging::create(&lock).expect("staging");
    stage_new_set(&staging);
    write(&staging.path("new.csv"), "new report");
    let reports = ["a.csv", "b.csv", "new.csv", "summary.json"];
    staging
        .commit(&reports, &["extra.xlsx", "absent.xlsx", "a.csv"])
        .expect("commit");
    let mut expected = named(&NEW_SET);
    expected.extend(named(&[
        ("new.csv", "new report"),
        ("notes.txt", "the operator's"),
    ]));
    assert_eq!(contents(&out), expected);
    assert_eq!(
        listing(&out),
        [
            LOCK_FILE,
            "a.csv",
            "b.csv",
            "new.csv",
            "notes.txt",
            "summary.json"
        ]
    );
}

#[test]
fn dropping_an_uncommitted_staging_leaves_the_old_set() {
    let (_dir, out) = temp_out();
    plant(&out, &OLD_SET);
    let lock = OutLock::acquire(&out).expect("lock");
    let staging = Staging::create(&lock).expect("staging");
    stage_new_set(&staging);
    drop(staging);
    assert_eq!(contents(&out), named(&OLD_SET));
    assert_eq!(listing(&out), [LOCK_FILE, "a.csv", "b.csv", "summary.json"]);
}

#[test]
fn a_failing_commit_leaves_the_old_set() {
    enum Fault {
        FolderWhereAReportGoes,
        FolderWhereAnOldReportIsRemoved,
        ReportNotStaged,
        BadName,
    }
    for fault in [
        Fault::FolderWhereAReportGoes,
        Fault::FolderWhereAnOldReportIsRemoved,
        Fault::ReportNotStaged,
        Fault::BadName,
    ] {
        let (_dir, out) = temp_out();
        plant(&out, &OLD_SET);
        let lock = OutLock::acquire(&out).expect("lock");
        let staging = Staging::create(&lock).expect("staging");
        stage_new_set(&staging);
        let mut reports = NEW_NAMES.to_vec();
        let mut remove = vec!["old.xlsx"];
        let failing = match fault {
            Fault::FolderWhereAReportGoes => {
                fs::remove_file(out.join("b.csv")).expect("remove");
                plant(&out.join("b.csv"), &[("keep", "x")]);
                out.join("b.csv")
            }
            Fault::FolderWhereAnOldReportIsRemoved => {
                plant(&out.join("old.xlsx"), &[("keep", "x")]);
                out.join("old.xlsx")
            }
            Fault::ReportNotStaged => {
                reports.push("missing.csv");
                out.join("missing.csv")
            }
            Fault::BadName => {
                remove.push("../escape.csv");
                out.clone()
            }
        };
        let before = listing(&out);
        let error = staging.commit(&reports, &remove).expect_err("commit fails");
        assert_eq!(error.path, failing, "{error}");
        assert!(!error.committed, "{error}");
        let mut after = listing(&out);
        after.retain(|name| name != &format!("{STAGING_DIR}/"));
        let mut before = before;
        before.retain(|name| name != &format!("{STAGING_DIR}/"));
        assert_eq!(after, before, "{error}");
        assert!(!out.join(STAGING_DIR).exists(), "{error}");
        let mut old = named(&OLD_SET);
        if matches!(fault, Fault::FolderWhereAReportGoes) {
            old.remove("b.csv");
        }
        assert_eq!(contents(&out), old, "{error}");
    }
}

/// The state after a kill between two renames: a.csv is in place, b.csv and
/// summary.json are still staged.
fn interrupted_replacement(out: &Path) {
    plant(out, &OLD_SET);
    plant(out, &[("a.csv", "new a"), ("extra.xlsx", "old workbook")]);
    let staging = out.join(STAGING_DIR);
    plant(&staging, &[("b.csv", "new b"), ("summary.json", "new")]);
    let journal = Journal::new(&NEW_NAMES, &["extra.xlsx"]).expect("journal");
    write(&out.join(JOURNAL_FILE), &journal.to_text());
}

#[test]
fn recovery_completes_a_committed_set_whatever_was_already_moved() {
    let (_dir, out) = temp_out();
    interrupted_replacement(&out);
    let lock = OutLock::acquire(&out).expect("lock");
    let recovered = recover(&lock).expect("recover");
    assert_eq!(
        recovered,
        Recovered {
            completed: Some(3),
            ..Recovered::default()
        }
    );
    assert_eq!(
        recovered.to_string(),
        "completed the report set of an interrupted run (3 reports)"
    );
    assert_eq!(contents(&out), named(&NEW_SET));
    assert_eq!(listing(&out), [LOCK_FILE, "a.csv", "b.csv", "summary.json"]);
    let again = recover(&lock).expect("recover again");
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn recovery_discards_an_uncommitted_staging_folder_and_the_journal_being_written() {
    let (_dir, out) = temp_out();
    plant(&out, &OLD_SET);
    plant(&out.join(STAGING_DIR), &[("a.csv", "new a, half wri")]);
    write(&out.join(JOURNAL_TEMP), "upgrade-recon journal 1\nmove a.c");
    let lock = OutLock::acquire(&out).expect("lock");
    let recovered = recover(&lock).expect("recover");
    assert_eq!(
        recovered,
        Recovered {
            completed: None,
            discarded: true,
            leftovers: vec![JOURNAL_TEMP.to_owned()],
        }
    );
    assert_eq!(contents(&out), named(&OLD_SET));
    assert_eq!(listing(&out), [LOCK_FILE, "a.csv", "b.csv", "summary.json"]);

    // Staging::create recovers too, when the caller has not.
    plant(&out.join(STAGING_DIR), &[("a.csv", "half")]);
    let staging = Staging::create(&lock).expect("staging over a leftover");
    assert_eq!(listing(&staging.dir), Vec::<String>::new());
}

#[test]
fn recovery_removes_the_leftovers_of_the_v1_scheme_and_nothing_else() {
    for (name, leftover) in [
        (".eligible_upgrades.csv.Ab12Cd.tmp", true),
        (".summary.json.x9YZ0q.tmp", true),
        (".upgrade-recon.xlsx.abcdef.tmp", true),
        (".blocked_upgrades.csv.previous-4242", true),
        (".summary.json.previous-1", true),
        ("eligible_upgrades.csv.Ab12Cd.tmp", false),
        (".eligible_upgrades.csv.Ab12C.tmp", false),
        (".eligible_upgrades.csv.Ab-2Cd.tmp", false),
        (".notes.txt.Ab12Cd.tmp", false),
        (".summary.json.previous-", false),
        (".summary.json.previous-12a", false),
        (".keep", false),
        (".upgrade-recon.lock", false),
        (".upgrade-recon-staging", false),
    ] {
        assert_eq!(is_v1_leftover(name), leftover, "{name}");
    }

    let (_dir, out) = temp_out();
    plant(&out, &OLD_SET);
    let kept = [".keep", "notes.txt", ".notes.txt.Ab12Cd.tmp"];
    for name in kept {
        write(&out.join(name), "the operator's");
    }
    write(&out.join(".a.csv.Ab12Cd.tmp"), "half a report");
    write(&out.join(".b.csv.previous-4242"), "old b");
    plant(&out.join(".summary.json.previous-7"), &[("x", "a folder")]);
    let lock = OutLock::acquire(&out).expect("lock");
    let mut recovered = recover(&lock).expect("recover");
    recovered.leftovers.sort();
    assert_eq!(
        recovered.leftovers,
        [".a.csv.Ab12Cd.tmp", ".b.csv.previous-4242"]
    );
    assert_eq!(
        recovered.to_string(),
        "removed 2 leftover files of interrupted runs"
    );
    assert_eq!(
        listing(&out),
        [
            ".keep",
            ".notes.txt.Ab12Cd.tmp",
            ".summary.json.previous-7/",
            LOCK_FILE,
            "a.csv",
            "b.csv",
            "notes.txt",
            "summary.json"
        ]
    );
}

#[test]
fn a_damaged_journal_stops_recovery_and_changes_nothing() {
    let (_dir, out) = temp_out();
    interrupted_replacement(&out);
    write(
        &out.join(JOURNAL_FILE),
        "upgrade-recon journal 1\nmove a.csv\n",
    );
    let lock = OutLock::acquire(&out).expect("lock");
    let before = (listing(&out), contents(&out));
    let error = recover(&lock).expect_err("damaged journal");
    assert_eq!(error.path, out.join(JOURNAL_FILE));
    assert_eq!(error.source.kind(), std::io::ErrorKind::InvalidData);
    assert!(
        error
            .to_string()
            .contains("no \"end\" line: the journal is cut short"),
        "{error}"
    );
    assert_eq!((listing(&out), contents(&out)), before);
    assert!(
        Staging::create(&lock).is_err(),
        "staged over a pending journal"
    );
}

#[test]
fn journal_text_round_trips_and_damage_is_named_by_line() {
    let journal = Journal::new(&["a.csv", "b.csv", "a.csv"], &["x.xlsx", "b.csv", "x.xlsx"])
        .expect("journal");
    assert_eq!(journal.moves, ["a.csv", "b.csv"]);
    assert_eq!(journal.removes, ["x.xlsx"]);
    let text = journal.to_text();
    assert_eq!(
        text,
        "upgrade-recon journal 1\nmove a.csv\nmove b.csv\nremove x.xlsx\nend\n"
    );
    assert_eq!(Journal::parse(&text), Ok(journal));

    for (text, error) in [
        ("", "line 1: expected \"upgrade-recon journal 1\""),
        (
            "upgrade-recon journal 2\nend\n",
            "line 1: expected \"upgrade-recon journal 1\"",
        ),
        (
            "upgrade-recon journal 1\n",
            "no \"end\" line: the journal is cut short",
        ),
        (
            "upgrade-recon journal 1\nmove a.csv\nen",
            "line 3: expected move, remove or end",
        ),
        (
            "upgrade-recon journal 1\nend\nmove a.csv\n",
            "line 3: text after \"end\"",
        ),
        (
            "upgrade-recon journal 1\ncopy a.csv\nend\n",
            "line 2: expected move, remove or end",
        ),
        (
            "upgrade-recon journal 1\nremove ../../etc/passwd\nend\n",
            "line 2: \"../../etc/passwd\" is not a report file name",
        ),
        (
            "upgrade-recon journal 1\nmove .upgrade-recon.lock\nend\n",
            "line 2: \".upgrade-recon.lock\" is not a report file name",
        ),
        (
            "upgrade-recon journal 1\nmove \nend\n",
            "line 2: \"\" is not a report file name",
        ),
    ] {
        assert_eq!(Journal::parse(text), Err(error.to_owned()), "{text:?}");
    }
    for name in [
        "",
        ".hidden",
        "a/b.csv",
        "a\\b.csv",
        "a\u{7}.csv",
        "..",
        &"x".repeat(256),
    ] {
        assert!(Journal::new(&[name], &[]).is_err(), "{name:?}");
        assert!(Journal::new(&[], &[name]).is_err(), "{name:?}");
    }
    let long = format!("{}/", "x".repeat(100));
    assert_eq!(
        Journal::new(&[&long], &[]),
        Err(format!("\"{}\"… is not a report file name", "x".repeat(60)))
    );
}
