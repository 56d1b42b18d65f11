//! SQL for watched folders, the files seen in them, and alerts.

use super::columns;
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::watch::{Alert, Seen, WatchedFolder};
use crate::timestamp::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use salesplan_domain::changes::records::ImportKind;
use uuid::Uuid;

const SELECT_FOLDER: &str =
    "SELECT f.id, f.path, f.pattern, f.kind, f.mapping_name, f.owner_id, u.username, f.version
    FROM watched_folders f JOIN users u ON u.id = f.owner_id";

fn folder_from_row(row: &Row<'_>) -> rusqlite::Result<WatchedFolder> {
    Ok(WatchedFolder {
        id: columns::uuid(row, 0)?,
        path: row.get(1)?,
        pattern: row.get(2)?,
        kind: columns::parsed(row, 3, "import kind", ImportKind::parse)?,
        mapping_name: row.get(4)?,
        owner_id: columns::uuid(row, 5)?,
        owner_name: row.get(6)?,
        version: row.get(7)?,
    })
}

pub(crate) fn insert_folder(
    conn: &Write<'_>,
    folder: &WatchedFolder,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO watched_folders (id, path, pattern, kind, mapping_name, owner_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            folder.id.to_string(),
            folder.path,
            folder.pattern,
            folder.kind.key(),
            folder.mapping_name,
            folder.owner_id.to_string(),
            now.to_string()
        ],
    )?;
    Ok(())
}

/// The folders in use; only `owner`'s when given.
pub(crate) fn folders(conn: Reader<'_>, owner: Option<Uuid>) -> Result<Vec<WatchedFolder>> {
    let sql = format!(
        "{SELECT_FOLDER} WHERE f.archived_at IS NULL AND (?1 IS NULL OR f.owner_id = ?1) ORDER BY f.path"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map([owner.map(|id| id.to_string())], folder_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn folder(conn: Reader<'_>, id: Uuid) -> Result<Option<WatchedFolder>> {
    let sql = format!("{SELECT_FOLDER} WHERE f.id = ?1 AND f.archived_at IS NULL");
    Ok(conn
        .query_row(&sql, [id.to_string()], folder_from_row)
        .optional()?)
}

pub(crate) fn archive_folder(conn: &Write<'_>, id: Uuid, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE watched_folders SET archived_at = ?2, updated_at = ?2, version = version + 1 WHERE id = ?1",
        params![id.to_string(), now.to_string()],
    )?;
    Ok(())
}

pub(crate) fn seen(
    conn: Reader<'_>,
    folder_id: Uuid,
    file_name: &str,
    content_hash: &str,
) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM watched_files WHERE folder_id = ?1 AND file_name = ?2 AND content_hash = ?3",
            params![folder_id.to_string(), file_name, content_hash],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub(crate) fn insert_seen(conn: &Write<'_>, seen: &Seen, now: Timestamp) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO watched_files (folder_id, file_name, content_hash, outcome, import_id, message, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            seen.folder_id.to_string(),
            seen.file_name,
            seen.content_hash,
            seen.outcome.key(),
            seen.import_id.map(|id| id.to_string()),
            seen.message,
            now.to_string()
        ],
    )?;
    Ok(())
}

pub(crate) fn insert_alert(conn: &Write<'_>, alert: &Alert) -> Result<()> {
    conn.execute(
        "INSERT INTO alerts (id, user_id, subject, message, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![alert.id.to_string(), alert.user_id.to_string(), alert.subject, alert.message, alert.created_at.to_string()],
    )?;
    Ok(())
}

/// A user's unread alerts, newest first.
pub(crate) fn alerts(conn: Reader<'_>, user_id: Uuid) -> Result<Vec<Alert>> {
    let mut query = conn.prepare(
        "SELECT id, user_id, subject, message, created_at FROM alerts
         WHERE user_id = ?1 AND read_at IS NULL ORDER BY created_at DESC, rowid DESC",
    )?;
    let rows = query.query_map([user_id.to_string()], |row| {
        Ok(Alert {
            id: columns::uuid(row, 0)?,
            user_id: columns::uuid(row, 1)?,
            subject: row.get(2)?,
            message: row.get(3)?,
            created_at: columns::timestamp(row, 4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn mark_read(
    conn: &Write<'_>,
    id: Uuid,
    user_id: Uuid,
    now: Timestamp,
) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE alerts SET read_at = ?3 WHERE id = ?1 AND user_id = ?2 AND read_at IS NULL",
        params![id.to_string(), user_id.to_string(), now.to_string()],
    )?)
}

pub(crate) fn alert_owner(conn: Reader<'_>, id: Uuid) -> Result<Option<Uuid>> {
    Ok(conn
        .query_row(
            "SELECT user_id FROM alerts WHERE id = ?1",
            [id.to_string()],
            |row| columns::uuid(row, 0),
        )
        .optional()?)
}
