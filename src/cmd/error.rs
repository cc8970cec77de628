//! Why a command wrote nothing, and the exit code and stderr lines that say so.

use super::exit;
use crate::catalog::CatalogError;
use crate::input::{LoadError, RejectedRow, Rejects};
use crate::output::ReportError;
use crate::output::set::{HeldBy, LockError};

/// Problems printed for a run rejected for too many bad rows; the rest are counted.
pub const MAX_PROBLEM_LINES: usize = 100;

/// Why a run wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(
        "{} rejected, more than --max-errors {max_errors}; nothing written",
        plural(rejected.rows(), "row", "rows")
    )]
    TooManyRejected {
        /// The first rows (enough for [`MAX_PROBLEM_LINES`]) and the count of all.
        rejected: Rejects,
        max_errors: u64,
    },
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
    #[error("cannot write reports: {0}")]
    Report(#[from] ReportError),
    /// `--min-customers` or `--max-drop` found the export broken; nothing written.
    #[error("{0}; the previous report set is kept")]
    Guard(String),
    /// Another run holds `--out`; this one changed nothing.
    #[error(transparent)]
    Locked(HeldBy),
}

impl From<LockError> for RunError {
    fn from(error: LockError) -> RunError {
        match error {
            LockError::Held(held) => RunError::Locked(held),
            LockError::Io { path, source } => RunError::Report(ReportError { path, source }),
        }
    }
}

impl RunError {
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::Catalog(error) if error.is_unreadable() => exit::NO_INPUT,
            RunError::Load(error) if error.is_unreadable() => exit::NO_INPUT,
            RunError::Catalog(_)
            | RunError::Load(_)
            | RunError::TooManyRejected { .. }
            | RunError::Guard(_) => exit::DATA_INVALID,
            RunError::Threads { .. } => exit::OS_ERROR,
            RunError::Report(error) if error.is_thread_start() => exit::OS_ERROR,
            RunError::Report(_) => exit::CANT_WRITE,
            RunError::Locked(_) => exit::LOCKED,
        }
    }

    /// The lines to print on stderr: one per problem, at most [`MAX_PROBLEM_LINES`]
    /// problems of bad rows, then a count of the rest and the verdict.
    pub fn problem_lines(&self) -> Vec<String> {
        match self {
            RunError::Load(error) => error.0.iter().map(ToString::to_string).collect(),
            RunError::TooManyRejected { rejected, .. } => {
                let total = rejected.problems();
                let mut lines: Vec<String> = rejected
                    .kept()
                    .iter()
                    .flat_map(RejectedRow::problem_lines)
                    .take(MAX_PROBLEM_LINES)
                    .collect();
                if total > MAX_PROBLEM_LINES as u64 {
                    lines.push(format!(
                        "... and {} more problems",
                        total - MAX_PROBLEM_LINES as u64
                    ));
                }
                lines.push(self.to_string());
                lines
            }
            other => vec![other.to_string()],
        }
    }
}

/// `1 row`, `2 rows`.
fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::ThreadStartError;

    #[test]
    fn a_thread_that_cannot_start_is_exit_71_a_failed_write_74() {
        let report = |source| {
            RunError::Report(ReportError {
                path: "reports".into(),
                source,
            })
        };
        let refused = std::io::Error::from(std::io::ErrorKind::OutOfMemory);
        let thread = report(ThreadStartError::io_error("report writer", refused));
        assert_eq!(thread.exit_code(), exit::OS_ERROR);
        assert_eq!(
            thread.to_string(),
            "cannot write reports: reports: cannot start the report writer thread: out of memory"
        );
        let full = report(std::io::Error::from_raw_os_error(28));
        assert_eq!(full.exit_code(), exit::CANT_WRITE);
        let pool = RunError::Threads {
            threads: 2,
            message: "no".into(),
        };
        assert_eq!(pool.exit_code(), exit::OS_ERROR);
    }
}
