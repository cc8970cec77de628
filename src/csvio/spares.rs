//! Buffers of parsed chunks, handed back to be read into again, each worker
//! getting back the one it parsed last.
//!
//! A 4 MiB buffer last parsed on one core and read into on the other had to have
//! its cache lines pulled over from the first core one by one; read into on the
//! core that parsed it, its lines are at hand. At 100k customers the reading phase
//! took 9% less CPU time so (docs/performance.md). Fresh buffers are no answer:
//! the kernel would page-fault and zero each one.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// The buffers not in use, by the worker that gave them back.
#[derive(Debug, Default)]
pub(super) struct Spares {
    /// Per rayon worker (by its index in the pool), the buffer it gave back last.
    own: Vec<Mutex<Option<Vec<u8>>>>,
    /// Buffers given back outside the pool, or pushed out of a worker's slot.
    shared: Mutex<Vec<Vec<u8>>>,
}

impl Spares {
    /// Slots for the workers of the current rayon pool.
    pub(super) fn for_current_pool() -> Spares {
        Spares {
            own: (0..rayon::current_num_threads())
                .map(|_| Mutex::new(None))
                .collect(),
            shared: Mutex::default(),
        }
    }

    /// Gives a buffer back, as the calling worker's own.
    pub(super) fn give_back(&self, buffer: Vec<u8>) {
        let pushed_out = match self.own_slot() {
            Some(slot) => lock(slot).replace(buffer),
            None => Some(buffer),
        };
        if let Some(buffer) = pushed_out {
            self.share(buffer);
        }
    }

    /// The buffer the calling worker gave back last, if it still has one.
    pub(super) fn take_own(&self) -> Option<Vec<u8>> {
        self.own_slot().and_then(|slot| lock(slot).take())
    }

    /// Any buffer not in use: a shared one, else the calling worker's own.
    pub(super) fn take_any(&self) -> Option<Vec<u8>> {
        lock(&self.shared).pop().or_else(|| self.take_own())
    }

    /// Keeps `buffer` for anyone (its bytes were copied out).
    pub(super) fn share(&self, buffer: Vec<u8>) {
        lock(&self.shared).push(buffer);
    }

    fn own_slot(&self) -> Option<&Mutex<Option<Vec<u8>>>> {
        rayon::current_thread_index().and_then(|worker| self.own.get(worker))
    }
}

/// A lock whose holder panicked still holds whole buffers.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_gets_its_own_buffer_back_and_others_get_the_rest() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        pool.install(|| {
            let spares = Spares::for_current_pool();
            let me = rayon::current_thread_index();
            spares.give_back(vec![1]);
            spares.give_back(vec![2]);
            assert_eq!(
                spares.take_own(),
                Some(vec![2]),
                "the last given back, worker {me:?}"
            );
            assert_eq!(spares.take_own(), None);
            assert_eq!(
                spares.take_any(),
                Some(vec![1]),
                "pushed out to the shared ones"
            );
            spares.give_back(vec![3]);
            assert_eq!(
                spares.take_any(),
                Some(vec![3]),
                "its own when none is shared"
            );
            assert_eq!(spares.take_any(), None);
        });
        // Outside the pool every buffer is shared.
        let spares = Spares::for_current_pool();
        spares.give_back(vec![4]);
        assert_eq!(spares.take_own(), None);
        assert_eq!(spares.take_any(), Some(vec![4]));
    }
}
