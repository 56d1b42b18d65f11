//! SQL for `data_sources` and `source_jobs`: the sources kept on this laptop,
//! how far each has read, and the jobs that ran them.

use crate::error::Result;
use crate::ledger::{Reader, Write, columns};
use crate::model::sources::{Cursor, DataSource, JobOutcome, SourceDefinition, SourceJob};
use crate::timestamp::{Day, Timestamp};
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

const SOURCE_COLUMNS: &str =
    "s.id, s.name, s.definition, s.owner_id, u.username, s.cursor, s.newest_date, s.version";
const JOB_COLUMNS: &str =
    "j.id, j.source_id, u.username, j.started_at, j.ended_at, j.outcome, j.rows_read,
    j.rows_imported, j.rows_already, j.rows_rejected, j.cursor_before, j.cursor_after, j.import_id,
    j.attempts, j.message, j.warnings";

fn conversion(idx: usize, error: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        error.to_string().into(),
    )
}

fn source(row: &Row<'_>) -> rusqlite::Result<DataSource> {
    let text: String = row.get(2)?;
    let definition: SourceDefinition =
        serde_json::from_str(&text).map_err(|error| conversion(2, error))?;
    let cursor: Option<String> = row.get(5)?;
    Ok(DataSource {
        id: columns::uuid(row, 0)?,
        definition,
        owner_id: columns::uuid(row, 3)?,
        owner_name: row.get(4)?,
        cursor: cursor
            .map(|text| serde_json::from_str::<Cursor>(&text).map_err(|error| conversion(5, error)))
            .transpose()?,
        newest_date: columns::optional_day(row, 6)?,
        last_job: None,
        version: row.get(7)?,
    })
}

fn job(row: &Row<'_>) -> rusqlite::Result<SourceJob> {
    let warnings: String = row.get(15)?;
    Ok(SourceJob {
        id: columns::uuid(row, 0)?,
        source_id: columns::uuid(row, 1)?,
        run_by: row.get(2)?,
        started_at: columns::timestamp(row, 3)?,
        ended_at: columns::timestamp(row, 4)?,
        outcome: columns::parsed(row, 5, "job outcome", JobOutcome::parse)?,
        rows_read: row.get(6)?,
        rows_imported: row.get(7)?,
        rows_already: row.get(8)?,
        rows_rejected: row.get(9)?,
        cursor_before: row.get(10)?,
        cursor_after: row.get(11)?,
        import_id: columns::optional_uuid(row, 12)?,
        attempts: row.get(13)?,
        message: row.get(14)?,
        warnings: serde_json::from_str(&warnings).map_err(|error| conversion(15, error))?,
    })
}

/// A definition as stored (its name also has a column of its own, for the unique index).
fn stored_definition(definition: &SourceDefinition) -> String {
    serde_json::to_string(definition).unwrap_or_default()
}

pub(crate) fn insert(
    conn: &Write<'_>,
    id: Uuid,
    definition: &SourceDefinition,
    owner_id: Uuid,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO data_sources (id, name, definition, owner_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![
            id.to_string(),
            definition.name,
            stored_definition(definition),
            owner_id.to_string(),
            now.to_string()
        ],
    )?;
    Ok(())
}

/// A new definition (and owner); the cursor goes when what is read changed.
pub(crate) fn update(
    conn: &Write<'_>,
    id: Uuid,
    definition: &SourceDefinition,
    owner_id: Uuid,
    keep_cursor: bool,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "UPDATE data_sources SET name = ?2, definition = ?3, owner_id = ?4, updated_at = ?5,
             cursor = CASE WHEN ?6 THEN cursor END, newest_date = CASE WHEN ?6 THEN newest_date END,
             version = version + 1
         WHERE id = ?1",
        params![
            id.to_string(),
            definition.name,
            stored_definition(definition),
            owner_id.to_string(),
            now.to_string(),
            keep_cursor
        ],
    )?;
    Ok(())
}

pub(crate) fn archive(conn: &Write<'_>, id: Uuid, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE data_sources SET archived_at = ?2, updated_at = ?2, version = version + 1 WHERE id = ?1",
        params![id.to_string(), now.to_string()],
    )?;
    Ok(())
}

/// The sources in use, by name; only `owner`'s when given; each with its last job.
pub(crate) fn list(conn: Reader<'_>, owner: Option<Uuid>) -> Result<Vec<DataSource>> {
    let mut query = conn.prepare(&format!(
        "SELECT {SOURCE_COLUMNS} FROM data_sources s JOIN users u ON u.id = s.owner_id
         WHERE s.archived_at IS NULL AND (?1 IS NULL OR s.owner_id = ?1) ORDER BY lower(s.name)"
    ))?;
    let sources = query
        .query_map([owner.map(|id| id.to_string())], source)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    sources
        .into_iter()
        .map(|mut source| {
            source.last_job = jobs(conn, source.id, 1)?.pop();
            Ok(source)
        })
        .collect()
}

/// A source in use, by id or by name (any case).
pub(crate) fn find(conn: Reader<'_>, id_or_name: &str) -> Result<Option<DataSource>> {
    let found = conn
        .query_row(
            &format!(
                "SELECT {SOURCE_COLUMNS} FROM data_sources s JOIN users u ON u.id = s.owner_id
                 WHERE s.archived_at IS NULL AND (s.id = ?1 OR lower(s.name) = lower(trim(?1)))"
            ),
            [id_or_name],
            source,
        )
        .optional()?;
    found
        .map(|mut source| {
            source.last_job = jobs(conn, source.id, 1)?.pop();
            Ok(source)
        })
        .transpose()
}

/// How far the source has read and the newest date it brought, moved in the
/// transaction that imports what it read.
pub(crate) fn set_cursor(
    conn: &Write<'_>,
    id: Uuid,
    cursor: Option<&Cursor>,
    newest_date: Option<Day>,
) -> Result<()> {
    conn.execute(
        "UPDATE data_sources SET cursor = ?2, newest_date = ?3 WHERE id = ?1",
        params![
            id.to_string(),
            cursor.map(|cursor| serde_json::to_string(cursor).unwrap_or_default()),
            newest_date.map(|day| day.to_string())
        ],
    )?;
    Ok(())
}

pub(crate) fn insert_job(conn: &Write<'_>, job: &SourceJob, run_by: Uuid) -> Result<()> {
    conn.execute(
        "INSERT INTO source_jobs (id, source_id, run_by, started_at, ended_at, outcome, rows_read,
             rows_imported, rows_already, rows_rejected, cursor_before, cursor_after, import_id,
             attempts, message, warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            job.id.to_string(),
            job.source_id.to_string(),
            run_by.to_string(),
            job.started_at.to_string(),
            job.ended_at.to_string(),
            job.outcome.key(),
            job.rows_read,
            job.rows_imported,
            job.rows_already,
            job.rows_rejected,
            job.cursor_before,
            job.cursor_after,
            job.import_id.map(|id| id.to_string()),
            job.attempts,
            job.message,
            serde_json::to_string(&job.warnings).unwrap_or_else(|_| "[]".into())
        ],
    )?;
    Ok(())
}

/// A source's newest jobs, newest first.
pub(crate) fn jobs(conn: Reader<'_>, source_id: Uuid, limit: usize) -> Result<Vec<SourceJob>> {
    let mut query = conn.prepare(&format!(
        "SELECT {JOB_COLUMNS} FROM source_jobs j JOIN users u ON u.id = j.run_by
         WHERE j.source_id = ?1 ORDER BY j.started_at DESC, j.id DESC LIMIT ?2"
    ))?;
    let rows = query.query_map(params![source_id.to_string(), limit as i64], job)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
