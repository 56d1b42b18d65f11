//! Rounding as people and spreadsheets do it: half away from zero (12.345 → 12.35,
//! −0.5 → −1), not the banker's rounding that `Decimal::round_dp` does.

use rust_decimal::{Decimal, RoundingStrategy};

pub fn round(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// A computed float as an exact decimal, rounded to `decimals` (0 when it is
/// not a number: a statistic of nothing).
pub fn from_f64(value: f64, decimals: u32) -> Decimal {
    use rust_decimal::prelude::FromPrimitive;
    Decimal::from_f64(value)
        .map(|value| round(value, decimals))
        .unwrap_or_default()
}

/// An amount in the currency's minor unit (cents).
pub fn cents(value: Decimal) -> Decimal {
    round(value, 2)
}

#[cfg(test)]
mod tests {
    use super::{cents, round};
    use rust_decimal::Decimal;

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(cents(Decimal::new(12_345, 3)), Decimal::new(1235, 2));
        assert_eq!(
            cents(Decimal::new(12_225, 3)),
            Decimal::new(1223, 2),
            "not to the even 12.22"
        );
        assert_eq!(round(Decimal::new(-5, 1), 0), Decimal::from(-1));
        assert_eq!(round(Decimal::new(25, 1), 0), Decimal::from(3));
    }
}
