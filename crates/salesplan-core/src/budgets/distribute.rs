//! Top-down: a total shared out over branches or salesmen, by last year's share
//! or by weights, exact to the cent; each share can become a budget whose lines
//! follow that owner's product × month mix of last year.

use super::{
    Budget, BudgetOwner, OwnerKind, amount_line, insert_budget, periods_of, put_line,
    resolve_owner, spread,
};
use crate::access::{Action, Actor, Role};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::{self, Ledger};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// How the total is shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Shares {
    /// In proportion to each one's sales of the year before.
    LastYear,
    /// The same for everyone.
    Equal,
    /// In proportion to the weights given, by owner id.
    Weights {
        #[ts(type = "Array<[string, string]>")]
        weights: Vec<(Uuid, Decimal)>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Distribution {
    pub fiscal_year: i32,
    pub scenario: String,
    #[ts(type = "string")]
    pub total: Decimal,
    /// Share among branches, or among salesmen.
    pub to: OwnerKind,
    /// Only the salesmen of this branch (with `to: salesman`).
    #[ts(optional)]
    pub within_location: Option<Uuid>,
    pub shares: Shares,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Target {
    pub owner: BudgetOwner,
    pub name: String,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// The budget made for this share, when the distribution was applied.
    pub budget_id: Option<Uuid>,
}

/// The owners a distribution shares among, with their names.
fn recipients(conn: Reader<'_>, distribution: &Distribution) -> Result<Vec<(BudgetOwner, String)>> {
    match distribution.to {
        OwnerKind::Location => Ok(ledger::reference::list::<crate::reference::Location>(
            conn, false,
        )?
        .into_iter()
        .filter(|location| location.fields.kind == crate::reference::LocationKind::Branch)
        .map(|location| {
            let owner = BudgetOwner {
                kind: OwnerKind::Location,
                salesman_id: None,
                department_id: None,
                location_id: Some(location.id),
            };
            (owner, location.fields.name)
        })
        .collect()),
        OwnerKind::Salesman => ledger::users::list(conn)?
            .into_iter()
            .filter(|user| user.active && user.profile.role == Role::Salesman)
            .filter(|user| {
                distribution
                    .within_location
                    .is_none_or(|location| user.profile.location_id == Some(location))
            })
            .map(|user| {
                let owner = resolve_owner(
                    conn,
                    super::OwnerRef {
                        kind: OwnerKind::Salesman,
                        id: user.id,
                    },
                )?;
                Ok((owner, user.profile.display_name))
            })
            .collect(),
        OwnerKind::Department => Err(Error::invalid("to", "share among branches or salesmen")),
    }
}

fn last_year_amount(conn: Reader<'_>, owner: &BudgetOwner, year: i32) -> Result<Decimal> {
    Ok(super::history::pattern_cells(conn, owner, year)?
        .values()
        .map(|(_, amount)| *amount)
        .sum())
}

/// Works out each one's share of the total (nothing is written).
pub fn targets(ledger: &Ledger, actor: &Actor, distribution: &Distribution) -> Result<Vec<Target>> {
    compute(ledger.read(), actor, distribution)
}

/// The shares, once the actor is known to be allowed to budget for every recipient.
fn compute(conn: Reader<'_>, actor: &Actor, distribution: &Distribution) -> Result<Vec<Target>> {
    actor.scope_for(Action::EditBudgets)?;
    let owners = recipients(conn, distribution)?;
    for (owner, _) in &owners {
        actor.require(Action::EditBudgets, &owner.resource())?;
    }
    crate::validate::not_negative("total", distribution.total)?;
    if owners.is_empty() {
        return Err(Error::invalid(
            "to",
            "there is nobody to share the total among",
        ));
    }
    let key = |owner: &BudgetOwner| owner.salesman_id.or(owner.location_id);
    let weights: Vec<Decimal> = match &distribution.shares {
        Shares::LastYear => owners
            .iter()
            .map(|(owner, _)| {
                last_year_amount(conn, owner, distribution.fiscal_year)
                    .map(|amount| amount.max(Decimal::ZERO))
            })
            .collect::<Result<_>>()?,
        Shares::Equal => vec![Decimal::ONE; owners.len()],
        Shares::Weights { weights } => {
            if let Some((unknown, _)) = weights
                .iter()
                .find(|(id, _)| !owners.iter().any(|(owner, _)| key(owner) == Some(*id)))
            {
                return Err(Error::invalid(
                    "weights",
                    format!("{unknown} is not one of the owners shared among"),
                ));
            }
            owners
                .iter()
                .map(|(owner, _)| {
                    weights
                        .iter()
                        .find(|(id, _)| key(owner) == Some(*id))
                        .map_or(Decimal::ZERO, |(_, w)| *w)
                })
                .collect()
        }
    };
    let amounts = spread(distribution.total, &weights, 2).map_err(|error| {
        if distribution.shares == Shares::LastYear {
            Error::invalid("shares", "nobody sold anything last year; give weights")
        } else {
            error
        }
    })?;
    Ok(owners
        .into_iter()
        .zip(amounts)
        .map(|((owner, name), amount)| Target {
            owner,
            name,
            amount,
            budget_id: None,
        })
        .collect())
}

/// Shares the total out and makes a budget for each share: lines follow the
/// owner's product × month amounts of last year (or flat over the list of products
/// they sold when a month is empty), entered as amounts that add up to the share exactly.
pub fn apply(
    ledger: &mut Ledger,
    actor: &Actor,
    distribution: Distribution,
) -> Result<Vec<Target>> {
    ledger.write(Some(actor), |write| {
        let mut targets = compute(write.read(), actor, &distribution)?;
        let periods = periods_of(write.read(), distribution.fiscal_year)?;
        for target in &mut targets {
            let budget: Budget = insert_budget(
                write,
                actor,
                distribution.fiscal_year,
                &distribution.scenario,
                target.owner,
                None,
            )?;
            let mix = super::history::pattern_cells(
                write.read(),
                &target.owner,
                distribution.fiscal_year,
            )?;
            let cells: Vec<_> = mix
                .into_iter()
                .filter(|(_, (_, amount))| *amount > Decimal::ZERO)
                .collect();
            if !cells.is_empty() && !target.amount.is_zero() {
                let weights: Vec<Decimal> = cells.iter().map(|(_, (_, amount))| *amount).collect();
                for (((product, month), (quantity, amount)), share) in
                    cells.iter().zip(spread(target.amount, &weights, 2)?)
                {
                    let unit_price = if quantity.is_zero() {
                        Decimal::ZERO
                    } else {
                        crate::money::cents(*amount / *quantity)
                    };
                    let line = amount_line(budget.id, *product, periods[*month], share, unit_price);
                    put_line(write, line)?;
                }
            }
            target.budget_id = Some(budget.id);
        }
        Ok(targets)
    })
}
