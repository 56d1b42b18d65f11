//! Automatic method selection over many series (issue #5's scale: 10,000 series
//! × 36 months, 12-month horizon): on one thread, then on every core.
//!
//! cargo bench -p salesplan-forecast --bench auto

use salesplan_forecast::batch::choose_all;
use salesplan_forecast::select::{Method, Request, auto};
use std::collections::HashMap;
use std::time::Instant;

/// A deterministic mix: seasonal with growth, flat with noise, trending, sparse.
fn series(n: usize) -> Vec<f64> {
    let mut seed = n as u64 * 2_654_435_761 + 1;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 1000) as f64 / 1000.0 - 0.5
    };
    let shape = [0.6, 0.7, 0.9, 1.0, 1.1, 1.3, 1.5, 1.4, 1.1, 0.9, 0.8, 0.7];
    (0..36)
        .map(|t| match n % 4 {
            0 => (100.0 + 2.0 * t as f64) * shape[t % 12] + 10.0 * noise(),
            1 => 50.0 + 20.0 * noise(),
            2 => 20.0 + 1.5 * t as f64 + 5.0 * noise(),
            _ => {
                if noise() > 0.3 {
                    5.0
                } else {
                    0.0
                }
            }
        })
        .collect()
}

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let count = if smoke { 200 } else { 10_000 };
    let all: Vec<Vec<f64>> = (0..count).map(series).collect();
    let start = Instant::now();
    let mut chosen: HashMap<Method, usize> = HashMap::new();
    for y in &all {
        let choice = auto(y, 12, 12);
        assert!(choice.forecast.iter().all(|value| value.is_finite()));
        *chosen.entry(choice.method).or_default() += 1;
    }
    let elapsed = start.elapsed();
    println!(
        "10,000 series × 36 months, auto-selection and a 12-month forecast, one thread: {:.0} ms",
        elapsed.as_secs_f64() * 1e3
    );
    let mut counts: Vec<_> = chosen
        .into_iter()
        .map(|(method, n)| (method.key(), n))
        .collect();
    counts.sort();
    println!("methods chosen: {counts:?}");

    let start = Instant::now();
    let chosen = choose_all(&all, 12, 12, Request::Auto, &|_, _| true);
    let elapsed = start.elapsed();
    assert_eq!(chosen.map(|all| all.len()), Some(count));
    println!(
        "the same on {} threads: {:.0} ms",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        elapsed.as_secs_f64() * 1e3
    );
}
