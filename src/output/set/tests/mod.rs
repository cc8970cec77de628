//! Tests of the lock, the commit and the recovery, on folders in a temp dir; here
//! the commit. Kills at each phase are tested on the binary (`tests/cli/report_set.rs`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

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

mod lock;
mod recovery;

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
