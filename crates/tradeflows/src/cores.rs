//! Work on every core, on the threads of one pool kept for the whole run.
//!
//! The load, the cube and the files each run on every core, one step after the other. They
//! used to spawn their threads at each step. On the project's 2-core machines (Linux 6.18 in
//! a VM), scheduler traces showed a thread just spawned placed on its parent's busy core
//! while the other core was idle, waiting there until the next balancing moved it: 7 to
//! 20 ms of the cube and the files ran on one core. The threads of rayon's global pool are
//! started once and stay; a thread woken for the next step is placed on an idle core, mostly
//! (the command line keeps each on its CPU: see [`pin_threads`]). The 120 factsheets of the
//! reference data: 130.9 → 116.0 ms (medians of 30 interleaved runs).

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Builds the pool with one thread per CPU this process may run on, each thread kept on its
/// CPU and its heap's room taken at once (see `reserve_heap` below); `false` when the pool is
/// built already (its first use builds it unpinned; glibc's thresholds are raised all the
/// same), and `false`, nothing done, when `RAYON_NUM_THREADS` is set or the CPUs cannot be
/// read (always, outside Linux). To be called first thing by a short run that has the
/// machine to itself: the command line does.
///
/// On the project's 2-core machines (Linux 6.18 in a VM), scheduler traces showed the two
/// threads woken for a step both placed on one CPU while the other was idle, one of them
/// waiting there, up to 4 ms, for the next balancing (in one run in three or four). Kept on
/// their CPUs, they start together: the reference run, 46.1 → 44.8 ms in the median and
/// 48.6 → 45.9 ms at the 90th percentile (61 interleaved runs). Not for a long-lived process
/// sharing its CPUs (a notebook): a thread kept on a busy CPU waits there, and each step
/// waits for its slowest thread.
pub fn pin_threads() -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::thread::{sched_getaffinity, sched_setaffinity, CpuSet};
        if std::env::var_os("RAYON_NUM_THREADS").is_some() {
            return false;
        }
        let Ok(allowed) = sched_getaffinity(None) else {
            return false;
        };
        let cpus: Vec<usize> = (0..CpuSet::MAX_CPU)
            .filter(|&c| allowed.is_set(c))
            .collect();
        if cpus.is_empty() {
            return false;
        }
        let n = cpus.len();
        reserve_heap(HEAP_RAISE);
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .start_handler(move |i| {
                let mut one = CpuSet::new();
                one.set(cpus[i % n]);
                // A hint: a thread that cannot be kept on its CPU runs on any.
                let _ = sched_setaffinity(None, &one);
                reserve_heap(HEAP_ROOM);
            })
            .build_global()
            .is_ok()
    }
    #[cfg(not(target_os = "linux"))]
    false
}

/// The block whose freeing raises glibc's thresholds (see [`reserve_heap`]): the trim
/// threshold becomes twice it.
#[cfg(target_os = "linux")]
const HEAP_RAISE: usize = 16 << 20;

/// The room each thread of the pool takes in its heap at once (see [`reserve_heap`]): more
/// than a reading thread holds at the reference size (half of the year's 9 MiB of detail,
/// and its buffers, 1.6 MB). Beyond it, the heap grows as before.
#[cfg(target_os = "linux")]
const HEAP_ROOM: usize = 12 << 20;

/// Allocates `bytes` and frees them at once, nothing written (no page is touched): with
/// glibc, a thread's heap (arena) then has that room and keeps it.
///
/// Why: glibc grows a thread's heap by what each allocation past its top needs, an
/// `mprotect` each, and gives back any top above the trim threshold (128 KiB) it frees, to
/// fault it in again later. The reading threads append the sums of one place after another:
/// 751 `mprotect`s in the reference run. Freeing one block larger than the mmap threshold
/// raises it to that block's size and the trim threshold to twice it (mallopt(3), dynamic
/// thresholds); a block below it then comes from the thread's heap, which grows once and
/// keeps the room when it is freed. Measured on the reference run: 751 → 17 `mprotect`s,
/// 5 039 → 4 705 page faults, 44.8 → 43.8 ms (medians of 21 interleaved runs); the peak, 20.6
/// → 22.8 MiB (freed memory is kept for reuse; 28.9 MiB at 3.3 million rows). Elsewhere than
/// glibc it is one allocation and nothing else. `mallopt` would say it directly, but only
/// through `unsafe` code, which the crate forbids.
#[cfg(target_os = "linux")]
fn reserve_heap(bytes: usize) {
    if cfg!(target_env = "gnu") {
        // Kept from being optimised away: an allocation freed unused may be left out.
        std::hint::black_box(Vec::<u8>::with_capacity(bytes));
    }
}

/// Runs `work` once on each thread of rayon's global pool (one per core by default), the
/// calling thread waiting; the results in the threads' order, `None` for a thread whose work
/// panicked (the others still end theirs).
pub(crate) fn each_core<R: Send>(work: impl Fn() -> R + Sync) -> Vec<Option<R>> {
    rayon::broadcast(|_| catch_unwind(AssertUnwindSafe(&work)).ok())
}

#[cfg(test)]
mod tests {
    use super::each_core;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn runs_once_on_every_thread_of_the_pool() {
        let calls = AtomicUsize::new(0);
        let got = each_core(|| calls.fetch_add(1, Ordering::Relaxed));
        assert_eq!(got.len(), rayon::current_num_threads());
        assert_eq!(calls.load(Ordering::Relaxed), got.len());
        let mut order: Vec<usize> = got.into_iter().map(|x| x.unwrap()).collect();
        order.sort_unstable();
        assert_eq!(order, (0..order.len()).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_is_a_none_and_the_others_end() {
        let next = AtomicUsize::new(0);
        let got = each_core(|| {
            if next.fetch_add(1, Ordering::Relaxed) == 0 {
                panic!("first thread fails");
            }
            7
        });
        assert_eq!(got.iter().filter(|x| x.is_none()).count(), 1);
        assert!(got.iter().flatten().all(|&x| x == 7));
    }
}
