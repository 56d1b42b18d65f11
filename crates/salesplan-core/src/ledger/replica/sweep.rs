//! After head office was restored from a backup the laptop reads its feed again
//! from the start, noting every record the feed names. Once the feed is read
//! to its end, a record head office once held (received from its feed, or sent
//! and taken) that the feed no longer names was lost at head office: it goes,
//! unless it is one of this laptop's own changes waiting to be sent again (head
//! office then takes it, or refuses it and the refusal takes it out). So every
//! laptop equals head office again, also in what another laptop created and
//! head office no longer has. A record head office never held (made here and
//! not sent) is never removed: it exists nowhere else.

use super::apply::{Guards, with_append_only_guards_lifted};
use super::mirror::{Key, mirror};
use crate::error::Result;
use crate::ledger::Entity;
use crate::ledger::{Reader, Write};
use rusqlite::params;

/// Approval steps travel inside a budget's transition; they are noted under this name.
pub(crate) const APPROVAL_STEP: &str = "budget_approval";

/// Synced records, children before the records they belong to, so that a
/// parent is only removed once nothing here refers to it.
const CHILDREN_FIRST: [Entity; 25] = [
    Entity::ForecastSnapshot,
    Entity::ExpenseTransaction,
    Entity::BudgetExpense,
    Entity::BudgetLine,
    Entity::Budget,
    Entity::ForecastOverride,
    Entity::StockPolicyOverride,
    Entity::StockMovement,
    Entity::PurchaseOrderLine,
    Entity::PurchaseOrder,
    Entity::TransferLine,
    Entity::Transfer,
    Entity::ActualSale,
    Entity::Import,
    Entity::ImportMapping,
    Entity::SavedReport,
    Entity::SupplierProduct,
    Entity::BudgetTemplate,
    Entity::Customer,
    Entity::Supplier,
    Entity::Product,
    Entity::ProductCategory,
    Entity::BudgetCategory,
    Entity::Location,
    Entity::Department,
];

/// A new epoch replaces one the ledger held: the feed is read again and swept after.
pub(crate) fn begin(conn: &Write<'_>) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM sync_seen; UPDATE sync_state SET sweeping = 1 WHERE id = 1 AND epoch IS NOT NULL;",
    )?;
    Ok(())
}

/// Whether the feed is being read again after a restore.
pub(crate) fn active(conn: Reader<'_>) -> Result<bool> {
    Ok(
        conn.query_row("SELECT sweeping FROM sync_state WHERE id = 1", [], |row| {
            row.get(0)
        })?,
    )
}

/// The feed named this record.
pub(crate) fn mark_seen(conn: &Write<'_>, entity: &str, key: &str) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO sync_seen (entity, key) VALUES (?1, ?2)")?
        .execute(params![entity, key])?;
    Ok(())
}

/// The records head office is known to have held: another laptop's, received
/// from its feed, and this laptop's own, sent and taken (approval steps by
/// their step's id), into the temporary table `held`.
fn note_held(conn: &Write<'_>) -> Result<()> {
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS held (entity TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (entity, key)) WITHOUT ROWID;
         DELETE FROM temp.held;
         INSERT OR IGNORE INTO temp.held SELECT entity, entity_id FROM sync_received;
         INSERT OR IGNORE INTO temp.held SELECT entity, entity_id FROM sync_queue WHERE status = 'applied';
         INSERT OR IGNORE INTO temp.held
             SELECT '{APPROVAL_STEP}', json_extract(payload, '$.step.id') FROM sync_received
             WHERE entity = 'budget' AND kind = 'transitioned' AND json_extract(payload, '$.step.id') IS NOT NULL
             UNION
             SELECT '{APPROVAL_STEP}', json_extract(payload, '$.step.id') FROM sync_queue
             WHERE status = 'applied' AND entity = 'budget' AND kind = 'transitioned'
               AND json_extract(payload, '$.step.id') IS NOT NULL;"
    ))?;
    Ok(())
}

/// The feed is read to its end: removes what head office held, no longer
/// names, and this laptop is not sending again. Returns how many records went.
pub(crate) fn finish(conn: &Write<'_>) -> Result<usize> {
    note_held(conn)?;
    // Removals are checked at once, so a record something here still refers to stays.
    conn.execute_batch("PRAGMA defer_foreign_keys = OFF;")?;
    let mut removed = 0;
    with_append_only_guards_lifted(conn, Guards::Deletes, || {
        removed += remove_unseen(
            conn,
            APPROVAL_STEP,
            "budget_approvals",
            "SELECT json_extract(payload, '$.step.id') FROM sync_queue
             WHERE status = 'pending' AND entity = 'budget' AND kind = 'transitioned'",
        )?;
        for entity in CHILDREN_FIRST {
            let Some(table) = mirror(entity) else {
                continue;
            };
            if table.key != Key::Id {
                continue;
            }
            let pending = format!(
                "SELECT entity_id FROM sync_queue WHERE status = 'pending' AND entity = '{}'",
                entity.key()
            );
            if let Some((children, column)) = table.children {
                conn.execute(
                    &format!(
                        "DELETE FROM {children} WHERE {column} IN (
                             SELECT id FROM {parent} WHERE id NOT IN (SELECT key FROM sync_seen WHERE entity = ?1)
                             AND id IN (SELECT key FROM temp.held WHERE entity = ?1)
                             AND id NOT IN ({pending}))",
                        parent = table.table
                    ),
                    [entity.key()],
                )?;
            }
            removed += remove_unseen(conn, entity.key(), table.table, &pending)?;
        }
        Ok(())
    })?;
    conn.execute_batch(
        "DELETE FROM sync_seen; DELETE FROM temp.held; UPDATE sync_state SET sweeping = 0 WHERE id = 1; PRAGMA defer_foreign_keys = ON;",
    )?;
    Ok(removed)
}

/// Removes the rows of `table` head office held and the feed did not name, one
/// by one: a row that something here still refers to is kept.
fn remove_unseen(conn: &Write<'_>, entity: &str, table: &str, pending: &str) -> Result<usize> {
    let unseen: Vec<String> = conn
        .prepare(&format!(
            "SELECT id FROM {table}
             WHERE id NOT IN (SELECT key FROM sync_seen WHERE entity = ?1)
               AND id IN (SELECT key FROM temp.held WHERE entity = ?1)
               AND id NOT IN ({pending})"
        ))?
        .query_map([entity], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut removed = 0;
    for id in unseen {
        match remove(conn, table, &id)? {
            true => removed += 1,
            // A waiting change refers to it: it goes once head office has answered that.
            false => {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO sync_unswept (entity, key) VALUES (?1, ?2)",
                )?
                .execute(params![entity, id])?;
            }
        }
    }
    Ok(removed)
}

/// Deletes one record; `false` when something here still refers to it.
fn remove(conn: &Write<'_>, table: &str, id: &str) -> Result<bool> {
    match conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id]) {
        Ok(_) => Ok(true),
        Err(error)
            if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
        {
            Ok(false)
        }
        Err(error) => Err(error.into()),
    }
}

/// A record no longer waits to be removed: it went, or the feed named it
/// again (head office holds it: it stays).
pub(crate) fn forget(conn: &Write<'_>, entity: &str, key: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_unswept WHERE entity = ?1 AND key = ?2")?
        .execute(params![entity, key])?;
    Ok(())
}

/// After head office answered this laptop's changes: the records a restore's
/// sweep left because a waiting change referred to them go now, children
/// first, unless something here still refers to them. How many went.
pub(crate) fn retry_unswept(conn: &Write<'_>) -> Result<usize> {
    let waiting: i64 = conn.query_row("SELECT count(*) FROM sync_unswept", [], |row| row.get(0))?;
    if waiting == 0 {
        return Ok(0);
    }
    conn.execute_batch("PRAGMA defer_foreign_keys = OFF;")?;
    let mut removed = 0;
    with_append_only_guards_lifted(conn, Guards::Deletes, || {
        for entity in CHILDREN_FIRST {
            let Some(table) = mirror(entity) else {
                continue;
            };
            let keys: Vec<String> = conn
                .prepare_cached("SELECT key FROM sync_unswept WHERE entity = ?1")?
                .query_map([entity.key()], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for key in keys {
                let pending: i64 = conn.query_row(
                    "SELECT count(*) FROM sync_queue WHERE status = 'pending' AND entity = ?1 AND entity_id = ?2",
                    params![entity.key(), key],
                    |row| row.get(0),
                )?;
                if pending > 0 || !remove(conn, table.table, &key)? {
                    continue;
                }
                removed += 1;
                forget(conn, entity.key(), &key)?;
            }
        }
        Ok(())
    })?;
    conn.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
    Ok(removed)
}
