//! SQL for stock movements (facts, append-only) and on-hand sums.

use super::columns;
use super::scope::{self, ScopeColumns};
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::stock::StockMovement;
use crate::timestamp::{Day, Timestamp};
use rusqlite::{OptionalExtension, params, params_from_iter};
use rust_decimal::Decimal;
use salesplan_domain::changes::records::StockReason;
use salesplan_domain::transfers::Discrepancy;
use uuid::Uuid;

/// Each item's (location, product) on hand.
pub(crate) type Levels = Vec<((Uuid, Uuid), Decimal)>;

pub(crate) fn insert(conn: &Write<'_>, movement: &StockMovement) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO stock_movements (id, moved_on, location_id, product_id, quantity, reason, note, import_id,
                                      fingerprint, created_by, created_at, order_line_id, transfer_line_id,
                                      discrepancy)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        movement.id.to_string(),
        movement.moved_on.to_string(),
        movement.location_id.to_string(),
        movement.product_id.to_string(),
        movement.quantity.to_string(),
        movement.reason.key(),
        movement.note,
        movement.import_id.map(|id| id.to_string()),
        movement.fingerprint,
        movement.created_by.to_string(),
        movement.created_at.to_string(),
        movement.order_line_id.map(|id| id.to_string()),
        movement.transfer_line_id.map(|id| id.to_string()),
        movement.discrepancy.map(Discrepancy::key),
    ])?;
    Ok(())
}

/// An item's movements, in the order they happened (by day, then as recorded).
pub(crate) fn movements_of(
    conn: Reader<'_>,
    location_id: Uuid,
    product_id: Uuid,
) -> Result<Vec<StockMovement>> {
    let mut query = conn.prepare_cached(
        "SELECT id, moved_on, location_id, product_id, quantity, reason, note, import_id, fingerprint,
                created_by, created_at, order_line_id, transfer_line_id, discrepancy
         FROM stock_movements WHERE location_id = ?1 AND product_id = ?2
         ORDER BY moved_on, created_at, rowid",
    )?;
    let rows = query.query_map(
        params![location_id.to_string(), product_id.to_string()],
        |row| {
            Ok(StockMovement {
                id: columns::uuid(row, 0)?,
                moved_on: columns::day(row, 1)?,
                location_id: columns::uuid(row, 2)?,
                product_id: columns::uuid(row, 3)?,
                quantity: columns::decimal(row, 4)?,
                reason: columns::parsed(row, 5, "stock reason", StockReason::parse)?,
                note: row.get(6)?,
                import_id: columns::optional_uuid(row, 7)?,
                fingerprint: row.get(8)?,
                created_by: columns::uuid(row, 9)?,
                created_at: columns::timestamp(row, 10)?,
                order_line_id: columns::optional_uuid(row, 11)?,
                transfer_line_id: columns::optional_uuid(row, 12)?,
                discrepancy: columns::optional(row, 13, "discrepancy", Discrepancy::parse)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// An item's on-hand: its kept balance (V16), zero when it never moved.
pub(crate) fn balance_of(conn: Reader<'_>, location_id: Uuid, product_id: Uuid) -> Result<Decimal> {
    let mut query = conn.prepare_cached(
        "SELECT quantity FROM stock_balances WHERE location_id = ?1 AND product_id = ?2",
    )?;
    let mut rows = query.query(params![location_id.to_string(), product_id.to_string()])?;
    Ok(match rows.next()? {
        Some(row) => columns::decimal(row, 0)?,
        None => Decimal::ZERO,
    })
}

/// Stock scope: a branch manager sees his location's stock.
const STOCK_SCOPE: ScopeColumns = ScopeColumns {
    owner: "NULL",
    department: "NULL",
    location: "m.location_id",
};

/// On-hand per (location, product) in a scope: the sum of every movement,
/// as the balances the movements' triggers keep (V16) hold it.
pub(crate) fn on_hand(conn: Reader<'_>, scope: Scope, actor: &Actor) -> Result<Levels> {
    Ok(on_hand_by_category(conn, scope, actor)?
        .into_iter()
        .map(|level| ((level.location_id, level.product_id), level.quantity))
        .collect())
}

/// What a location holds of a product, and the product's category.
pub(crate) struct Level {
    pub location_id: Uuid,
    pub product_id: Uuid,
    pub category_id: Uuid,
    pub quantity: Decimal,
}

/// On-hand per (location, product) in a scope with each product's category
/// (what a report cuts stock by).
pub(crate) fn on_hand_by_category(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
) -> Result<Vec<Level>> {
    let (condition, values) = scope::condition(scope, actor, &STOCK_SCOPE);
    let sql = format!(
        "SELECT m.location_id, m.product_id, p.category_id, m.quantity
         FROM stock_balances m JOIN products p ON p.id = m.product_id WHERE {condition}"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), |row| {
        Ok(Level {
            location_id: columns::uuid(row, 0)?,
            product_id: columns::uuid(row, 1)?,
            category_id: columns::uuid(row, 2)?,
            quantity: columns::decimal(row, 3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// Whether an item was issued (sold, issued, sent away) on or after `since`,
/// and whether it had any movement before it: (issued, older).
pub(crate) fn issued_since(
    conn: Reader<'_>,
    location_id: Uuid,
    product_id: Uuid,
    since: Day,
) -> Result<(bool, bool)> {
    let mut query = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM stock_movements WHERE location_id = ?1 AND product_id = ?2
                        AND moved_on >= ?3 AND reason IN ('sale', 'issue', 'transfer_out')),
                EXISTS (SELECT 1 FROM stock_movements WHERE location_id = ?1 AND product_id = ?2
                        AND moved_on < ?3)",
    )?;
    Ok(query.query_row(
        params![
            location_id.to_string(),
            product_id.to_string(),
            since.to_string()
        ],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?)
}

/// Replaces the stock levels head office last summed (V23).
pub(crate) fn keep_availability(
    conn: &Write<'_>,
    availability: &salesplan_domain::sync::protocol::Availability,
) -> Result<()> {
    conn.execute("DELETE FROM stock_availability", [])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO stock_availability (location_id, product_id, on_hand) VALUES (?1, ?2, ?3)",
    )?;
    for level in &availability.levels {
        insert.execute(params![
            level.location_id.to_string(),
            level.product_id.to_string(),
            level.on_hand.to_string()
        ])?;
    }
    conn.execute(
        "INSERT INTO stock_availability_as_of (id, as_of) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET as_of = excluded.as_of",
        [availability.as_of.to_string()],
    )?;
    Ok(())
}

/// The stock levels head office last summed, and when; none before the first sync.
pub(crate) fn availability(conn: Reader<'_>) -> Result<(Option<Timestamp>, Levels)> {
    let as_of = conn
        .query_row(
            "SELECT as_of FROM stock_availability_as_of WHERE id = 1",
            [],
            |row| columns::timestamp(row, 0),
        )
        .optional()?;
    let mut query =
        conn.prepare_cached("SELECT location_id, product_id, on_hand FROM stock_availability")?;
    let rows = query.query_map([], |row| {
        Ok((
            (columns::uuid(row, 0)?, columns::uuid(row, 1)?),
            columns::decimal(row, 2)?,
        ))
    })?;
    Ok((as_of, rows.collect::<rusqlite::Result<_>>()?))
}
