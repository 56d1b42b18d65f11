//! SQL for stock policies: the computed ones (`stock_policies`, derived, one
//! JSON document per item) and people's overrides (`stock_policy_overrides`,
//! one live per item, archived when removed).

use super::columns;
use super::scope::{self, ScopeColumns};
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::policies::{Policy, PolicyOverride};
use crate::month::Month;
use crate::timestamp::Timestamp;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

const POLICY_SCOPE: ScopeColumns = ScopeColumns {
    owner: "NULL",
    department: "NULL",
    location: "p.location_id",
};

/// Replaces every computed policy by `policies`.
pub(crate) fn replace(conn: &Write<'_>, policies: &[Policy], now: Timestamp) -> Result<()> {
    conn.execute("DELETE FROM stock_policies", [])?;
    let mut insert = conn.prepare(
        "INSERT INTO stock_policies (location_id, product_id, policy, computed_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let now = now.to_string();
    for policy in policies {
        insert.execute(params![
            policy.location_id.to_string(),
            policy.product_id.to_string(),
            serde_json::to_string(policy).unwrap_or_default(),
            now
        ])?;
    }
    Ok(())
}

fn policy(row: &Row<'_>, at: usize) -> rusqlite::Result<Policy> {
    columns::parsed(row, at, "stock policy", |text| {
        serde_json::from_str(text).ok()
    })
}

/// The computed policies within a scope, of one location and one product if asked.
pub(crate) fn computed(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    location_id: Option<Uuid>,
    product_id: Option<Uuid>,
) -> Result<Vec<Policy>> {
    let (condition, mut values) = scope::condition(scope, actor, &POLICY_SCOPE);
    let next = values.len() + 1;
    values.push(location_id.map(|id| id.to_string()).into());
    values.push(product_id.map(|id| id.to_string()).into());
    let sql = format!(
        "SELECT p.policy FROM stock_policies p
         WHERE {condition} AND (?{next} IS NULL OR p.location_id = ?{next})
               AND (?{} IS NULL OR p.product_id = ?{})",
        next + 1,
        next + 1
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), |row| policy(row, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the policies were last worked out.
pub(crate) fn computed_at(conn: Reader<'_>) -> Result<Option<Timestamp>> {
    Ok(
        conn.query_row("SELECT max(computed_at) FROM stock_policies", [], |row| {
            columns::optional_timestamp(row, 0)
        })?,
    )
}

/// Sales value per product over months `first..=last` (for ABC classes).
pub(crate) fn sales_values(
    conn: Reader<'_>,
    first: Month,
    last: Month,
) -> Result<HashMap<Uuid, Decimal>> {
    let mut query = conn.prepare(
        "SELECT product_id, decimal_sum(amount) FROM actual_sales
         WHERE period BETWEEN ?1 AND ?2 GROUP BY product_id",
    )?;
    let rows = query.query_map(params![first.to_string(), last.to_string()], |row| {
        Ok((columns::uuid(row, 0)?, columns::decimal(row, 1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const OVERRIDE: &str = "
    SELECT o.id, o.location_id, o.product_id, o.reorder_point, o.order_quantity, o.reason,
           o.created_by, u.username, o.version, o.updated_at, o.deleted_at IS NULL
    FROM stock_policy_overrides o LEFT JOIN users u ON u.id = o.created_by";

fn overridden(row: &Row<'_>) -> rusqlite::Result<PolicyOverride> {
    Ok(PolicyOverride {
        id: columns::uuid(row, 0)?,
        location_id: columns::uuid(row, 1)?,
        product_id: columns::uuid(row, 2)?,
        reorder_point: columns::optional_decimal(row, 3)?,
        order_quantity: columns::optional_decimal(row, 4)?,
        reason: row.get(5)?,
        created_by: columns::uuid(row, 6)?,
        created_by_name: row.get(7)?,
        version: row.get(8)?,
        updated_at: columns::timestamp(row, 9)?,
    })
}

/// The live overrides, by (location, product).
pub(crate) fn live_overrides(conn: Reader<'_>) -> Result<HashMap<(Uuid, Uuid), PolicyOverride>> {
    let mut query = conn.prepare(&format!("{OVERRIDE} WHERE o.deleted_at IS NULL"))?;
    let rows = query.query_map([], overridden)?;
    rows.map(|row| {
        let row = row?;
        Ok(((row.location_id, row.product_id), row))
    })
    .collect()
}

/// The override of an item, live or archived (`None` when there never was one).
pub(crate) fn find_override(
    conn: Reader<'_>,
    location_id: Uuid,
    product_id: Uuid,
) -> Result<Option<(PolicyOverride, bool)>> {
    Ok(conn
        .query_row(
            &format!("{OVERRIDE} WHERE o.location_id = ?1 AND o.product_id = ?2"),
            params![location_id.to_string(), product_id.to_string()],
            |row| Ok((overridden(row)?, row.get(10)?)),
        )
        .optional()?)
}

/// Writes an override (new, or over the item's one, brought back if archived).
pub(crate) fn put_override(conn: &Write<'_>, row: &PolicyOverride, now: Timestamp) -> Result<()> {
    conn.execute(
        "INSERT INTO stock_policy_overrides (id, location_id, product_id, reorder_point, order_quantity,
                                             reason, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT (id) DO UPDATE SET reorder_point = excluded.reorder_point,
             order_quantity = excluded.order_quantity, reason = excluded.reason,
             created_by = excluded.created_by, deleted_at = NULL,
             updated_at = excluded.updated_at, version = version + 1",
        params![
            row.id.to_string(),
            row.location_id.to_string(),
            row.product_id.to_string(),
            row.reorder_point.map(|q| q.to_string()),
            row.order_quantity.map(|q| q.to_string()),
            row.reason,
            row.created_by.to_string(),
            now.to_string(),
        ],
    )?;
    Ok(())
}

/// Archives an override: the computed policy applies again.
pub(crate) fn archive_override(conn: &Write<'_>, id: Uuid, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE stock_policy_overrides SET deleted_at = ?2, updated_at = ?2, version = version + 1
         WHERE id = ?1",
        params![id.to_string(), now.to_string()],
    )?;
    Ok(())
}

/// The alert keys a user has read.
pub(crate) fn alerts_read(
    conn: Reader<'_>,
    user_id: Uuid,
) -> Result<std::collections::HashSet<String>> {
    let mut query = conn.prepare_cached("SELECT key FROM stock_alert_reads WHERE user_id = ?1")?;
    let rows = query.query_map([user_id.to_string()], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn mark_alert_read(
    conn: &Write<'_>,
    user_id: Uuid,
    key: &str,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO stock_alert_reads (user_id, key, read_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id, key) DO NOTHING",
        params![user_id.to_string(), key, now.to_string()],
    )?;
    Ok(())
}

/// Forgets a user's reads of alerts that no longer hold (`holding`: the keys that do).
pub(crate) fn forget_alert_reads(
    conn: &Write<'_>,
    user_id: Uuid,
    holding: &std::collections::HashSet<String>,
) -> Result<()> {
    let mut delete =
        conn.prepare_cached("DELETE FROM stock_alert_reads WHERE user_id = ?1 AND key = ?2")?;
    for key in alerts_read(conn.read(), user_id)? {
        if !holding.contains(&key) {
            delete.execute(params![user_id.to_string(), key])?;
        }
    }
    Ok(())
}
