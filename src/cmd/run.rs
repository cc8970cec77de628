//! `upgrade-recon run`: one run of the batch job, end to end — catalog → input →
//! model → engine → reports — and the exit code that tells cron how it went.

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::error::RunError;
use super::exit;
use super::load::{self, Loaded};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::decision::CustomerDecisions;
use crate::engine;
use crate::model::{CustomerIdx, Dataset};
use crate::output::actions::{self, ACTIONS_HEADER, ActionRow};
use crate::output::rejects::{self, REJECTS_HEADER};
use crate::output::render::streamed_rows;
use crate::output::set::{self, OutLock, Recovered};
use crate::output::{
    ACTIONS_FILE, FilterSummary, Formats, OutcomeCounts, REJECTS_FILE, ReportError, ReportInput,
    ReportWriter, StreamedRows, Summary, SummaryInput, WORKBOOK_FILE,
};
use crate::progress::Progress;
use crate::sys::release_free_memory;
use crate::text::{Lang, RunCounts};

/// Customers evaluated and written together: large enough to keep both cores busy,
/// small enough that a window's report rows take little memory.
const CUSTOMERS_PER_WINDOW: usize = 4_096;

/// Customers evaluated and formatted by one rayon task.
const CUSTOMERS_PER_BATCH: usize = 512;

/// A run that wrote its reports.
#[derive(Debug)]
pub struct RunOutcome {
    pub summary: Summary,
    pub elapsed: Duration,
    /// Lines for stderr about things the operator should know (a filter that
    /// selected nothing).
    pub warnings: Vec<String>,
    /// What the run found of an interrupted earlier run in `--out`, and set right.
    pub recovered: Recovered,
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
    pub fn summary_line(&self, out: &Path, lang: Lang) -> String {
        let s = &self.summary.subscriptions;
        let counts = RunCounts {
            subscriptions: s.total,
            evaluated: s.evaluated,
            eligible: s.eligible,
            blocked: s.blocked,
            not_upgradable: s.not_upgradable,
            eligible_pairs: self.summary.upgrade_pairs.eligible,
            blocked_pairs: self.summary.upgrade_pairs.blocked,
            reassignments: self.summary.reassignments.total,
            rejected_rows: self.summary.rejected_rows,
        };
        let out = out.display().to_string();
        lang.texts()
            .summary_line(&counts, &out, self.elapsed.as_secs_f64())
    }
}

/// Runs the job described by `config`.
pub fn run(config: &Config, progress: Progress) -> Result<RunOutcome, RunError> {
    let started = Instant::now();
    // Before anything else (contract §7): one run at a time on --out, held until
    // this returns; then whatever a killed run left there is completed or undone.
    let lock = OutLock::acquire(&config.out)?;
    let recovered = set::recover(&lock).map_err(ReportError::from)?;
    let catalog = load::catalog(&config.input)?;
    let pool = load::thread_pool(&config.input)?;
    let outcome = pool.install(|| {
        let loaded = load::load(&config.input, &catalog.catalog, progress, started)?;
        write_reports(
            config,
            progress,
            &lock,
            &catalog.catalog,
            &catalog.name,
            loaded,
        )
    })?;
    Ok(RunOutcome {
        recovered,
        ..outcome
    })
}

/// What one batch of customers gives.
struct Batch {
    counts: OutcomeCounts,
    rows: StreamedRows,
    actions: Vec<ActionRow>,
}

fn write_reports(
    config: &Config,
    progress: Progress,
    lock: &OutLock,
    catalog: &Catalog,
    catalog_name: &str,
    loaded: Loaded,
) -> Result<RunOutcome, RunError> {
    let Loaded {
        dataset,
        input: loaded,
        started,
    } = loaded;
    let mut warnings = Vec::new();
    let (selected, filter) = select(config, &dataset, &mut warnings);
    let all: Vec<CustomerIdx>;
    let customers: &[CustomerIdx] = match &selected {
        Some(selected) => selected,
        None => {
            all = (0..dataset.customers.len() as u32)
                .map(CustomerIdx)
                .collect();
            &all
        }
    };
    let input = ReportInput {
        catalog,
        dataset: &dataset,
        as_of: config.input.as_of,
        texts: Lang::En.texts(),
    };

    // Customers are evaluated, counted and formatted in batches, in parallel; each
    // batch's decisions are dropped by the thread that made them as soon as its rows
    // are formatted. A window of batches is written in order before the next starts,
    // so that formatted rows waiting to be written take little memory.
    let bar = progress.bar(customers.len() as u64, "evaluating");
    let formats = config.formats;
    let mut writer = ReportWriter::create(lock, formats)?;
    let mut outcomes = OutcomeCounts::default();
    let mut action_rows = Vec::new();
    for window in customers.chunks(CUSTOMERS_PER_WINDOW) {
        let batches: Vec<(&[CustomerIdx], [Vec<u8>; 4])> = window
            .chunks(CUSTOMERS_PER_BATCH)
            .map(|batch| (batch, writer.spare_buffers()))
            .collect();
        let spill_dir = writer.spill_dir();
        let done: Vec<io::Result<Batch>> = batches
            .into_par_iter()
            .map(|(batch, buffers)| emit_batch(input, batch, buffers, formats, spill_dir))
            .collect();
        for batch in done {
            let batch = batch.map_err(|source| ReportError {
                path: config.out.clone(),
                source,
            })?;
            outcomes.merge(&batch.counts);
            action_rows.extend(batch.actions);
            writer.write_rows(batch.rows)?;
        }
        bar.inc(window.len() as u64);
    }
    bar.finish_and_clear();
    actions::sort(&mut action_rows);

    let mut summary = Summary::compute(&SummaryInput {
        as_of: config.input.as_of,
        catalog: catalog_name,
        dataset: &dataset,
        outcomes: &outcomes,
        files: &loaded.files,
        unknown_license_offers: &loaded.unknown_license_offers,
        rejected_rows: loaded.rejected.len() as u64,
        selected: selected.as_deref(),
        filter,
    });
    free_in_background(dataset);
    let rejects = writer.render_whole(REJECTS_FILE, &REJECTS_HEADER, |rows| {
        rejects::render(rows, &loaded.rejected);
    })?;
    let actions = writer.render_whole(ACTIONS_FILE, &ACTIONS_HEADER, |rows| {
        actions::render(rows, &action_rows);
    })?;
    // Without --xlsx, an earlier run's workbook would describe another set.
    let absent: &[&str] = if formats.workbook {
        &[]
    } else {
        &[WORKBOOK_FILE]
    };
    writer.finish(vec![rejects, actions], &mut summary, absent)?;
    Ok(RunOutcome {
        summary,
        elapsed: started.elapsed(),
        warnings,
        recovered: Recovered::default(),
    })
}

/// Evaluates, counts and formats one batch of customers.
fn emit_batch(
    input: ReportInput<'_>,
    customers: &[CustomerIdx],
    buffers: [Vec<u8>; 4],
    formats: Formats,
    spill_dir: &Path,
) -> io::Result<Batch> {
    let decisions: Vec<CustomerDecisions> =
        engine::evaluate(input.dataset, input.catalog, input.as_of, customers);
    let mut counts = OutcomeCounts::default();
    counts.add(&decisions);
    counts.add_unknown_license_rows(input.dataset, customers);
    let actions = customers
        .iter()
        .zip(&decisions)
        .flat_map(|(&customer, decisions)| {
            actions::customer_rows(&input.context(customer, decisions), input.texts, decisions)
        })
        .collect();
    let rows = streamed_rows(input, customers, &decisions, buffers, formats, spill_dir)?;
    Ok(Batch {
        counts,
        rows,
        actions,
    })
}

/// The customers `--customer`/`--account-manager` select (`None` without a
/// filter), what the summary records of the filter, and warnings for values
/// that selected nothing.
fn select(
    config: &Config,
    dataset: &Dataset,
    warnings: &mut Vec<String>,
) -> (Option<Vec<CustomerIdx>>, Option<FilterSummary>) {
    if config.filter.is_empty() {
        return (None, None);
    }
    let selection = config.filter.select(dataset);
    for id in &selection.unmatched_customers {
        warnings.push(format!(
            "upgrade-recon: warning: --customer {id:?} matches no customer"
        ));
    }
    for name in &selection.unmatched_account_managers {
        warnings.push(format!(
            "upgrade-recon: warning: --account-manager {name:?} matches no customer"
        ));
    }
    if selection.customers.is_empty() {
        warnings.push(
            "upgrade-recon: warning: the filter selects no customer; the reports are empty"
                .to_owned(),
        );
    }
    let summary = FilterSummary {
        customers: config.filter.customers.clone(),
        account_managers: config.filter.account_managers.clone(),
        selected_customers: selection.customers.len() as u64,
    };
    (Some(selection.customers), Some(summary))
}

/// Freeing millions of records takes a tenth of a second: a detached thread does
/// it while the reports are synced (the process may exit before it is done).
/// The large tables go back to the system first, so that the exit, which tears
/// down whatever is still mapped on one core, has less to do (about 6 ms less
/// at 100k). Should the thread not start, the dataset is freed here.
fn free_in_background(dataset: Dataset) {
    let _detached =
        std::thread::Builder::new().spawn(move || dataset.free_largest_first(release_free_memory));
}
