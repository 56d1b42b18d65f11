//! SQL for purchase orders and their lines; what a line has received is the
//! sum of the receipts naming it (`stock_movements.order_line_id`).

use super::columns;
use super::scope::{self, ScopeColumns};
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::purchasing::{OrderLine, PurchaseOrder};
use crate::timestamp::{Day, Timestamp};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};
use rust_decimal::Decimal;
use salesplan_domain::purchasing::OrderStatus;
use std::collections::HashMap;
use uuid::Uuid;

const ORDER_SCOPE: ScopeColumns = ScopeColumns {
    owner: "NULL",
    department: "NULL",
    location: "o.location_id",
};

const SELECT_ORDER: &str = "
    SELECT o.id, o.supplier_id, s.code, s.name, s.contact, s.currency, o.location_id, l.code, l.name,
           o.status, o.note, o.created_by, coalesce(u.display_name, ''), o.created_at, o.sent_at,
           o.cancelled_at, o.cancel_reason, o.version
    FROM purchase_orders o
    JOIN suppliers s ON s.id = o.supplier_id
    JOIN locations l ON l.id = o.location_id
    LEFT JOIN users u ON u.id = o.created_by";

fn order(row: &Row<'_>) -> rusqlite::Result<PurchaseOrder> {
    let id = columns::uuid(row, 0)?;
    let created_at = columns::timestamp(row, 13)?;
    let status = columns::parsed(row, 9, "order status", OrderStatus::parse)?;
    Ok(PurchaseOrder {
        id,
        number: PurchaseOrder::number_of(id, created_at),
        supplier_id: columns::uuid(row, 1)?,
        supplier_code: row.get(2)?,
        supplier_name: row.get(3)?,
        supplier_contact: row.get(4)?,
        currency: row.get(5)?,
        location_id: columns::uuid(row, 6)?,
        location_code: row.get(7)?,
        location_name: row.get(8)?,
        status,
        state: PurchaseOrder::state_of(status, &[]),
        note: row.get(10)?,
        created_by: columns::uuid(row, 11)?,
        created_by_name: row.get(12)?,
        created_at,
        sent_at: columns::optional_timestamp(row, 14)?,
        cancelled_at: columns::optional_timestamp(row, 15)?,
        cancel_reason: row.get(16)?,
        version: row.get(17)?,
        lines: Vec::new(),
        total: Decimal::ZERO,
    })
}

/// What a line `l` has received: the sum of the receipts naming it.
macro_rules! received {
    () => {
        "coalesce((SELECT decimal_sum(m.quantity) FROM stock_movements m WHERE m.order_line_id = l.id), '0')"
    };
}

const SELECT_LINE: &str = concat!("
    SELECT l.order_id, l.id, l.product_id, p.sku, p.name, p.unit, coalesce(sp.supplier_sku, ''),
           l.quantity, l.unit_cost, l.expected_on,
           ", received!(), ",
           l.version
    FROM purchase_order_lines l
    JOIN purchase_orders o ON o.id = l.order_id
    JOIN products p ON p.id = l.product_id
    LEFT JOIN supplier_products sp ON sp.supplier_id = o.supplier_id AND sp.product_id = l.product_id");

fn line(row: &Row<'_>) -> rusqlite::Result<(Uuid, OrderLine)> {
    Ok((
        columns::uuid(row, 0)?,
        OrderLine {
            id: columns::uuid(row, 1)?,
            product_id: columns::uuid(row, 2)?,
            sku: row.get(3)?,
            product_name: row.get(4)?,
            unit: row.get(5)?,
            supplier_sku: row.get(6)?,
            quantity: columns::decimal(row, 7)?,
            unit_cost: columns::decimal(row, 8)?,
            expected_on: columns::day(row, 9)?,
            received: columns::decimal(row, 10)?,
            version: row.get(11)?,
        },
    ))
}

/// Fills each order's lines (live ones, by SKU), state and total.
fn with_lines(
    conn: Reader<'_>,
    orders: Vec<PurchaseOrder>,
    condition: &str,
    values: Vec<Value>,
) -> Result<Vec<PurchaseOrder>> {
    let mut query = conn.prepare(&format!(
        "{SELECT_LINE} WHERE l.deleted_at IS NULL AND {condition} ORDER BY p.sku COLLATE NOCASE"
    ))?;
    let mut lines: HashMap<Uuid, Vec<OrderLine>> = HashMap::new();
    for row in query.query_map(params_from_iter(values), line)? {
        let (order_id, line) = row?;
        lines.entry(order_id).or_default().push(line);
    }
    Ok(orders
        .into_iter()
        .map(|mut order| {
            order.lines = lines.remove(&order.id).unwrap_or_default();
            order.state = PurchaseOrder::state_of(order.status, &order.lines);
            order.total = order
                .lines
                .iter()
                .map(|line| line.quantity * line.unit_cost)
                .sum();
            order
        })
        .collect())
}

/// The orders in a scope, newest first.
pub(crate) fn orders(conn: Reader<'_>, scope: Scope, actor: &Actor) -> Result<Vec<PurchaseOrder>> {
    let (condition, values) = scope::condition(scope, actor, &ORDER_SCOPE);
    let mut query = conn.prepare(&format!(
        "{SELECT_ORDER} WHERE {condition} ORDER BY o.created_at DESC, o.id DESC"
    ))?;
    let orders = query
        .query_map(params_from_iter(values.clone()), order)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_lines(conn, orders, &condition, values)
}

/// One order, with its lines.
pub(crate) fn find(conn: Reader<'_>, id: Uuid) -> Result<Option<PurchaseOrder>> {
    let Some(found) = conn
        .query_row(
            &format!("{SELECT_ORDER} WHERE o.id = ?1"),
            params![id.to_string()],
            order,
        )
        .optional()?
    else {
        return Ok(None);
    };
    Ok(with_lines(
        conn,
        vec![found],
        "o.id = ?1",
        vec![Value::Text(id.to_string())],
    )?
    .pop())
}

/// A new draft order.
pub(crate) fn insert(
    conn: &Write<'_>,
    id: Uuid,
    supplier_id: Uuid,
    location_id: Uuid,
    note: &str,
    created_by: Uuid,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO purchase_orders (id, supplier_id, location_id, status, note, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6, ?6)",
    )?
    .execute(params![
        id.to_string(),
        supplier_id.to_string(),
        location_id.to_string(),
        note,
        created_by.to_string(),
        now.to_string()
    ])?;
    Ok(())
}

/// A line's fields as a person sets them.
pub(crate) struct LineFields {
    pub order_id: Uuid,
    pub product_id: Uuid,
    pub quantity: Decimal,
    pub unit_cost: Decimal,
    pub expected_on: Day,
}

/// A line as stored, removed or not.
pub(crate) struct HeldLine {
    pub id: Uuid,
    pub version: i64,
    pub removed: bool,
    pub quantity: Decimal,
    pub unit_cost: Decimal,
    pub expected_on: Day,
}

/// The line of an order for a product, removed or not.
pub(crate) fn line_of(
    conn: Reader<'_>,
    order_id: Uuid,
    product_id: Uuid,
) -> Result<Option<HeldLine>> {
    Ok(conn
        .query_row(
            "SELECT id, version, deleted_at IS NOT NULL, quantity, unit_cost, expected_on
             FROM purchase_order_lines WHERE order_id = ?1 AND product_id = ?2",
            params![order_id.to_string(), product_id.to_string()],
            |row| {
                Ok(HeldLine {
                    id: columns::uuid(row, 0)?,
                    version: row.get(1)?,
                    removed: row.get(2)?,
                    quantity: columns::decimal(row, 3)?,
                    unit_cost: columns::decimal(row, 4)?,
                    expected_on: columns::day(row, 5)?,
                })
            },
        )
        .optional()?)
}

/// Writes a line (a new one, or over the one there, live again), bumping its version.
pub(crate) fn put_line(
    conn: &Write<'_>,
    id: Uuid,
    line: &LineFields,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO purchase_order_lines (id, order_id, product_id, quantity, unit_cost, expected_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (id) DO UPDATE SET quantity = excluded.quantity, unit_cost = excluded.unit_cost,
             expected_on = excluded.expected_on, deleted_at = NULL, updated_at = excluded.updated_at,
             version = version + 1",
    )?
    .execute(params![
        id.to_string(),
        line.order_id.to_string(),
        line.product_id.to_string(),
        line.quantity.to_string(),
        line.unit_cost.to_string(),
        line.expected_on.to_string(),
        now.to_string()
    ])?;
    Ok(())
}

/// What sent orders still bring (and drafts, when `drafts`: what is about to
/// be ordered), line by line: `(location, product, expected on, outstanding)`.
pub(crate) fn on_order(conn: Reader<'_>, drafts: bool) -> Result<Vec<(Uuid, Uuid, Day, Decimal)>> {
    let mut query = conn.prepare_cached(concat!(
        "SELECT o.location_id, l.product_id, l.expected_on, l.quantity, ",
        received!(),
        "
         FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.order_id
         WHERE (o.status = 'sent' OR (?1 AND o.status = 'draft')) AND l.deleted_at IS NULL",
    ))?;
    let rows = query.query_map([drafts], |row| {
        let ordered = columns::decimal(row, 3)?;
        let received = columns::decimal(row, 4)?;
        Ok((
            columns::uuid(row, 0)?,
            columns::uuid(row, 1)?,
            columns::day(row, 2)?,
            (ordered - received).max(Decimal::ZERO),
        ))
    })?;
    let mut lines = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    lines.retain(|line| !line.3.is_zero());
    Ok(lines)
}
