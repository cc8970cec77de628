//! The journal: the commit record of one replacement of the report set, and
//! rolling it forward — by the run that wrote it, or by the next run after a kill.
//!
//! A small text file, written whole to a temporary name, synced and renamed into
//! place, so that it exists completely or not at all:
//!
//! ```text
//! upgrade-recon journal 1
//! move eligible_upgrades.csv
//! move summary.json
//! remove upgrade-recon.xlsx
//! end
//! ```
//!
//! `move` names a report to rename from the staging folder over its name in
//! `--out`, `remove` an old report the new set does not have. Rolling forward is
//! idempotent: a staged report that is gone was renamed before the interruption
//! (see the invariant in the parent module), a report to remove that is gone was
//! removed.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use super::hook::{self, Phase};
use super::{SetError, sync_dir};

/// The journal's name in `--out`; its presence means "the new set is committed".
pub const JOURNAL_FILE: &str = ".upgrade-recon.journal";
/// The journal while it is written (before the commit point).
pub const JOURNAL_TEMP: &str = ".upgrade-recon.journal.tmp";

const HEADER: &str = "upgrade-recon journal 1";
const END: &str = "end";

/// Longest report name accepted (a common file system limit).
const MAX_NAME_BYTES: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Journal {
    /// Reports renamed from the staging folder over their names, in this order.
    pub moves: Vec<String>,
    /// Old reports removed from `--out` (none of them is in `moves`).
    pub removes: Vec<String>,
}

impl Journal {
    /// The journal of a new set: `reports` in order (duplicates dropped), and the
    /// names of `remove_if_present` that are not among them.
    pub fn new(reports: &[&str], remove_if_present: &[&str]) -> Result<Journal, String> {
        let mut moves: Vec<String> = Vec::with_capacity(reports.len());
        for name in reports {
            check_name(name)?;
            if !moves.iter().any(|m| m == name) {
                moves.push((*name).to_owned());
            }
        }
        let mut removes: Vec<String> = Vec::new();
        for name in remove_if_present {
            check_name(name)?;
            if !moves.iter().chain(&removes).any(|m| m == name) {
                removes.push((*name).to_owned());
            }
        }
        Ok(Journal { moves, removes })
    }

    pub fn to_text(&self) -> String {
        let mut text = format!("{HEADER}\n");
        for name in &self.moves {
            text.push_str(&format!("move {name}\n"));
        }
        for name in &self.removes {
            text.push_str(&format!("remove {name}\n"));
        }
        text.push_str(END);
        text.push('\n');
        text
    }

    /// Parses a journal; the error says which line is wrong.
    pub fn parse(text: &str) -> Result<Journal, String> {
        let mut lines = text.lines().enumerate().map(|(i, line)| (i + 1, line));
        if lines.next().map(|(_, line)| line) != Some(HEADER) {
            return Err(format!("line 1: expected \"{HEADER}\""));
        }
        let mut journal = Journal {
            moves: Vec::new(),
            removes: Vec::new(),
        };
        for (number, line) in lines.by_ref() {
            if line == END {
                return match lines.next() {
                    None => Ok(journal),
                    Some((number, _)) => Err(format!("line {number}: text after \"{END}\"")),
                };
            }
            let (list, name) = match line.split_once(' ') {
                Some(("move", name)) => (&mut journal.moves, name),
                Some(("remove", name)) => (&mut journal.removes, name),
                _ => return Err(format!("line {number}: expected move, remove or {END}")),
            };
            check_name(name).map_err(|error| format!("line {number}: {error}"))?;
            list.push(name.to_owned());
        }
        Err(format!("no \"{END}\" line: the journal is cut short"))
    }
}

/// A report is a plain file name in `--out`: no folder, not hidden (our own files
/// are hidden), no control characters — so that a damaged journal cannot make a
/// run rename or remove anything else.
pub(super) fn is_report_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}

fn check_name(name: &str) -> Result<(), String> {
    if is_report_name(name) {
        Ok(())
    } else {
        Err(format!("{} is not a report file name", shown(name)))
    }
}

/// A name as echoed in an error: quoted, control characters escaped, cut to 60 characters.
fn shown(name: &str) -> String {
    const SHOWN_CHARS: usize = 60;
    match name.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{:?}…", &name[..cut]),
        None => format!("{name:?}"),
    }
}

/// Writes the journal to its temporary name, syncs it and renames it into place.
/// Once this returns Ok the new set is committed in the namespace; the caller
/// makes that durable by syncing `out`.
pub(super) fn write(out: &Path, journal: &Journal) -> Result<(), SetError> {
    let temp = out.join(JOURNAL_TEMP);
    let written = File::create(&temp).and_then(|mut file| {
        file.write_all(journal.to_text().as_bytes())?;
        file.sync_all()
    });
    if let Err(source) = written {
        let _ = fs::remove_file(&temp);
        return Err(SetError::new(temp, source));
    }
    let journal_path = out.join(JOURNAL_FILE);
    fs::rename(&temp, &journal_path).map_err(|source| {
        let _ = fs::remove_file(&temp);
        SetError::new(journal_path, source)
    })
}

/// The journal in `out`, if a run committed a set it did not finish putting in place.
pub(super) fn read(out: &Path) -> Result<Option<Journal>, SetError> {
    let path = out.join(JOURNAL_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(SetError::new(path, source)),
    };
    Journal::parse(&text).map(Some).map_err(|reason| {
        SetError::new(
            path,
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "damaged journal of an interrupted run ({reason}); nothing was changed — \
                     check the reports in the folder, then delete this file and the staging folder"
                ),
            ),
        )
    })
}

/// Puts a committed set in place: renames what is still staged, removes the old
/// reports listed, syncs `out`, removes the journal (durably, before anything can
/// stage again) and then the emptied staging folder.
pub(super) fn roll_forward(out: &Path, staging: &Path, journal: &Journal) -> Result<(), SetError> {
    let after_commit = |path: &Path| {
        let path = path.to_owned();
        move |source| SetError::committed(path, source)
    };
    for (index, name) in journal.moves.iter().enumerate() {
        let target = out.join(name);
        match fs::rename(staging.join(name), &target) {
            Ok(()) => {}
            // Renamed before an interruption.
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(SetError::committed(target, source)),
        }
        if index == 0 {
            hook::reached(Phase::AfterFirstRename).map_err(after_commit(&target))?;
        }
    }
    for name in &journal.removes {
        let path = out.join(name);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(SetError::committed(path, source)),
        }
    }
    sync_dir(out).map_err(after_commit(out))?;
    hook::reached(Phase::Renamed).map_err(after_commit(out))?;

    let journal_path = out.join(JOURNAL_FILE);
    match fs::remove_file(&journal_path) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(source) => return Err(SetError::committed(journal_path, source)),
    }
    // Were the removal lost in a crash after a later run staged its files, the
    // journal would come back and move that run's half-written files into place.
    sync_dir(out).map_err(after_commit(out))?;
    hook::reached(Phase::JournalRemoved).map_err(after_commit(out))?;
    match fs::remove_dir_all(staging) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        // The set is complete; the next run removes the folder (no journal: roll back).
        Err(_) => Ok(()),
    }
}
