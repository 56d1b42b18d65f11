//! SQL for the budget exports kept to compare a file coming back with.

use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::exports::{ExportedCell, Snapshot};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

/// How many exports of one budget are kept; an older file is compared without its snapshot.
const KEPT_PER_BUDGET: i64 = 20;

pub(crate) fn insert_snapshot(conn: &Write<'_>, snapshot: &Snapshot) -> Result<()> {
    let cells: Vec<(String, String, String, i64)> = snapshot
        .cells
        .iter()
        .map(|cell| {
            (
                cell.product_id.to_string(),
                cell.period.to_string(),
                cell.quantity.to_string(),
                cell.version,
            )
        })
        .collect();
    conn.execute(
        "INSERT INTO budget_exports (id, budget_id, exported_at, exported_by, cells)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            snapshot.export_id.to_string(),
            snapshot.budget_id.to_string(),
            snapshot.exported_at.to_string(),
            snapshot.exported_by.map(|id| id.to_string()),
            serde_json::to_string(&cells).unwrap_or_default(),
        ],
    )?;
    conn.execute(
        "DELETE FROM budget_exports WHERE budget_id = ?1 AND id NOT IN
            (SELECT id FROM budget_exports WHERE budget_id = ?1 ORDER BY exported_at DESC LIMIT ?2)",
        params![snapshot.budget_id.to_string(), KEPT_PER_BUDGET],
    )?;
    Ok(())
}

/// The export with this id, if this ledger made it and still keeps it.
pub(crate) fn snapshot(conn: Reader<'_>, export_id: Uuid) -> Result<Option<Snapshot>> {
    let found = conn
        .query_row(
            "SELECT budget_id, exported_at, exported_by, cells FROM budget_exports WHERE id = ?1",
            [export_id.to_string()],
            |row| {
                Ok((
                    super::columns::uuid(row, 0)?,
                    super::columns::timestamp(row, 1)?,
                    super::columns::optional_uuid(row, 2)?,
                    row.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((budget_id, exported_at, exported_by, cells)) = found else {
        return Ok(None);
    };
    let cells: Vec<(Uuid, crate::month::Month, rust_decimal::Decimal, i64)> =
        serde_json::from_str(&cells).map_err(|error| {
            crate::error::Error::invalid(
                "export",
                format!("the kept copy of export {export_id} cannot be read: {error}"),
            )
        })?;
    Ok(Some(Snapshot {
        export_id,
        budget_id,
        exported_at,
        exported_by,
        cells: cells
            .into_iter()
            .map(|(product_id, period, quantity, version)| ExportedCell {
                product_id,
                period,
                quantity,
                version,
            })
            .collect(),
    }))
}
