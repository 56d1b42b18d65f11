//! Spreading a total over parts by weights, exactly: the parts are rounded to
//! `decimals` places and always add up to the total (largest remainder method);
//! and the use case that shares out a product's yearly total over a budget's
//! months by a profile.

use super::{
    Budget, BudgetLine, amount_line, editable_budget, history, live_product, new_line,
    non_negative, periods_of, put_line,
};
use crate::access::Actor;
use crate::error::{Error, Result};
use crate::ledger::{self, Ledger, Reader};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

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

// ---- spreading a yearly total over a budget's months -------------------------

/// How a yearly total is shared out over the months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SpreadProfile {
    /// The same in every month.
    Flat,
    /// Like the owner's sales of this product in the year before (flat if there were none).
    LastYear,
    /// Twelve weights, first month of the fiscal year first.
    Custom {
        #[ts(type = "string[]")]
        weights: Vec<Decimal>,
    },
}

/// What a yearly total counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SpreadMeasure {
    /// Units, spread in whole units; each month's amount is quantity × its unit price.
    #[default]
    Quantity,
    /// Money, spread to the cent; each month's amount is entered directly.
    Amount,
}

/// A yearly total of one product to share out over the months.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpreadRequest {
    pub product_id: Uuid,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
    #[serde(default)]
    pub measure: SpreadMeasure,
    pub profile: SpreadProfile,
}

/// Shares out a yearly total of one product over the months by a profile, the
/// months adding up exactly to the total (whole units, or cents for an amount).
pub fn spread_total(
    ledger: &mut Ledger,
    actor: &Actor,
    budget_id: Uuid,
    request: SpreadRequest,
) -> Result<Vec<BudgetLine>> {
    non_negative("total", Some(request.total))?;
    ledger.write(Some(actor), |write| {
        let budget = editable_budget(write, actor, budget_id)?;
        let product = live_product(write.read(), request.product_id)?;
        let periods = periods_of(write.read(), budget.fiscal_year)?;
        let weights = match request.profile {
            SpreadProfile::Flat => vec![Decimal::ONE; 12],
            SpreadProfile::Custom { weights } if weights.len() != 12 => {
                return Err(Error::invalid(
                    "weights",
                    format!("need 12 weights, one per month (got {})", weights.len()),
                ));
            }
            SpreadProfile::Custom { weights } => weights,
            SpreadProfile::LastYear => last_year_profile(write.read(), &budget, product.id)?,
        };
        let decimals = match request.measure {
            SpreadMeasure::Quantity => 0,
            SpreadMeasure::Amount => 2,
        };
        let parts = spread(request.total, &weights, decimals)?;
        let mut lines = Vec::with_capacity(12);
        for (period, part) in periods.iter().zip(parts) {
            let before = ledger::budgets::get_line(write.read(), budget.id, product.id, *period)?;
            let unit_price = before
                .as_ref()
                .map_or(product.fields.list_price, |line| line.unit_price);
            let line = match request.measure {
                SpreadMeasure::Quantity => {
                    new_line(budget.id, product.id, *period, part, unit_price)
                }
                SpreadMeasure::Amount => {
                    amount_line(budget.id, product.id, *period, part, unit_price)
                }
            };
            lines.push(put_line(write, line)?);
        }
        Ok(lines)
    })
}

/// Last year's monthly quantities of a product in the owner's scope (twelve real
/// months: see `history`), as weights (flat if none).
fn last_year_profile(conn: Reader<'_>, budget: &Budget, product_id: Uuid) -> Result<Vec<Decimal>> {
    let mut weights = vec![Decimal::ZERO; 12];
    for ((product, month), (quantity, _)) in
        history::pattern_cells(conn, &budget.owner, budget.fiscal_year)?
    {
        if product == product_id {
            weights[month] += quantity.max(Decimal::ZERO);
        }
    }
    if weights.iter().all(Decimal::is_zero) {
        weights = vec![Decimal::ONE; 12];
    }
    Ok(weights)
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
