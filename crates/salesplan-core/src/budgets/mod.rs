//! Sales budgets: create (empty, from last year's actuals ± %, or as a copy),
//! edit lines, spread yearly totals over months, and move through the workflow.

mod compare;
pub mod distribute;
pub mod expenses;
mod history;
pub mod plan;
mod spread;
pub mod templates;
pub mod variance;

pub use crate::model::budgets::{
    ApprovalStep, Budget, BudgetLine, BudgetOwner, BudgetStatus, OwnerKind, Transition,
};
pub use compare::{BudgetComparison, ComparisonRow, compare};
pub use spread::{SpreadMeasure, SpreadProfile, SpreadRequest, spread, spread_total};

use crate::access::{Action, Actor, Role};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::reference::{Department, Location, Product, StoredReference, require_live};
use crate::timestamp::now_utc;
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
    pub periods: Vec<String>,
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

/// One cell edit: set quantity and/or unit price (the amount follows), or type the amount.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LineEdit {
    pub product_id: Uuid,
    pub period: String,
    #[ts(type = "string | null")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub quantity: Option<Decimal>,
    #[ts(type = "string | null")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub unit_price: Option<Decimal>,
    #[ts(type = "string | null")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub amount: Option<Decimal>,
    /// The line version the user edited; a newer one means someone else changed it.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub base_version: Option<i64>,
}

/// The months of fiscal year `year`: named by the calendar year it starts in.
pub fn fiscal_periods(year: i32, start_month: u8) -> Vec<String> {
    (0..12)
        .map(|offset| {
            let index = year * 12 + i32::from(start_month) - 1 + offset;
            format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            )
        })
        .collect()
}

fn fiscal_start_month(conn: Reader<'_>) -> Result<u8> {
    Ok(ledger::settings::get(conn)?.map_or(1, |settings| settings.company.fiscal_year_start_month))
}

pub(crate) fn periods_of(conn: Reader<'_>, year: i32) -> Result<Vec<String>> {
    Ok(fiscal_periods(year, fiscal_start_month(conn)?))
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

/// A quantity, price or amount typed into a budget: zero or more, within the
/// bounds head office checks (`salesplan_domain::values`).
pub(crate) fn non_negative(field: &str, value: Option<Decimal>) -> Result<Option<Decimal>> {
    use salesplan_domain::values::{Count, Price};
    value
        .map(|value| {
            let bounded = if field == "quantity" {
                Count::new(value).map(|count| count.0)
            } else {
                Price::new(value).map(|price| price.0)
            };
            bounded.map_err(|rule| Error::invalid(field, rule))
        })
        .transpose()
}

fn percent_factor(percent: Decimal) -> Result<Decimal> {
    if percent < Decimal::from(-100) || percent > Decimal::from(1000) {
        return Err(Error::invalid(
            "percent",
            format!("must be between -100 and 1000 (got {percent})"),
        ));
    }
    Ok(Decimal::ONE + percent / Decimal::from(100))
}

fn amount_of(quantity: Decimal, unit_price: Decimal) -> Decimal {
    crate::money::cents(quantity * unit_price)
}

fn record_line(
    write: &mut Write<'_>,
    line: &BudgetLine,
    before: Option<&BudgetLine>,
) -> Result<()> {
    let payload = match before {
        None => serde_json::to_value(line).unwrap_or_default(),
        Some(before) => serde_json::Value::Object(crate::reference::changed_fields(before, line)),
    };
    write.record(Change {
        entity: Entity::BudgetLine,
        entity_id: line.id,
        kind: if before.is_some() {
            ChangeKind::Updated
        } else {
            ChangeKind::Created
        },
        payload,
        base_version: before.map(|line| line.version),
    })
}

/// Writes a line (new, or over the one for the same product and month) and records the change.
pub(crate) fn put_line(write: &mut Write<'_>, line: BudgetLine) -> Result<BudgetLine> {
    let before =
        ledger::budgets::get_line(write.read(), line.budget_id, line.product_id, &line.period)?;
    let line = BudgetLine {
        id: before.as_ref().map_or(line.id, |before| before.id),
        ..line
    };
    ledger::budgets::put_line(write, &line, &now_utc())?;
    record_line(write, &line, before.as_ref())?;
    ledger::budgets::get_line(write.read(), line.budget_id, line.product_id, &line.period)?
        .ok_or_else(|| Error::not_found("budget line", line.id))
}

/// A line's id follows from its cell (budget, product, month): two laptops
/// that fill the same cell offline fill the same line, which head office then
/// merges field by field instead of holding two lines for one cell.
pub(crate) fn line_id(budget_id: Uuid, product_id: Uuid, period: &str) -> Uuid {
    crate::ledger::derived_id(&[
        budget_id.as_bytes(),
        product_id.as_bytes(),
        period.as_bytes(),
    ])
}

pub(crate) fn new_line(
    budget_id: Uuid,
    product_id: Uuid,
    period: &str,
    quantity: Decimal,
    unit_price: Decimal,
) -> BudgetLine {
    BudgetLine {
        id: line_id(budget_id, product_id, period),
        budget_id,
        product_id,
        period: period.to_owned(),
        quantity,
        unit_price,
        amount: amount_of(quantity, unit_price),
        amount_entered: false,
        version: 1,
    }
}

/// A line whose amount is entered (a spread or share of money): its quantity is
/// the whole units the amount buys at the unit price (none without a price),
/// so quantity and amount never tell two stories.
pub(crate) fn amount_line(
    budget_id: Uuid,
    product_id: Uuid,
    period: &str,
    amount: Decimal,
    unit_price: Decimal,
) -> BudgetLine {
    let quantity = if unit_price.is_zero() {
        Decimal::ZERO
    } else {
        crate::money::round(amount / unit_price, 0)
    };
    BudgetLine {
        amount,
        amount_entered: true,
        ..new_line(budget_id, product_id, period, quantity, unit_price)
    }
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
    let now = now_utc();
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
        created_at: now.clone(),
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
            new_line(budget.id, product_id, &periods[month], quantity, unit_price),
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

/// A line scaled by `factor` into `budget_id` (its own budget, or a copy): an
/// amount entered stays an amount, to the cent; a quantity stays whole units at
/// its price. What `copy` and `adjust` share.
fn scaled(line: BudgetLine, budget_id: Uuid, factor: Decimal) -> BudgetLine {
    if !line.amount_entered {
        return new_line(
            budget_id,
            line.product_id,
            &line.period,
            crate::money::round(line.quantity * factor, 0),
            line.unit_price,
        );
    }
    let amount = crate::money::cents(line.amount * factor);
    if line.budget_id == budget_id {
        return BudgetLine { amount, ..line };
    }
    BudgetLine {
        id: line_id(budget_id, line.product_id, &line.period),
        budget_id,
        amount,
        version: 1,
        ..line
    }
}

pub(crate) fn editable_budget(write: &Write<'_>, actor: &Actor, budget_id: Uuid) -> Result<Budget> {
    editable(write.read(), actor, budget_id)
}

/// The budget, when the actor may edit it and its status lets anyone.
pub(crate) fn editable(conn: Reader<'_>, actor: &Actor, budget_id: Uuid) -> Result<Budget> {
    let budget = stored_budget(conn, budget_id)?;
    actor.require(Action::EditBudgets, &budget.owner.resource())?;
    if !budget.status.is_editable() {
        return Err(Error::invalid(
            "status",
            format!(
                "the budget is {}; an {} budget cannot be edited (make a new version or ask for an unlock)",
                budget.status.key(),
                budget.status.key()
            ),
        ));
    }
    Ok(budget)
}

fn checked_period(conn: Reader<'_>, budget: &Budget, period: &str) -> Result<String> {
    let periods = periods_of(conn, budget.fiscal_year)?;
    let period = period.trim();
    if !periods.iter().any(|known| known == period) {
        return Err(Error::invalid(
            "period",
            format!(
                "{period} is outside fiscal year {} ({} to {})",
                budget.fiscal_year, periods[0], periods[11]
            ),
        ));
    }
    Ok(period.to_owned())
}

pub(crate) fn live_product(
    conn: Reader<'_>,
    product_id: Uuid,
) -> Result<crate::reference::Stored<Product>> {
    require_live::<Product>(conn, "product_id", Some(product_id))?;
    ledger::reference::get::<Product>(conn, product_id)?
        .ok_or_else(|| Error::not_found(Product::ENTITY.noun(), product_id))
}

/// Sets one cell of a budget (product × month).
pub fn set_line(
    ledger: &mut Ledger,
    actor: &Actor,
    budget_id: Uuid,
    edit: LineEdit,
) -> Result<BudgetLine> {
    let mut lines = set_lines(ledger, actor, budget_id, vec![edit])?;
    lines
        .pop()
        .ok_or_else(|| Error::not_found("budget line", budget_id))
}

/// Sets many cells at once (a block pasted from a spreadsheet): all of them, or
/// none when any is refused; the error names the cell.
pub fn set_lines(
    ledger: &mut Ledger,
    actor: &Actor,
    budget_id: Uuid,
    edits: Vec<LineEdit>,
) -> Result<Vec<BudgetLine>> {
    let many = edits.len() > 1;
    ledger.write(Some(actor), |write| {
        let budget = editable_budget(write, actor, budget_id)?;
        let mut written = Vec::with_capacity(edits.len());
        for (index, edit) in edits.into_iter().enumerate() {
            let line = apply_edit(write, &budget, edit).map_err(|error| match error {
                Error::Invalid { field, rule } if many => {
                    Error::invalid(format!("cells[{index}].{field}"), rule)
                }
                other => other,
            })?;
            written.push(line);
        }
        Ok(written)
    })
}

pub(crate) fn apply_edit(
    write: &mut Write<'_>,
    budget: &Budget,
    edit: LineEdit,
) -> Result<BudgetLine> {
    let quantity = non_negative("quantity", edit.quantity)?;
    let unit_price = non_negative("unit_price", edit.unit_price)?;
    let amount = non_negative("amount", edit.amount)?;
    let period = checked_period(write.read(), budget, &edit.period)?;
    let product = live_product(write.read(), edit.product_id)?;
    let before = ledger::budgets::get_line(write.read(), budget.id, product.id, &period)?;
    if let (Some(before), Some(expected)) = (&before, edit.base_version)
        && before.version != expected
    {
        return Err(Error::StaleVersion {
            entity: "budget line",
            key: format!("{} {period}", product.fields.sku),
            expected,
            actual: before.version,
        });
    }
    let quantity = quantity
        .or(before.as_ref().map(|line| line.quantity))
        .unwrap_or_default();
    let unit_price = unit_price
        .or(before.as_ref().map(|line| line.unit_price))
        .unwrap_or(product.fields.list_price);
    let mut line = new_line(budget.id, product.id, &period, quantity, unit_price);
    if let Some(amount) = amount {
        line.amount = crate::money::cents(amount);
        line.amount_entered = true;
    }
    put_line(write, line)
}

/// Changes a budget's lines by a percentage: one product's months, or every line.
/// Quantities stay whole units; an amount typed directly changes to the cent.
pub fn adjust(
    ledger: &mut Ledger,
    actor: &Actor,
    budget_id: Uuid,
    product_id: Option<Uuid>,
    percent: Decimal,
) -> Result<Vec<BudgetLine>> {
    let factor = percent_factor(percent)?;
    ledger.write(Some(actor), |write| {
        let budget = editable_budget(write, actor, budget_id)?;
        if let Some(product_id) = product_id {
            live_product(write.read(), product_id)?;
        }
        let mut changed = Vec::new();
        for line in ledger::budgets::lines(write.read(), budget.id)? {
            if product_id.is_some_and(|product| product != line.product_id) {
                continue;
            }
            changed.push(put_line(write, scaled(line, budget.id, factor))?);
        }
        Ok(changed)
    })
}

/// Moves a budget one step through its workflow, recording who, when and why.
pub fn transition(
    ledger: &mut Ledger,
    actor: &Actor,
    budget_id: Uuid,
    step: Transition,
    comment: &str,
) -> Result<Budget> {
    let comment = comment.trim().to_owned();
    ledger.write(Some(actor), |write| {
        let budget = stored_budget(write.read(), budget_id)?;
        let history = ledger::budgets::approvals(write.read(), budget.id)?;
        may_take(actor, &budget, &history, step)?;
        step.check_comment(&comment)?;
        let step_record = ApprovalStep {
            from_status: budget.status,
            to_status: step.to(),
            actor_id: actor.id,
            username: actor.username.clone(),
            comment,
            recorded_at: now_utc(),
        };
        ledger::budgets::set_status(write, budget.id, step.to(), &step_record.recorded_at)?;
        let step_id = ledger::budgets::insert_approval(write, budget.id, &step_record)?;
        write.record(Change {
            entity: Entity::Budget,
            entity_id: budget.id,
            kind: ChangeKind::Transitioned,
            payload: serde_json::json!({
                "from": step_record.from_status, "to": step_record.to_status, "comment": step_record.comment,
                "step_id": step_id,
            }),
            base_version: Some(budget.version),
        })?;
        stored_budget(write.read(), budget.id)
    })
}

/// Whether `actor` may take `step` on `budget` now: the right on its owner,
/// a status the step leaves from, and (to approve or reject) not the one who
/// submitted it or owns it. What the budget view offers is what this allows.
fn may_take(
    actor: &Actor,
    budget: &Budget,
    history: &[ApprovalStep],
    step: Transition,
) -> Result<()> {
    actor.require(step.action(), &budget.owner.resource())?;
    if !step.from().contains(&budget.status) {
        let from: Vec<&str> = step.from().iter().map(|status| status.key()).collect();
        return Err(Error::invalid(
            "status",
            format!(
                "cannot {} a budget that is {}; it must be {}",
                step.key(),
                budget.status.key(),
                from.join(" or ")
            ),
        ));
    }
    if step.needs_another_person() {
        let submitter = history
            .iter()
            .rev()
            .find(|s| s.to_status == BudgetStatus::Submitted)
            .map(|s| s.actor_id);
        step.check_approver(budget.owner.salesman_id, submitter, actor.id)?;
    }
    Ok(())
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
            (calendar[0].as_str(), calendar[11].as_str()),
            ("2027-01", "2027-12")
        );
        let april = fiscal_periods(2027, 4);
        assert_eq!(
            (april[0].as_str(), april[8].as_str(), april[11].as_str()),
            ("2027-04", "2027-12", "2028-03")
        );
    }
}
