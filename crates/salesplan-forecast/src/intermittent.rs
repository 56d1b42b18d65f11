//! Intermittent demand (many months without a sale): Croston's method and its
//! TSB variant (Teunter, Syntetos & Babai, 2011), which also follows a demand that dies out.

/// Croston: smooths the sizes of the non-zero demands and the intervals between
/// them (both by α); the forecast is size ÷ interval, flat.
pub fn croston(y: &[f64], alpha: f64, horizon: usize) -> Vec<f64> {
    let mut size: Option<f64> = None;
    let mut interval = 1.0;
    let mut since = 1.0;
    for &value in y {
        if value > 0.0 {
            match size {
                None => {
                    size = Some(value);
                    interval = since;
                }
                Some(previous) => {
                    size = Some(previous + alpha * (value - previous));
                    interval += alpha * (since - interval);
                }
            }
            since = 1.0;
        } else {
            since += 1.0;
        }
    }
    vec![size.map_or(0.0, |size| size / interval); horizon]
}

/// TSB: smooths the size of the non-zero demands (α) and, every month, the
/// probability that there is a demand (β); the forecast is probability × size.
pub fn tsb(y: &[f64], alpha: f64, beta: f64, horizon: usize) -> Vec<f64> {
    let Some(first) = y.iter().position(|value| *value > 0.0) else {
        return vec![0.0; horizon];
    };
    let mut size = y[first];
    let mut probability = 1.0 / (first + 1) as f64;
    for &value in &y[first + 1..] {
        let happened = if value > 0.0 { 1.0 } else { 0.0 };
        probability += beta * (happened - probability);
        if value > 0.0 {
            size += alpha * (value - size);
        }
    }
    vec![probability * size; horizon]
}

#[cfg(test)]
mod tests {
    use super::*;

    // Worked by hand, step by step, with α = 0.5 (and β = 0.5 for TSB):
    // demands 4 (month 2), 6 (month 5), 2 (month 6).
    const Y: [f64; 7] = [0.0, 4.0, 0.0, 0.0, 6.0, 2.0, 0.0];

    #[test]
    fn croston_divides_the_smoothed_size_by_the_smoothed_interval() {
        // size 4 → 5 → 3.5; interval 2 → 2.5 → 1.75; 3.5 / 1.75 = 2.
        assert_eq!(croston(&Y, 0.5, 3), [2.0; 3]);
        assert_eq!(croston(&[0.0; 5], 0.5, 2), [0.0; 2]);
    }

    #[test]
    fn tsb_multiplies_the_smoothed_size_by_the_chance_of_a_demand() {
        // size 4 → 5 → 3.5; probability ½ → ¼ → ⅛ → 9/16 → 25/32 → 25/64; 25/64 × 3.5 = 1.3671875.
        assert_eq!(tsb(&Y, 0.5, 0.5, 2), [1.3671875; 2]);
        // A demand that stopped fades away instead of staying flat.
        let fading = tsb(&[5.0, 5.0, 5.0, 0.0, 0.0, 0.0, 0.0], 0.5, 0.5, 1)[0];
        assert!(fading < 0.5, "{fading}");
    }
}
