//! Many series at once, on every core: the series are handed out in small
//! chunks to one worker per core; progress is reported as chunks finish, and a
//! `false` from the progress callback stops every worker (the run is cancelled).

use crate::select::{Choice, Request, choose};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const CHUNK: usize = 32;

/// Forecasts every history; `None` when `progress(done, total)` asked to stop.
pub fn choose_all(
    histories: &[Vec<f64>],
    period: usize,
    horizon: usize,
    request: Request,
    progress: &(dyn Fn(usize, usize) -> bool + Sync),
) -> Option<Vec<Choice>> {
    let total = histories.len();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(total.div_ceil(CHUNK))
        .max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let results: Mutex<Vec<Option<Choice>>> = Mutex::new(vec![None; total]);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let first = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if first >= total {
                        return;
                    }
                    let last = (first + CHUNK).min(total);
                    let chosen: Vec<Choice> = histories[first..last]
                        .iter()
                        .map(|y| choose(y, period, horizon, request))
                        .collect();
                    if let Ok(mut results) = results.lock() {
                        for (slot, choice) in results[first..last].iter_mut().zip(chosen) {
                            *slot = Some(choice);
                        }
                    }
                    let finished = done.fetch_add(last - first, Ordering::Relaxed) + last - first;
                    if !progress(finished, total) {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    if stop.load(Ordering::Relaxed) {
        return None;
    }
    results
        .into_inner()
        .ok()?
        .into_iter()
        .collect::<Option<Vec<Choice>>>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::auto;

    fn histories(count: usize) -> Vec<Vec<f64>> {
        (0..count)
            .map(|n| (0..30).map(|t| ((n * 7 + t * 3) % 11) as f64).collect())
            .collect()
    }

    #[test]
    fn every_series_gets_the_choice_it_gets_alone_in_its_place() {
        let all = histories(100);
        let calls = AtomicUsize::new(0);
        let chosen = choose_all(&all, 12, 6, Request::Auto, &|_, _| {
            calls.fetch_add(1, Ordering::Relaxed);
            true
        })
        .expect("not cancelled");
        assert_eq!(chosen.len(), 100);
        for (y, choice) in all.iter().zip(&chosen) {
            assert_eq!(*choice, auto(y, 12, 6));
        }
        assert_eq!(calls.load(Ordering::Relaxed), 100usize.div_ceil(CHUNK));
    }

    #[test]
    fn a_false_from_progress_cancels_the_run() {
        let all = histories(1_000);
        let calls = AtomicUsize::new(0);
        let outcome = choose_all(&all, 12, 6, Request::Auto, &|_, _| {
            calls.fetch_add(1, Ordering::Relaxed);
            false
        });
        assert!(outcome.is_none());
        // Each worker stops after the chunk it was on.
        assert!(calls.load(Ordering::Relaxed) <= 2 * 2, "{calls:?}");
    }
}
