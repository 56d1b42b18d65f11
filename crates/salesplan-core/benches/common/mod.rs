//! Timing for the benchmarks: repeated runs, reported as median, best and
//! worst (an upper bound of the p95);
//! one run each at the smoke size (`cargo test --benches`, without `--bench`).

use std::time::{Duration, Instant};

pub fn measure(name: &str, runs: usize, mut body: impl FnMut()) {
    // SALESPLAN_BENCH_ONLY=text measures only what names it.
    if std::env::var("SALESPLAN_BENCH_ONLY").is_ok_and(|only| !name.contains(&only)) {
        return;
    }
    let runs = if std::env::args().any(|arg| arg == "--bench") {
        runs
    } else {
        1
    };
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            body();
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{name:<56} median {:>9.2} ms   best {:>9.2} ms   worst {:>9.2} ms   ({runs} runs)",
        times[runs / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3
    );
}
