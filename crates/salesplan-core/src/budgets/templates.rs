//! Reusable budget templates: a set of product lines (a yearly quantity at a
//! unit price) and a seasonality profile. A template is saved from a budget and
//! fills new budgets of any fiscal year: each line's yearly quantity is spread
//! over the months by the profile, in whole units, adding up exactly.

use super::{Budget, new_line, periods_of, put_line, spread, stored_budget};
use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::reference::Product;
use crate::timestamp::Timestamp;
use crate::validate::required_text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;
use uuid::Uuid;

pub use crate::model::budgets::{Template, TemplateLine};

/// Save a budget's lines as a template. The seasonality is the budget's own
/// (its monthly quantities), unless twelve weights are given.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewTemplate {
    pub name: String,
    pub from_budget: Uuid,
    #[ts(type = "string[] | null")]
    #[serde(default)]
    pub seasonality: Option<Vec<Decimal>>,
}

/// Weights as shares of 100 %, to the hundredth, summing to exactly 100.
fn as_percentages(weights: &[Decimal]) -> Result<Vec<Decimal>> {
    if weights.len() != 12 {
        return Err(Error::invalid(
            "seasonality",
            format!("needs 12 weights, one per month (got {})", weights.len()),
        ));
    }
    spread(Decimal::ONE_HUNDRED, weights, 2).map_err(|error| match error {
        Error::Invalid { rule, .. } => Error::invalid("seasonality", rule),
        other => other,
    })
}

pub fn save(ledger: &mut Ledger, actor: &Actor, new_template: NewTemplate) -> Result<Template> {
    actor.scope_for(Action::EditBudgets)?;
    let name = required_text("name", &new_template.name, 60)?;
    let id = ledger.write(Some(actor), |write| {
        let source = stored_budget(write.read(), new_template.from_budget)?;
        actor.require(Action::ViewBudgets, &source.owner.resource())?;
        if ledger::templates::find_by_name(write.read(), &name)?.is_some() {
            return Err(Error::Duplicate {
                entity: "budget template",
                field: "name",
                value: name.clone(),
            });
        }
        let periods = periods_of(write.read(), source.fiscal_year)?;
        let mut monthly = vec![Decimal::ZERO; 12];
        let mut per_product: BTreeMap<Uuid, (Decimal, Decimal)> = BTreeMap::new();
        for line in ledger::budgets::lines(write.read(), source.id)? {
            if let Some(month) = periods.iter().position(|period| *period == line.period) {
                monthly[month] += line.quantity;
            }
            let totals = per_product.entry(line.product_id).or_default();
            totals.0 += line.quantity;
            totals.1 += line.amount;
        }
        let lines: Vec<TemplateLine> = per_product
            .into_iter()
            .filter(|(_, (quantity, _))| *quantity > Decimal::ZERO)
            .map(|(product_id, (quantity, amount))| TemplateLine {
                product_id,
                sku: String::new(),
                product_name: String::new(),
                quantity,
                unit_price: crate::money::cents(amount / quantity),
            })
            .collect();
        if lines.is_empty() {
            return Err(Error::invalid(
                "from_budget",
                "the budget has no quantities to make a template of",
            ));
        }
        let seasonality = as_percentages(new_template.seasonality.as_deref().unwrap_or(&monthly))?;
        let template = Template {
            id: Uuid::now_v7(),
            name,
            seasonality,
            lines,
            created_by: actor.id,
            created_by_name: actor.username.clone(),
            version: 1,
            created_at: Timestamp::now(),
            shared: false,
            owner: Resource {
                owner_id: Some(actor.id),
                department_id: actor.department_id,
                location_id: actor.location_id,
            },
        };
        ledger::templates::insert(write, &template)?;
        write.record(Change {
            entity: Entity::BudgetTemplate,
            entity_id: template.id,
            kind: ChangeKind::Created,
            payload: serde_json::to_value(&template).unwrap_or_default(),
            base_version: None,
        })?;
        Ok(template.id)
    })?;
    get(ledger, actor, id)
}

/// The templates the actor may see and build from (`Template::usable_by`).
pub fn list(ledger: &Ledger, actor: &Actor) -> Result<Vec<Template>> {
    actor.scope_for(Action::ViewBudgets)?;
    Ok(ledger::templates::list(ledger.read())?
        .into_iter()
        .filter(|template| template.usable_by(actor))
        .collect())
}

pub fn get(ledger: &Ledger, actor: &Actor, id: Uuid) -> Result<Template> {
    actor.scope_for(Action::ViewBudgets)?;
    usable(ledger::templates::get(ledger.read(), id)?, actor, id)
}

/// A template the actor may use; one they may not is refused as their budgets are.
fn usable(template: Option<Template>, actor: &Actor, id: Uuid) -> Result<Template> {
    let template = template.ok_or_else(|| Error::not_found("budget template", id))?;
    if !template.usable_by(actor) {
        actor.require(Action::ViewBudgets, &template.owner)?;
    }
    Ok(template)
}

/// Shares a template with everyone who builds budgets, or takes it back: its
/// maker's step, or of someone who may edit the maker's budgets.
pub fn share(ledger: &mut Ledger, actor: &Actor, id: Uuid, shared: bool) -> Result<Template> {
    ledger.write(Some(actor), |write| {
        let template = ledger::templates::get(write.read(), id)?
            .ok_or_else(|| Error::not_found("budget template", id))?;
        actor.require(Action::EditBudgets, &template.owner)?;
        ledger::templates::set_shared(write, id, shared, Timestamp::now())?;
        write.record(Change {
            entity: Entity::BudgetTemplate,
            entity_id: id,
            kind: ChangeKind::Updated,
            payload: serde_json::json!({ "shared": shared }),
            base_version: Some(template.version),
        })?;
        ledger::templates::get(write.read(), id)?
            .ok_or_else(|| Error::not_found("budget template", id))
    })
}

/// Removes a template from use: whoever saved it may, or someone who builds budgets company-wide.
pub fn delete(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<()> {
    ledger.write(Some(actor), |write| {
        let template = ledger::templates::get(write.read(), id)?
            .ok_or_else(|| Error::not_found("budget template", id))?;
        actor.require(Action::EditBudgets, &template.owner)?;
        ledger::templates::delete(write, id, Timestamp::now())?;
        write.record(Change {
            entity: Entity::BudgetTemplate,
            entity_id: id,
            kind: ChangeKind::Archived,
            payload: serde_json::json!({ "name": template.name }),
            base_version: Some(template.version),
        })
    })
}

/// Fills a new budget from a template. Products archived since the template was
/// saved are left out: they can no longer be budgeted.
pub(super) fn fill(
    write: &mut Write<'_>,
    actor: &Actor,
    budget: &Budget,
    template_id: Uuid,
) -> Result<()> {
    let template = usable(
        ledger::templates::get(write.read(), template_id)?,
        actor,
        template_id,
    )?;
    let periods = periods_of(write.read(), budget.fiscal_year)?;
    for line in template.lines {
        let live = ledger::reference::get::<Product>(write.read(), line.product_id)?
            .is_some_and(|product| product.archived_at.is_none());
        if !live {
            continue;
        }
        for (period, quantity) in
            periods
                .iter()
                .zip(spread(line.quantity, &template.seasonality, 0)?)
        {
            if quantity > Decimal::ZERO {
                put_line(
                    write,
                    new_line(
                        budget.id,
                        line.product_id,
                        *period,
                        quantity,
                        line.unit_price,
                    ),
                )?;
            }
        }
    }
    Ok(())
}
