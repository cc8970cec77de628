//! Recovery: what a run does under the lock before anything else — completing or
//! undoing an interrupted run's replacement, and removing leftovers.

use std::fmt;
use std::fs;
use std::io;
use std::path::Path;

use super::journal::{self, JOURNAL_TEMP, is_report_name};
use super::{OutLock, STAGING_DIR, SetError};

/// What [`recover`] found and did (empty after an uninterrupted run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovered {
    /// A committed set an interrupted run had not finished putting in place was
    /// completed: how many reports its journal names.
    pub completed: Option<usize>,
    /// An interrupted run's uncommitted staging folder was deleted.
    pub discarded: bool,
    /// Names of leftovers removed: the journal's temporary file, an empty staging
    /// folder, and the v1 scheme's temporary and set-aside files.
    pub leftovers: Vec<String>,
}

impl Recovered {
    pub fn is_empty(&self) -> bool {
        self.completed.is_none() && !self.discarded && self.leftovers.is_empty()
    }
}

/// One clause per finding: "completed the report set of an interrupted run (5
/// reports); removed 2 leftover files of interrupted runs".
impl fmt::Display for Recovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut clauses = Vec::new();
        if let Some(reports) = self.completed {
            clauses.push(format!(
                "completed the report set of an interrupted run ({reports} reports)"
            ));
        }
        if self.discarded {
            clauses.push("discarded the unfinished reports of an interrupted run".to_owned());
        }
        match self.leftovers.len() {
            0 => {}
            1 => clauses.push("removed 1 leftover file of an interrupted run".to_owned()),
            n => clauses.push(format!("removed {n} leftover files of interrupted runs")),
        }
        f.write_str(&clauses.join("; "))
    }
}

/// Completes (journal present) or undoes (no journal) the replacement an
/// interrupted run left in the locked folder, and removes its leftovers. Running it
/// again, or after a kill during it, is safe.
pub fn recover(lock: &OutLock) -> Result<Recovered, SetError> {
    let out = lock.out();
    let staging = out.join(STAGING_DIR);
    let mut recovered = Recovered::default();
    if remove_file_if_present(&out.join(JOURNAL_TEMP))? {
        recovered.leftovers.push(JOURNAL_TEMP.to_owned());
    }
    match journal::read(out)? {
        Some(journal) => {
            journal::roll_forward(out, &staging, &journal)?;
            recovered.completed = Some(journal.moves.len());
        }
        None => {
            // Empty when the run was killed after putting its set in place.
            let unfinished = fs::read_dir(&staging).is_ok_and(|mut e| e.next().is_some());
            match fs::remove_dir_all(&staging) {
                Ok(()) if unfinished => recovered.discarded = true,
                Ok(()) => recovered.leftovers.push(STAGING_DIR.to_owned()),
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(source) => return Err(SetError::new(staging, source)),
            }
        }
    }
    let entries = fs::read_dir(out).map_err(|source| SetError::new(out, source))?;
    for entry in entries {
        let entry = entry.map_err(|source| SetError::new(out, source))?;
        let name = entry.file_name();
        let Some(name) = name.to_str().filter(|name| is_v1_leftover(name)) else {
            continue;
        };
        // Only files: a folder of that name is someone else's.
        if entry.file_type().is_ok_and(|kind| !kind.is_dir())
            && remove_file_if_present(&entry.path())?
        {
            recovered.leftovers.push(name.to_owned());
        }
    }
    Ok(recovered)
}

fn remove_file_if_present(path: &Path) -> Result<bool, SetError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(SetError::new(path, source)),
    }
}

/// Random characters in a v1 temporary file's name (`tempfile`'s default).
const V1_RANDOM_CHARS: usize = 6;

/// A file the v1 scheme left when killed: `.<report>.<6 random>.tmp` (a report
/// being written) or `.<report>.previous-<pid>` (an old report set aside), where
/// `<report>` is a CSV, JSON or XLSX report name. Such a set-aside report belongs
/// to a set that was already broken; it is removed, not put back.
pub(super) fn is_v1_leftover(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    if let Some((report, pid)) = rest.rsplit_once(".previous-") {
        return is_v1_report(report) && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    }
    if let Some((report, random)) = rest.strip_suffix(".tmp").and_then(|r| r.rsplit_once('.')) {
        return is_v1_report(report)
            && random.len() == V1_RANDOM_CHARS
            && random.bytes().all(|b| b.is_ascii_alphanumeric());
    }
    false
}

fn is_v1_report(name: &str) -> bool {
    is_report_name(name)
        && [".csv", ".json", ".xlsx"]
            .iter()
            .any(|ext| name.ends_with(ext))
}
