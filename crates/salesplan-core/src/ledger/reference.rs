//! SQL for the reference tables. They share one shape (id, version, timestamps,
//! tombstone + the kind's own columns), so one generic store serves them all:
//! a kind's fields are written and read through their serde form, column = field.

use super::columns;
use crate::error::{Error, Result};
use crate::ledger::{Reader, Write};
use crate::model::reference::{Stored, StoredReference};
use crate::timestamp::Timestamp;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{OptionalExtension, Row, params_from_iter};
use serde_json::Map;
use uuid::Uuid;

const BOOKKEEPING: [&str; 5] = ["id", "version", "created_at", "updated_at", "deleted_at"];

fn columns_and_values<F: StoredReference>(fields: &F) -> Result<(Vec<String>, Vec<Value>)> {
    let serde_json::Value::Object(map) = serde_json::to_value(fields)
        .map_err(|error| Error::invalid(F::ENTITY.noun(), format!("cannot be stored: {error}")))?
    else {
        return Err(Error::invalid(
            F::ENTITY.noun(),
            "must be a record of fields",
        ));
    };
    let mut names = Vec::with_capacity(map.len());
    let mut values = Vec::with_capacity(map.len());
    for (name, value) in map {
        let sql_value = match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(flag) => Value::Integer(i64::from(flag)),
            serde_json::Value::Number(number) => match number.as_i64() {
                Some(integer) => Value::Integer(integer),
                None => Value::Real(number.as_f64().unwrap_or_default()),
            },
            serde_json::Value::String(text) => Value::Text(text),
            other => Value::Text(other.to_string()),
        };
        names.push(name);
        values.push(sql_value);
    }
    Ok((names, values))
}

fn stored_from_row<F: StoredReference>(row: &Row<'_>) -> rusqlite::Result<Stored<F>> {
    let statement = row.as_ref();
    let mut fields = Map::new();
    for idx in 0..statement.column_count() {
        let name = statement.column_name(idx)?;
        if BOOKKEEPING.contains(&name) {
            continue;
        }
        let value = match row.get_ref(idx)? {
            ValueRef::Null => serde_json::Value::Null,
            ValueRef::Integer(integer) => serde_json::Value::from(integer),
            ValueRef::Real(real) => serde_json::Value::from(real),
            ValueRef::Text(text) | ValueRef::Blob(text) => {
                serde_json::Value::String(String::from_utf8_lossy(text).into_owned())
            }
        };
        fields.insert(name.to_owned(), value);
    }
    let fields: F = serde_json::from_value(serde_json::Value::Object(fields)).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(error))
    })?;
    Ok(Stored {
        id: columns::uuid(row, 0)?,
        version: row.get(1)?,
        created_at: columns::timestamp(row, 2)?,
        updated_at: columns::timestamp(row, 3)?,
        archived_at: columns::optional_timestamp(row, 4)?,
        fields,
    })
}

fn select<F: StoredReference>() -> String {
    format!(
        "SELECT id, version, created_at, updated_at, deleted_at, * FROM {}",
        F::ENTITY_TABLE
    )
}

pub(crate) fn insert<F: StoredReference>(
    conn: &Write<'_>,
    id: Uuid,
    fields: &F,
    now: Timestamp,
) -> Result<()> {
    let (names, mut values) = columns_and_values(fields)?;
    let placeholders: Vec<String> = (1..=names.len() + 3).map(|n| format!("?{n}")).collect();
    let sql = format!(
        "INSERT INTO {} (id, created_at, updated_at, {}) VALUES ({})",
        F::ENTITY_TABLE,
        names.join(", "),
        placeholders.join(", ")
    );
    let mut all = vec![
        Value::Text(id.to_string()),
        Value::Text(now.to_string()),
        Value::Text(now.to_string()),
    ];
    all.append(&mut values);
    conn.execute(&sql, params_from_iter(all))?;
    Ok(())
}

/// Overwrites the kind's fields and bumps the version.
pub(crate) fn update<F: StoredReference>(
    conn: &Write<'_>,
    id: Uuid,
    fields: &F,
    now: Timestamp,
) -> Result<()> {
    let (names, values) = columns_and_values(fields)?;
    let assignments: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(n, name)| format!("{name} = ?{}", n + 3))
        .collect();
    let sql = format!(
        "UPDATE {} SET version = version + 1, updated_at = ?2, {} WHERE id = ?1",
        F::ENTITY_TABLE,
        assignments.join(", ")
    );
    let mut all = vec![Value::Text(id.to_string()), Value::Text(now.to_string())];
    all.extend(values);
    conn.execute(&sql, params_from_iter(all))?;
    Ok(())
}

/// Sets or clears the tombstone.
pub(crate) fn set_archived<F: StoredReference>(
    conn: &Write<'_>,
    id: Uuid,
    archived: bool,
    now: Timestamp,
) -> Result<()> {
    let sql = format!(
        "UPDATE {} SET version = version + 1, updated_at = ?2,
                deleted_at = CASE WHEN ?3 THEN ?2 ELSE NULL END
         WHERE id = ?1",
        F::ENTITY_TABLE
    );
    conn.execute(
        &sql,
        rusqlite::params![id.to_string(), now.to_string(), archived],
    )?;
    Ok(())
}

pub(crate) fn get<F: StoredReference>(conn: Reader<'_>, id: Uuid) -> Result<Option<Stored<F>>> {
    let sql = format!("{} WHERE id = ?1", select::<F>());
    Ok(conn
        .query_row(&sql, [id.to_string()], stored_from_row::<F>)
        .optional()?)
}

/// Finds by natural key (code or SKU, case-insensitive), archived rows included.
pub(crate) fn find_by_key<F: StoredReference>(
    conn: Reader<'_>,
    key: &str,
) -> Result<Option<Stored<F>>> {
    let sql = format!("{} WHERE {} = ?1", select::<F>(), F::KEY_FIELD);
    Ok(conn
        .query_row(&sql, [key.trim()], stored_from_row::<F>)
        .optional()?)
}

pub(crate) fn list<F: StoredReference>(
    conn: Reader<'_>,
    include_archived: bool,
) -> Result<Vec<Stored<F>>> {
    let sql = format!(
        "{} WHERE (?1 OR deleted_at IS NULL) ORDER BY {} COLLATE NOCASE",
        select::<F>(),
        F::ORDER_BY
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map([include_archived], stored_from_row::<F>)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether `id` names a live (not archived) row of `table`.
pub(crate) fn is_live(conn: Reader<'_>, table: &str, id: Uuid) -> Result<bool> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1 AND deleted_at IS NULL)");
    Ok(conn.query_row(&sql, [id.to_string()], |row| row.get(0))?)
}
