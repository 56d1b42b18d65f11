//! The simplest forecasts: the same month a season ago, and the mean of the last months.

/// Seasonal naive: each future month repeats the same month of the last cycle
/// (the last value when the history is shorter than a cycle).
pub fn seasonal_naive(y: &[f64], period: usize, horizon: usize) -> Vec<f64> {
    let n = y.len();
    if n == 0 {
        return vec![0.0; horizon];
    }
    (0..horizon)
        .map(|h| {
            if n >= period && period > 0 {
                y[n - period + h % period]
            } else {
                y[n - 1]
            }
        })
        .collect()
}

/// The mean of the last `window` months, flat.
pub fn moving_average(y: &[f64], window: usize, horizon: usize) -> Vec<f64> {
    let take = window.min(y.len()).max(1);
    let tail = &y[y.len().saturating_sub(take)..];
    let mean = if tail.is_empty() {
        0.0
    } else {
        tail.iter().sum::<f64>() / tail.len() as f64
    };
    vec![mean; horizon]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_naive_repeats_last_years_months() {
        let y: Vec<f64> = (1..=24).map(f64::from).collect();
        assert_eq!(seasonal_naive(&y, 12, 14)[..3], [13.0, 14.0, 15.0]);
        assert_eq!(seasonal_naive(&y, 12, 14)[12..], [13.0, 14.0]);
        assert_eq!(
            seasonal_naive(&[5.0, 7.0], 12, 2),
            [7.0, 7.0],
            "shorter than a cycle: the last value"
        );
        assert_eq!(seasonal_naive(&[], 12, 2), [0.0, 0.0]);
    }

    #[test]
    fn moving_average_is_the_mean_of_the_last_months() {
        assert_eq!(moving_average(&[1.0, 2.0, 3.0, 9.0], 3, 2), [14.0 / 3.0; 2]);
        assert_eq!(moving_average(&[4.0], 3, 1), [4.0]);
    }
}
