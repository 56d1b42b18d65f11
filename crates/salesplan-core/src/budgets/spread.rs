//! Spreading a total over parts by weights, exactly: the parts are rounded to
//! `decimals` places and always add up to the total (largest remainder method).

use crate::error::{Error, Result};
use rust_decimal::{Decimal, RoundingStrategy};

/// Splits `total` in proportion to `weights`, each part rounded to `decimals`
/// places, the parts summing exactly to `total` (itself rounded to `decimals`).
/// Ties in the remainders go to the earlier part, so the result is deterministic.
pub fn spread(total: Decimal, weights: &[Decimal], decimals: u32) -> Result<Vec<Decimal>> {
    if weights.is_empty() {
        return Err(Error::invalid("weights", "need at least one weight"));
    }
    if weights
        .iter()
        .any(|weight| weight.is_sign_negative() && !weight.is_zero())
    {
        return Err(Error::invalid("weights", "must not be negative"));
    }
    let weight_sum: Decimal = weights.iter().sum();
    if weight_sum.is_zero() {
        return Err(Error::invalid("weights", "must not all be zero"));
    }
    let total = crate::money::round(total, decimals);
    let unit = Decimal::new(1, decimals);
    let sign = if total.is_sign_negative() {
        -Decimal::ONE
    } else {
        Decimal::ONE
    };
    let magnitude = total.abs();

    // Each part's exact share, floored to the unit; the units left over go to
    // the parts with the largest remainders.
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let exact = magnitude * weight / weight_sum;
        let floored = exact.round_dp_with_strategy(decimals, RoundingStrategy::ToZero);
        parts.push(floored);
        remainders.push((exact - floored, index));
    }
    let assigned: Decimal = parts.iter().sum();
    let mut left_over = ((magnitude - assigned) / unit).round();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders {
        if left_over <= Decimal::ZERO {
            break;
        }
        parts[index] += unit;
        left_over -= Decimal::ONE;
    }
    Ok(parts.into_iter().map(|part| part * sign).collect())
}

#[cfg(test)]
mod tests {
    use super::spread;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).expect("decimal")
    }

    fn check(total: &str, weights: &[i64], decimals: u32, expected: &[&str]) {
        let weights: Vec<Decimal> = weights
            .iter()
            .map(|weight| Decimal::from(*weight))
            .collect();
        let parts = spread(d(total), &weights, decimals).expect("spread");
        let shown: Vec<String> = parts.iter().map(Decimal::to_string).collect();
        assert_eq!(
            shown, expected,
            "spread {total} by {weights:?} at {decimals} places"
        );
        assert_eq!(
            parts.iter().sum::<Decimal>(),
            crate::money::round(d(total), decimals)
        );
    }

    #[test]
    fn parts_add_up_exactly() {
        check("100", &[1, 1, 1], 0, &["34", "33", "33"]);
        check("100.00", &[1, 1, 1], 2, &["33.34", "33.33", "33.33"]);
        check(
            "1000",
            &[1; 12],
            0,
            &[
                "84", "84", "84", "84", "83", "83", "83", "83", "83", "83", "83", "83",
            ],
        );
        check("10", &[0, 3, 1], 0, &["0", "8", "2"]);
        check("-7", &[1, 1], 0, &["-4", "-3"]);
        check(
            "0.05",
            &[1, 1, 1, 1, 1, 1],
            2,
            &["0.01", "0.01", "0.01", "0.01", "0.01", "0"],
        );
        check("12.345", &[1], 2, &["12.35"]);
    }

    #[test]
    fn an_uneven_profile_keeps_its_shape_and_the_sum() {
        let weights = [70, 72, 85, 95, 110, 130, 145, 140, 110, 90, 75, 80];
        let weights: Vec<Decimal> = weights.iter().map(|w| Decimal::from(*w)).collect();
        for total in ["1", "999", "123457", "100000.01"] {
            let parts = spread(d(total), &weights, 2).expect("spread");
            assert_eq!(parts.iter().sum::<Decimal>(), d(total));
            assert!(parts[6] >= parts[0], "July carries more than January");
        }
    }

    #[test]
    fn bad_weights_are_refused() {
        assert!(spread(d("10"), &[], 0).is_err());
        assert!(spread(d("10"), &[Decimal::ZERO, Decimal::ZERO], 0).is_err());
        assert!(spread(d("10"), &[Decimal::ONE, -Decimal::ONE], 0).is_err());
    }
}
