//! A budget against last year, by product category: what an approver looks at
//! before approving. "Last year" is the owner's actuals that a budget from last
//! year would follow (twelve real months: see `history`).

use super::{history, stored_budget};
use crate::access::{Action, Actor};
use crate::error::Result;
use crate::ledger::{self, Ledger};
use crate::reference::{Product, ProductCategory};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BudgetComparison {
    /// Every category with a budget or last year's sales, the largest budget first.
    pub rows: Vec<ComparisonRow>,
    pub total: ComparisonRow,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ComparisonRow {
    pub label: String,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub budget: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub last_year: Decimal,
    /// (budget − last year) ÷ last year in %, one decimal; none when last year sold nothing.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub change_percent: Option<Decimal>,
}

impl ComparisonRow {
    fn new(label: String, budget: Decimal, last_year: Decimal) -> ComparisonRow {
        ComparisonRow {
            label,
            budget,
            last_year,
            change_percent: (!last_year.is_zero()).then(|| {
                crate::money::round((budget - last_year) / last_year * Decimal::from(100), 1)
            }),
        }
    }
}

pub fn compare(ledger: &Ledger, actor: &Actor, budget_id: Uuid) -> Result<BudgetComparison> {
    let conn = ledger.read();
    let budget = stored_budget(conn, budget_id)?;
    actor.require(Action::ViewBudgets, &budget.owner.resource())?;
    let category_of: HashMap<Uuid, Uuid> = ledger::reference::list::<Product>(conn, true)?
        .into_iter()
        .map(|product| (product.id, product.fields.category_id))
        .collect();
    let mut sums: HashMap<Option<Uuid>, (Decimal, Decimal)> = HashMap::new();
    for line in ledger::budgets::lines(conn, budget.id)? {
        sums.entry(category_of.get(&line.product_id).copied())
            .or_default()
            .0 += line.amount;
    }
    for ((product_id, _), (_, amount)) in
        history::pattern_cells(conn, &budget.owner, budget.fiscal_year)?
    {
        sums.entry(category_of.get(&product_id).copied())
            .or_default()
            .1 += amount;
    }
    let names: HashMap<Uuid, String> = ledger::reference::list::<ProductCategory>(conn, true)?
        .into_iter()
        .map(|category| (category.id, category.fields.name))
        .collect();
    let (budget_total, last_year_total) = sums
        .values()
        .fold((Decimal::ZERO, Decimal::ZERO), |(b, l), (budget, last)| {
            (b + budget, l + last)
        });
    let mut rows: Vec<ComparisonRow> = sums
        .into_iter()
        .map(|(category, (budget, last_year))| {
            let label = category
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| "(no category)".into());
            ComparisonRow::new(label, budget, crate::money::round(last_year, 2))
        })
        .collect();
    rows.sort_by(|a, b| b.budget.cmp(&a.budget).then_with(|| a.label.cmp(&b.label)));
    Ok(BudgetComparison {
        rows,
        total: ComparisonRow::new(
            "Total".into(),
            budget_total,
            crate::money::round(last_year_total, 2),
        ),
    })
}
