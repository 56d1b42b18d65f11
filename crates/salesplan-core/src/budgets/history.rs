//! A year of an owner's actual sales as the pattern for a new budget: always
//! twelve real months, whatever the date the budget is made on.
//!
//! Each month of the fiscal year follows the same month of last year; while that
//! month has not ended yet, or the owner sold nothing in it, it follows the same
//! month of the latest earlier year that has ended and has sales. So a budget for
//! next year made in March takes January and February from this year and March
//! to December from last year, not a year of two months.

use super::{BudgetOwner, periods_of};
use crate::error::Result;
use crate::ledger;
use crate::ledger::Reader;
use crate::month::Month;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

/// How many years back a month may reach for its pattern.
const YEARS_BACK: i32 = 3;

/// Actual quantity and amount per (product, month of the fiscal year).
pub(crate) type Cells = BTreeMap<(Uuid, usize), (Decimal, Decimal)>;

/// The owner's actuals the budget of `fiscal_year` follows, per (product, month
/// of the fiscal year), as of today.
pub(crate) fn pattern_cells(
    conn: Reader<'_>,
    owner: &BudgetOwner,
    fiscal_year: i32,
) -> Result<Cells> {
    let years: Vec<Vec<Month>> = (1..=YEARS_BACK)
        .map(|back| periods_of(conn, fiscal_year - back))
        .collect::<Result<_>>()?;
    let (Some(latest), Some(earliest)) = (years.first(), years.last()) else {
        return Ok(Cells::new());
    };
    let actuals = ledger::budgets::actuals_of_owner(conn, owner, earliest[0], latest[11])?;
    let with_sales: HashSet<Month> = actuals.iter().map(|(_, period, _, _)| *period).collect();
    let sources = source_months(&years, Month::current(), &with_sales);
    let mut cells = Cells::new();
    for (product_id, period, quantity, amount) in &actuals {
        if let Some(month) = sources.iter().position(|source| *source == Some(*period)) {
            let cell = cells.entry((*product_id, month)).or_default();
            cell.0 += *quantity;
            cell.1 += *amount;
        }
    }
    Ok(cells)
}

/// For each of the twelve months, the period it follows: of `years` (the fiscal
/// years before the budget's, latest first), the first whose month has ended
/// before `this_month` and has sales; none when no year has.
fn source_months(
    years: &[Vec<Month>],
    this_month: Month,
    with_sales: &HashSet<Month>,
) -> Vec<Option<Month>> {
    (0..12)
        .map(|month| {
            years
                .iter()
                .map(|periods| periods[month])
                .find(|period| *period < this_month && with_sales.contains(period))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budgets::fiscal_periods;

    /// The periods each month of `fiscal_year` follows when the owner sold in
    /// every month from `first_sale` up to the month before `today`.
    fn check(fiscal_year: i32, start_month: u8, first_sale: &str, today: &str, expected: &[&str]) {
        let today = Month::parse("today", today).expect("a month");
        let first = Month::parse("first", first_sale).expect("a month");
        let with_sales: HashSet<Month> = (0..today.since(first)).map(|n| first.plus(n)).collect();
        let years: Vec<Vec<Month>> = (1..=YEARS_BACK)
            .map(|back| fiscal_periods(fiscal_year - back, start_month))
            .collect();
        let sources = source_months(&years, today, &with_sales);
        let shown: Vec<String> = sources
            .iter()
            .map(|s| s.map_or_else(|| "-".to_owned(), |month| month.to_string()))
            .collect();
        assert_eq!(
            shown, expected,
            "budget {fiscal_year} (year from month {start_month}) made in {today}"
        );
    }

    #[test]
    fn every_month_follows_a_month_that_has_ended_and_has_sales() {
        // Made in March for next year: January and February of this year, the rest of last year.
        check(
            2028,
            1,
            "2024-03",
            "2027-03",
            &[
                "2027-01", "2027-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
                "2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
            ],
        );
        // Made on New Year's Day for the year that starts: all of last year.
        check(
            2027,
            1,
            "2024-01",
            "2027-01",
            &[
                "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
                "2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
            ],
        );
        // Made in January for next year: nothing of this year has ended.
        check(
            2028,
            1,
            "2024-01",
            "2027-01",
            &[
                "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
                "2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
            ],
        );
        // Made in December: December, not over, follows the year before.
        check(
            2027,
            1,
            "2023-12",
            "2026-12",
            &[
                "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
                "2026-08", "2026-09", "2026-10", "2026-11", "2025-12",
            ],
        );
        // A fiscal year from April, made in February: the year before's February and March.
        check(
            2027,
            4,
            "2024-01",
            "2027-02",
            &[
                "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
                "2026-11", "2026-12", "2027-01", "2026-02", "2026-03",
            ],
        );
        // Sales only since last June: the months before follow nothing.
        check(
            2027,
            1,
            "2026-06",
            "2026-12",
            &[
                "-", "-", "-", "-", "-", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
                "2026-11", "-",
            ],
        );
    }
}
