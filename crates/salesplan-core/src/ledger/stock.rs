//! SQL for stock movements (facts, append-only) and on-hand sums.

use super::columns;
use super::scope::{self, ScopeColumns};
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::timestamp::{Day, Timestamp};
use rusqlite::{params, params_from_iter};
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

/// One movement to append.
pub(crate) struct Movement<'a> {
    pub moved_on: Day,
    pub location_id: Uuid,
    pub product_id: Uuid,
    pub quantity: Decimal,
    pub reason: &'a str,
    pub note: &'a str,
    pub import_id: Option<&'a str>,
    pub fingerprint: Option<i64>,
    pub created_by: Uuid,
    pub created_at: Timestamp,
}

pub(crate) fn insert(conn: &Write<'_>, movement: &Movement<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO stock_movements (id, moved_on, location_id, product_id, quantity, reason, note, import_id,
                                      fingerprint, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        Uuid::now_v7().to_string(),
        movement.moved_on.to_string(),
        movement.location_id.to_string(),
        movement.product_id.to_string(),
        movement.quantity.to_string(),
        movement.reason,
        movement.note,
        movement.import_id,
        movement.fingerprint,
        movement.created_by.to_string(),
        movement.created_at.to_string(),
    ])?;
    Ok(())
}

/// The sum of an item's movements up to and including a day.
pub(crate) fn on_hand_at(
    conn: Reader<'_>,
    location_id: Uuid,
    product_id: Uuid,
    day: Day,
) -> Result<Decimal> {
    let mut query = conn.prepare_cached(
        "SELECT quantity FROM stock_movements WHERE location_id = ?1 AND product_id = ?2 AND moved_on <= ?3",
    )?;
    let mut rows = query.query(params![
        location_id.to_string(),
        product_id.to_string(),
        day.to_string()
    ])?;
    let mut sum = Decimal::ZERO;
    while let Some(row) = rows.next()? {
        sum += columns::decimal(row, 0)?;
    }
    Ok(sum)
}

/// Stock scope: a branch manager sees his location's stock.
const STOCK_SCOPE: ScopeColumns = ScopeColumns {
    owner: "NULL",
    department: "NULL",
    location: "m.location_id",
};

/// On-hand per (location, product) in a scope: the sum of every movement.
pub(crate) fn on_hand(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
) -> Result<HashMap<(Uuid, Uuid), Decimal>> {
    let (condition, values) = scope::condition(scope, actor, &STOCK_SCOPE);
    let sql = format!(
        "SELECT m.location_id, m.product_id, m.quantity FROM stock_movements m WHERE {condition}"
    );
    let mut query = conn.prepare(&sql)?;
    let mut rows = query.query(params_from_iter(values))?;
    let mut sums: HashMap<(Uuid, Uuid), Decimal> = HashMap::new();
    while let Some(row) = rows.next()? {
        *sums
            .entry((columns::uuid(row, 0)?, columns::uuid(row, 1)?))
            .or_default() += columns::decimal(row, 2)?;
    }
    Ok(sums)
}

/// Appends, for every movement of an import, the same movement negated.
pub(crate) fn reverse(
    conn: &Write<'_>,
    original: Uuid,
    reversal: Uuid,
    by: Uuid,
    at: Timestamp,
) -> Result<usize> {
    super::imports::reverse_facts(
        conn,
        "stock_movements",
        "INSERT INTO stock_movements (id, moved_on, location_id, product_id, quantity, reason, note, import_id,
                                      created_by, created_at)
         SELECT ?1, moved_on, location_id, product_id,
                CASE WHEN substr(quantity, 1, 1) = '-' THEN substr(quantity, 2) ELSE '-' || quantity END,
                reason, 'reversal', ?4, ?2, ?3
         FROM stock_movements WHERE rowid = ?5",
        original,
        reversal,
        by,
        at,
    )
}
