//! Budget vs actual, by month, quarter, year to date and full year, at any level
//! (company, department, branch, salesman, category, product), within the user's scope.
//!
//! Sign convention: variance = actual − budget. For sales (revenue) a positive
//! variance is favourable: more was sold than budgeted. (Expenses, when they come,
//! read the other way: spending above budget is unfavourable.)

use super::{OwnerKind, periods_of};
use crate::access::{Action, Actor};
use crate::error::{Error, Result};
use crate::ledger::budgets::VarianceFact;
use crate::ledger::{self, Ledger};
use crate::reference::{Department, Location, Product, ProductCategory};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VarianceLevel {
    Company,
    Department,
    Branch,
    Salesman,
    Category,
    Product,
}

impl VarianceLevel {
    pub const ALL: [VarianceLevel; 6] = [
        VarianceLevel::Company,
        VarianceLevel::Department,
        VarianceLevel::Branch,
        VarianceLevel::Salesman,
        VarianceLevel::Category,
        VarianceLevel::Product,
    ];

    fn key_of(self, fact: &VarianceFact) -> Option<Uuid> {
        match self {
            VarianceLevel::Company => None,
            VarianceLevel::Department => fact.department_id,
            VarianceLevel::Branch => fact.location_id,
            VarianceLevel::Salesman => fact.salesman_id,
            VarianceLevel::Category => Some(fact.category_id),
            VarianceLevel::Product => Some(fact.product_id),
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct VarianceQuery {
    pub fiscal_year: i32,
    /// Default "Base".
    #[ts(optional)]
    pub scenario: Option<String>,
    pub level: VarianceLevel,
    /// Which budgets add up to the plan: the salesmen's (bottom-up, the default), the departments' or the branches'.
    #[ts(optional)]
    pub basis: Option<OwnerKind>,
    /// The last month counted in "year to date", `YYYY-MM`; default: the last month with actuals.
    #[ts(optional)]
    pub through: Option<String>,
    /// Drill-down: count only what lies within these (a branch, then a salesman in it…).
    #[serde(default)]
    #[ts(optional)]
    pub within: Option<Vec<DrillStep>>,
}

/// One step of a drill-down: a row picked at a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DrillStep {
    pub level: VarianceLevel,
    pub key: Uuid,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct VarianceCell {
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub budget: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub actual: Decimal,
    /// actual − budget: positive is favourable for sales.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub variance: Decimal,
    /// variance ÷ budget in %, one decimal; none when the budget is zero.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub variance_percent: Option<Decimal>,
}

impl VarianceCell {
    pub fn new(budget: Decimal, actual: Decimal) -> VarianceCell {
        let variance = actual - budget;
        let variance_percent = (!budget.is_zero())
            .then(|| crate::money::round(variance / budget * Decimal::from(100), 1));
        VarianceCell {
            budget,
            actual,
            variance,
            variance_percent,
        }
    }

    fn sum<'a>(cells: impl Iterator<Item = &'a VarianceCell>) -> VarianceCell {
        let (budget, actual) = cells.fold((Decimal::ZERO, Decimal::ZERO), |(b, a), cell| {
            (b + cell.budget, a + cell.actual)
        });
        VarianceCell::new(budget, actual)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VarianceRow {
    /// The id of the department, branch, salesman, category or product; none for the company.
    pub key: Option<Uuid>,
    pub label: String,
    /// One per month of the fiscal year.
    pub months: Vec<VarianceCell>,
    pub quarters: Vec<VarianceCell>,
    pub year_to_date: VarianceCell,
    pub full_year: VarianceCell,
}

impl VarianceRow {
    fn new(
        key: Option<Uuid>,
        label: String,
        budget: &[Decimal; 12],
        actual: &[Decimal; 12],
        ytd_months: usize,
    ) -> VarianceRow {
        let months: Vec<VarianceCell> = (0..12)
            .map(|m| VarianceCell::new(budget[m], actual[m]))
            .collect();
        VarianceRow {
            key,
            label,
            quarters: months
                .chunks(3)
                .map(|quarter| VarianceCell::sum(quarter.iter()))
                .collect(),
            year_to_date: VarianceCell::sum(months.iter().take(ytd_months)),
            full_year: VarianceCell::sum(months.iter()),
            months,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VarianceReport {
    pub fiscal_year: i32,
    pub scenario: String,
    pub level: VarianceLevel,
    pub periods: Vec<String>,
    /// The last month counted in year to date, if any month is.
    pub year_to_date_through: Option<String>,
    pub rows: Vec<VarianceRow>,
    pub total: VarianceRow,
}

pub fn report(ledger: &Ledger, actor: &Actor, query: VarianceQuery) -> Result<VarianceReport> {
    let budget_scope = actor.scope_for(Action::ViewBudgets)?;
    let actual_scope = actor.scope_for(Action::ViewActuals)?;
    let conn = ledger.conn();
    let scenario = query.scenario.unwrap_or_else(|| "Base".into());
    let periods = periods_of(conn, query.fiscal_year)?;
    let basis = query.basis.unwrap_or(OwnerKind::Salesman);
    let budgets = ledger::budgets::budget_facts(
        conn,
        budget_scope,
        actor,
        query.fiscal_year,
        &scenario,
        basis,
    )?;
    let actuals =
        ledger::budgets::actual_facts(conn, actual_scope, actor, &periods[0], &periods[11])?;

    let through = match query.through {
        Some(through) => {
            let through = through.trim().to_owned();
            if !periods.contains(&through) {
                return Err(Error::invalid(
                    "through",
                    format!("{through} is outside fiscal year {}", query.fiscal_year),
                ));
            }
            Some(through)
        }
        None => actuals.iter().map(|fact| fact.period.clone()).max(),
    };
    let ytd_months = through
        .as_ref()
        .and_then(|through| periods.iter().position(|p| p == through))
        .map_or(0, |i| i + 1);

    let within = query.within.unwrap_or_default();
    let mut groups: HashMap<Option<Uuid>, ([Decimal; 12], [Decimal; 12])> = HashMap::new();
    for (facts, is_actual) in [(&budgets, false), (&actuals, true)] {
        for fact in facts {
            if !within
                .iter()
                .all(|step| step.level.key_of(fact) == Some(step.key))
            {
                continue;
            }
            let Some(month) = periods.iter().position(|period| *period == fact.period) else {
                continue;
            };
            let group = groups.entry(query.level.key_of(fact)).or_default();
            let cells = if is_actual {
                &mut group.1
            } else {
                &mut group.0
            };
            cells[month] += fact.amount;
        }
    }

    let labels = labels(conn, query.level)?;
    let mut rows: Vec<VarianceRow> = groups
        .iter()
        .map(|(key, (budget, actual))| {
            let label = match key {
                None if query.level == VarianceLevel::Company => "Company".to_owned(),
                None => "(unassigned)".to_owned(),
                Some(id) => labels.get(id).cloned().unwrap_or_else(|| id.to_string()),
            };
            VarianceRow::new(*key, label, budget, actual, ytd_months)
        })
        .collect();
    rows.sort_by(|a, b| a.label.cmp(&b.label));
    let mut budget_total = [Decimal::ZERO; 12];
    let mut actual_total = [Decimal::ZERO; 12];
    for (budget, actual) in groups.values() {
        for m in 0..12 {
            budget_total[m] += budget[m];
            actual_total[m] += actual[m];
        }
    }
    Ok(VarianceReport {
        fiscal_year: query.fiscal_year,
        scenario,
        level: query.level,
        year_to_date_through: through.filter(|_| ytd_months > 0),
        total: VarianceRow::new(
            None,
            "Total".into(),
            &budget_total,
            &actual_total,
            ytd_months,
        ),
        rows,
        periods,
    })
}

/// Display names for the keys of a level.
pub(crate) fn labels(
    conn: &rusqlite::Connection,
    level: VarianceLevel,
) -> Result<HashMap<Uuid, String>> {
    use crate::ledger::reference::list;
    let named = |rows: Vec<(Uuid, String)>| rows.into_iter().collect::<HashMap<_, _>>();
    Ok(match level {
        VarianceLevel::Company => HashMap::new(),
        VarianceLevel::Department => named(
            list::<Department>(conn, true)?
                .into_iter()
                .map(|r| (r.id, r.fields.name))
                .collect(),
        ),
        VarianceLevel::Branch => named(
            list::<Location>(conn, true)?
                .into_iter()
                .map(|r| (r.id, r.fields.name))
                .collect(),
        ),
        VarianceLevel::Category => named(
            list::<ProductCategory>(conn, true)?
                .into_iter()
                .map(|r| (r.id, r.fields.name))
                .collect(),
        ),
        VarianceLevel::Product => named(
            list::<Product>(conn, true)?
                .into_iter()
                .map(|r| (r.id, format!("{} {}", r.fields.sku, r.fields.name)))
                .collect(),
        ),
        VarianceLevel::Salesman => named(
            ledger::users::list(conn)?
                .into_iter()
                .map(|user| (user.id, user.profile.display_name))
                .collect(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::VarianceCell;
    use rust_decimal::Decimal;

    #[test]
    fn selling_more_than_budgeted_is_a_positive_variance() {
        let above = VarianceCell::new(Decimal::from(200), Decimal::from(230));
        assert_eq!(
            (above.variance, above.variance_percent),
            (Decimal::from(30), Some(Decimal::from(15)))
        );
        let below = VarianceCell::new(Decimal::from(300), Decimal::from(200));
        assert_eq!(
            (below.variance, below.variance_percent),
            (Decimal::from(-100), Some(Decimal::new(-333, 1)))
        );
        let unbudgeted = VarianceCell::new(Decimal::ZERO, Decimal::from(5));
        assert_eq!(
            (unbudgeted.variance, unbudgeted.variance_percent),
            (Decimal::from(5), None)
        );
    }
}
