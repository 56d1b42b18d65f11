//! The outbox: one change record per service write (DESIGN §5), and the audit
//! trail that reads those records back ("who changed what, when").

use super::clock::Hlc;
use super::columns;
use crate::error::Result;
use crate::ledger::Reader;
use crate::timestamp::Timestamp;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

pub use salesplan_domain::entity::{ChangeKind, Entity};

/// One change, as a service describes it.
#[derive(Debug, Clone)]
pub struct Change {
    pub entity: Entity,
    pub entity_id: Uuid,
    pub kind: ChangeKind,
    pub payload: serde_json::Value,
    /// The version of the row the change was made against (`None` for new rows and facts).
    pub base_version: Option<i64>,
}

pub(super) fn append(
    conn: &Connection,
    change: &Change,
    stamp: &Hlc,
    user_id: Option<Uuid>,
    schema_version: i64,
) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO outbox (op_uuid, entity, entity_id, kind, payload, base_version, hlc,
                             user_id, schema_version, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    insert.execute(params![
        Uuid::now_v7().to_string(),
        change.entity.key(),
        change.entity_id.to_string(),
        change.kind.key(),
        change.payload.to_string(),
        change.base_version,
        stamp.to_string(),
        user_id.map(|id| id.to_string()),
        schema_version,
        Timestamp::now().to_string(),
    ])?;
    Ok(())
}

/// One line of the audit trail.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    /// The change as a sentence a person reads: "Sam Becker changed budget line
    /// BEV-010 Sparkling Water 1L, Jan 2027: quantity 83 → 90".
    pub summary: String,
    /// Each field the change set, with the value it had before (none: new).
    pub changes: Vec<FieldChange>,
    #[ts(type = "number")]
    pub mutation_id: i64,
    /// When the change was recorded, UTC, RFC 3339.
    pub recorded_at: Timestamp,
    pub user_id: Option<Uuid>,
    pub username: Option<String>,
    pub entity: Entity,
    pub entity_id: Uuid,
    pub kind: ChangeKind,
    #[ts(type = "Record<string, unknown>")]
    pub payload: serde_json::Value,
    /// Made on another laptop and received from head office.
    pub received: bool,
}

/// One field of a change, in words: its name, and its value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One change of a record, for replaying its history.
#[derive(Debug, Clone)]
pub(crate) struct PastChange {
    pub received: bool,
    pub id: i64,
    pub recorded_at: Timestamp,
    pub payload: serde_json::Value,
}

/// Every recorded change of each record, oldest first: this laptop's own
/// (by the outbox's entity index) and those received from head office (one pass).
pub(crate) fn histories(
    conn: Reader<'_>,
    records: &[(Entity, Uuid)],
) -> Result<HashMap<(Entity, Uuid), Vec<PastChange>>> {
    let mut found: HashMap<(Entity, Uuid), Vec<PastChange>> = HashMap::new();
    let payload = |text: String| serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    let mut own = conn.prepare_cached(
        "SELECT mutation_id, recorded_at, payload FROM outbox WHERE entity = ?1 AND entity_id = ?2",
    )?;
    for &(entity, id) in records {
        let rows = own.query_map(params![entity.key(), id.to_string()], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                columns::timestamp(row, 1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (mutation_id, recorded_at, text) = row?;
            found.entry((entity, id)).or_default().push(PastChange {
                received: false,
                id: mutation_id,
                recorded_at,
                payload: payload(text),
            });
        }
    }
    let ids: Vec<String> = records.iter().map(|(_, id)| id.to_string()).collect();
    let mut received = conn.prepare(
        "SELECT seq, recorded_at, payload, entity, entity_id FROM sync_received
         WHERE entity_id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = received.query_map([serde_json::Value::from(ids).to_string()], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            columns::timestamp(row, 1)?,
            row.get::<_, String>(2)?,
            columns::parsed(row, 3, "entity", Entity::parse)?,
            columns::uuid(row, 4)?,
        ))
    })?;
    let wanted: std::collections::HashSet<&(Entity, Uuid)> = records.iter().collect();
    for row in rows {
        let (seq, recorded_at, text, entity, id) = row?;
        if wanted.contains(&(entity, id)) {
            found.entry((entity, id)).or_default().push(PastChange {
                received: true,
                id: seq,
                recorded_at,
                payload: payload(text),
            });
        }
    }
    for history in found.values_mut() {
        history.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at).then(a.id.cmp(&b.id)));
    }
    Ok(found)
}

/// Which audit entries to read.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct AuditFilter {
    #[ts(optional)]
    pub entity: Option<Entity>,
    /// Only changes recorded at or after this instant.
    #[ts(optional)]
    pub since: Option<Timestamp>,
    /// Only changes made by this user.
    #[ts(optional)]
    pub user_id: Option<Uuid>,
    /// At most this many, newest first (default 200).
    #[ts(optional)]
    pub limit: Option<u32>,
}

pub(crate) fn audit(conn: Reader<'_>, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let mut query = conn.prepare(
        // The newest of this laptop's own and of those received, merged by time.
        "SELECT a.id, a.recorded_at, a.user_id, u.username, a.entity, a.entity_id, a.kind, a.payload, a.received
         FROM (SELECT * FROM (SELECT mutation_id AS id, recorded_at, user_id, entity, entity_id, kind, payload,
                                     0 AS received
                              FROM outbox
                              WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR recorded_at >= ?2)
                                AND (?3 IS NULL OR user_id = ?3)
                              ORDER BY mutation_id DESC LIMIT ?4)
               UNION ALL
               SELECT * FROM (SELECT seq, recorded_at, user_id, entity, entity_id, kind, payload, 1
                              FROM sync_received
                              WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR recorded_at >= ?2)
                                AND (?3 IS NULL OR user_id = ?3)
                              ORDER BY recorded_at DESC LIMIT ?4)) a
              LEFT JOIN users u ON u.id = a.user_id
         ORDER BY a.recorded_at DESC, a.id DESC
         LIMIT ?4",
    )?;
    let rows = query.query_map(
        params![
            filter.entity.map(Entity::key),
            filter.since.map(|since| since.to_string()),
            filter.user_id.map(|id| id.to_string()),
            filter.limit.unwrap_or(200),
        ],
        |row| {
            Ok(AuditEntry {
                summary: String::new(),
                changes: Vec::new(),
                mutation_id: row.get(0)?,
                recorded_at: columns::timestamp(row, 1)?,
                user_id: columns::optional_uuid(row, 2)?,
                username: row.get(3)?,
                entity: columns::parsed(row, 4, "entity", Entity::parse)?,
                entity_id: columns::uuid(row, 5)?,
                kind: columns::parsed(row, 6, "change kind", ChangeKind::parse)?,
                payload: columns::parsed(row, 7, "JSON payload", |text| {
                    serde_json::from_str(text).ok()
                })?,
                received: row.get(8)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
