//! What `run` and `explain` share: the catalog, the worker threads, and the input
//! read, validated and indexed into a dataset (contract §2).

use std::time::Instant;

use super::error::{MAX_PROBLEM_LINES, RunError};
use crate::catalog::Catalog;
use crate::config::{CatalogSource, InputConfig};
use crate::input::{self, LoadError, LoadedInput, ReadOptions};
use crate::model::Dataset;
use crate::progress::Progress;

/// The catalog in use and how the summary names it.
pub struct CatalogInUse {
    pub catalog: Catalog,
    pub name: String,
}

/// Loads the catalog `config` names.
pub fn catalog(config: &InputConfig) -> Result<CatalogInUse, RunError> {
    Ok(match &config.catalog {
        CatalogSource::Builtin => CatalogInUse {
            catalog: Catalog::builtin()?,
            name: "built-in".to_owned(),
        },
        CatalogSource::Dir(dir) => CatalogInUse {
            catalog: Catalog::from_dir(dir)?,
            name: dir.display().to_string(),
        },
    })
}

/// The pool of `config.threads` workers everything parallel runs in.
pub fn thread_pool(config: &InputConfig) -> Result<rayon::ThreadPool, RunError> {
    let threads = config.threads.get();
    // Under an address-space limit (`ulimit -v`), workers that start while it runs
    // out can leave an allocation without room, which aborts the process (1 run in
    // 300 in a test). Asking for their stacks' worth of address space first (never
    // touched, so it costs no memory) turns that into the error below.
    let mut stacks: Vec<u8> = Vec::new();
    if stacks
        .try_reserve_exact(threads.saturating_mul(WORKER_STACK_BYTES))
        .is_err()
    {
        return Err(RunError::Threads {
            threads,
            message: "not enough address space for their stacks".to_owned(),
        });
    }
    drop(stacks);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| RunError::Threads {
            threads,
            message: error.to_string(),
        })
}

/// The stack of a worker thread: std's default for spawned threads, which rayon keeps.
const WORKER_STACK_BYTES: usize = 2 << 20;

/// The accepted records, indexed, and what was read and rejected.
pub struct Loaded {
    pub dataset: Dataset,
    /// The rejected rows and the files' reports (the records moved into `dataset`).
    pub input: LoadedInput,
    pub started: Instant,
}

/// Reads and validates the input (in the current thread pool); fails when more
/// rows are rejected than `--max-errors` allows.
pub fn load(
    config: &InputConfig,
    catalog: &Catalog,
    progress: Progress,
    started: Instant,
) -> Result<Loaded, RunError> {
    let spinner = progress.spinner("reading input");
    let read = ReadOptions {
        rejected_rows_kept: rejected_rows_kept(config.max_errors),
        ..config.read
    };
    let mut loaded = input::load(&config.input, catalog, &config.format, read, &mut |file| {
        spinner.set_message(format!("reading {file}"));
    })?;
    spinner.finish_and_clear();
    // Memory is not handed back to the system here or after the build: what the
    // readers and the build free (chunk buffers, parser caches) is reused by the
    // dataset's tables and the reports' buffers, which would otherwise be faulted
    // in fresh (at 100k, 17% fewer page faults; the same peak RSS at 1M).
    let (dataset, duplicates) = loaded.build_dataset();
    if !duplicates.is_empty() {
        input::reject_duplicate_licenses(&duplicates, &mut loaded).map_err(LoadError::from)?;
    }
    if loaded.rejected.rows() > config.max_errors {
        return Err(RunError::TooManyRejected {
            rejected: loaded.rejected,
            max_errors: config.max_errors,
        });
    }
    Ok(Loaded {
        dataset,
        input: loaded,
        started,
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
