//! The pool's threads kept on their CPUs (`tradeflows::pin_threads`), in a process of its
//! own: the pool is built once per process.

/// On Linux, the pool is built with a thread per allowed CPU, each kept on one CPU, all of
/// them used; a second call does nothing; the work on the pool gives the same figures.
#[cfg(target_os = "linux")]
#[test]
fn the_pool_threads_are_kept_on_their_cpus() {
    use rustix::thread::{sched_getaffinity, CpuSet};
    let allowed = sched_getaffinity(None).expect("the process's CPUs");
    let cpus: Vec<usize> = (0..CpuSet::MAX_CPU)
        .filter(|&c| allowed.is_set(c))
        .collect();
    if std::env::var_os("RAYON_NUM_THREADS").is_some() {
        assert!(!tradeflows::pin_threads());
        return;
    }
    assert!(tradeflows::pin_threads());
    assert!(!tradeflows::pin_threads(), "the pool is built once");
    assert_eq!(rayon::current_num_threads(), cpus.len());
    // Each thread on one CPU, and each allowed CPU with its thread.
    let mut on: Vec<usize> = rayon::broadcast(|_| {
        let set = sched_getaffinity(None).expect("a thread's CPUs");
        let mine: Vec<usize> = (0..CpuSet::MAX_CPU).filter(|&c| set.is_set(c)).collect();
        assert_eq!(mine.len(), 1, "one CPU a thread: {mine:?}");
        mine[0]
    });
    on.sort_unstable();
    assert_eq!(on, cpus);
    // The demonstration data read in pieces on the pinned pool gives the factsheets its rows
    // give, aggregated on one thread.
    let level = tradeflows::Level::A129;
    let summary = tradeflows::Summary::demo(level).expect("the demo data, aggregated");
    let rows = tradeflows::Dataset::demo().expect("the demo data, as rows");
    let (a, b) = (
        summary.cube(None, level).expect("a cube"),
        rows.cube(None, level).expect("a cube"),
    );
    let options = tradeflows::FactsheetOptions::default();
    for t in tradeflows::Territory::all() {
        assert_eq!(
            summary.factsheet_from(&a, &t, &options),
            rows.factsheet_from(&b, &t, &options),
        );
    }
}
