//! A budget's lines: writing one (its amount, its change record), editing cells
//! by hand or all at once, scaling by a percentage, and who may edit when.

use super::{Budget, BudgetLine, percent_factor, periods_of, stored_budget};
use crate::access::{Action, Actor};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Reader, Write};
use crate::month::Month;
use crate::reference::{Product, StoredReference, require_live};
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// One cell edit: set quantity and/or unit price (the amount follows), or type the amount.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LineEdit {
    pub product_id: Uuid,
    pub period: Month,
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

impl LineEdit {
    /// An edit of one cell that changes nothing yet: set the fields to change.
    pub fn new(product_id: Uuid, period: Month) -> LineEdit {
        LineEdit {
            product_id,
            period,
            quantity: None,
            unit_price: None,
            amount: None,
            base_version: None,
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
            bounded.map_err(Error::refused(field))
        })
        .transpose()
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
        ledger::budgets::get_line(write.read(), line.budget_id, line.product_id, line.period)?;
    let line = BudgetLine {
        id: before.as_ref().map_or(line.id, |before| before.id),
        ..line
    };
    ledger::budgets::put_line(write, &line, Timestamp::now())?;
    record_line(write, &line, before.as_ref())?;
    ledger::budgets::get_line(write.read(), line.budget_id, line.product_id, line.period)?
        .ok_or_else(|| Error::not_found("budget line", line.id))
}

/// A line's id follows from its cell (budget, product, month): two laptops
/// that fill the same cell offline fill the same line, which head office then
/// merges field by field instead of holding two lines for one cell.
pub(crate) fn line_id(budget_id: Uuid, product_id: Uuid, period: Month) -> Uuid {
    crate::ledger::derived_id(&[
        budget_id.as_bytes(),
        product_id.as_bytes(),
        period.to_string().as_bytes(),
    ])
}

pub(crate) fn new_line(
    budget_id: Uuid,
    product_id: Uuid,
    period: Month,
    quantity: Decimal,
    unit_price: Decimal,
) -> BudgetLine {
    BudgetLine {
        id: line_id(budget_id, product_id, period),
        budget_id,
        product_id,
        period,
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
    period: Month,
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

/// A line scaled by `factor` into `budget_id` (its own budget, or a copy): an
/// amount entered stays an amount, to the cent; a quantity stays whole units at
/// its price. What `copy` and `adjust` share.
pub(super) fn scaled(line: BudgetLine, budget_id: Uuid, factor: Decimal) -> BudgetLine {
    if !line.amount_entered {
        return new_line(
            budget_id,
            line.product_id,
            line.period,
            crate::money::round(line.quantity * factor, 0),
            line.unit_price,
        );
    }
    let amount = crate::money::cents(line.amount * factor);
    if line.budget_id == budget_id {
        return BudgetLine { amount, ..line };
    }
    BudgetLine {
        id: line_id(budget_id, line.product_id, line.period),
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

fn checked_period(conn: Reader<'_>, budget: &Budget, period: Month) -> Result<Month> {
    let periods = periods_of(conn, budget.fiscal_year)?;
    if !periods.contains(&period) {
        return Err(Error::invalid(
            "period",
            format!(
                "{period} is outside fiscal year {} ({} to {})",
                budget.fiscal_year, periods[0], periods[11]
            ),
        ));
    }
    Ok(period)
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
    let period = checked_period(write.read(), budget, edit.period)?;
    let product = live_product(write.read(), edit.product_id)?;
    let before = ledger::budgets::get_line(write.read(), budget.id, product.id, period)?;
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
    let mut line = new_line(budget.id, product.id, period, quantity, unit_price);
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
