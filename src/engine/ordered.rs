//! Numbered jobs run on every worker of the current rayon pool, their results
//! handed over in job order as soon as each is next.
//!
//! The run evaluates its customers in batches and must write the batches' rows in
//! customer order. Evaluating a window of batches in parallel and then writing it
//! left a core idle at every window's end (while the last batch finished, and
//! while the rows were handed to the writer); here no worker waits for the others
//! unless it is `ahead` jobs in front of the next result to deliver.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Runs `work(0)`, …, `work(jobs - 1)` on every thread of the current rayon pool
/// and passes each result to `deliver` in job order, on whichever thread finished
/// the job that was next. No job starts more than `ahead` (at least 1) jobs after
/// the next one to deliver, so at most `ahead` results wait at a time. The first
/// error of `deliver` is returned; the jobs not yet started then never start.
///
/// Neither `work` nor `deliver` may wait for other rayon jobs: a worker blocked
/// here could be the one they wait for.
pub fn in_order<T, E>(
    jobs: usize,
    ahead: usize,
    work: impl Fn(usize) -> T + Sync,
    deliver: impl FnMut(T) -> Result<(), E> + Send,
) -> Result<(), E>
where
    T: Send,
    E: Send,
{
    let shared = Shared {
        turns: Mutex::new(Turns {
            next_job: 0,
            next_delivery: 0,
            waiting: BTreeMap::new(),
            delivering: false,
            failure: None,
            abandoned: false,
        }),
        turn_taken: Condvar::new(),
        deliver: Mutex::new(deliver),
        jobs,
        ahead: ahead.max(1),
    };
    rayon::broadcast(|_| shared.work_until_done(&work));
    match shared.lock().failure.take() {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

struct Shared<T, E, D> {
    turns: Mutex<Turns<T, E>>,
    /// Signalled whenever a result is delivered or the jobs stop.
    turn_taken: Condvar,
    deliver: Mutex<D>,
    jobs: usize,
    ahead: usize,
}

struct Turns<T, E> {
    next_job: usize,
    next_delivery: usize,
    /// Results finished before their turn.
    waiting: BTreeMap<usize, T>,
    /// A thread is delivering: results that come meanwhile are its to deliver.
    delivering: bool,
    failure: Option<E>,
    /// A worker panicked: nothing more starts or is delivered.
    abandoned: bool,
}

impl<T, E, D: FnMut(T) -> Result<(), E>> Shared<T, E, D> {
    fn lock(&self) -> MutexGuard<'_, Turns<T, E>> {
        self.turns.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One worker's part: claims the next job, runs it, delivers what is due.
    fn work_until_done(&self, work: &impl Fn(usize) -> T) {
        let _on_panic = AbandonOnPanic(self);
        while let Some(job) = self.claim() {
            let result = work(job);
            let mut turns = self.lock();
            turns.waiting.insert(job, result);
            if !turns.delivering {
                turns.delivering = true;
                turns = self.deliver_due(turns);
                turns.delivering = false;
            }
        }
    }

    /// The next job to run, once it is no more than `ahead` in front of the
    /// next delivery; `None` when every job has started or the jobs stopped.
    fn claim(&self) -> Option<usize> {
        let mut turns = self.lock();
        loop {
            if turns.failure.is_some() || turns.abandoned || turns.next_job >= self.jobs {
                return None;
            }
            if turns.next_job < turns.next_delivery + self.ahead {
                turns.next_job += 1;
                return Some(turns.next_job - 1);
            }
            turns = self
                .turn_taken
                .wait(turns)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Delivers the waiting results that are next, outside the lock, until the
    /// next one has not finished.
    fn deliver_due<'s>(
        &'s self,
        mut turns: MutexGuard<'s, Turns<T, E>>,
    ) -> MutexGuard<'s, Turns<T, E>> {
        while turns.failure.is_none() && !turns.abandoned {
            let next = turns.next_delivery;
            let Some(result) = turns.waiting.remove(&next) else {
                break;
            };
            drop(turns);
            let delivered = {
                let mut deliver = self.deliver.lock().unwrap_or_else(PoisonError::into_inner);
                (*deliver)(result)
            };
            turns = self.lock();
            turns.next_delivery += 1;
            if let Err(error) = delivered {
                turns.failure = Some(error);
                turns.waiting.clear();
            }
            self.turn_taken.notify_all();
        }
        turns
    }
}

/// Wakes and stops the other workers if this one panics, so that they do not
/// wait for a result that will never come (the panic then reaches the caller).
struct AbandonOnPanic<'s, T, E, D>(&'s Shared<T, E, D>);

impl<T, E, D> Drop for AbandonOnPanic<'_, T, E, D> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut turns = self.0.turns.lock().unwrap_or_else(PoisonError::into_inner);
            turns.abandoned = true;
            turns.waiting.clear();
            self.0.turn_taken.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
    }

    proptest! {
        /// Every job runs once, and its result is delivered in order, whatever the
        /// threads, the look-ahead and the time each job takes.
        #[test]
        fn results_arrive_in_job_order(
            threads in 1usize..5,
            ahead in 0usize..6,
            spins in proptest::collection::vec(0u32..20_000, 0..40),
        ) {
            let runs = AtomicUsize::new(0);
            let mut delivered = Vec::new();
            let outcome: Result<(), ()> = pool(threads).install(|| {
                in_order(
                    spins.len(),
                    ahead,
                    |job| {
                        runs.fetch_add(1, Ordering::Relaxed);
                        (0..spins[job]).fold(job, |acc, i| std::hint::black_box(acc ^ i as usize));
                        job
                    },
                    |job| {
                        delivered.push(job);
                        Ok(())
                    },
                )
            });
            prop_assert!(outcome.is_ok());
            prop_assert_eq!(runs.load(Ordering::Relaxed), spins.len());
            prop_assert_eq!(delivered, (0..spins.len()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn no_job_starts_more_than_ahead_in_front_of_the_next_delivery() {
        let delivered = AtomicUsize::new(0);
        let outcome: Result<(), String> = pool(4).install(|| {
            in_order(
                200,
                3,
                |job| {
                    let done = delivered.load(Ordering::SeqCst);
                    assert!(job < done + 3, "job {job} started after {done} deliveries");
                    job
                },
                |_| {
                    delivered.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                },
            )
        });
        assert!(outcome.is_ok());
        assert_eq!(delivered.load(Ordering::SeqCst), 200);
    }

    #[test]
    fn the_first_delivery_error_stops_the_jobs() {
        let runs = AtomicUsize::new(0);
        let mut delivered = Vec::new();
        let outcome = pool(3).install(|| {
            in_order(
                1_000,
                2,
                |job| {
                    runs.fetch_add(1, Ordering::SeqCst);
                    job
                },
                |job| {
                    if job == 10 {
                        return Err(format!("job {job} failed"));
                    }
                    delivered.push(job);
                    Ok(())
                },
            )
        });
        assert_eq!(outcome, Err("job 10 failed".to_owned()));
        assert_eq!(delivered, (0..10).collect::<Vec<_>>());
        assert!(
            runs.load(Ordering::SeqCst) <= 12,
            "at most `ahead` past the failure"
        );
    }

    #[test]
    fn a_panicking_job_reaches_the_caller_instead_of_hanging() {
        let outcome = std::panic::catch_unwind(|| {
            pool(2).install(|| {
                in_order(
                    50,
                    2,
                    |job| assert_ne!(job, 7, "job 7 panics"),
                    |()| Ok::<(), ()>(()),
                )
            })
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn no_jobs_deliver_nothing() {
        let outcome = in_order(0, 4, |job| job, |_| Err::<(), _>("delivered"));
        assert!(outcome.is_ok());
    }
}
