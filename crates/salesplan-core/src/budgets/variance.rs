//! Budget vs actual, by month, quarter, year to date and full year, at any level
//! (company, department, branch, salesman, category, product), within the user's scope.
//!
//! Sign convention: variance = actual − budget. For sales (revenue) a positive
//! variance is favourable: more was sold than budgeted. (Expenses, when they come,
//! read the other way: spending above budget is unfavourable.)

use super::plan::{Plan, PlanCoverage, PlanOf};
use super::{OwnerKind, periods_of};
use crate::access::{Action, Actor, Scope};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::budgets::{Grain, VarianceFact};
use crate::ledger::reports::SaleColumn;
use crate::ledger::{self, Ledger};
use crate::month::Month;
use crate::reference::{Department, Location, Product, ProductCategory};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
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

    /// The sales column a level's rows are keyed by; none for the company.
    pub(crate) fn sale_column(self) -> Option<SaleColumn> {
        match self {
            VarianceLevel::Company => None,
            VarianceLevel::Department => Some(SaleColumn::Department),
            VarianceLevel::Branch => Some(SaleColumn::Location),
            VarianceLevel::Salesman => Some(SaleColumn::Salesman),
            VarianceLevel::Category => Some(SaleColumn::Category),
            VarianceLevel::Product => Some(SaleColumn::Product),
        }
    }

    pub(crate) fn key_of(self, fact: &VarianceFact) -> Option<Uuid> {
        match self {
            VarianceLevel::Company => None,
            VarianceLevel::Department => fact.department_id,
            VarianceLevel::Branch => fact.location_id,
            VarianceLevel::Salesman => fact.salesman_id,
            VarianceLevel::Category => Some(fact.category_id),
            VarianceLevel::Product => fact.product_id,
        }
    }
}

/// How finely the sales are read for these levels: by product only where
/// one of them is products.
pub(crate) fn grain_of(mut levels: impl Iterator<Item = VarianceLevel>) -> Grain {
    match levels.any(|level| level == VarianceLevel::Product) {
        true => Grain::Product,
        false => Grain::Seller,
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
    pub through: Option<Month>,
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

impl DrillStep {
    /// Whether a fact lies within every step of a drill-down.
    pub(crate) fn all_hold(steps: &[DrillStep], fact: &VarianceFact) -> bool {
        steps
            .iter()
            .all(|step| step.level.key_of(fact) == Some(step.key))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct VarianceCell {
    /// The approved budget; none where no approved budget covers the row.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub budget: Option<Decimal>,
    /// Every actual sale of the row, planned or not.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub actual: Decimal,
    /// Actual − budget over the sales an approved budget covers: positive is
    /// favourable for sales; none without a budget (a missing plan is no variance).
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub variance: Option<Decimal>,
    /// variance ÷ budget in %, one decimal; none when the budget is zero or missing.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub variance_percent: Option<Decimal>,
    /// The part of `actual` that an approved budget covers.
    #[serde(skip)]
    #[ts(skip)]
    planned_actual: Decimal,
}

impl VarianceCell {
    /// A cell from its budget (none: unplanned), all its actuals and the planned part of them.
    pub fn new(budget: Option<Decimal>, actual: Decimal, planned_actual: Decimal) -> VarianceCell {
        let variance = budget.map(|budget| planned_actual - budget);
        let variance_percent = budget.zip(variance).and_then(|(budget, variance)| {
            (!budget.is_zero())
                .then(|| crate::money::round(variance / budget * Decimal::from(100), 1))
        });
        VarianceCell {
            budget,
            actual,
            variance,
            variance_percent,
            planned_actual,
        }
    }

    fn sum<'a>(planned: bool, cells: impl Iterator<Item = &'a VarianceCell>) -> VarianceCell {
        let (budget, actual, planned_actual) = cells.fold(
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO),
            |(b, a, p), cell| {
                (
                    b + cell.budget.unwrap_or_default(),
                    a + cell.actual,
                    p + cell.planned_actual,
                )
            },
        );
        VarianceCell::new(planned.then_some(budget), actual, planned_actual)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VarianceRow {
    /// The id of the department, branch, salesman, category or product; none for the company.
    pub key: Option<Uuid>,
    pub label: String,
    /// Whether an approved budget covers any of the row; without one, no budget or variance is shown.
    pub planned: bool,
    /// One per month of the fiscal year.
    pub months: Vec<VarianceCell>,
    pub quarters: Vec<VarianceCell>,
    pub year_to_date: VarianceCell,
    pub full_year: VarianceCell,
}

/// What a row adds up, month by month.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    budget: [Decimal; 12],
    actual: [Decimal; 12],
    planned_actual: [Decimal; 12],
    planned: bool,
}

impl Sums {
    fn add(&mut self, other: &Sums) {
        for m in 0..12 {
            self.budget[m] += other.budget[m];
            self.actual[m] += other.actual[m];
            self.planned_actual[m] += other.planned_actual[m];
        }
        self.planned |= other.planned;
    }

    fn into_row(self, key: Option<Uuid>, label: String, ytd_months: usize) -> VarianceRow {
        let months: Vec<VarianceCell> = (0..12)
            .map(|m| {
                VarianceCell::new(
                    self.planned.then_some(self.budget[m]),
                    self.actual[m],
                    self.planned_actual[m],
                )
            })
            .collect();
        VarianceRow {
            key,
            label,
            planned: self.planned,
            quarters: months
                .chunks(3)
                .map(|quarter| VarianceCell::sum(self.planned, quarter.iter()))
                .collect(),
            year_to_date: VarianceCell::sum(self.planned, months.iter().take(ytd_months)),
            full_year: VarianceCell::sum(self.planned, months.iter()),
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
    pub periods: Vec<Month>,
    /// The last month counted in year to date, if any month is.
    pub year_to_date_through: Option<Month>,
    pub rows: Vec<VarianceRow>,
    pub total: VarianceRow,
    /// The budgets the plan is made of, and those not approved yet.
    pub plan: PlanCoverage,
    /// Sales of the year to date that no approved budget covers: shown as actuals, not counted as variance.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub unplanned_to_date: Decimal,
}

pub fn report(ledger: &Ledger, actor: &Actor, query: VarianceQuery) -> Result<VarianceReport> {
    let budget_scope = actor.scope_for(Action::ViewBudgets)?;
    let actual_scope = actor.scope_for(Action::ViewActuals)?;
    let conn = ledger.read();
    let scenario = query.scenario.unwrap_or_else(|| "Base".into());
    let periods = periods_of(conn, query.fiscal_year)?;
    let basis = query.basis.unwrap_or(OwnerKind::Salesman);
    let of = PlanOf {
        fiscal_year: query.fiscal_year,
        scenario: &scenario,
        basis,
    };
    let budgets = ledger::budgets::budget_facts(conn, budget_scope, actor, of)?;
    let plan = Plan::load(conn, budget_scope, actor, of)?;
    let within = query.within.unwrap_or_default();
    let actuals = ledger::budgets::actual_facts(
        conn,
        actual_scope,
        actor,
        (periods[0], periods[11]),
        grain_of(within.iter().map(|step| step.level).chain([query.level])),
    )?;

    let through = match query.through {
        Some(through) => {
            if !periods.contains(&through) {
                return Err(Error::invalid(
                    "through",
                    format!("{through} is outside fiscal year {}", query.fiscal_year),
                ));
            }
            Some(through)
        }
        None => actuals.iter().map(|fact| fact.period).max(),
    };
    let ytd_months = through
        .as_ref()
        .and_then(|through| periods.iter().position(|p| p == through))
        .map_or(0, |i| i + 1);

    let mut groups: HashMap<Option<Uuid>, Sums> = HashMap::new();
    for (facts, is_actual) in [(&budgets, false), (&actuals, true)] {
        for fact in facts {
            if !DrillStep::all_hold(&within, fact) {
                continue;
            }
            let Some(month) = periods.iter().position(|period| *period == fact.period) else {
                continue;
            };
            let group = groups.entry(query.level.key_of(fact)).or_default();
            if !is_actual {
                group.budget[month] += fact.amount;
                group.planned = true;
                continue;
            }
            group.actual[month] += fact.amount;
            if plan.covers(fact.salesman_id, fact.department_id, fact.location_id) {
                group.planned_actual[month] += fact.amount;
                group.planned = true;
            }
        }
    }

    let labels = labels(conn, query.level)?;
    let top = top_label(conn, actor, actual_scope)?;
    let mut total = Sums::default();
    let mut rows: Vec<VarianceRow> = groups
        .into_iter()
        .map(|(key, sums)| {
            total.add(&sums);
            let label = match key {
                None if query.level == VarianceLevel::Company => top.clone(),
                None => "(unassigned)".to_owned(),
                Some(id) => labels.get(&id).cloned().unwrap_or_else(|| id.to_string()),
            };
            sums.into_row(key, label, ytd_months)
        })
        .collect();
    rows.sort_by(|a, b| a.label.cmp(&b.label));
    let total = total.into_row(None, "Total".into(), ytd_months);
    Ok(VarianceReport {
        fiscal_year: query.fiscal_year,
        scenario,
        level: query.level,
        year_to_date_through: through.filter(|_| ytd_months > 0),
        plan: plan.coverage,
        unplanned_to_date: total.year_to_date.actual - total.year_to_date.planned_actual,
        total,
        rows,
        periods,
    })
}

/// The name of the top row (the company level) as the actor sees it: "Company"
/// for the whole company, else the branch, department or salesman the scope is.
pub(crate) fn top_label(conn: Reader<'_>, actor: &Actor, scope: Scope) -> Result<String> {
    use crate::ledger::reference::get;
    let named = |name: Option<String>| name.unwrap_or_else(|| "Company".to_owned());
    Ok(match scope {
        Scope::All => "Company".to_owned(),
        Scope::Own => actor.display_name.clone(),
        Scope::Location => named(match actor.location_id {
            Some(id) => get::<Location>(conn, id)?.map(|row| row.fields.name),
            None => None,
        }),
        Scope::Department => named(match actor.department_id {
            Some(id) => get::<Department>(conn, id)?.map(|row| row.fields.name),
            None => None,
        }),
    })
}

/// Display names for the keys of a level.
pub(crate) fn labels(conn: Reader<'_>, level: VarianceLevel) -> Result<HashMap<Uuid, String>> {
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
        let cell = |budget: Option<i64>, actual: i64, planned: i64| {
            let cell = VarianceCell::new(
                budget.map(Decimal::from),
                Decimal::from(actual),
                Decimal::from(planned),
            );
            (cell.variance, cell.variance_percent)
        };
        assert_eq!(
            cell(Some(200), 230, 230),
            (Some(Decimal::from(30)), Some(Decimal::from(15)))
        );
        assert_eq!(
            cell(Some(300), 200, 200),
            (Some(Decimal::from(-100)), Some(Decimal::new(-333, 1)))
        );
        assert_eq!(
            cell(Some(0), 5, 5),
            (Some(Decimal::from(5)), None),
            "budgeted at zero"
        );
        assert_eq!(cell(None, 5, 0), (None, None), "no plan is no variance");
        assert_eq!(
            cell(Some(100), 180, 90),
            (Some(Decimal::from(-10)), Some(Decimal::from(-10))),
            "only the planned part of the actuals counts"
        );
    }
}
