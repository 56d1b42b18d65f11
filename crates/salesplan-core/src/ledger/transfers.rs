//! SQL for transfers and their lines; what a line has sent out and had
//! arrive is the sum of the movements naming it (`stock_movements.transfer_line_id`).

use super::columns;
use super::scope;
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::transfers::{Transfer, TransferEvent, TransferLine};
use crate::timestamp::{Day, Timestamp};
use rusqlite::types::Value;
use rusqlite::{Row, params, params_from_iter};
use rust_decimal::Decimal;
use salesplan_domain::transfers::{Discrepancy, TransferStatus};
use std::collections::HashMap;
use uuid::Uuid;

const SELECT_TRANSFER: &str = "
    SELECT t.id, t.from_location_id, f.code, f.name, t.to_location_id, d.code, d.name, t.status,
           t.note, t.cancel_reason, t.version,
           t.created_by, t.created_at, t.approved_by, t.approved_at, t.shipped_by, t.shipped_at,
           t.closed_by, t.closed_at, t.cancelled_by, t.cancelled_at
    FROM transfers t
    JOIN locations f ON f.id = t.from_location_id
    JOIN locations d ON d.id = t.to_location_id";

/// The steps' columns of `SELECT_TRANSFER`, from 11: (what, who, when).
const STEPS: [&str; 5] = ["requested", "approved", "shipped", "closed", "cancelled"];

/// The steps taken on a transfer: (what, by whom, when).
type Steps = Vec<(&'static str, Uuid, Timestamp)>;

/// A transfer row, and who took its steps when (by id).
fn transfer(row: &Row<'_>) -> rusqlite::Result<(Transfer, Steps)> {
    let id = columns::uuid(row, 0)?;
    let status = columns::parsed(row, 7, "transfer status", TransferStatus::parse)?;
    let mut steps = Vec::new();
    for (at, what) in STEPS.into_iter().enumerate() {
        let by = columns::optional_uuid(row, 11 + 2 * at)?;
        let when = columns::optional_timestamp(row, 12 + 2 * at)?;
        if let (Some(by), Some(when)) = (by, when) {
            steps.push((what, by, when));
        }
    }
    let created_at = steps.first().map_or_else(Timestamp::now, |step| step.2);
    Ok((
        Transfer {
            id,
            number: crate::model::document_number("TR", id, created_at),
            from_location_id: columns::uuid(row, 1)?,
            from_code: row.get(2)?,
            from_name: row.get(3)?,
            to_location_id: columns::uuid(row, 4)?,
            to_code: row.get(5)?,
            to_name: row.get(6)?,
            status,
            state: Transfer::state_of(status, &[]),
            note: row.get(8)?,
            cancel_reason: row.get(9)?,
            version: row.get(10)?,
            events: Vec::new(),
            lines: Vec::new(),
        },
        steps,
    ))
}

const SELECT_LINE: &str = "
    SELECT l.transfer_id, l.id, l.product_id, p.sku, p.name, p.unit, l.quantity, l.shipped, l.version
    FROM transfer_lines l
    JOIN transfers t ON t.id = l.transfer_id
    JOIN products p ON p.id = l.product_id";

fn line(row: &Row<'_>) -> rusqlite::Result<(Uuid, TransferLine)> {
    Ok((
        columns::uuid(row, 0)?,
        TransferLine {
            id: columns::uuid(row, 1)?,
            product_id: columns::uuid(row, 2)?,
            sku: row.get(3)?,
            product_name: row.get(4)?,
            unit: row.get(5)?,
            quantity: columns::decimal(row, 6)?,
            shipped: columns::optional_decimal(row, 7)?,
            received: Decimal::ZERO,
            short: Decimal::ZERO,
            damaged: Decimal::ZERO,
            surplus: Decimal::ZERO,
            in_transit: Decimal::ZERO,
            version: row.get(8)?,
        },
    ))
}

/// One arrival against a line: (transfer, line, discrepancy, quantity, by, at, on).
type Arrival = (
    Uuid,
    Uuid,
    Option<Discrepancy>,
    Decimal,
    Uuid,
    Timestamp,
    Day,
);

const SELECT_ARRIVALS: &str = "
    SELECT l.transfer_id, m.transfer_line_id, m.discrepancy, m.quantity, m.created_by, m.created_at, m.moved_on
    FROM stock_movements m
    JOIN transfer_lines l ON l.id = m.transfer_line_id
    JOIN transfers t ON t.id = l.transfer_id
    WHERE m.reason = 'transfer_in'";

fn arrival(row: &Row<'_>) -> rusqlite::Result<Arrival> {
    Ok((
        columns::uuid(row, 0)?,
        columns::uuid(row, 1)?,
        columns::optional(row, 2, "discrepancy", Discrepancy::parse)?,
        columns::decimal(row, 3)?,
        columns::uuid(row, 4)?,
        columns::timestamp(row, 5)?,
        columns::day(row, 6)?,
    ))
}

/// Fills each transfer's lines (live ones, by SKU), what arrived, its state and its events.
fn assemble(
    conn: Reader<'_>,
    rows: Vec<(Transfer, Steps)>,
    condition: &str,
    values: &[Value],
) -> Result<Vec<Transfer>> {
    let mut lines: HashMap<Uuid, Vec<TransferLine>> = HashMap::new();
    let mut query = conn.prepare(&format!(
        "{SELECT_LINE} WHERE l.deleted_at IS NULL AND {condition} ORDER BY p.sku COLLATE NOCASE"
    ))?;
    for row in query.query_map(params_from_iter(values), line)? {
        let (transfer_id, line) = row?;
        lines.entry(transfer_id).or_default().push(line);
    }
    let mut arrivals: HashMap<Uuid, Vec<Arrival>> = HashMap::new();
    let mut query = conn.prepare(&format!(
        "{SELECT_ARRIVALS} AND {condition} ORDER BY m.created_at, m.rowid"
    ))?;
    for row in query.query_map(params_from_iter(values), arrival)? {
        let arrival = row?;
        arrivals.entry(arrival.0).or_default().push(arrival);
    }
    let names = user_names(conn)?;
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
    Ok(rows
        .into_iter()
        .map(|(mut transfer, steps)| {
            transfer.lines = lines.remove(&transfer.id).unwrap_or_default();
            let arrived = arrivals.remove(&transfer.id).unwrap_or_default();
            for (_, line_id, discrepancy, quantity, ..) in &arrived {
                if let Some(line) = transfer.lines.iter_mut().find(|line| line.id == *line_id) {
                    *match discrepancy {
                        None => &mut line.received,
                        Some(Discrepancy::Short) => &mut line.short,
                        Some(Discrepancy::Damaged) => &mut line.damaged,
                        Some(Discrepancy::Surplus) => &mut line.surplus,
                    } += *quantity;
                }
            }
            for line in &mut transfer.lines {
                line.in_transit = line.flow().in_transit();
            }
            transfer.state = Transfer::state_of(transfer.status, &transfer.lines);
            let mut events: Vec<TransferEvent> = steps
                .into_iter()
                .map(|(what, by, at)| TransferEvent {
                    what: what.to_owned(),
                    by: name(by),
                    at,
                    on: None,
                })
                .collect();
            // One arrival event per receipt: what one person recorded at once,
            // as shipped and as each discrepancy.
            let mut receipts: Vec<(Uuid, Timestamp, Day, [Decimal; 4])> = Vec::new();
            for (_, _, discrepancy, quantity, by, at, on) in arrived {
                let kind = match discrepancy {
                    None => 0,
                    Some(Discrepancy::Short) => 1,
                    Some(Discrepancy::Damaged) => 2,
                    Some(Discrepancy::Surplus) => 3,
                };
                match receipts.last_mut() {
                    Some(last) if last.0 == by && last.1 == at => last.3[kind] += quantity,
                    _ => {
                        let mut amounts = [Decimal::ZERO; 4];
                        amounts[kind] = quantity;
                        receipts.push((by, at, on, amounts));
                    }
                }
            }
            events.extend(
                receipts
                    .into_iter()
                    .map(|(by, at, on, amounts)| TransferEvent {
                        what: receipt_text(amounts),
                        by: name(by),
                        at,
                        on: Some(on),
                    }),
            );
            // In time, and a step and a receipt of the same instant in the
            // order they happen (the receipt that closes it comes before the close).
            let rank = |what: &str| match what {
                "requested" => 0,
                "approved" => 1,
                "shipped" => 2,
                "closed" => 4,
                "cancelled" => 5,
                _ => 3,
            };
            events.sort_by_key(|event| (event.at, rank(&event.what)));
            transfer.events = events;
            transfer
        })
        .collect())
}

/// "received 22, 2 short": what one receipt brought, as shipped and otherwise.
fn receipt_text([received, short, damaged, surplus]: [Decimal; 4]) -> String {
    let mut parts = vec![format!("received {}", received.normalize())];
    for (amount, what) in [(short, "short"), (damaged, "damaged"), (surplus, "over")] {
        if !amount.is_zero() {
            parts.push(format!("{} {what}", amount.normalize()));
        }
    }
    parts.join(", ")
}

fn user_names(conn: Reader<'_>) -> Result<HashMap<Uuid, String>> {
    let mut query = conn.prepare_cached("SELECT id, display_name FROM users")?;
    let rows = query.query_map([], |row| Ok((columns::uuid(row, 0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The transfers either of whose ends lies in a scope, newest first.
pub(crate) fn transfers(conn: Reader<'_>, scope: Scope, actor: &Actor) -> Result<Vec<Transfer>> {
    let (condition, values) =
        scope::either_end(scope, actor, "t.from_location_id", "t.to_location_id");
    let mut query = conn.prepare(&format!(
        "{SELECT_TRANSFER} WHERE {condition} ORDER BY t.created_at DESC, t.id DESC"
    ))?;
    let rows = query
        .query_map(params_from_iter(&values), transfer)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    assemble(conn, rows, &condition, &values)
}

/// One transfer, with its lines.
pub(crate) fn find(conn: Reader<'_>, id: Uuid) -> Result<Option<Transfer>> {
    let condition = "t.id = ?1";
    let values = [Value::Text(id.to_string())];
    let mut query = conn.prepare_cached(&format!("{SELECT_TRANSFER} WHERE {condition}"))?;
    let rows = query
        .query_map(params_from_iter(&values), transfer)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(assemble(conn, rows, condition, &values)?.pop())
}

/// A new request.
pub(crate) fn insert(
    conn: &Write<'_>,
    id: Uuid,
    from: Uuid,
    to: Uuid,
    note: &str,
    created_by: Uuid,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO transfers (id, from_location_id, to_location_id, status, note, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'requested', ?4, ?5, ?6, ?6)",
    )?
    .execute(params![
        id.to_string(),
        from.to_string(),
        to.to_string(),
        note,
        created_by.to_string(),
        now.to_string()
    ])?;
    Ok(())
}

/// A line as stored, removed or not.
pub(crate) struct HeldLine {
    pub id: Uuid,
    pub version: i64,
    pub removed: bool,
    pub quantity: Decimal,
}

/// The line of a transfer for a product, removed or not.
pub(crate) fn line_of(
    conn: Reader<'_>,
    transfer_id: Uuid,
    product_id: Uuid,
) -> Result<Option<HeldLine>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT id, version, deleted_at IS NOT NULL, quantity
             FROM transfer_lines WHERE transfer_id = ?1 AND product_id = ?2",
            params![transfer_id.to_string(), product_id.to_string()],
            |row| {
                Ok(HeldLine {
                    id: columns::uuid(row, 0)?,
                    version: row.get(1)?,
                    removed: row.get(2)?,
                    quantity: columns::decimal(row, 3)?,
                })
            },
        )
        .optional()?)
}

/// Writes a line's quantity (a new line, or over the one there, live again).
pub(crate) fn put_line(
    conn: &Write<'_>,
    id: Uuid,
    transfer_id: Uuid,
    product_id: Uuid,
    quantity: Decimal,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO transfer_lines (id, transfer_id, product_id, quantity, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (id) DO UPDATE SET quantity = excluded.quantity, deleted_at = NULL,
             updated_at = excluded.updated_at, version = version + 1",
    )?
    .execute(params![
        id.to_string(),
        transfer_id.to_string(),
        product_id.to_string(),
        quantity.to_string(),
        now.to_string()
    ])?;
    Ok(())
}

/// A line ships `shipped`.
pub(crate) fn ship_line(
    conn: &Write<'_>,
    id: Uuid,
    shipped: Decimal,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE transfer_lines SET shipped = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
    )?
    .execute(params![id.to_string(), shipped.to_string(), now.to_string()])?;
    Ok(())
}

/// What an open transfer line still moves: approved and not shipped (the
/// whole quantity, `shipped_on` none), or shipped and not all arrived (what
/// shipped less what arrived).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moving {
    pub from: Uuid,
    pub to: Uuid,
    pub product: Uuid,
    pub quantity: Decimal,
    pub shipped_on: Option<Day>,
}

/// Every open transfer line's `Moving`, in one query.
pub(crate) fn moving(conn: Reader<'_>) -> Result<Vec<Moving>> {
    let mut query = conn.prepare_cached(
        "SELECT t.from_location_id, t.to_location_id, l.product_id, t.status, l.quantity, l.shipped,
                t.shipped_at,
                coalesce((SELECT decimal_sum(m.quantity) FROM stock_movements m
                          WHERE m.transfer_line_id = l.id AND m.reason = 'transfer_in'), '0')
         FROM transfer_lines l JOIN transfers t ON t.id = l.transfer_id
         WHERE t.status IN ('approved', 'shipped') AND l.deleted_at IS NULL",
    )?;
    let rows = query.query_map([], |row| {
        let status: String = row.get(3)?;
        let (quantity, shipped_on) = if status == "approved" {
            (columns::decimal(row, 4)?, None)
        } else {
            let shipped = columns::optional_decimal(row, 5)?.unwrap_or_default();
            let arrived = columns::decimal(row, 7)?;
            (
                (shipped - arrived).max(Decimal::ZERO),
                Some(columns::optional_timestamp(row, 6)?.map_or_else(Day::today, Timestamp::day)),
            )
        };
        Ok(Moving {
            from: columns::uuid(row, 0)?,
            to: columns::uuid(row, 1)?,
            product: columns::uuid(row, 2)?,
            quantity,
            shipped_on,
        })
    })?;
    let mut lines = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    lines.retain(|line| !line.quantity.is_zero());
    Ok(lines)
}
