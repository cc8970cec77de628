//! Recovery after a kill (roll forward, roll back, leftovers) and the journal's text.

use std::fs;
use std::path::Path;

use super::*;
use crate::output::set::journal::{JOURNAL_FILE, JOURNAL_TEMP, Journal};
use crate::output::set::recover::is_v1_leftover;

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

    // An empty staging folder (killed after its set was in place) is a leftover.
    fs::create_dir(out.join(STAGING_DIR)).expect("mkdir");
    let recovered = recover(&lock).expect("recover");
    assert_eq!(recovered.leftovers, [STAGING_DIR]);
    assert!(!recovered.discarded);

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
