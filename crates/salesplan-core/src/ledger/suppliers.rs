//! SQL for `supplier_products`: one line per supplier and product, a version
//! bumped on every edit and a tombstone when it is no longer bought there.

use super::columns;
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::suppliers::{SupplierProduct, SupplierTerms};
use crate::timestamp::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

const SELECT: &str = "
    SELECT l.id, l.version, l.created_at, l.updated_at, l.deleted_at, l.supplier_id, l.product_id,
           l.supplier_sku, l.cost_price, l.pack_size, l.min_order, l.lead_time_days, l.is_primary,
           s.code, p.sku, p.name, coalesce(l.lead_time_days, s.lead_time_days)
    FROM supplier_products l
    JOIN suppliers s ON s.id = l.supplier_id
    JOIN products p ON p.id = l.product_id";

fn line(row: &Row<'_>) -> rusqlite::Result<SupplierProduct> {
    Ok(SupplierProduct {
        id: columns::uuid(row, 0)?,
        version: row.get(1)?,
        created_at: columns::timestamp(row, 2)?,
        updated_at: columns::timestamp(row, 3)?,
        archived_at: columns::optional_timestamp(row, 4)?,
        terms: SupplierTerms {
            supplier_id: columns::uuid(row, 5)?,
            product_id: columns::uuid(row, 6)?,
            supplier_sku: row.get(7)?,
            cost_price: columns::decimal(row, 8)?,
            pack_size: columns::decimal(row, 9)?,
            min_order: columns::decimal(row, 10)?,
            lead_time_days: row.get(11)?,
            is_primary: row.get(12)?,
        },
        supplier_code: row.get(13)?,
        sku: row.get(14)?,
        product_name: row.get(15)?,
        lead_time_days: row.get(16)?,
    })
}

/// The lines of one supplier, of one product, or all (by supplier code, then SKU).
pub(crate) fn lines(
    conn: Reader<'_>,
    supplier_id: Option<Uuid>,
    product_id: Option<Uuid>,
    include_archived: bool,
) -> Result<Vec<SupplierProduct>> {
    let mut query = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR l.supplier_id = ?1) AND (?2 IS NULL OR l.product_id = ?2)
                    AND (?3 OR l.deleted_at IS NULL)
         ORDER BY s.code COLLATE NOCASE, p.sku COLLATE NOCASE"
    ))?;
    let rows = query.query_map(
        params![
            supplier_id.map(|id| id.to_string()),
            product_id.map(|id| id.to_string()),
            include_archived
        ],
        line,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The line of a supplier and product, archived or not.
pub(crate) fn find(
    conn: Reader<'_>,
    supplier_id: Uuid,
    product_id: Uuid,
) -> Result<Option<SupplierProduct>> {
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE l.supplier_id = ?1 AND l.product_id = ?2"),
            params![supplier_id.to_string(), product_id.to_string()],
            line,
        )
        .optional()?)
}

/// Writes a line's terms (a new one, or over the one there), live, bumping its version.
/// A line by its id, archived or not.
pub(crate) fn by_id(conn: Reader<'_>, id: Uuid) -> Result<Option<SupplierProduct>> {
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE l.id = ?1"),
            params![id.to_string()],
            line,
        )
        .optional()?)
}

pub(crate) fn put(conn: &Write<'_>, id: Uuid, terms: &SupplierTerms, now: Timestamp) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO supplier_products (id, supplier_id, product_id, supplier_sku, cost_price, pack_size,
                                        min_order, lead_time_days, is_primary, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
         ON CONFLICT (id) DO UPDATE SET supplier_sku = excluded.supplier_sku, cost_price = excluded.cost_price,
             pack_size = excluded.pack_size, min_order = excluded.min_order,
             lead_time_days = excluded.lead_time_days, is_primary = excluded.is_primary,
             deleted_at = NULL, updated_at = excluded.updated_at, version = version + 1",
    )?
    .execute(params![
        id.to_string(),
        terms.supplier_id.to_string(),
        terms.product_id.to_string(),
        terms.supplier_sku,
        terms.cost_price.to_string(),
        terms.pack_size.to_string(),
        terms.min_order.to_string(),
        terms.lead_time_days,
        terms.is_primary,
        now.to_string(),
    ])?;
    Ok(())
}

/// Marks a line no longer bought (it stays for history).
pub(crate) fn archive(conn: &Write<'_>, id: Uuid, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE supplier_products SET deleted_at = ?2, updated_at = ?2, version = version + 1
         WHERE id = ?1",
        params![id.to_string(), now.to_string()],
    )?;
    Ok(())
}
