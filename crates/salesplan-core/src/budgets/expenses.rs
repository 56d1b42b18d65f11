//! Expense budgets: lines that allocate money to a budget category, and the
//! spending recorded against them (facts, append-only, optionally with a receipt).
//!
//! Sign convention: remaining = allocated − spent. For expenses, spending above
//! the allocation is unfavourable: remaining turns negative.

use super::{Budget, editable_budget, periods_of, stored_budget};
use crate::access::{Action, Actor};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::reference::{BudgetCategory, require_live};
use crate::timestamp::Day;
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use crate::model::budgets::{Expense, Spending};

/// The largest receipt file kept in the ledger.
pub const MAX_RECEIPT_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewExpense {
    pub category_id: Uuid,
    #[serde(default)]
    pub description: String,
    #[ts(type = "string")]
    pub allocated: Decimal,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewSpending {
    pub expense_id: Uuid,
    /// `YYYY-MM-DD`, as typed; checked against the budget's fiscal year.
    pub spent_on: String,
    #[ts(type = "string")]
    pub amount: Decimal,
    #[serde(default)]
    pub note: String,
    /// A receipt file: its name and bytes (at most 5 MB).
    #[serde(default)]
    #[ts(optional)]
    pub receipt: Option<Receipt>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Receipt {
    pub name: String,
    pub bytes: Vec<u8>,
}

fn expense_of(conn: Reader<'_>, expense_id: Uuid) -> Result<Expense> {
    ledger::expenses::expenses(conn, None, Some(expense_id))?
        .pop()
        .ok_or_else(|| Error::not_found("expense line", expense_id))
}

fn non_negative_money(field: &str, value: Decimal) -> Result<Decimal> {
    Ok(crate::validate::non_negative_money(field, value).map(crate::money::cents)?)
}

/// Adds an expense line (a category and what for) with its allocation.
pub fn add(
    ledger: &mut Ledger,
    actor: &Actor,
    budget_id: Uuid,
    new_expense: NewExpense,
) -> Result<Expense> {
    let allocated = non_negative_money("allocated", new_expense.allocated)?;
    let description = new_expense.description.trim().to_owned();
    ledger.write(Some(actor), |write| {
        let budget = editable_budget(write, actor, budget_id)?;
        require_live::<BudgetCategory>(write.read(), "category_id", Some(new_expense.category_id))?;
        let same = ledger::expenses::expenses(write.read(), Some(budget.id), None)?
            .into_iter()
            .any(|e| {
                e.category_id == new_expense.category_id
                    && e.description.eq_ignore_ascii_case(&description)
            });
        if same {
            return Err(Error::Duplicate {
                entity: "expense line",
                field: "description",
                value: description,
            });
        }
        let id = Uuid::now_v7();
        ledger::expenses::insert_expense(
            write,
            id,
            budget.id,
            new_expense.category_id,
            &description,
            allocated,
            Timestamp::now(),
        )?;
        let expense = expense_of(write.read(), id)?;
        write.record(Change {
            entity: Entity::BudgetExpense,
            entity_id: id,
            kind: ChangeKind::Created,
            payload: serde_json::to_value(&expense).unwrap_or_default(),
            base_version: None,
        })?;
        Ok(expense)
    })
}

/// Changes an expense line's allocation (while the budget can be edited).
pub fn allocate(
    ledger: &mut Ledger,
    actor: &Actor,
    expense_id: Uuid,
    allocated: Decimal,
) -> Result<Expense> {
    let allocated = non_negative_money("allocated", allocated)?;
    ledger.write(Some(actor), |write| {
        let before = expense_of(write.read(), expense_id)?;
        editable_budget(write, actor, before.budget_id)?;
        ledger::expenses::set_allocated(write, expense_id, allocated, Timestamp::now())?;
        write.record(Change {
            entity: Entity::BudgetExpense,
            entity_id: expense_id,
            kind: ChangeKind::Updated,
            payload: serde_json::json!({ "allocated": allocated }),
            base_version: Some(before.version),
        })?;
        expense_of(write.read(), expense_id)
    })
}

/// Records money spent against an expense line, whatever the budget's status
/// (spending against an approved budget is the point), dated within its fiscal year.
pub fn spend(ledger: &mut Ledger, actor: &Actor, new_spending: NewSpending) -> Result<Spending> {
    if new_spending.amount.is_zero() {
        return Err(Error::invalid("amount", "must not be zero"));
    }
    if new_spending.amount.scale() > 2 {
        return Err(Error::invalid(
            "amount",
            format!(
                "must have at most 2 decimal places (got {})",
                new_spending.amount
            ),
        ));
    }
    if let Some(receipt) = &new_spending.receipt {
        if receipt.bytes.len() > MAX_RECEIPT_BYTES {
            return Err(Error::invalid(
                "receipt",
                format!(
                    "is {} bytes; at most {MAX_RECEIPT_BYTES} are kept",
                    receipt.bytes.len()
                ),
            ));
        }
        if receipt.name.trim().is_empty() || receipt.bytes.is_empty() {
            return Err(Error::invalid(
                "receipt",
                "needs a file name and its contents",
            ));
        }
    }
    ledger.write(Some(actor), |write| {
        let expense = expense_of(write.read(), new_spending.expense_id)?;
        let budget: Budget = stored_budget(write.read(), expense.budget_id)?;
        actor.require(Action::EditBudgets, &budget.owner.resource())?;
        let typed = new_spending.spent_on.trim();
        let periods = periods_of(write.read(), budget.fiscal_year)?;
        let day = Day::parse("spent_on", typed)
            .ok()
            .filter(|day| periods.contains(&day.month()))
            .ok_or_else(|| {
                Error::invalid(
                    "spent_on",
                    format!(
                        "'{typed}' is not a day (YYYY-MM-DD) within fiscal year {} ({} to {})",
                        budget.fiscal_year, periods[0], periods[11]
                    ),
                )
            })?;
        let spending = Spending {
            id: Uuid::now_v7(),
            expense_id: expense.id,
            spent_on: day,
            amount: new_spending.amount,
            note: new_spending.note.trim().to_owned(),
            receipt_name: new_spending
                .receipt
                .as_ref()
                .map(|receipt| receipt.name.trim().to_owned()),
            receipt_bytes: new_spending
                .receipt
                .as_ref()
                .map_or(0, |receipt| receipt.bytes.len() as i64),
            created_by: actor.id,
            created_at: Timestamp::now(),
        };
        ledger::expenses::insert_spending(
            write,
            &spending,
            new_spending
                .receipt
                .as_ref()
                .map(|receipt| receipt.bytes.as_slice()),
        )?;
        write.record(Change {
            entity: Entity::ExpenseTransaction,
            entity_id: spending.id,
            kind: ChangeKind::Appended,
            payload: serde_json::to_value(&spending).unwrap_or_default(),
            base_version: None,
        })?;
        Ok(spending)
    })
}

/// A budget's expense lines with allocated, spent and remaining.
pub fn list(ledger: &Ledger, actor: &Actor, budget_id: Uuid) -> Result<Vec<Expense>> {
    let budget = stored_budget(ledger.read(), budget_id)?;
    actor.require(Action::ViewBudgets, &budget.owner.resource())?;
    ledger::expenses::expenses(ledger.read(), Some(budget_id), None)
}

/// What was spent against one expense line.
pub fn spendings(ledger: &Ledger, actor: &Actor, expense_id: Uuid) -> Result<Vec<Spending>> {
    let expense = expense_of(ledger.read(), expense_id)?;
    let budget = stored_budget(ledger.read(), expense.budget_id)?;
    actor.require(Action::ViewBudgets, &budget.owner.resource())?;
    ledger::expenses::spendings(ledger.read(), expense_id)
}

/// A spending's receipt file.
pub fn receipt(ledger: &Ledger, actor: &Actor, spending_id: Uuid) -> Result<Receipt> {
    let (expense_id, name, bytes) = ledger::expenses::receipt(ledger.read(), spending_id)?
        .ok_or_else(|| Error::not_found("receipt", spending_id))?;
    let budget = stored_budget(
        ledger.read(),
        expense_of(ledger.read(), expense_id)?.budget_id,
    )?;
    actor.require(Action::ViewBudgets, &budget.owner.resource())?;
    Ok(Receipt { name, bytes })
}

/// Saves a spending's receipt into `dir` under its own file name, never over an
/// existing file ("bill (2).pdf" when "bill.pdf" is taken). Only the last part of
/// the stored name is used, so a name like "../x" cannot leave `dir`.
pub fn save_receipt(
    ledger: &Ledger,
    actor: &Actor,
    spending_id: Uuid,
    dir: &std::path::Path,
) -> Result<std::path::PathBuf> {
    let receipt = receipt(ledger, actor, spending_id)?;
    let name = std::path::Path::new(receipt.name.trim())
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "receipt".to_owned());
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => (stem.to_owned(), format!(".{extension}")),
        _ => (name.clone(), String::new()),
    };
    let io_error = |path: &std::path::Path, error: std::io::Error| {
        Error::invalid(
            "receipt",
            format!("cannot save {}: {error}", path.display()),
        )
    };
    std::fs::create_dir_all(dir).map_err(|error| io_error(dir, error))?;
    for attempt in 1..1000 {
        let file_name = if attempt == 1 {
            name.clone()
        } else {
            format!("{stem} ({attempt}){extension}")
        };
        let path = dir.join(file_name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(&receipt.bytes)
                    .and_then(|()| file.sync_all())
                    .map_err(|error| io_error(&path, error))?;
                return Ok(path);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(io_error(&path, error)),
        }
    }
    Err(Error::invalid(
        "receipt",
        format!(
            "{} already holds too many files named {name}",
            dir.display()
        ),
    ))
}
