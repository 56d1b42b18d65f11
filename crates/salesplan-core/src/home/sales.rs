//! The home screen's sales figures: the latest month and the fiscal year to
//! date against last year and the approved budget, the year month by month,
//! and what rose and fell most (kept in the home digest). Read from the coarsest sales summaries that
//! hold them (V30: the months by seller, products and people by span), and the
//! budget from the variance report, so the figures are the variance screen's.

use crate::access::{Action, Actor, Scope};
use crate::budgets::periods_of;
use crate::budgets::plan::PlanCoverage;
use crate::budgets::variance::{self, VarianceLevel, VarianceQuery, VarianceReport};
use crate::error::Result;
use crate::ledger::reports::SaleColumn;
use crate::ledger::{self, Ledger};
use crate::money;
use crate::month::Month;
use crate::timestamp::Day;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// A figure against the same months of last year and against the budget.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Comparison {
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub actual: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub last_year: Decimal,
    /// (actual − last year) ÷ last year in %, one decimal; none when last year sold nothing.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub change_percent: Option<Decimal>,
    /// The approved budget; none where no approved budget covers the scope.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub budget: Option<Decimal>,
    /// The sales an approved budget covers − the budget (as on the variance screen).
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub variance: Option<Decimal>,
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub variance_percent: Option<Decimal>,
}

/// A month still running: last year and the budget count pro rata to its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MonthProgress {
    pub day: u8,
    pub days: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SalesFigures {
    /// Whose sales: "Company", the branch, the department or the salesman.
    pub scope_label: String,
    pub fiscal_year: i32,
    /// The latest month with sales in the scope (not after this month).
    pub month: Month,
    pub month_in_progress: Option<MonthProgress>,
    pub month_to_date: Comparison,
    pub year_to_date: Comparison,
    /// The budgets the plan is made of, and those not approved yet.
    pub plan: PlanCoverage,
}

/// One month of the fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TrendMonth {
    pub month: Month,
    /// None for the months after the latest one with sales.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub actual: Option<Decimal>,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub last_year: Decimal,
    /// None without an approved budget.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub budget: Option<Decimal>,
}

/// A product or a person: the fiscal year to date against the same months of last year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Mover {
    pub key: Uuid,
    pub label: String,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub actual: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub last_year: Decimal,
    /// actual − last year.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub change: Decimal,
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub change_percent: Option<Decimal>,
}

/// The five that rose most and the five that fell most, by money.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Ranking {
    pub rising: Vec<Mover>,
    pub falling: Vec<Mover>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Movers {
    pub products: Ranking,
    /// None for a salesman (his own sales are one person's).
    pub people: Option<Ranking>,
}

const RANKED: usize = 5;

/// The fiscal year the sales widgets show: the latest month with sales in the
/// reader's scope (not after this month) and where it falls.
struct SalesYear {
    scope: Scope,
    month: Month,
    fiscal_year: i32,
    periods: Vec<Month>,
    last_periods: Vec<Month>,
    /// `month`'s index in `periods`.
    through: usize,
    progress: Option<MonthProgress>,
}

impl SalesYear {
    /// None when the scope has no sales up to this month.
    fn of(ledger: &Ledger, actor: &Actor, today: Day) -> Result<Option<SalesYear>> {
        let scope = actor.scope_for(Action::ViewActuals)?;
        let conn = ledger.read();
        let Some(month) = ledger::sales::latest_month(conn, scope, actor, today.month())? else {
            return Ok(None);
        };
        let fiscal_year = crate::budgets::fiscal_year_of(conn, month)?;
        let periods = periods_of(conn, fiscal_year)?;
        let through = periods.iter().position(|p| *p == month).unwrap_or(11);
        Ok(Some(SalesYear {
            scope,
            month,
            fiscal_year,
            last_periods: periods_of(conn, fiscal_year - 1)?,
            periods,
            through,
            progress: (month == today.month()).then(|| MonthProgress {
                day: today.day_of_month(),
                days: Day::days_in(month),
            }),
        }))
    }

    /// How much of a month counts: the running month pro rata.
    fn share(&self, index: usize) -> Decimal {
        match self.progress {
            Some(progress) if index == self.through => {
                Decimal::from(progress.day) / Decimal::from(progress.days)
            }
            _ => Decimal::ONE,
        }
    }
}

/// The products and people that rose and fell most as of `today`; none when
/// the scope has no sales up to this month.
pub(crate) fn movers(ledger: &Ledger, actor: &Actor, today: Day) -> Result<Option<Movers>> {
    let Some(year) = SalesYear::of(ledger, actor, today)? else {
        return Ok(None);
    };
    let conn = ledger.read();
    let (periods, last_periods, through) = (&year.periods, &year.last_periods, year.through);
    // Each product and person: the year to date against the same months of
    // last year, the running month pro rata (a month counts in the first span
    // that holds it).
    let spans = [
        (periods[0], year.month),
        (last_periods[through], last_periods[through]),
        (last_periods[0], last_periods[through]),
    ];
    let ranked = |column: SaleColumn, level: VarianceLevel| -> Result<Ranking> {
        let sums = ledger::reports::amounts_by_span(conn, year.scope, actor, column, &spans)?;
        let totals = sums
            .into_iter()
            .filter_map(|(key, sums)| {
                key.map(|key| (key, (sums[0], sums[2] + sums[1] * year.share(through))))
            })
            .collect();
        Ok(ranking(totals, &variance::labels(conn, level)?))
    };
    Ok(Some(Movers {
        products: ranked(SaleColumn::Product, VarianceLevel::Product)?,
        people: (year.scope != Scope::Own)
            .then(|| ranked(SaleColumn::Salesman, VarianceLevel::Salesman))
            .transpose()?,
    }))
}

/// The sales figures and the year month by month as of `today`, worked out
/// together from one read; none when the scope has no sales up to this month.
pub(crate) fn sales_widgets(
    ledger: &Ledger,
    actor: &Actor,
    today: Day,
) -> Result<Option<(SalesFigures, Vec<TrendMonth>)>> {
    let Some(year) = SalesYear::of(ledger, actor, today)? else {
        return Ok(None);
    };
    let conn = ledger.read();
    let SalesYear {
        scope,
        month,
        fiscal_year,
        ref periods,
        ref last_periods,
        through,
        progress,
    } = year;
    let share = |index: usize| year.share(index);

    // Each month of this year and last year, summed over the scope.
    let mut actual = [Decimal::ZERO; 12];
    let mut last_year = [Decimal::ZERO; 12];
    let by_month =
        ledger::reports::sales_cut(conn, scope, actor, (last_periods[0], month), &[], &[])?;
    for cut in &by_month {
        let period = cut.place.period;
        if let Some(index) = periods.iter().position(|p| *p == period) {
            actual[index] += cut.amount;
        } else if let Some(index) = last_periods.iter().position(|p| *p == period) {
            last_year[index] += cut.amount;
        }
    }

    let plan = budget_plan(ledger, actor, fiscal_year, month)?;
    let budget_of = |index: usize| {
        plan.as_ref()
            .and_then(|report| report.total.months[index].budget)
    };
    // The sales an approved budget covers, which the variance counts.
    let planned_of = |index: usize| {
        plan.as_ref().and_then(|report| {
            let cell = &report.total.months[index];
            cell.budget
                .zip(cell.variance)
                .map(|(budget, variance)| budget + variance)
        })
    };
    let compare = |months: &[usize]| {
        let actual: Decimal = months.iter().map(|&i| actual[i]).sum();
        let last_year: Decimal = months.iter().map(|&i| last_year[i] * share(i)).sum();
        let budget: Option<Decimal> = months
            .iter()
            .map(|&i| budget_of(i).map(|budget| budget * share(i)))
            .sum();
        let planned: Option<Decimal> = months.iter().map(|&i| planned_of(i)).sum();
        let variance = budget
            .zip(planned)
            .map(|(budget, planned)| planned - budget);
        Comparison {
            change_percent: percent(actual - last_year, last_year),
            variance_percent: variance.zip(budget).and_then(|(v, b)| percent(v, b)),
            budget: budget.map(|budget| money::round(budget, 2)),
            variance: variance.map(|variance| money::round(variance, 2)),
            last_year: money::round(last_year, 2),
            actual,
        }
    };
    let to_date: Vec<usize> = (0..=through).collect();
    let figures = SalesFigures {
        scope_label: variance::top_label(conn, actor, scope)?,
        fiscal_year,
        month,
        month_in_progress: progress,
        month_to_date: compare(&[through]),
        year_to_date: compare(&to_date),
        plan: plan.as_ref().map(|report| report.plan).unwrap_or_default(),
    };
    let trend = periods
        .iter()
        .enumerate()
        .map(|(index, &month)| TrendMonth {
            month,
            actual: (index <= through).then_some(actual[index]),
            last_year: last_year[index],
            budget: budget_of(index),
        })
        .collect();
    Ok(Some((figures, trend)))
}

/// The approved budgets of the year as the variance screen reads them; none
/// for a user who may not see budgets.
fn budget_plan(
    ledger: &Ledger,
    actor: &Actor,
    fiscal_year: i32,
    through: Month,
) -> Result<Option<VarianceReport>> {
    if actor.scope_for(Action::ViewBudgets).is_err() {
        return Ok(None);
    }
    let report = variance::report(
        ledger,
        actor,
        VarianceQuery {
            fiscal_year,
            scenario: None,
            level: VarianceLevel::Company,
            basis: None,
            through: Some(through),
            within: None,
        },
    )?;
    Ok(Some(report))
}

fn percent(part: Decimal, of: Decimal) -> Option<Decimal> {
    (!of.is_zero()).then(|| money::round(part / of * Decimal::from(100), 1))
}

fn ranking(totals: HashMap<Uuid, (Decimal, Decimal)>, labels: &HashMap<Uuid, String>) -> Ranking {
    let mut movers: Vec<Mover> = totals
        .into_iter()
        .map(|(key, (actual, last_year))| Mover {
            key,
            label: labels.get(&key).cloned().unwrap_or_else(|| key.to_string()),
            change: money::round(actual - last_year, 2),
            change_percent: percent(actual - last_year, last_year),
            last_year: money::round(last_year, 2),
            actual,
        })
        .collect();
    movers.sort_by(|a, b| b.change.cmp(&a.change).then_with(|| a.label.cmp(&b.label)));
    let rising = movers
        .iter()
        .filter(|mover| mover.change > Decimal::ZERO)
        .take(RANKED)
        .cloned()
        .collect();
    let falling = movers
        .iter()
        .rev()
        .filter(|mover| mover.change < Decimal::ZERO)
        .take(RANKED)
        .cloned()
        .collect();
    Ranking { rising, falling }
}
