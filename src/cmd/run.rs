//! `upgrade-recon run`: one run of the batch job, end to end — catalog → input →
//! model → engine → reports — and the exit code that tells cron how it went.

use std::io;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::error::RunError;
use super::exit;
use super::guard;
use super::load::{self, Loaded};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::engine;
use crate::model::{CustomerIdx, Dataset};
use crate::output::actions::{ActionsReport, BatchActions};
use crate::output::changes::{self, Baseline, ChangeCounts, Comparison, Record, record};
use crate::output::rejects::{self, REJECTS_HEADER};
use crate::output::render::{BatchChanges, STREAMED_COUNT, StreamedBatch, StreamedRenderer};
use crate::output::set::{self, OutLock, Recovered};
use crate::output::{
    FilterSummary, Formats, OutcomeCounts, REJECTS_FILE, ReportError, ReportInput, ReportWriter,
    StreamedRows, Summary, SummaryInput, WORKBOOK_FILE,
};
use crate::progress::Progress;
use crate::sys::release_free_memory;
use crate::text::RunCounts;

/// How far batches may be formatted in front of the next one to write, in
/// customers: enough to keep every core busy while a batch is handed to the
/// writer, little enough that the rows waiting to be written take little memory.
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

    /// The counts the run's line on stderr reports.
    pub fn counts(&self) -> RunCounts {
        let s = &self.summary.subscriptions;
        RunCounts {
            subscriptions: s.total,
            evaluated: s.evaluated,
            eligible: s.eligible,
            blocked: s.blocked,
            not_upgradable: s.not_upgradable,
            eligible_pairs: self.summary.upgrade_pairs.eligible,
            blocked_pairs: self.summary.upgrade_pairs.blocked,
            reassignments: self.summary.reassignments.total,
            rejected_rows: self.summary.rejected_rows,
        }
    }
}

/// Runs the job described by `config`.
pub fn run(config: &Config, progress: Progress) -> Result<RunOutcome, RunError> {
    let started = Instant::now();
    let started_at = super::log::now();
    // Before anything else (contract §7): one run at a time on --out, held until
    // this returns; then whatever a killed run left there is completed or undone.
    let lock = OutLock::acquire(&config.out)?;
    let recovered = set::recover(&lock).map_err(ReportError::from)?;
    // The workers first: when the system refuses them (exit 71), no thread of ours
    // is allocating meanwhile (under an address-space limit, one of its allocations
    // could fail and abort the process instead of the clean exit).
    let pool = load::thread_pool(&config.input)?;
    // Read while the input loads; under the lock, so that no other run replaces it meanwhile.
    let reading = read_baseline(config);
    let catalog = load::catalog(&config.input)?;
    let outcome = pool.install(|| {
        let loaded = load::load(&config.input, &catalog.catalog, progress, started)?;
        let baseline = reading.join();
        let run = RunContext {
            config,
            progress,
            lock: &lock,
            catalog: &catalog.catalog,
            catalog_name: &catalog.name,
            started_at: started_at.clone(),
        };
        write_reports(&run, loaded, baseline)
    })?;
    Ok(RunOutcome {
        recovered,
        ..outcome
    })
}

/// The previous report set, being read on a thread of its own while the input
/// loads (and before anything in `--out` is replaced).
enum BaselineReading {
    Thread(JoinHandle<Baseline>),
    /// The thread could not start: read when needed.
    Later {
        out: std::path::PathBuf,
        previous: Option<std::path::PathBuf>,
    },
}

fn read_baseline(config: &Config) -> BaselineReading {
    let (out, previous) = (config.out.clone(), config.previous.clone());
    let (thread_out, thread_previous) = (out.clone(), previous.clone());
    match std::thread::Builder::new()
        .name("previous-set".to_owned())
        .spawn(move || changes::baseline(&thread_out, thread_previous.as_deref()))
    {
        Ok(handle) => BaselineReading::Thread(handle),
        Err(_) => BaselineReading::Later { out, previous },
    }
}

impl BaselineReading {
    fn join(self) -> Baseline {
        match self {
            BaselineReading::Thread(handle) => handle.join().unwrap_or_else(|_| Baseline {
                set: None,
                summary: changes::BaselineSummary {
                    note: Some("reading the previous report set failed".to_owned()),
                    ..Default::default()
                },
                warning: Some(
                    "upgrade-recon: warning: reading the previous report set failed; \
                     changes.csv lists no changes"
                        .to_owned(),
                ),
            }),
            BaselineReading::Later { out, previous } => {
                changes::baseline(&out, previous.as_deref())
            }
        }
    }
}

/// What one batch of customers gives.
struct Batch {
    customers: u64,
    counts: OutcomeCounts,
    streamed: StreamedBatch,
    actions: BatchActions,
}

/// What a run writes its reports with.
struct RunContext<'a> {
    config: &'a Config,
    progress: Progress,
    lock: &'a OutLock,
    catalog: &'a Catalog,
    catalog_name: &'a str,
    /// RFC 3339.
    started_at: String,
}

fn write_reports(
    run: &RunContext<'_>,
    loaded: Loaded,
    baseline: Baseline,
) -> Result<RunOutcome, RunError> {
    let RunContext {
        config,
        progress,
        lock,
        catalog,
        catalog_name,
        ..
    } = *run;
    let Loaded {
        dataset,
        input: loaded,
        started,
    } = loaded;
    guard::check(config, dataset.customers.len() as u64)?;
    let mut warnings: Vec<String> = baseline.warning.iter().cloned().collect();
    // Informational (real exports carry dozens of custom roles): not under --quiet.
    if !loaded.unknown_roles.is_empty() && !config.quiet {
        let mentions: u64 = loaded.unknown_roles.values().sum();
        warnings.push(format!(
            "upgrade-recon: warning: {} GDAP roles ({mentions} mentions) are not in the \
             catalog's roles.csv and grant nothing; see unknown_roles in summary.json",
            loaded.unknown_roles.len()
        ));
    }
    // Not informational: those customers' license transfers go unseen (also under --quiet).
    let without_export = loaded
        .files
        .iter()
        .filter_map(|f| f.customers_without_export);
    if let Some(missing @ 1..) = without_export.max() {
        let (noun, has, count) = match missing {
            1 => ("customer", "has", "counts"),
            _ => ("customers", "have", "count"),
        };
        warnings.push(format!(
            "upgrade-recon: warning: {missing} {noun} with subscriptions to upgrade {has} no \
             export in users/ and {count} as having no licensed users; see \
             customers_without_export in summary.json"
        ));
    }
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
        texts: config.formats.lang.texts(),
    };

    // The previous set's customers are merged with each batch's in report order:
    // a batch takes those that sort from its first customer up to the next batch's.
    let previous = baseline.set.as_ref().map(|set| &set.record);
    let comparison = baseline.set.as_ref().map(|set| {
        Comparison::new(
            &set.record.codes,
            &record::registry_codes(),
            set.filter.as_ref(),
            Some(&config.filter),
        )
    });
    let mut batches: Vec<&[CustomerIdx]> = customers.chunks(CUSTOMERS_PER_BATCH).collect();
    if batches.is_empty() {
        // No customer to report on: the previous set's customers may still be removed.
        batches.push(&[]);
    }
    let ranges = previous_ranges(&dataset, &batches, previous);

    // Customers are evaluated, counted and formatted in batches, in parallel; within
    // a batch, each customer's decisions are dropped as soon as its rows are
    // formatted. Batches are written in order as soon as each is next, and no
    // batch starts more than a window's worth in front of the next to write, so
    // that formatted rows waiting to be written take little memory.
    let bar = progress.bar(customers.len() as u64, "evaluating");
    let formats = config.formats;
    let mut writer = ReportWriter::create(lock, formats)?;
    let spill_dir = writer.spill_dir().to_owned();
    // Buffers of written batches, for the batches still to format; and buffers
    // that batches rendered their action rows into before putting them in order.
    let spare: Mutex<Vec<[Vec<u8>; STREAMED_COUNT]>> = Mutex::new(Vec::new());
    let spare_scratch: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    // The largest part of each streamed file a batch has given so far: buffers
    // made after the first batches start at that size instead of doubling up to it.
    let grown: [AtomicUsize; STREAMED_COUNT] = Default::default();
    let mut outcomes = OutcomeCounts::default();
    let mut record_counts = record::Counts::default();
    let mut change_counts = ChangeCounts::default();
    let mut actions = ActionsReport::default();
    let work = |index: usize| {
        let changes = comparison
            .as_ref()
            .zip(previous)
            .map(|(comparison, record)| BatchChanges {
                comparison,
                previous: record.entries(ranges[index].clone()),
            });
        let buffers = lock_ignoring_poison(&spare).pop().unwrap_or_else(|| {
            std::array::from_fn(|file| Vec::with_capacity(grown[file].load(Ordering::Relaxed)))
        });
        let mut scratch = lock_ignoring_poison(&spare_scratch)
            .pop()
            .unwrap_or_default();
        let batch = emit_batch(
            input,
            batches[index],
            buffers,
            &mut scratch,
            formats,
            changes,
            &spill_dir,
        );
        lock_ignoring_poison(&spare_scratch).push(scratch);
        batch
    };
    let deliver = |batch: io::Result<Batch>| {
        let batch = batch.map_err(|source| ReportError {
            path: config.out.clone(),
            source,
        })?;
        outcomes.merge(&batch.counts);
        record_counts.merge(&batch.streamed.record);
        change_counts.merge(&batch.streamed.changes);
        bar.inc(batch.customers);
        let parts = batch.streamed.rows.reports.iter().map(|report| &report.csv);
        for (size, part) in grown.iter().zip(parts.chain([&batch.streamed.rows.record])) {
            size.fetch_max(part.bytes.len(), Ordering::Relaxed);
        }
        actions.push(batch.actions);
        writer.write_rows(batch.streamed.rows)?;
        let mut spare = lock_ignoring_poison(&spare);
        spare.extend(std::iter::from_fn(|| writer.spare_buffers()));
        Ok::<(), ReportError>(())
    };
    engine::ordered::in_order(
        batches.len(),
        CUSTOMERS_PER_WINDOW / CUSTOMERS_PER_BATCH,
        work,
        deliver,
    )?;
    writer.free_after_commit(spare.into_inner().unwrap_or_else(PoisonError::into_inner));
    writer.free_after_commit(
        spare_scratch
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
    );
    writer.write_rows(StreamedRows::record_end(&record_counts))?;
    bar.finish_and_clear();
    drop(baseline.set);

    let mut summary = Summary::compute(&SummaryInput {
        started_at: run.started_at.clone(),
        as_of: config.input.as_of,
        catalog: catalog_name,
        catalog_fingerprint: catalog.fingerprint(),
        dataset: &dataset,
        outcomes: &outcomes,
        files: &loaded.files,
        unknown_license_offers: &loaded.unknown_license_offers,
        unknown_roles: &loaded.unknown_roles,
        rejected_rows: loaded.rejected.rows(),
        selected: selected.as_deref(),
        filter,
    });
    summary.changes_baseline = baseline.summary;
    summary.changes = change_counts;
    // Within --max-errors every rejected row is kept (see `load::rejected_rows_kept`).
    let rejects = writer.render_whole(REJECTS_FILE, &REJECTS_HEADER, |rows| {
        rejects::render(rows, loaded.rejected.kept());
    })?;
    let actions = actions.finish(formats);
    // Only now: returning the freed memory holds the allocator's locks, which
    // ordering the actions waited for (15–20 ms of the end at 100k).
    let free_the_rest = free_in_background(dataset);
    // Without --xlsx, an earlier run's workbook would describe another set.
    let absent: &[&str] = if formats.workbook {
        &[]
    } else {
        &[WORKBOOK_FILE]
    };
    writer.finish(vec![rejects, actions], &mut summary, absent)?;
    drop(free_the_rest);
    Ok(RunOutcome {
        summary,
        elapsed: started.elapsed(),
        warnings,
        recovered: Recovered::default(),
    })
}

/// For each batch, the previous set's customers it compares with (none without
/// a previous set).
fn previous_ranges(
    dataset: &Dataset,
    batches: &[&[CustomerIdx]],
    previous: Option<&Record>,
) -> Vec<Range<usize>> {
    let Some(record) = previous else {
        return vec![0..0; batches.len()];
    };
    let later_firsts = batches
        .iter()
        .skip(1)
        .filter_map(|batch| batch.first())
        .map(|&first| dataset.customer(first).customer.id());
    record.split(later_firsts)
}

/// Evaluates, counts and formats one batch of customers into `buffers` (the
/// action rows first into `scratch`, then in order into a buffer of their own),
/// with its part of the comparison with the previous set.
fn emit_batch(
    input: ReportInput<'_>,
    customers: &[CustomerIdx],
    buffers: [Vec<u8>; STREAMED_COUNT],
    scratch: &mut Vec<u8>,
    formats: Formats,
    changes: Option<BatchChanges<'_>>,
    spill_dir: &Path,
) -> io::Result<Batch> {
    let mut counts = OutcomeCounts::default();
    let mut actions = BatchActions::new(formats, std::mem::take(scratch));
    let mut details = String::new();
    let mut rows = StreamedRenderer::new(buffers, formats, spill_dir);
    // Customer by customer: the decisions are counted and rendered while they are
    // in the cache, and their memory goes to the next customer's.
    for &customer in customers {
        let decisions =
            engine::evaluate_customer(input.catalog, input.dataset.customer(customer), input.as_of);
        counts.add(&decisions);
        counts.add_unknown_license_rows(input.dataset, customer);
        let cx = input.context(customer, &decisions);
        actions.add_customer(&cx, input.texts, &decisions, &mut details);
        rows.add_customer(&cx, input.texts, &decisions);
    }
    *scratch = actions.sort();
    let streamed = rows.finish(changes)?;
    Ok(Batch {
        customers: customers.len() as u64,
        counts,
        streamed,
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

/// Frees the dataset on a detached thread at idle priority: its license rows and
/// user names at once (a few hundred large blocks, most of its memory, so that
/// the exit, which tears down on one core whatever is still mapped, has less to
/// do), its millions of small records only once the returned sender is dropped
/// (after the commit): freed one by one, they held glibc's arena locks that the
/// thread writing and committing the reports waited for (10–25 ms at 100k). The
/// process may exit before they are all freed; should the thread not start, the
/// dataset is freed here.
fn free_in_background(dataset: Dataset) -> mpsc::Sender<()> {
    let (free_the_rest, wait) = mpsc::channel::<()>();
    let _detached = std::thread::Builder::new().spawn(move || {
        crate::sys::run_when_idle();
        dataset.free_largest_first(|| {
            release_free_memory();
            // Err once the sender is dropped: the signal to go on.
            let _ = wait.recv();
        });
    });
    free_the_rest
}

/// A lock whose holder panicked is still good here: a panic reaches the caller anyway.
fn lock_ignoring_poison<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
