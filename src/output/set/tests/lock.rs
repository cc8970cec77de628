//! The lock: refused to a second holder, naming the first; folders created for it.

use std::fs::{self, File, TryLockError};
use std::path::PathBuf;

use super::*;

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
        let (got_pid, got_started) = crate::output::set::lock::parse_holder(text);
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
fn the_lock_file_stays_in_a_folder_that_existed_emptied_of_its_holder() {
    let (_dir, out) = temp_out();
    fs::create_dir(&out).expect("mkdir");
    let lock = OutLock::acquire(&out).expect("lock");
    let holder = fs::read_to_string(out.join(LOCK_FILE)).expect("lock file");
    assert!(
        holder.starts_with(&format!("pid {}\nstarted ", std::process::id())),
        "{holder:?}"
    );
    drop(lock);
    assert_eq!(listing(&out), [LOCK_FILE]);
    assert_eq!(
        fs::read_to_string(out.join(LOCK_FILE)).expect("lock file"),
        ""
    );
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
