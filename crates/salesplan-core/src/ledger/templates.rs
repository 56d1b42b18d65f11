//! SQL for budget templates and their lines.

use super::columns;
use crate::error::{Error, Result};
use crate::ledger::{Reader, Write};
use crate::model::budgets::{Template, TemplateLine};
use crate::timestamp::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;
use uuid::Uuid;

const SELECT_TEMPLATE: &str =
    "SELECT t.id, t.name, t.seasonality, t.created_by, u.username, t.version, t.created_at, t.shared,
            u.department_id, u.location_id
    FROM budget_templates t JOIN users u ON u.id = t.created_by";

fn template_from_row(row: &Row<'_>) -> rusqlite::Result<Template> {
    Ok(Template {
        id: columns::uuid(row, 0)?,
        name: row.get(1)?,
        seasonality: columns::parsed(row, 2, "seasonality", |text| {
            serde_json::from_str::<Vec<Decimal>>(text).ok()
        })?,
        created_by: columns::uuid(row, 3)?,
        created_by_name: row.get(4)?,
        version: row.get(5)?,
        created_at: columns::timestamp(row, 6)?,
        shared: row.get(7)?,
        owner: crate::access::Resource {
            owner_id: Some(columns::uuid(row, 3)?),
            department_id: columns::optional_uuid(row, 8)?,
            location_id: columns::optional_uuid(row, 9)?,
        },
        lines: Vec::new(),
    })
}

fn seasonality_text(weights: &[Decimal]) -> String {
    serde_json::to_string(weights).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn insert(conn: &Write<'_>, template: &Template) -> Result<()> {
    conn.execute(
        "INSERT INTO budget_templates (id, name, seasonality, created_by, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            template.id.to_string(),
            template.name,
            seasonality_text(&template.seasonality),
            template.created_by.to_string(),
            template.version,
            template.created_at.to_string(),
        ],
    )?;
    let mut insert_line = conn.prepare_cached(
        "INSERT INTO budget_template_lines (id, template_id, product_id, quantity, unit_price)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for line in &template.lines {
        insert_line.execute(params![
            Uuid::now_v7().to_string(),
            template.id.to_string(),
            line.product_id.to_string(),
            line.quantity.to_string(),
            line.unit_price.to_string(),
        ])?;
    }
    Ok(())
}

/// The template in use with this name (names compare without case), if any.
pub(crate) fn find_by_name(conn: Reader<'_>, name: &str) -> Result<Option<Uuid>> {
    Ok(conn
        .query_row(
            "SELECT id FROM budget_templates WHERE name = ?1 COLLATE NOCASE AND archived_at IS NULL",
            [name],
            |row| columns::uuid(row, 0),
        )
        .optional()?)
}

fn template_lines(conn: &Connection, template_id: Uuid) -> Result<Vec<TemplateLine>> {
    let mut query = conn.prepare_cached(
        "SELECT l.product_id, p.sku, p.name, l.quantity, l.unit_price
         FROM budget_template_lines l JOIN products p ON p.id = l.product_id
         WHERE l.template_id = ?1 ORDER BY p.sku",
    )?;
    let rows = query.query_map([template_id.to_string()], |row| {
        Ok(TemplateLine {
            product_id: columns::uuid(row, 0)?,
            sku: row.get(1)?,
            product_name: row.get(2)?,
            quantity: columns::decimal(row, 3)?,
            unit_price: columns::decimal(row, 4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A template in use, with its lines.
pub(crate) fn get(conn: Reader<'_>, id: Uuid) -> Result<Option<Template>> {
    let sql = format!("{SELECT_TEMPLATE} WHERE t.id = ?1 AND t.archived_at IS NULL");
    let Some(mut template) = conn
        .query_row(&sql, [id.to_string()], template_from_row)
        .optional()?
    else {
        return Ok(None);
    };
    template.lines = template_lines(&conn, id)?;
    Ok(Some(template))
}

/// Every template in use, with its lines, by name.
pub(crate) fn list(conn: Reader<'_>) -> Result<Vec<Template>> {
    let sql =
        format!("{SELECT_TEMPLATE} WHERE t.archived_at IS NULL ORDER BY t.name COLLATE NOCASE");
    let mut query = conn.prepare(&sql)?;
    let templates = query
        .query_map([], template_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    templates
        .into_iter()
        .map(|template| {
            Ok(Template {
                lines: template_lines(&conn, template.id)?,
                ..template
            })
        })
        .collect()
}

pub(crate) fn set_shared(conn: &Write<'_>, id: Uuid, shared: bool, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE budget_templates SET shared = ?2, updated_at = ?3, version = version + 1
         WHERE id = ?1 AND archived_at IS NULL",
        params![id.to_string(), shared, now.to_string()],
    )?;
    Ok(())
}

pub(crate) fn delete(conn: &Write<'_>, id: Uuid, now: Timestamp) -> Result<()> {
    let changed = conn.execute(
        "UPDATE budget_templates SET archived_at = ?2, updated_at = ?2, version = version + 1
         WHERE id = ?1 AND archived_at IS NULL",
        params![id.to_string(), now.to_string()],
    )?;
    if changed == 0 {
        return Err(Error::not_found("budget template", id));
    }
    Ok(())
}
