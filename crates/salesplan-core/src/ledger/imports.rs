//! SQL for the import history, imported sales and their fingerprints.

use super::columns;
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::imports::{EarlierImport, ImportRecord, SavedMapping};
use crate::timestamp::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use salesplan_domain::changes::records::ImportKind;
use std::collections::HashSet;
use uuid::Uuid;

const SELECT: &str =
    "SELECT i.id, i.kind, i.file_name, i.content_hash, i.sheet, i.mapping, i.target_id,
        i.rows_read, i.rows_imported, i.rows_skipped, i.imported_by, u.username, i.imported_at,
        i.reverses, i.reversed_at
    FROM imports i JOIN users u ON u.id = i.imported_by";

fn record_from_row(row: &Row<'_>) -> rusqlite::Result<ImportRecord> {
    Ok(ImportRecord {
        id: columns::uuid(row, 0)?,
        kind: columns::parsed(row, 1, "import kind", ImportKind::parse)?,
        file_name: row.get(2)?,
        content_hash: row.get(3)?,
        sheet: row.get(4)?,
        mapping: columns::parsed(row, 5, "mapping", |text| serde_json::from_str(text).ok())?,
        target_id: columns::optional_uuid(row, 6)?,
        rows_read: row.get(7)?,
        rows_imported: row.get(8)?,
        rows_skipped: row.get(9)?,
        imported_by: columns::uuid(row, 10)?,
        imported_by_name: row.get(11)?,
        imported_at: columns::timestamp(row, 12)?,
        reverses: columns::optional_uuid(row, 13)?,
        reversed_at: columns::optional_timestamp(row, 14)?,
    })
}

pub(crate) fn insert(conn: &Write<'_>, record: &ImportRecord) -> Result<()> {
    conn.execute(
        "INSERT INTO imports (id, kind, file_name, content_hash, sheet, mapping, target_id, rows_read,
                              rows_imported, rows_skipped, imported_by, imported_at, reverses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            record.id.to_string(),
            record.kind.key(),
            record.file_name,
            record.content_hash,
            record.sheet,
            serde_json::to_string(&record.mapping).unwrap_or_else(|_| "{}".into()),
            record.target_id.map(|id| id.to_string()),
            record.rows_read,
            record.rows_imported,
            record.rows_skipped,
            record.imported_by.to_string(),
            record.imported_at.to_string(),
            record.reverses.map(|id| id.to_string()),
        ],
    )?;
    Ok(())
}

pub(crate) fn get(conn: Reader<'_>, id: Uuid) -> Result<Option<ImportRecord>> {
    let sql = format!("{SELECT} WHERE i.id = ?1");
    Ok(conn
        .query_row(&sql, [id.to_string()], record_from_row)
        .optional()?)
}

/// The newest first; only `by`'s own when given.
pub(crate) fn list(conn: Reader<'_>, by: Option<Uuid>) -> Result<Vec<ImportRecord>> {
    let sql = format!(
        "{SELECT} WHERE (?1 IS NULL OR i.imported_by = ?1) ORDER BY i.imported_at DESC, i.id DESC"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map([by.map(|id| id.to_string())], record_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A reversal's count: the rows it took back.
pub(crate) fn set_rows_reversed(conn: &Write<'_>, reversal_id: Uuid, rows: usize) -> Result<()> {
    conn.execute(
        "UPDATE imports SET rows_imported = ?2, rows_read = ?2 WHERE id = ?1",
        params![reversal_id.to_string(), rows as i64],
    )?;
    Ok(())
}

pub(crate) fn set_reversed(conn: &Write<'_>, id: Uuid, at: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE imports SET reversed_at = ?2 WHERE id = ?1",
        params![id.to_string(), at.to_string()],
    )?;
    Ok(())
}

/// An import of this kind with the same content that still stands (not reversed, not a reversal).
pub(crate) fn same_content(
    conn: Reader<'_>,
    kind: ImportKind,
    content_hash: &str,
) -> Result<Option<EarlierImport>> {
    Ok(conn
        .query_row(
            "SELECT i.id, i.file_name, i.imported_at, u.username FROM imports i JOIN users u ON u.id = i.imported_by
             WHERE i.kind = ?1 AND i.content_hash = ?2 AND i.reverses IS NULL AND i.reversed_at IS NULL
             ORDER BY i.imported_at DESC LIMIT 1",
            params![kind.key(), content_hash],
            |row| {
                Ok(EarlierImport {
                    id: columns::uuid(row, 0)?,
                    file_name: row.get(1)?,
                    imported_at: columns::timestamp(row, 2)?,
                    imported_by: row.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Fingerprints of the facts in `table` (actual_sales, stock_movements) that
/// stand: not brought in by an import that was reversed.
pub(crate) fn fact_fingerprints(conn: Reader<'_>, table: &str) -> Result<HashSet<i64>> {
    let mut query = conn.prepare(&format!(
        "SELECT fingerprint FROM {table}
         WHERE fingerprint IS NOT NULL
           AND (import_id IS NULL OR import_id NOT IN (SELECT id FROM imports WHERE reversed_at IS NOT NULL))"
    ))?;
    let mut rows = query.query([])?;
    let mut set = HashSet::new();
    while let Some(row) = rows.next()? {
        set.insert(row.get::<_, i64>(0)?);
    }
    Ok(set)
}

/// Appends, for every fact (row of `table`) an import brought, the copy that
/// `copy_sql` makes of it: `?1` a new id, `?2` who reverses, `?3` when, `?4` the
/// reversal's import id, `?5` the original's rowid.
pub(crate) fn reverse_facts(
    conn: &Write<'_>,
    table: &str,
    copy_sql: &str,
    original: Uuid,
    reversal: Uuid,
    by: Uuid,
    at: Timestamp,
) -> Result<usize> {
    let rowids: Vec<i64> = conn
        .prepare(&format!(
            "SELECT rowid FROM {table} WHERE import_id = ?1 ORDER BY rowid"
        ))?
        .query_map([original.to_string()], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut copy = conn.prepare(copy_sql)?;
    let (by, reversal) = (by.to_string(), reversal.to_string());
    for rowid in &rowids {
        copy.execute(params![
            Uuid::now_v7().to_string(),
            by,
            at.to_string(),
            reversal,
            rowid
        ])?;
    }
    Ok(rowids.len())
}

/// The earliest month of the sales an import posted.
pub(crate) fn earliest_period(conn: Reader<'_>, import_id: Uuid) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT MIN(period) FROM actual_sales WHERE import_id = ?1",
        [import_id.to_string()],
        |row| row.get(0),
    )?)
}

/// Appends, for every sale of an import, the same sale with quantity and amount
/// negated; one that issued stock puts it back (its issue is derived likewise).
pub(crate) fn reverse_sales(
    conn: &Write<'_>,
    original: Uuid,
    reversal: Uuid,
    by: Uuid,
    at: Timestamp,
) -> Result<usize> {
    reverse_facts(
        conn,
        "actual_sales",
        "INSERT INTO actual_sales (id, period, product_id, location_id, salesman_id, customer_id, quantity,
                                   unit_price, amount, created_by, created_at, import_id, sold_on,
                                   issues_stock)
         SELECT ?1, period, product_id, location_id, salesman_id, customer_id,
                CASE WHEN substr(quantity, 1, 1) = '-' THEN substr(quantity, 2) ELSE '-' || quantity END,
                unit_price,
                CASE WHEN substr(amount, 1, 1) = '-' THEN substr(amount, 2) ELSE '-' || amount END,
                ?2, ?3, ?4, sold_on, issues_stock
         FROM actual_sales WHERE rowid = ?5",
        original,
        reversal,
        by,
        at,
    )
}

fn mapping_from_row(row: &Row<'_>) -> rusqlite::Result<SavedMapping> {
    Ok(SavedMapping {
        id: columns::uuid(row, 0)?,
        name: row.get(1)?,
        kind: columns::parsed(row, 2, "import kind", ImportKind::parse)?,
        mapping: columns::parsed(row, 3, "mapping", |text| serde_json::from_str(text).ok())?,
        version: row.get(4)?,
    })
}

pub(crate) fn find_mapping(
    conn: Reader<'_>,
    kind: ImportKind,
    name: &str,
) -> Result<Option<SavedMapping>> {
    Ok(conn
        .query_row(
            "SELECT id, name, kind, mapping, version FROM import_mappings WHERE kind = ?1 AND name = ?2 COLLATE NOCASE",
            params![kind.key(), name],
            mapping_from_row,
        )
        .optional()?)
}

pub(crate) fn mappings(conn: Reader<'_>, kind: ImportKind) -> Result<Vec<SavedMapping>> {
    let mut query = conn.prepare(
        "SELECT id, name, kind, mapping, version FROM import_mappings WHERE kind = ?1 ORDER BY name COLLATE NOCASE",
    )?;
    let rows = query.query_map([kind.key()], mapping_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn put_mapping(
    conn: &Write<'_>,
    saved: &SavedMapping,
    by: Uuid,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO import_mappings (id, name, kind, mapping, created_by, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (id) DO UPDATE SET mapping = excluded.mapping, version = excluded.version,
                                        updated_at = excluded.updated_at",
        params![
            saved.id.to_string(),
            saved.name,
            saved.kind.key(),
            serde_json::to_string(&saved.mapping).unwrap_or_else(|_| "{}".into()),
            by.to_string(),
            saved.version,
            now.to_string(),
        ],
    )?;
    Ok(())
}

pub(crate) fn insert_before_image(
    conn: &Write<'_>,
    import_id: Uuid,
    entity: crate::ledger::Entity,
    entity_id: Uuid,
    before: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO import_before_images (import_id, entity, entity_id, before) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![import_id.to_string(), entity.key(), entity_id.to_string(), before])?;
    Ok(())
}

/// What an import changed: each record's id and its fields before (none: the import created it).
pub(crate) fn before_images(
    conn: Reader<'_>,
    import_id: Uuid,
) -> Result<Vec<(Uuid, Option<String>)>> {
    let mut query = conn.prepare(
        "SELECT entity_id, before FROM import_before_images WHERE import_id = ?1 ORDER BY rowid DESC",
    )?;
    let rows = query.query_map([import_id.to_string()], |row| {
        Ok((columns::uuid(row, 0)?, row.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
