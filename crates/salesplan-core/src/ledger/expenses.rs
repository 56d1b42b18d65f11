//! SQL for expense lines and the (append-only) expense transactions against them.

use super::columns;
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::budgets::{Expense, Spending};
use crate::timestamp::Timestamp;
use rusqlite::{OptionalExtension, params};
use rust_decimal::Decimal;
use uuid::Uuid;

pub(crate) fn insert_expense(
    conn: &Write<'_>,
    id: Uuid,
    budget_id: Uuid,
    category_id: Uuid,
    description: &str,
    allocated: Decimal,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO budget_expenses (id, budget_id, category_id, description, allocated, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id.to_string(), budget_id.to_string(), category_id.to_string(), description, allocated.to_string(), now.to_string()],
    )?;
    Ok(())
}

pub(crate) fn set_allocated(
    conn: &Write<'_>,
    id: Uuid,
    allocated: Decimal,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "UPDATE budget_expenses SET allocated = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
        params![id.to_string(), allocated.to_string(), now.to_string()],
    )?;
    Ok(())
}

/// The expense lines of a budget (or one line), with what was spent against each.
pub(crate) fn expenses(
    conn: Reader<'_>,
    budget_id: Option<Uuid>,
    expense_id: Option<Uuid>,
) -> Result<Vec<Expense>> {
    let mut query = conn.prepare(
        "SELECT e.id, e.budget_id, e.category_id, c.name, e.description, e.allocated, e.version
         FROM budget_expenses e JOIN budget_categories c ON c.id = e.category_id
         WHERE (?1 IS NULL OR e.budget_id = ?1) AND (?2 IS NULL OR e.id = ?2)
         ORDER BY c.name, e.description",
    )?;
    let rows = query.query_map(
        params![
            budget_id.map(|id| id.to_string()),
            expense_id.map(|id| id.to_string())
        ],
        |row| {
            Ok(Expense {
                id: columns::uuid(row, 0)?,
                budget_id: columns::uuid(row, 1)?,
                category_id: columns::uuid(row, 2)?,
                category_name: row.get(3)?,
                description: row.get(4)?,
                allocated: columns::decimal(row, 5)?,
                spent: Decimal::ZERO,
                remaining: Decimal::ZERO,
                version: row.get(6)?,
            })
        },
    )?;
    let mut expenses: Vec<Expense> = rows.collect::<rusqlite::Result<_>>()?;
    let mut spent =
        conn.prepare_cached("SELECT amount FROM expense_transactions WHERE expense_id = ?1")?;
    for expense in &mut expenses {
        let amounts = spent.query_map([expense.id.to_string()], |row| columns::decimal(row, 0))?;
        expense.spent = amounts
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .sum();
        expense.remaining = expense.allocated - expense.spent;
    }
    Ok(expenses)
}

pub(crate) fn insert_spending(
    conn: &Write<'_>,
    spending: &Spending,
    receipt: Option<&[u8]>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO expense_transactions (id, expense_id, spent_on, amount, note, receipt_name, receipt, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            spending.id.to_string(),
            spending.expense_id.to_string(),
            spending.spent_on.to_string(),
            spending.amount.to_string(),
            spending.note,
            spending.receipt_name,
            receipt,
            spending.created_by.to_string(),
            spending.created_at.to_string(),
        ],
    )?;
    Ok(())
}

pub(crate) fn spendings(conn: Reader<'_>, expense_id: Uuid) -> Result<Vec<Spending>> {
    let mut query = conn.prepare(
        "SELECT id, expense_id, spent_on, amount, note, receipt_name, length(receipt), created_by, created_at
         FROM expense_transactions WHERE expense_id = ?1 ORDER BY spent_on, created_at",
    )?;
    let rows = query.query_map([expense_id.to_string()], |row| {
        Ok(Spending {
            id: columns::uuid(row, 0)?,
            expense_id: columns::uuid(row, 1)?,
            spent_on: columns::day(row, 2)?,
            amount: columns::decimal(row, 3)?,
            note: row.get(4)?,
            receipt_name: row.get(5)?,
            receipt_bytes: row.get::<_, Option<i64>>(6)?.unwrap_or(0),
            created_by: columns::uuid(row, 7)?,
            created_at: columns::timestamp(row, 8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A spending's receipt file: its name and bytes.
pub(crate) fn receipt(
    conn: Reader<'_>,
    spending_id: Uuid,
) -> Result<Option<(Uuid, String, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT expense_id, receipt_name, receipt FROM expense_transactions WHERE id = ?1 AND receipt IS NOT NULL",
            [spending_id.to_string()],
            |row| Ok((columns::uuid(row, 0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?)
}
