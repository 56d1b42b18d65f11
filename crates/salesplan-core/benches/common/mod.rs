//! Timing for the benchmarks: repeated runs, reported as median and best.

use std::time::{Duration, Instant};

pub fn measure(name: &str, runs: usize, mut body: impl FnMut()) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            body();
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{name:<56} median {:>9.2} ms   best {:>9.2} ms   ({runs} runs)",
        times[runs / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
}
