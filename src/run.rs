//! One run of the batch job, end to end: catalog → input → model → engine →
//! reports, and the exit code that tells cron how it went.

use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::catalog::{Catalog, CatalogError};
use crate::config::{CatalogSource, Config};
use crate::engine;
use crate::input::{self, LoadError, ReadOptions, RejectedRow, Rejects};
use crate::progress::Progress;
use crate::report::{
    DecisionRows, OutcomeCounts, ReportError, ReportInput, ReportWriter, Summary, SummaryInput,
    decision_rows,
};

/// Exit codes (contract §1), after BSD's sysexits where one fits.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    pub const USAGE: u8 = 2;
    pub const ROWS_REJECTED: u8 = 3;
    pub const DATA_INVALID: u8 = 65;
    pub const NO_INPUT: u8 = 66;
    pub const OS_ERROR: u8 = 71;
    pub const CANT_WRITE: u8 = 74;
}

/// Customers evaluated and written together: large enough to keep both cores busy,
/// small enough that a window's report rows take little memory.
const CUSTOMERS_PER_WINDOW: usize = 4_096;

/// Customers evaluated and formatted by one rayon task.
const CUSTOMERS_PER_BATCH: usize = 512;

/// Problems printed for a run rejected for too many bad rows; the rest are counted.
pub const MAX_PROBLEM_LINES: usize = 100;

/// A run that wrote its reports.
#[derive(Debug)]
pub struct RunOutcome {
    pub summary: Summary,
    pub elapsed: Duration,
}

impl RunOutcome {
    pub fn exit_code(&self) -> u8 {
        if self.summary.rejected_rows > 0 {
            exit::ROWS_REJECTED
        } else {
            exit::SUCCESS
        }
    }

    /// The one line a run leaves on stderr when it succeeds.
    pub fn summary_line(&self, out: &Path) -> String {
        let s = &self.summary.subscriptions;
        let rejected = match self.summary.rejected_rows {
            0 => String::new(),
            n => format!("; {n} rejected rows in rejects.csv"),
        };
        format!(
            "upgrade-recon: {} subscriptions, {} evaluated: {} eligible, {} blocked, {} not upgradable; \
             {} upgrade pairs eligible, {} blocked; {} reassignments{rejected}; reports in {} ({:.2} s)",
            s.total,
            s.evaluated,
            s.eligible,
            s.blocked,
            s.not_upgradable,
            self.summary.upgrade_pairs.eligible,
            self.summary.upgrade_pairs.blocked,
            self.summary.reassignments.total,
            out.display(),
            self.elapsed.as_secs_f64()
        )
    }
}

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
}

impl RunError {
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::Catalog(error) if error.is_unreadable() => exit::NO_INPUT,
            RunError::Load(error) if error.is_unreadable() => exit::NO_INPUT,
            RunError::Catalog(_) | RunError::Load(_) | RunError::TooManyRejected { .. } => {
                exit::DATA_INVALID
            }
            RunError::Threads { .. } => exit::OS_ERROR,
            RunError::Report(_) => exit::CANT_WRITE,
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

/// Runs the job described by `config`.
pub fn run(config: &Config, progress: Progress) -> Result<RunOutcome, RunError> {
    let started = Instant::now();
    let (catalog, catalog_name) = match &config.catalog {
        CatalogSource::Builtin => (Catalog::builtin()?, "built-in".to_owned()),
        CatalogSource::Dir(dir) => (Catalog::from_dir(dir)?, dir.display().to_string()),
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.get())
        .build()
        .map_err(|error| RunError::Threads {
            threads: config.threads.get(),
            message: error.to_string(),
        })?;
    pool.install(|| run_in_pool(config, progress, &catalog, &catalog_name, started))
}

fn run_in_pool(
    config: &Config,
    progress: Progress,
    catalog: &Catalog,
    catalog_name: &str,
    started: Instant,
) -> Result<RunOutcome, RunError> {
    let spinner = progress.spinner("reading input");
    let read = ReadOptions {
        rejected_rows_kept: rejected_rows_kept(config.max_errors),
        ..config.read
    };
    let mut loaded = input::load(&config.input, catalog, &config.format, read, &mut |file| {
        spinner.set_message(format!("reading {file}"));
    })?;
    spinner.finish_and_clear();
    release_free_memory();

    let (dataset, duplicates) = loaded.build_dataset();
    if !duplicates.is_empty() {
        input::reject_duplicate_licenses(&duplicates, &mut loaded).map_err(LoadError::from)?;
    }
    // Not trimmed again: the memory the build freed is reused by the reports'
    // buffers, which would otherwise be faulted in fresh (peak RSS unchanged).
    if loaded.rejected.rows() > config.max_errors {
        return Err(RunError::TooManyRejected {
            rejected: loaded.rejected,
            max_errors: config.max_errors,
        });
    }

    // Customers are evaluated, counted and formatted in batches, in parallel; each
    // batch's outcomes are dropped by the thread that made them as soon as its rows
    // are formatted. A window of batches is written in order before the next starts,
    // so that formatted rows waiting to be written take little memory.
    let customers = dataset.customers.len();
    let bar = progress.bar(customers as u64, "evaluating");
    let mut writer = ReportWriter::create(&config.out)?;
    let mut outcomes = OutcomeCounts::default();
    for window_start in (0..customers).step_by(CUSTOMERS_PER_WINDOW) {
        let window_end = (window_start + CUSTOMERS_PER_WINDOW).min(customers);
        let batches: Vec<(std::ops::Range<usize>, DecisionRows)> = (window_start..window_end)
            .step_by(CUSTOMERS_PER_BATCH)
            .map(|start| {
                let batch = start..(start + CUSTOMERS_PER_BATCH).min(window_end);
                (batch, writer.spare_buffers())
            })
            .collect();
        let done: Vec<(OutcomeCounts, DecisionRows)> = batches
            .into_par_iter()
            .map(|(batch, buffers)| {
                let evaluation = engine::evaluate(&dataset, catalog, config.as_of, batch.clone());
                let mut counts = OutcomeCounts::default();
                counts.add(&evaluation);
                counts.add_unknown_license_rows(&dataset, batch.clone());
                let input = ReportInput {
                    catalog,
                    dataset: &dataset,
                    evaluation: &evaluation,
                    as_of: config.as_of,
                };
                (counts, decision_rows(input, batch, buffers))
            })
            .collect();
        for (counts, rows) in done {
            outcomes.merge(&counts);
            writer.write_rows(rows)?;
        }
        bar.inc((window_end - window_start) as u64);
    }
    bar.finish_and_clear();

    let summary = Summary::compute(&SummaryInput {
        as_of: config.as_of,
        catalog: catalog_name,
        dataset: &dataset,
        outcomes: &outcomes,
        files: &loaded.files,
        unknown_license_offers: &loaded.unknown_license_offers,
        rejected_rows: loaded.rejected.rows(),
    });
    // Freeing millions of records takes a tenth of a second: a detached thread does
    // it while the reports are synced (the process may exit before it is done).
    // The large tables go back to the system first, so that the exit, which tears
    // down whatever is still mapped on one core, has less to do (about 6 ms less
    // at 100k). Should the thread not start, the dataset is freed here.
    let _detached =
        std::thread::Builder::new().spawn(move || dataset.free_largest_first(release_free_memory));
    // Within --max-errors every rejected row is kept (see `rejected_rows_kept`).
    writer.finish(loaded.rejected.kept(), &summary)?;
    Ok(RunOutcome {
        summary,
        elapsed: started.elapsed(),
    })
}

/// Rejected rows to keep: all of them when they are within `--max-errors` (for
/// `rejects.csv`), else enough for the problem lines; the rest are counted.
pub fn rejected_rows_kept(max_errors: u64) -> usize {
    usize::try_from(max_errors)
        .unwrap_or(usize::MAX)
        .max(MAX_PROBLEM_LINES)
        .saturating_add(1)
}

/// `1 row`, `2 rows`.
fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Hands memory freed by the previous phase back to the system.
///
/// The readers' per-chunk buffers and tables are freed on rayon's worker threads,
/// whose glibc arenas keep the pages; on 100k customers that was a third of the
/// peak resident memory. `malloc_trim` returns them (measured in the README).
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own heaps; it takes no pointers of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}
