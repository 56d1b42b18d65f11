//! The laptop's sync bookkeeping (`sync_state`, `sync_queue`'s answers,
//! `sync_set_aside`): which server and account it syncs with, where it is in
//! head office's feed, what waits to be sent and what was refused. Not a change
//! of the company's data: written without a change record.

use super::{queue, staying, sweep};
use crate::error::Result;
use crate::ledger::columns;
use crate::ledger::{ChangeKind, Entity};
use crate::ledger::{Reader, Write};
use crate::timestamp::Timestamp;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// Where this laptop syncs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Connection {
    pub server_url: String,
    pub username: String,
}

/// What the status bar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub connection: Option<Connection>,
    /// Changes made here that head office has not answered yet.
    #[ts(type = "number")]
    pub pending: i64,
    /// Changes head office refused (the conflicts list).
    #[ts(type = "number")]
    pub rejected: i64,
    /// Changes that stay on this laptop for now, by reason (`staying`).
    pub staying: Vec<staying::Staying>,
    /// Changes from head office this ledger could not take (`set_aside`).
    #[ts(type = "number")]
    pub set_aside: i64,
    pub last_push_at: Option<Timestamp>,
    pub last_pull_at: Option<Timestamp>,
    /// The last failure, when it came after the last success.
    pub last_error: Option<String>,
    pub last_error_at: Option<Timestamp>,
}

/// A change head office refused, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Conflict {
    #[ts(type = "number")]
    pub seq: i64,
    pub entity: Entity,
    pub entity_id: Uuid,
    pub kind: String,
    pub reason: String,
    pub answered_at: Timestamp,
    /// When the change was made here.
    pub recorded_at: Timestamp,
    #[ts(type = "Record<string, unknown>")]
    pub payload: serde_json::Value,
    /// The edit's other refused changes (an import's rows, a close's snapshot values).
    #[ts(type = "number")]
    pub more: i64,
}

/// A change from head office this ledger could not take, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SetAside {
    /// Its place in head office's feed.
    #[ts(type = "number")]
    pub seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    pub kind: String,
    pub reason: String,
    pub set_aside_at: Timestamp,
    #[ts(type = "unknown")]
    pub payload: serde_json::Value,
}

/// Where this ledger syncs, if it is connected.
pub(crate) fn connection(conn: Reader<'_>) -> Result<Option<Connection>> {
    Ok(conn
        .query_row(
            "SELECT server_url, username FROM sync_state WHERE id = 1 AND server_url IS NOT NULL",
            [],
            |row| {
                Ok(Connection {
                    server_url: row.get(0)?,
                    username: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                })
            },
        )
        .optional()?)
}

/// Stores where this ledger syncs: another server starts its feed from the
/// beginning, another account has its staying records checked again.
pub(crate) fn store_connection(conn: &Write<'_>, url: &str, username: &str) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET
             cursor = CASE WHEN server_url IS ?1 THEN cursor ELSE 0 END,
             epoch = CASE WHEN server_url IS ?1 THEN epoch ELSE NULL END,
             recheck_staying = CASE WHEN username IS ?2 THEN recheck_staying ELSE 1 END,
             server_url = ?1, username = ?2
         WHERE id = 1",
        params![url, username],
    )?;
    Ok(())
}

/// Whether the ledger has accounts of its own.
pub(crate) fn has_accounts(conn: Reader<'_>) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |row| row.get(0))?)
}

/// The head-office address a sync last succeeded with.
pub(crate) fn confirmed_url(conn: Reader<'_>) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT confirmed_url FROM sync_state WHERE id = 1",
        [],
        |row| row.get(0),
    )?)
}

/// The address the ledger holds is the confirmed one.
pub(crate) fn confirm_url(conn: &Write<'_>) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET confirmed_url = server_url WHERE id = 1",
        [],
    )?;
    Ok(())
}

/// The local account of the user this laptop syncs as.
pub(crate) fn connected_user(conn: Reader<'_>) -> Result<Option<Uuid>> {
    Ok(conn
        .query_row(
            "SELECT u.id FROM users u JOIN sync_state s ON s.id = 1 AND u.username = s.username",
            [],
            |row| columns::uuid(row, 0),
        )
        .optional()?)
}

/// Where sync stands, for the account this laptop syncs as.
pub(crate) fn status(conn: Reader<'_>) -> Result<SyncStatus> {
    let user = connected_user(conn)?.map(|user| user.to_string());
    // Not connected: nobody's changes are counted (`= NULL` matches nothing).
    // One edit is one: an import's rows or a close's snapshot values count once.
    let counts = |status: &str| -> Result<i64> {
        Ok(conn.query_row(
            "SELECT count(DISTINCT outbox_id) FROM sync_queue WHERE status = ?1 AND user_id = ?2",
            params![status, user],
            |row| row.get(0),
        )?)
    };
    // Changes not queued yet are pending too.
    let mut unqueued = 0;
    let mut query = conn.prepare(
        "SELECT o.entity, o.kind, count(*) FROM outbox o, sync_state s
         WHERE s.id = 1 AND o.mutation_id > s.queued_through AND o.user_id = ?1
         GROUP BY o.entity, o.kind",
    )?;
    let groups = query.query_map([&user], |row| {
        Ok((
            columns::parsed(row, 0, "entity", Entity::parse)?,
            columns::parsed(row, 1, "change kind", ChangeKind::parse)?,
            row.get::<_, i64>(2)?,
        ))
    })?;
    for group in groups {
        let (entity, kind, count) = group?;
        if queue::is_sent(entity, kind) {
            unqueued += count;
        }
    }
    let (last_push_at, last_pull_at, last_error, last_error_at) = conn.query_row(
        "SELECT last_push_at, last_pull_at, last_error, last_error_at FROM sync_state WHERE id = 1",
        [],
        |row| {
            Ok((
                columns::optional_timestamp(row, 0)?,
                columns::optional_timestamp(row, 1)?,
                row.get(2)?,
                columns::optional_timestamp(row, 3)?,
            ))
        },
    )?;
    Ok(SyncStatus {
        connection: connection(conn)?,
        pending: counts("pending")? + unqueued,
        rejected: counts("rejected")?,
        staying: staying::list(conn)?,
        set_aside: conn.query_row("SELECT count(*) FROM sync_set_aside", [], |row| row.get(0))?,
        last_push_at,
        last_pull_at,
        last_error,
        last_error_at,
    })
}

/// The edits head office refused, newest first: each by its first refused change.
pub(crate) fn conflicts(conn: Reader<'_>, limit: u32) -> Result<Vec<Conflict>> {
    let user = connected_user(conn)?.map(|user| user.to_string());
    let mut query = conn.prepare(
        "SELECT q.seq, q.entity, q.entity_id, q.kind, q.reason, q.answered_at, o.recorded_at, q.payload, r.refused - 1
         FROM (SELECT min(seq) AS seq, count(*) AS refused FROM sync_queue
               WHERE status = 'rejected' AND user_id = ?1 GROUP BY outbox_id) r
         JOIN sync_queue q ON q.seq = r.seq JOIN outbox o ON o.mutation_id = q.outbox_id
         ORDER BY q.seq DESC LIMIT ?2",
    )?;
    let rows = query.query_map(params![user, limit], |row| {
        Ok(Conflict {
            seq: row.get(0)?,
            entity: columns::parsed(row, 1, "entity", Entity::parse)?,
            entity_id: columns::uuid(row, 2)?,
            kind: row.get(3)?,
            reason: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
            answered_at: columns::timestamp(row, 5)?,
            recorded_at: columns::timestamp(row, 6)?,
            payload: columns::json(row, 7)?,
            more: row.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The changes from head office set aside here, newest first.
pub(crate) fn set_aside(conn: Reader<'_>, limit: u32) -> Result<Vec<SetAside>> {
    let mut query = conn.prepare(
        "SELECT seq, entity, entity_id, kind, reason, set_aside_at, payload FROM sync_set_aside
         ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = query.query_map([limit], |row| {
        Ok(SetAside {
            seq: row.get(0)?,
            entity: row.get(1)?,
            entity_id: columns::uuid(row, 2)?,
            kind: row.get(3)?,
            reason: row.get(4)?,
            set_aside_at: columns::timestamp(row, 5)?,
            payload: columns::json(row, 6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Where this ledger is in head office's feed: the epoch it bootstrapped from and the cursor.
pub(crate) fn position(conn: Reader<'_>) -> Result<(Option<Uuid>, i64)> {
    Ok(conn.query_row(
        "SELECT epoch, cursor FROM sync_state WHERE id = 1",
        [],
        |row| Ok((columns::optional_uuid(row, 0)?, row.get(1)?)),
    )?)
}

/// Reads head office's feed (of another epoch) again from the beginning; what
/// it no longer holds is swept away once the whole feed has been read.
pub(crate) fn restart_feed(conn: &Write<'_>, epoch: Uuid) -> Result<()> {
    sweep::begin(conn)?;
    conn.execute(
        "UPDATE sync_state SET epoch = ?1, cursor = 0 WHERE id = 1",
        [epoch.to_string()],
    )?;
    Ok(())
}

/// Head office answered a push now.
pub(crate) fn note_push(conn: &Write<'_>) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET last_push_at = ?1 WHERE id = 1",
        [Timestamp::now().to_string()],
    )?;
    Ok(())
}

/// Records a failed sync, or clears it after a good one.
pub(crate) fn note_outcome(conn: &Write<'_>, error: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET last_error = ?1,
             last_error_at = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END WHERE id = 1",
        params![error, Timestamp::now().to_string()],
    )?;
    Ok(())
}

/// Head office's password hash for the account this ledger syncs as: the
/// laptop's own bookkeeping, not a change (head office holds the account).
pub(crate) fn adopt_password_hash(conn: &Write<'_>, hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?1
         WHERE username = (SELECT username FROM sync_state WHERE id = 1)",
        [hash],
    )?;
    Ok(())
}
