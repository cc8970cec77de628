//! Input files that are not regular files — FIFOs (with or without a writer),
//! devices, folders, broken symlinks, unreadable files, also among the Active-users
//! exports in `users/` — are refused with exit 66 and an error naming the file,
//! never waited on and never skipped.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::time::Duration;

use crate::errors::valid_workspace;
use crate::harness::*;

/// Long enough for any run of these small inputs; a run that waits on a FIFO is
/// killed after it, and the test fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// Runs `ws` (with a time limit) twice, as `assert_fails_writing_nothing` does,
/// and checks that it fails with exit 66 and exactly the `expected` stderr line.
fn assert_refused(ws: &Workspace, expected: &str) {
    let run = assert_command_fails_writing_nothing(
        ws,
        |out| {
            let mut cmd = ws.command_with_out(out);
            cmd.timeout(PATIENCE);
            cmd
        },
        66,
    );
    assert_eq!(run.stderr_lines(), [expected], "stderr: {}", run.stderr);
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn an_input_fifo_without_a_writer_is_refused_at_once() {
    let ws = valid_workspace();
    let path = ws.input().join(SUBSCRIPTIONS);
    fs::remove_file(&path).expect("remove");
    mkfifo(&path);
    assert_refused(
        &ws,
        "subscriptions.csv: cannot read: not a regular file (a FIFO)",
    );
}

/// A FIFO that a writer holds open (this test, reading and writing it) would make
/// a plain read wait for the end of a stream that never ends.
#[test]
fn an_input_fifo_with_a_writer_is_refused_at_once() {
    use std::io::Write;
    let ws = valid_workspace();
    let path = ws.input().join(CUSTOMERS);
    fs::remove_file(&path).expect("remove");
    mkfifo(&path);
    // Opening a FIFO for reading and writing does not wait for another end.
    let mut writer = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .expect("open the FIFO");
    writer
        .write_all(b"customer_id,company_name\nc-1,Alpha GmbH\n")
        .expect("write into the FIFO");
    assert_refused(
        &ws,
        "customers.csv: cannot read: not a regular file (a FIFO)",
    );
    drop(writer);
}

#[test]
fn an_input_symlink_to_a_device_is_refused() {
    let ws = valid_workspace();
    let path = ws.input().join(LICENSES);
    fs::remove_file(&path).expect("remove");
    symlink("/dev/zero", &path).expect("symlink");
    assert_refused(
        &ws,
        "license_assignments.csv: cannot read: not a regular file (a character device)",
    );
}

/// The valid data set with its licenses given as Active-users exports in `users/`:
/// `c-1.csv` and `c-2.csv`.
fn users_workspace() -> Workspace {
    let ws = valid_workspace();
    fs::remove_file(ws.input().join(LICENSES)).expect("remove");
    let users = ws.input().join("users");
    fs::create_dir(&users).expect("create users/");
    for (name, upn) in [
        ("c-1.csv", "ann@alpha.example"),
        ("c-2.csv", "bob@beta.example"),
    ] {
        let text = format!("User principal name,Licenses\n{upn},Office 365 E3\n");
        fs::write(users.join(name), text).expect("write export");
    }
    ws
}

/// Each way an export in `users/` can be unreadable, made in place of `c-2.csv`:
/// the run stops with exit 66 naming it, where it used to skip the file and drop
/// the customer's users from every report.
#[test]
fn an_unreadable_active_users_export_is_an_error_naming_it() {
    type Make = fn(&Path);
    let cases: [(&str, Make, &str); 6] = [
        (
            "dangling symlink",
            |p| symlink("gone.csv", p).expect("symlink"),
            "cannot read: No such file or directory (os error 2)",
        ),
        (
            "symlink to /dev/zero",
            |p| symlink("/dev/zero", p).expect("symlink"),
            "cannot read: not a regular file (a character device)",
        ),
        (
            "symlink loop",
            |p| symlink(p.file_name().expect("name"), p).expect("symlink"),
            "cannot read: Too many levels of symbolic links (os error 40)",
        ),
        ("FIFO", mkfifo, "cannot read: not a regular file (a FIFO)"),
        (
            "folder",
            |p| fs::create_dir(p).expect("mkdir"),
            "cannot read: not a regular file (a directory)",
        ),
        (
            "file without read permission",
            |p| {
                fs::write(p, "User principal name,Licenses\n").expect("write");
                fs::set_permissions(p, fs::Permissions::from_mode(0o000)).expect("chmod");
            },
            "cannot read: Permission denied (os error 13)",
        ),
    ];
    for (what, make, message) in cases {
        let ws = users_workspace();
        let path = ws.input().join("users").join("c-2.csv");
        fs::remove_file(&path).expect("remove");
        make(&path);
        if what.contains("permission") && fs::read(&path).is_ok() {
            eprintln!("skipped the {what}: this user reads any file (root)");
            continue;
        }
        assert_refused(&ws, &format!("users/c-2.csv: {message}"));
    }
}

/// A dangling `license_assignments.csv` is not an absent one: it is not silently
/// replaced by `users/`.
#[test]
fn a_dangling_license_file_beside_users_is_an_error() {
    let ws = users_workspace();
    symlink("gone.csv", ws.input().join(LICENSES)).expect("symlink");
    assert_refused(
        &ws,
        "license_assignments.csv: cannot read: No such file or directory (os error 2)",
    );
}

#[test]
fn a_fifo_catalog_file_is_refused() {
    let ws = valid_workspace();
    fs::create_dir(ws.catalog()).expect("create catalog/");
    mkfifo(&ws.catalog().join("offers.csv"));
    fs::write(
        ws.catalog().join("upgrade_paths.csv"),
        "from_offer,to_offer\n",
    )
    .expect("write");
    let catalog = ws.catalog();
    let offers = catalog.join("offers.csv");
    let run = assert_command_fails_writing_nothing(
        &ws,
        |out| {
            let mut cmd = ws.command_with_out(out);
            cmd.arg("--catalog").arg(&catalog).timeout(PATIENCE);
            cmd
        },
        66,
    );
    let expected = format!(
        "catalog: {}: cannot read: not a regular file (a FIFO)",
        offers.display()
    );
    assert_eq!(run.stderr_lines(), [expected.as_str()]);
}

/// A FIFO or device in the previous report set is not opened: the run would block
/// on it while holding the lock, or read `/dev/zero` until memory runs out.
#[test]
fn a_fifo_or_device_in_the_previous_set_is_an_unusable_baseline() {
    let ws = valid_workspace();
    let fifo_set = ws.path().join("fifo-set");
    fs::create_dir(&fifo_set).expect("create set");
    mkfifo(&fifo_set.join("summary.json"));
    let zero_set = ws.path().join("zero-set");
    fs::create_dir(&zero_set).expect("create set");
    symlink("/dev/zero", zero_set.join("summary.json")).expect("symlink");
    for set in [&fifo_set, &zero_set] {
        let mut cmd = ws.command_with_out(&ws.out());
        cmd.arg("--previous").arg(set).timeout(PATIENCE);
        let run = outcome(&mut cmd);
        run.assert_code(0);
        run.assert_stderr_line(&format!(
            "upgrade-recon: warning: the previous report set cannot be used ({}: not a \
             regular file); changes.csv lists no changes",
            set.join("summary.json").display()
        ));
    }
}
