//! Sales budgets: create (empty, from last year's actuals ± %, or as a copy),
//! edit lines, spread yearly totals over months, and move through the workflow.

mod compare;
pub mod distribute;
pub mod expenses;
mod history;
mod lines;
pub mod plan;
mod spread;
pub mod templates;
pub mod variance;
mod workflow;

pub use crate::model::budgets::{
    ApprovalStep, Budget, BudgetLine, BudgetOwner, BudgetStatus, OwnerKind, Transition,
};
pub use compare::{BudgetComparison, ComparisonRow, compare};
use lines::scaled;
pub use lines::{LineEdit, adjust, set_line, set_lines};
pub(crate) use lines::{
    amount_line, apply_edit, editable, editable_budget, line_id, live_product, new_line,
    non_negative, put_line,
};
pub use spread::{SpreadMeasure, SpreadProfile, SpreadRequest, spread, spread_total};
use workflow::may_take;
pub use workflow::transition;

use crate::access::{Action, Actor, Role};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::month::Month;
use crate::reference::{Department, Location, require_live};
use crate::timestamp::Timestamp;
use crate::validate::required_text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// Names a budget's owner: a salesman (user id), a department or a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OwnerRef {
    pub kind: OwnerKind,
    pub id: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewBudget {
    pub fiscal_year: i32,
    pub scenario: String,
    pub owner: OwnerRef,
    /// Start from the owner's actuals of the year before, changed by this percentage (5 = +5 %).
    #[ts(type = "string | null")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub from_last_year_percent: Option<Decimal>,
    /// Or start from a template's lines, spread by its seasonality.
    #[serde(default)]
    pub template_id: Option<Uuid>,
}

/// A budget with its lines, totals and workflow history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BudgetSheet {
    pub budget: Budget,
    /// The 12 months of the fiscal year, `YYYY-MM`.
    pub periods: Vec<Month>,
    pub lines: Vec<BudgetLine>,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub total_amount: Decimal,
    pub history: Vec<ApprovalStep>,
    /// Expense lines with allocated, spent and remaining.
    pub expenses: Vec<expenses::Expense>,
    /// The workflow steps the viewer may take now (what `transition` allows).
    pub steps: Vec<Transition>,
    /// Whether the viewer may edit its lines and expenses now.
    pub editable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BudgetSummary {
    pub budget: Budget,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub total_amount: Decimal,
}

/// The months of fiscal year `year`: named by the calendar year it starts in.
pub fn fiscal_periods(year: i32, start_month: u8) -> Vec<Month> {
    Month::new(year, start_month).range(12)
}

fn fiscal_start_month(conn: Reader<'_>) -> Result<u8> {
    Ok(ledger::settings::get(conn)?.map_or(1, |settings| settings.company.fiscal_year_start_month))
}

pub(crate) fn periods_of(conn: Reader<'_>, year: i32) -> Result<Vec<Month>> {
    Ok(fiscal_periods(year, fiscal_start_month(conn)?))
}

/// The fiscal year a month belongs to (named by the calendar year it starts in).
pub(crate) fn fiscal_year_of(conn: Reader<'_>, month: Month) -> Result<i32> {
    Ok(match month.number() >= fiscal_start_month(conn)? {
        true => month.year(),
        false => month.year() - 1,
    })
}

pub(crate) fn stored_budget(conn: Reader<'_>, id: Uuid) -> Result<Budget> {
    ledger::budgets::get_budget(conn, id)?.ok_or_else(|| Error::not_found("budget", id))
}

/// Resolves an owner to its scope facts (a salesman brings his department and branch).
fn resolve_owner(conn: Reader<'_>, owner: OwnerRef) -> Result<BudgetOwner> {
    match owner.kind {
        OwnerKind::Salesman => {
            let user = ledger::users::get(conn, owner.id)?
                .filter(|row| row.user.profile.role == Role::Salesman)
                .ok_or_else(|| {
                    Error::invalid("owner", format!("no salesman with id {}", owner.id))
                })?;
            Ok(BudgetOwner {
                kind: OwnerKind::Salesman,
                salesman_id: Some(owner.id),
                department_id: user.user.profile.department_id,
                location_id: user.user.profile.location_id,
            })
        }
        OwnerKind::Department => {
            require_live::<Department>(conn, "owner", Some(owner.id))?;
            Ok(BudgetOwner {
                kind: OwnerKind::Department,
                salesman_id: None,
                department_id: Some(owner.id),
                location_id: None,
            })
        }
        OwnerKind::Location => {
            require_live::<Location>(conn, "owner", Some(owner.id))?;
            Ok(BudgetOwner {
                kind: OwnerKind::Location,
                salesman_id: None,
                department_id: None,
                location_id: Some(owner.id),
            })
        }
    }
}

pub(super) fn percent_factor(percent: Decimal) -> Result<Decimal> {
    if percent < Decimal::from(-100) || percent > Decimal::from(1000) {
        return Err(Error::invalid(
            "percent",
            format!("must be between -100 and 1000 (got {percent})"),
        ));
    }
    Ok(Decimal::ONE + percent / Decimal::from(100))
}

fn insert_budget(
    write: &mut Write<'_>,
    actor: &Actor,
    fiscal_year: i32,
    scenario: &str,
    owner: BudgetOwner,
    copied_from: Option<Uuid>,
) -> Result<Budget> {
    if !(1900..=2999).contains(&fiscal_year) {
        return Err(Error::invalid(
            "fiscal_year",
            format!("{fiscal_year} is not a year"),
        ));
    }
    let scenario = required_text("scenario", scenario, 40)?;
    actor.require(Action::EditBudgets, &owner.resource())?;
    if ledger::budgets::find_same(write.read(), fiscal_year, &scenario, &owner)?.is_some() {
        return Err(Error::Duplicate {
            entity: "budget",
            field: "scenario",
            value: format!("{scenario} {fiscal_year}"),
        });
    }
    let currency = ledger::settings::get(write.read())?
        .map_or_else(|| "EUR".into(), |settings| settings.company.currency);
    let now = Timestamp::now();
    let budget = Budget {
        id: Uuid::now_v7(),
        fiscal_year,
        scenario,
        owner,
        owner_name: String::new(),
        currency,
        status: BudgetStatus::Draft,
        copied_from,
        created_by: actor.id,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    ledger::budgets::insert_budget(write, &budget)?;
    write.record(Change {
        entity: Entity::Budget,
        entity_id: budget.id,
        kind: ChangeKind::Created,
        payload: serde_json::to_value(&budget).unwrap_or_default(),
        base_version: None,
    })?;
    stored_budget(write.read(), budget.id)
}

// ---- use cases -------------------------------------------------------------

pub fn create(ledger: &mut Ledger, actor: &Actor, new_budget: NewBudget) -> Result<BudgetSheet> {
    actor.scope_for(Action::EditBudgets)?;
    let id = ledger.write(Some(actor), |write| {
        let owner = resolve_owner(write.read(), new_budget.owner)?;
        let budget = insert_budget(
            write,
            actor,
            new_budget.fiscal_year,
            &new_budget.scenario,
            owner,
            None,
        )?;
        match (new_budget.from_last_year_percent, new_budget.template_id) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "template_id",
                    "start from last year's actuals or from a template, not both",
                ));
            }
            (Some(percent), None) => {
                fill_from_last_year(write, &budget, percent_factor(percent)?)?;
            }
            (None, Some(template_id)) => templates::fill(write, actor, &budget, template_id)?,
            (None, None) => {}
        }
        Ok(budget.id)
    })?;
    show(ledger, actor, id)
}

/// Lines from the owner's actuals of last year (twelve real months: see
/// `history`), quantities × `factor` (whole units), at the average price per product.
fn fill_from_last_year(write: &mut Write<'_>, budget: &Budget, factor: Decimal) -> Result<()> {
    let periods = periods_of(write.read(), budget.fiscal_year)?;
    let per_cell = history::pattern_cells(write.read(), &budget.owner, budget.fiscal_year)?;
    let mut per_product: HashMap<Uuid, (Decimal, Decimal)> = HashMap::new();
    for ((product_id, _), (quantity, amount)) in &per_cell {
        let totals = per_product.entry(*product_id).or_default();
        totals.0 += *quantity;
        totals.1 += *amount;
    }
    for ((product_id, month), (quantity, _)) in per_cell {
        let (total_quantity, total_amount) = per_product[&product_id];
        let quantity = crate::money::round(quantity * factor, 0);
        if quantity <= Decimal::ZERO || total_quantity <= Decimal::ZERO {
            continue;
        }
        let unit_price = crate::money::cents(total_amount / total_quantity);
        put_line(
            write,
            new_line(budget.id, product_id, periods[month], quantity, unit_price),
        )?;
    }
    Ok(())
}

/// A new version (scenario) of a budget, its lines copied and optionally changed by a percentage.
pub fn copy(
    ledger: &mut Ledger,
    actor: &Actor,
    from: Uuid,
    scenario: &str,
    percent: Option<Decimal>,
) -> Result<BudgetSheet> {
    let factor = percent
        .map(percent_factor)
        .transpose()?
        .unwrap_or(Decimal::ONE);
    let id = ledger.write(Some(actor), |write| {
        let source = stored_budget(write.read(), from)?;
        actor.require(Action::ViewBudgets, &source.owner.resource())?;
        let budget = insert_budget(
            write,
            actor,
            source.fiscal_year,
            scenario,
            source.owner,
            Some(source.id),
        )?;
        for line in ledger::budgets::lines(write.read(), source.id)? {
            put_line(write, scaled(line, budget.id, factor))?;
        }
        Ok(budget.id)
    })?;
    show(ledger, actor, id)
}

/// The budgets in a scope that pass `keep`, each with its total.
fn summaries(
    ledger: &Ledger,
    actor: &Actor,
    scope: crate::access::Scope,
    fiscal_year: Option<i32>,
    keep: impl Fn(&Budget) -> bool,
) -> Result<Vec<BudgetSummary>> {
    let conn = ledger.read();
    let totals = ledger::budgets::totals_in_scope(conn, scope, actor)?;
    Ok(
        ledger::budgets::list_budgets(conn, scope, actor, fiscal_year)?
            .into_iter()
            .filter(|budget| keep(budget))
            .map(|budget| BudgetSummary {
                total_amount: totals.get(&budget.id).copied().unwrap_or_default(),
                budget,
            })
            .collect(),
    )
}

/// The budgets in the actor's scope, optionally of one fiscal year.
pub fn list(
    ledger: &Ledger,
    actor: &Actor,
    fiscal_year: Option<i32>,
) -> Result<Vec<BudgetSummary>> {
    let scope = actor.scope_for(Action::ViewBudgets)?;
    summaries(ledger, actor, scope, fiscal_year, |_| true)
}

/// Submitted budgets the actor may approve (their own excluded).
pub fn inbox(ledger: &Ledger, actor: &Actor) -> Result<Vec<BudgetSummary>> {
    let scope = actor.scope_for(Action::ApproveBudgets)?;
    summaries(ledger, actor, scope, None, |budget| {
        budget.status == BudgetStatus::Submitted && budget.owner.salesman_id != Some(actor.id)
    })
}

/// A salesman a budget can be made for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SalesmanChoice {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
}

/// The salesmen whose budgets the actor may build (himself, his department's, his branch's, or all).
pub fn salesmen(ledger: &Ledger, actor: &Actor) -> Result<Vec<SalesmanChoice>> {
    actor.scope_for(Action::EditBudgets)?;
    Ok(ledger::users::list(ledger.read())?
        .into_iter()
        .filter(|user| user.active && user.profile.role == Role::Salesman)
        .filter(|user| {
            let owner = BudgetOwner {
                kind: OwnerKind::Salesman,
                salesman_id: Some(user.id),
                department_id: user.profile.department_id,
                location_id: user.profile.location_id,
            };
            crate::access::can(actor, Action::EditBudgets, &owner.resource())
        })
        .map(|user| SalesmanChoice {
            id: user.id,
            username: user.username,
            display_name: user.profile.display_name,
        })
        .collect())
}

pub fn show(ledger: &Ledger, actor: &Actor, budget_id: Uuid) -> Result<BudgetSheet> {
    let conn = ledger.read();
    let budget = stored_budget(conn, budget_id)?;
    actor.require(Action::ViewBudgets, &budget.owner.resource())?;
    let lines = ledger::budgets::lines(conn, budget.id)?;
    let history = ledger::budgets::approvals(conn, budget.id)?;
    Ok(BudgetSheet {
        periods: periods_of(conn, budget.fiscal_year)?,
        total_amount: lines.iter().map(|line| line.amount).sum(),
        steps: Transition::ALL
            .into_iter()
            .filter(|step| may_take(actor, &budget, &history, *step).is_ok())
            .collect(),
        editable: editable(conn, actor, budget.id).is_ok(),
        history,
        expenses: ledger::expenses::expenses(conn, Some(budget.id), None)?,
        lines,
        budget,
    })
}

#[cfg(test)]
mod tests {
    use super::fiscal_periods;

    #[test]
    fn a_fiscal_year_is_named_by_the_year_it_starts_in() {
        let calendar = fiscal_periods(2027, 1);
        assert_eq!(
            (calendar[0].to_string(), calendar[11].to_string()),
            ("2027-01".to_owned(), "2027-12".to_owned())
        );
        let april = fiscal_periods(2027, 4);
        assert_eq!(
            [april[0], april[8], april[11]].map(|month| month.to_string()),
            ["2027-04", "2027-12", "2028-03"]
        );
    }
}
