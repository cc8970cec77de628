//! Test hook: integration tests stop the process, or make it fail, at a named
//! phase of writing the report set, to check that every interruption is recovered.
//!
//! `UPGRADE_RECON_TEST_ABORT_AT=<phase>` aborts the process there (no destructor
//! runs, as under `kill -9`); `UPGRADE_RECON_TEST_FAIL_AT=<phase>` makes the step
//! fail with an I/O error instead. Both are for tests only. The variables are read
//! once; each check is then a comparison of a few bytes, at a handful of points per
//! run.

use std::io;
use std::sync::OnceLock;

/// Aborts the process at the named phase.
pub const ABORT_AT: &str = "UPGRADE_RECON_TEST_ABORT_AT";
/// Fails the step at the named phase with an I/O error.
pub const FAIL_AT: &str = "UPGRADE_RECON_TEST_FAIL_AT";

/// The points at which a test may stop the process, in the order a run passes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The staging folder exists, no report is written yet.
    StagingCreated,
    /// Every report is staged and synced; no journal yet.
    Staged,
    /// The journal is in place and synced: the commit point has passed.
    JournalWritten,
    /// One staged report has been renamed into place (also during recovery).
    AfterFirstRename,
    /// Every report is in place, the old extra reports are removed.
    Renamed,
    /// The journal is gone; the empty staging folder is still there.
    JournalRemoved,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::StagingCreated,
        Phase::Staged,
        Phase::JournalWritten,
        Phase::AfterFirstRename,
        Phase::Renamed,
        Phase::JournalRemoved,
    ];

    /// The value that names this phase in the environment variables.
    pub fn name(self) -> &'static str {
        match self {
            Phase::StagingCreated => "staging-created",
            Phase::Staged => "staged",
            Phase::JournalWritten => "journal-written",
            Phase::AfterFirstRename => "after-first-rename",
            Phase::Renamed => "renamed",
            Phase::JournalRemoved => "journal-removed",
        }
    }

    /// Whether a run stopped at this phase has already committed its new set.
    pub fn is_committed(self) -> bool {
        !matches!(self, Phase::StagingCreated | Phase::Staged)
    }
}

struct Hooks {
    abort_at: Option<String>,
    fail_at: Option<String>,
}

static HOOKS: OnceLock<Hooks> = OnceLock::new();

/// Called when a run reaches `phase`: aborts or fails there when a test asks to.
pub(super) fn reached(phase: Phase) -> io::Result<()> {
    let hooks = HOOKS.get_or_init(|| Hooks {
        abort_at: std::env::var(ABORT_AT).ok(),
        fail_at: std::env::var(FAIL_AT).ok(),
    });
    if hooks.abort_at.as_deref() == Some(phase.name()) {
        std::process::abort();
    }
    if hooks.fail_at.as_deref() == Some(phase.name()) {
        return Err(io::Error::other(format!(
            "failure injected at {} ({FAIL_AT})",
            phase.name()
        )));
    }
    Ok(())
}
