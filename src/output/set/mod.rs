//! The report set in `--out`: written by one run at a time, replaced whole, and
//! whole again after a kill at any instant (contract §1 and §7).
//!
//! # Files of ours in `--out`
//!
//! | name | what | lifetime |
//! |---|---|---|
//! | `.upgrade-recon.lock` | the lock, naming its holder ([`OutLock`]) | stays (see [`lock`]) |
//! | `.upgrade-recon-staging/` | the new set while it is written | one run |
//! | `.upgrade-recon.journal` | the commit record ([`journal`]) | the renames |
//! | `.upgrade-recon.journal.tmp` | the journal while it is written | an instant |
//!
//! None of them is a report; every other file in `--out` is left alone, except
//! the leftovers of the v1 scheme (`.<report>.<random>.tmp`, `.<report>.previous-<pid>`).
//!
//! # A run
//!
//! 1. [`OutLock::acquire`]: the exclusive lock, for the whole run; a second run
//!    fails at once ([`HeldBy`], exit 75) and changes nothing.
//! 2. [`recover`]: finishes or undoes whatever an interrupted run left (below).
//! 3. [`Staging::create`]: each report is written into `.upgrade-recon-staging/`
//!    under its final name.
//! 4. [`Staging::commit`]: every staged report and the staging folder are synced;
//!    the journal — the reports to move in, the old reports to remove (one the new
//!    set lacks, such as a workbook of an earlier `--xlsx` run) — is written to a
//!    temporary name, synced and renamed into place, and `--out` synced. **That
//!    rename is the commit point.** Then each staged report is renamed over its
//!    final name, the listed old reports are removed, `--out` is synced, the journal
//!    removed, `--out` synced again, and the empty staging folder removed.
//!
//! # Recovery
//!
//! Under the lock, before anything else: a journal present means the interrupted
//! run had committed, so its set is rolled forward (what is still staged is renamed,
//! the listed reports removed, the journal and staging folder dropped); no journal
//! means it had not, so the staging folder is deleted and the old set stays.
//! Leftovers (the journal's temporary file, v1 temporary files) are removed. Recovery
//! is itself interruptible: it only repeats steps that are idempotent.
//!
//! # Failures this prevents
//!
//! - *A kill while writing or syncing* (v1 left up to 511 MB of temporary files per
//!   kill, forever): the staging folder has no journal, so the next run deletes it.
//! - *A kill during the renames* (v1 left gaps and `.previous-<pid>` files): the
//!   journal exists, so the next run renames the rest. A reader sees the old set or,
//!   once the next run has recovered, the new one — never a gap.
//! - *Two runs at once* (v1 mixed their files): the lock; the second exits 75.
//! - *A power loss*: each step is synced before the next depends on it. The invariant
//!   that makes "not in the staging folder" mean "already renamed" is that staged
//!   reports leave the folder only by the rename into place (after the journal is
//!   durable) or with the whole folder when no journal exists; and the journal's
//!   removal is durable before the staging folder goes or a later run stages anew.
//! - *A run that fails* (exit 65, 66, 74 …): before the commit point dropping the
//!   [`Staging`] deletes its folder, so `--out` is as it was; a folder the run created
//!   to hold the lock is removed again ([`lock`]). After the commit point (an I/O
//!   error during the renames) the run fails with 74 and the journal stays: the next
//!   run completes the set. Before the commit, a folder where a report goes fails
//!   the run, so that the renames after it do not.
//!
//! A process reading `--out` while a run renames (a few milliseconds) can still see
//! a mix; while `.upgrade-recon.journal` exists, the set is being replaced.
//!
//! Test hook: [`hook`] stops or fails a run at a named phase.

pub mod hook;
pub mod journal;
pub mod lock;
mod recover;
#[cfg(test)]
mod tests;

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

pub use lock::{HeldBy, LOCK_FILE, LockError, OutLock};
pub use recover::{Recovered, recover};

use hook::Phase;
use journal::Journal;

/// The staging folder's name in `--out`.
pub const STAGING_DIR: &str = ".upgrade-recon-staging";

/// A step of writing or recovering the set failed.
#[derive(Debug, thiserror::Error)]
#[error("{}: {}{}", .path.display(), .source, if *.committed { COMMITTED_NOTE } else { "" })]
pub struct SetError {
    pub path: PathBuf,
    pub source: io::Error,
    /// The new set was committed: the next run on the folder completes it.
    pub committed: bool,
}

const COMMITTED_NOTE: &str =
    " (the new report set is committed and incomplete; the next run on this folder completes it)";

impl SetError {
    fn new(path: impl Into<PathBuf>, source: io::Error) -> SetError {
        SetError {
            path: path.into(),
            source,
            committed: false,
        }
    }

    fn committed(path: impl Into<PathBuf>, source: io::Error) -> SetError {
        SetError {
            committed: true,
            ..SetError::new(path, source)
        }
    }

    /// The path and the error, for callers with a path-and-`io::Error` error type;
    /// the note of a committed set goes into the error's message.
    pub fn into_parts(self) -> (PathBuf, io::Error) {
        let source = if self.committed {
            io::Error::new(
                self.source.kind(),
                format!("{}{COMMITTED_NOTE}", self.source),
            )
        } else {
            self.source
        };
        (self.path, source)
    }
}

/// The new report set while it is written: a staging folder in `--out`, which
/// exists only under the lock. Dropping it uncommitted deletes the folder, so a
/// run that fails leaves `--out` as it was.
#[derive(Debug)]
pub struct Staging<'lock> {
    out: &'lock Path,
    dir: PathBuf,
    /// The journal is in place: the folder now belongs to the roll-forward.
    committed: bool,
}

impl<'lock> Staging<'lock> {
    /// Creates the staging folder, after recovering what an interrupted run left
    /// (a no-op when the caller has already called [`recover`]).
    pub fn create(lock: &'lock OutLock) -> Result<Staging<'lock>, SetError> {
        recover(lock)?;
        let out = lock.out();
        let dir = out.join(STAGING_DIR);
        fs::create_dir(&dir).map_err(|source| SetError::new(&dir, source))?;
        let staging = Staging {
            out,
            dir,
            committed: false,
        };
        hook::reached(Phase::StagingCreated).map_err(|source| SetError::new(out, source))?;
        Ok(staging)
    }

    /// Where to write `report` (a plain file name, such as `summary.json`).
    pub fn path(&self, report: &str) -> PathBuf {
        self.dir.join(report)
    }

    /// The staging folder itself (for unnamed scratch files, which never outlive the run).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Puts the staged `reports` in place of the old set, and removes those of
    /// `remove_if_present` the new set does not have: all of it, or — when this
    /// fails before the commit point — none of it. Every report must have been
    /// written to [`Staging::path`] and closed.
    pub fn commit(mut self, reports: &[&str], remove_if_present: &[&str]) -> Result<(), SetError> {
        let out = self.out;
        let journal = Journal::new(reports, remove_if_present).map_err(|reason| {
            SetError::new(out, io::Error::new(io::ErrorKind::InvalidInput, reason))
        })?;
        for name in &journal.moves {
            let staged = self.path(name);
            File::open(&staged)
                .and_then(|file| file.sync_all())
                .map_err(|source| SetError::new(out.join(name), source))?;
        }
        for name in journal.moves.iter().chain(&journal.removes) {
            check_not_a_folder(&out.join(name))?;
        }
        sync_dir(&self.dir).map_err(|source| SetError::new(&self.dir, source))?;
        hook::reached(Phase::Staged).map_err(|source| SetError::new(out, source))?;

        journal::write(out, &journal)?;
        self.committed = true;
        sync_dir(out).map_err(|source| SetError::committed(out, source))?;
        hook::reached(Phase::JournalWritten).map_err(|source| SetError::committed(out, source))?;
        journal::roll_forward(out, &self.dir, &journal)
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.committed {
            // Should this fail, the next run deletes the folder (no journal: roll back).
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// A folder where a report goes would fail its rename after the commit point.
fn check_not_a_folder(target: &Path) -> Result<(), SetError> {
    match fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => Err(SetError::new(
            target,
            io::Error::new(
                io::ErrorKind::IsADirectory,
                "a folder stands where the report goes",
            ),
        )),
        _ => Ok(()),
    }
}

/// Makes the entries of `dir` (creations, renames, removals) durable.
/// (Elsewhere a folder cannot be opened as a file; renames are durable on return.)
fn sync_dir(dir: &Path) -> io::Result<()> {
    if cfg!(unix) {
        File::open(dir)?.sync_all()
    } else {
        Ok(())
    }
}
