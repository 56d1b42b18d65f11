//! The laptop's send queue. Outbox records become queue rows just before a
//! push: each carries its record as the ledger holds it (see `mirror`) and the
//! record's scope facts, an import becomes one row per row it wrote, and what
//! stays on the laptop (watched folders, forecast runs, passwords) or belongs
//! to head office (users) is passed over. Rows are numbered on the wire from 1
//! per client id, so a copied ledger's new client id starts its own sequence.

use super::apply::Guards;
use super::mirror::{Mirror, mirror};
use super::staying::{self, Gate};
use crate::error::{Error, Result};
use crate::ledger::{ChangeKind, Entity, columns};
use crate::ledger::{Reader, Write};
use crate::timestamp::Timestamp;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, params};
use salesplan_domain::sync::protocol::{
    MAX_BATCH_BYTES, Mutation, MutationResult, Outcome, ScopeFacts,
};
use salesplan_domain::sync::rules::{Travel, travel};
use serde_json::{Map, Value};
use uuid::Uuid;

/// One outbox record waiting to be queued.
struct Recorded {
    id: i64,
    op_uuid: Uuid,
    entity: String,
    entity_id: Uuid,
    kind: String,
    payload: Value,
    base_version: Option<i64>,
    hlc: String,
    user_id: Option<Uuid>,
}

/// One queue row being built.
pub(crate) struct Queued {
    op_uuid: Uuid,
    pub(crate) entity: Entity,
    pub(crate) entity_id: Uuid,
    pub(crate) kind: ChangeKind,
    pub(crate) payload: Map<String, Value>,
    base_version: Option<i64>,
    pub(crate) scope: ScopeFacts,
}

/// Queues the outbox records made since the last call, as `user_id` (head
/// office's id of the account this laptop syncs as), and looks again at those
/// staying here when head office's accounts changed (see `staying`); returns
/// how many rows were queued.
pub(crate) fn enqueue(conn: &Write<'_>, user_id: Uuid) -> Result<usize> {
    let recheck = staying::due(conn.read())?;
    let mut gate = Gate::load(conn.read(), user_id, recheck)?;
    if !gate.ready() {
        return Ok(0);
    }
    if recheck {
        staying::checked(conn)?;
    }
    let through: i64 = conn.query_row(
        "SELECT queued_through FROM sync_state WHERE id = 1",
        [],
        |row| row.get(0),
    )?;
    let mut query = conn.prepare(
        "SELECT mutation_id, op_uuid, entity, entity_id, kind, payload, base_version, hlc, user_id
         FROM outbox WHERE mutation_id > ?1
            OR (?2 AND mutation_id IN (SELECT outbox_id FROM sync_staying))
         ORDER BY mutation_id",
    )?;
    let records = query.query_map(params![through, recheck], |row| {
        Ok(Recorded {
            id: row.get(0)?,
            op_uuid: columns::uuid(row, 1)?,
            entity: row.get(2)?,
            entity_id: columns::uuid(row, 3)?,
            kind: row.get(4)?,
            payload: columns::json(row, 5)?,
            base_version: row.get(6)?,
            hlc: row.get(7)?,
            user_id: columns::optional_uuid(row, 8)?,
        })
    })?;
    let records: Vec<Recorded> = records.collect::<rusqlite::Result<_>>()?;
    // A row already queued (the outbox is read again after an account took head
    // office's id) is left out before it is inserted: `INSERT OR IGNORE` would
    // spend a number of the AUTOINCREMENT sequence on it, and the wire ids, which
    // head office expects without a gap, would jump.
    let mut insert = conn.prepare_cached(
        "INSERT INTO sync_queue (outbox_id, op_uuid, entity, entity_id, kind, payload, base_version, hlc,
                                 user_id, owner_id, department_id, location_id, other_location_id)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13
         WHERE NOT EXISTS (SELECT 1 FROM sync_queue WHERE op_uuid = ?2)",
    )?;
    let mut queued = 0;
    let mut last = through;
    for record in &records {
        last = last.max(record.id);
        let (going, staying) = gate.sort(record.user_id, rows_of(conn, record)?);
        match staying {
            Some(reason) => staying::stay(conn, record.id, record.entity_id, &reason)?,
            None => staying::leave(conn, record.id)?,
        }
        for row in going {
            let id = |id: Option<Uuid>| id.map(|id| id.to_string());
            queued += insert.execute(params![
                record.id,
                row.op_uuid.to_string(),
                row.entity.key(),
                row.entity_id.to_string(),
                row.kind.key(),
                Value::Object(row.payload).to_string(),
                row.base_version,
                record.hlc,
                user_id.to_string(),
                id(row.scope.owner_id),
                id(row.scope.department_id),
                id(row.scope.location_id),
                id(row.scope.other_location_id),
            ])?;
        }
    }
    conn.execute(
        "UPDATE sync_state SET queued_through = ?1 WHERE id = 1",
        [last],
    )?;
    Ok(queued)
}

/// Whether a change leaves the laptop: users and passwords are head office's,
/// watched folders, alerts and forecast runs stay here.
pub(crate) fn is_sent(entity: Entity, kind: ChangeKind) -> bool {
    matches!(travel(entity), Travel::Shared { .. }) && kind != ChangeKind::PasswordChanged
}

/// The queue rows one outbox record becomes.
fn rows_of(conn: &Connection, record: &Recorded) -> Result<Vec<Queued>> {
    let (Some(entity), Some(kind)) = (
        Entity::parse(&record.entity),
        ChangeKind::parse(&record.kind),
    ) else {
        return Ok(vec![]);
    };
    let (true, Some(table)) = (is_sent(entity, kind), mirror(entity)) else {
        return Ok(vec![]);
    };
    if entity == Entity::Import {
        return import_rows(conn, record);
    }
    let payload = match &record.payload {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    let Some(key) = table.key_value(record.entity_id, &payload) else {
        return Ok(vec![]);
    };
    // The record as the ledger holds it now, with what this change itself set:
    // a later change of the same record is queued after it with its own values.
    let image = table.read(Reader(conn), &key)?.map(|mut image| {
        for (field, value) in &payload {
            if image.contains_key(field) && !value.is_object() && !value.is_array() {
                image.insert(field.clone(), value.clone());
            }
        }
        image
    });
    let scope = table.scope_of(Reader(conn), &key)?;
    let (kind, payload) = match (kind, image) {
        (ChangeKind::Transitioned, image) => (kind, transition(conn, record, payload, image)?),
        (ChangeKind::Updated, Some(image)) => (kind, changed_columns(&payload, image)),
        // Archiving sets a tombstone column (deleted_at, archived_at, active): a plain field.
        (ChangeKind::Archived | ChangeKind::Restored, Some(image)) => {
            (ChangeKind::Updated, tombstone(image))
        }
        (_, Some(image)) => (kind, table.with_children(Reader(conn), &key, image)?),
        // The record is gone from the ledger: what the change said is all there is.
        (_, None) => (kind, payload),
    };
    let mut rows = vec![Queued {
        op_uuid: record.op_uuid,
        entity,
        entity_id: record.entity_id,
        kind,
        payload,
        base_version: record.base_version,
        scope,
    }];
    if entity == Entity::ClosedMonth {
        rows.extend(facts_of(
            conn,
            record,
            Entity::ForecastSnapshot,
            "as_of",
            &key,
        )?);
    }
    Ok(rows)
}

/// The columns an update set, with the values the ledger holds.
fn changed_columns(payload: &Map<String, Value>, image: Map<String, Value>) -> Map<String, Value> {
    let changed: Map<String, Value> = image
        .iter()
        .filter(|(column, _)| payload.contains_key(*column) || *column == "updated_at")
        .map(|(column, value)| (column.clone(), value.clone()))
        .collect();
    if changed.keys().any(|column| column != "updated_at") {
        changed
    } else {
        image
    }
}

fn tombstone(image: Map<String, Value>) -> Map<String, Value> {
    image
        .into_iter()
        .filter(|(column, _)| {
            matches!(
                column.as_str(),
                "deleted_at" | "archived_at" | "active" | "updated_at"
            )
        })
        .collect()
}

/// A budget's workflow step: from, to, comment, and the step itself (a fact).
fn transition(
    conn: &Connection,
    record: &Recorded,
    mut payload: Map<String, Value>,
    image: Option<Map<String, Value>>,
) -> Result<Map<String, Value>> {
    if Entity::parse(&record.entity) != Some(Entity::Budget) {
        return Ok(payload);
    }
    let step_id = payload
        .get("step_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let step_key = match step_id {
        Some(id) => Some(Sql::Text(id)),
        // Recorded before steps named their id: the latest step to that status.
        None => conn
            .query_row(
                "SELECT id FROM budget_approvals WHERE budget_id = ?1 AND to_status = ?2
                 ORDER BY recorded_at DESC LIMIT 1",
                params![
                    record.entity_id.to_string(),
                    payload.get("to").and_then(Value::as_str)
                ],
                |row| row.get::<_, String>(0),
            )
            .optional()?
            .map(Sql::Text),
    };
    let steps = approvals_mirror();
    if let Some(step) = match step_key {
        Some(key) => steps.read(Reader(conn), &key)?,
        None => None,
    } {
        payload.insert("step".into(), Value::Object(step));
    }
    if let Some(updated_at) = image.and_then(|image| image.get("updated_at").cloned()) {
        payload.insert("updated_at".into(), updated_at);
    }
    Ok(payload)
}

/// Approval steps travel inside their budget's transition.
pub(crate) fn approvals_mirror() -> Mirror {
    Mirror {
        table: "budget_approvals",
        key: super::mirror::Key::Id,
        scope: "SELECT NULL, NULL, NULL",
        children: None,
    }
}

/// An import: its record, each fact it added, and each record it changed.
/// A reversal: the original marked reversed, the reversal, its facts, and the
/// records it put back.
fn import_rows(conn: &Connection, record: &Recorded) -> Result<Vec<Queued>> {
    let Some(imports) = mirror(Entity::Import) else {
        return Ok(vec![]);
    };
    let reversal = record
        .payload
        .get("reversal")
        .and_then(Value::as_str)
        .map(|id| {
            Uuid::parse_str(id).map_err(|_| {
                Error::SchemaMismatch(format!(
                    "change {} reverses an import whose id '{id}' is not an id",
                    record.id
                ))
            })
        })
        .transpose()?;
    let mut rows = Vec::new();
    let (import_id, changed_by) = match reversal {
        Some(reversal) => {
            rows.extend(derived_row(
                conn,
                record,
                &imports,
                Entity::Import,
                record.entity_id,
                ChangeKind::Updated,
            )?);
            (reversal, record.entity_id)
        }
        None => (record.entity_id, record.entity_id),
    };
    rows.extend(derived_row(
        conn,
        record,
        &imports,
        Entity::Import,
        import_id,
        ChangeKind::Created,
    )?);
    let import = Sql::Text(import_id.to_string());
    for entity in [Entity::ActualSale, Entity::StockMovement] {
        rows.extend(facts_of(conn, record, entity, "import_id", &import)?);
    }
    let mut query = conn.prepare(
        "SELECT entity, entity_id FROM import_before_images WHERE import_id = ?1 ORDER BY rowid",
    )?;
    let changed: Vec<(String, String)> = query
        .query_map([changed_by.to_string()], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (entity, id) in changed {
        let (Some(entity), Ok(id)) = (Entity::parse(&entity), Uuid::parse_str(&id)) else {
            continue;
        };
        if let Some(table) = mirror(entity) {
            rows.extend(derived_row(
                conn,
                record,
                &table,
                entity,
                id,
                ChangeKind::Created,
            )?);
        }
    }
    Ok(rows)
}

/// One record a change wrote besides its own (an import's sale, a close's
/// snapshot value), as the ledger holds it; `None` when it is gone.
fn derived_row(
    conn: &Connection,
    record: &Recorded,
    table: &Mirror,
    entity: Entity,
    id: Uuid,
    kind: ChangeKind,
) -> Result<Option<Queued>> {
    let key = Sql::Text(id.to_string());
    let Some(image) = table.read(Reader(conn), &key)? else {
        return Ok(None);
    };
    Ok(Some(Queued {
        op_uuid: derived_op(record.op_uuid, entity, id),
        entity,
        entity_id: id,
        kind,
        payload: image,
        base_version: None,
        scope: table.scope_of(Reader(conn), &key)?,
    }))
}

/// The facts of `entity` whose `column` names `owner` (an import's sales, a
/// close's snapshot values), each a row of its own that travels after it.
fn facts_of(
    conn: &Connection,
    record: &Recorded,
    entity: Entity,
    column: &str,
    owner: &Sql,
) -> Result<Vec<Queued>> {
    let Some(facts) = mirror(entity) else {
        return Ok(vec![]);
    };
    let ids: Vec<Uuid> = conn
        .prepare(&format!(
            "SELECT id FROM {} WHERE {column} = ?1 ORDER BY rowid",
            facts.table
        ))?
        .query_map([owner], |row| columns::uuid(row, 0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        rows.extend(derived_row(
            conn,
            record,
            &facts,
            entity,
            id,
            ChangeKind::Appended,
        )?);
    }
    Ok(rows)
}

/// The op id of one row an import or a close wrote: fixed by the change's op id and the row.
fn derived_op(op_uuid: Uuid, entity: Entity, id: Uuid) -> Uuid {
    crate::ledger::derived_id(&[op_uuid.as_bytes(), entity.key().as_bytes(), id.as_bytes()])
}

/// The next rows to push, numbered on the wire.
pub(crate) fn next_batch(
    conn: Reader<'_>,
    limit: usize,
    schema_version: i64,
) -> Result<Vec<Mutation>> {
    let base = wire_base(&conn)?;
    let mut query = conn.prepare(
        "SELECT seq, op_uuid, entity, entity_id, kind, payload, base_version, hlc, user_id,
                owner_id, department_id, location_id, other_location_id
         FROM sync_queue WHERE status = 'pending' ORDER BY seq LIMIT ?1",
    )?;
    let rows = query.query_map([limit as i64], |row| {
        let payload: String = row.get(5)?;
        let mutation = Mutation {
            mutation_id: row.get::<_, i64>(0)? - base,
            op_uuid: columns::uuid(row, 1)?,
            entity: row.get(2)?,
            entity_id: columns::uuid(row, 3)?,
            kind: row.get(4)?,
            payload: columns::json(row, 5)?,
            base_version: row.get(6)?,
            hlc: row.get(7)?,
            user_id: columns::uuid(row, 8)?,
            schema_version,
            scope: ScopeFacts {
                owner_id: columns::optional_uuid(row, 9)?,
                department_id: columns::optional_uuid(row, 10)?,
                location_id: columns::optional_uuid(row, 11)?,
                other_location_id: columns::optional_uuid(row, 12)?,
            },
        };
        Ok((payload.len(), mutation))
    })?;
    let mut batch = Vec::new();
    let mut bytes = 0;
    for row in rows {
        let (size, mutation) = row?;
        bytes += size;
        if bytes > MAX_BATCH_BYTES && !batch.is_empty() {
            break;
        }
        batch.push(mutation);
    }
    Ok(batch)
}

/// Queue rows are numbered on the wire from 1 per client id: wire id = seq - wire base.
fn wire_base(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT wire_base FROM sync_state WHERE id = 1", [], |row| {
            row.get(0)
        })?,
    )
}

/// Stores head office's answers. A refused fact (a sale, a snapshot value)
/// leaves the ledger too: the append-only guards are lifted once for the batch.
pub(crate) fn answer(conn: &Write<'_>, results: &[MutationResult]) -> Result<()> {
    let store = || store_answers(conn, results);
    if results
        .iter()
        .any(|result| matches!(result.outcome, Outcome::Rejected { .. }))
    {
        super::apply::with_append_only_guards_lifted(conn, Guards::Deletes, store)?;
    } else {
        store()?;
    }
    // A refusal may have taken out what kept a lost record here after a restore.
    super::sweep::retry_unswept(conn)?;
    Ok(())
}

/// Each answer in turn: its status stored, a refused change put back, a
/// replayed one taken as head office holds it now.
fn store_answers(conn: &Write<'_>, results: &[MutationResult]) -> Result<()> {
    let base = wire_base(conn)?;
    let now = Timestamp::now().to_string();
    let mut update = conn.prepare_cached(
        "UPDATE sync_queue SET status = ?2, reason = ?3, answered_at = ?4 WHERE seq = ?1",
    )?;
    let mut row = conn.prepare_cached(
        "SELECT entity, entity_id, kind, payload FROM sync_queue WHERE seq = ?1 AND status <> 'rejected'",
    )?;
    for result in results {
        let seq = result.mutation_id + base;
        let (status, reason) = match &result.outcome {
            Outcome::Applied => ("applied", None),
            Outcome::Rejected { reason } => ("rejected", Some(reason.as_str())),
        };
        // A change taken as sent leaves the ledger as it is.
        if matches!((&result.outcome, &result.current), (Outcome::Applied, None)) {
            update.execute(params![seq, status, reason, now])?;
            continue;
        }
        // Read before the answer is stored: a refusal already stored was put back then.
        let answered = row
            .query_row([seq], |row| {
                Ok((
                    columns::parsed(row, 0, "entity", Entity::parse)?,
                    columns::uuid(row, 1)?,
                    columns::parsed(row, 2, "change kind", ChangeKind::parse)?,
                    columns::json(row, 3)?,
                ))
            })
            .optional()?;
        update.execute(params![seq, status, reason, now])?;
        let Some((entity, id, kind, payload)) = answered else {
            continue;
        };
        match (&result.outcome, &result.current) {
            // Head office lost the record (a restore): it gets it again, whole.
            (Outcome::Rejected { .. }, None)
                if result.missing
                    && kind == ChangeKind::Updated
                    && resend_whole(conn, seq, entity, id)? => {}
            (Outcome::Rejected { .. }, current) => {
                super::apply::put_back(conn, entity, id, kind, &payload, current.as_ref())?;
            }
            (Outcome::Applied, Some(current)) => {
                super::apply::take_current(conn, entity, id, current)?;
            }
            (Outcome::Applied, None) => {}
        }
    }
    Ok(())
}

/// An update head office refused because it holds no such record: the
/// record as this ledger holds it is queued again, whole, as made by the
/// same change (a new op, fixed by the refused one). `false` when the record
/// is not here either.
fn resend_whole(conn: &Write<'_>, seq: i64, entity: Entity, id: Uuid) -> Result<bool> {
    let Some(table) = mirror(entity) else {
        return Ok(false);
    };
    let key = Sql::Text(id.to_string());
    let Some(image) = table.read(Reader(conn), &key)? else {
        return Ok(false);
    };
    let image = table.with_children(Reader(conn), &key, image)?;
    let scope = table.scope_of(Reader(conn), &key)?;
    let op = conn.query_row(
        "SELECT op_uuid FROM sync_queue WHERE seq = ?1",
        [seq],
        |row| columns::uuid(row, 0),
    )?;
    let whole = crate::ledger::derived_id(&[op.as_bytes(), b"whole"]);
    let id = |id: Option<Uuid>| id.map(|id| id.to_string());
    conn.execute(
        "INSERT INTO sync_queue (outbox_id, op_uuid, entity, entity_id, kind, payload, base_version, hlc,
                                 user_id, owner_id, department_id, location_id, other_location_id)
         SELECT outbox_id, ?2, entity, entity_id, 'created', ?3, NULL, hlc, user_id, ?4, ?5, ?6, ?7
         FROM sync_queue WHERE seq = ?1
           AND NOT EXISTS (SELECT 1 FROM sync_queue WHERE op_uuid = ?2)",
        params![
            seq,
            whole.to_string(),
            Value::Object(image).to_string(),
            id(scope.owner_id),
            id(scope.department_id),
            id(scope.location_id),
            id(scope.other_location_id),
        ],
    )?;
    Ok(true)
}

/// Head office holds this client's changes only up to `expected - 1` (it was
/// restored from a backup): everything from `expected` on is sent again.
pub(crate) fn resend_from(conn: &Write<'_>, expected: i64) -> Result<()> {
    conn.execute(
        "UPDATE sync_queue SET status = 'pending', reason = NULL, answered_at = NULL
         WHERE seq >= ?1 + (SELECT wire_base FROM sync_state WHERE id = 1)",
        [expected],
    )?;
    // Head office holds every id before `expected` and no row here carries it: a
    // hole in the numbering (a queue that skipped numbers, as one re-read after
    // an account took head office's id did). The next waiting row takes `expected`.
    conn.execute(
        "UPDATE sync_state SET wire_base = (SELECT min(seq) FROM sync_queue WHERE status = 'pending') - ?1
         WHERE id = 1 AND (SELECT min(seq) FROM sync_queue WHERE status = 'pending') - wire_base > ?1",
        [expected],
    )?;
    Ok(())
}

/// A new client id (a copied ledger): the rows not yet sent are numbered from 1 again.
pub(in crate::ledger) fn renumber(conn: &Connection) -> Result<()> {
    conn.execute(
        "UPDATE sync_state SET wire_base = coalesce(
             (SELECT min(seq) FROM sync_queue WHERE status = 'pending'),
             (SELECT coalesce(max(seq), 0) + 1 FROM sync_queue)) - 1
         WHERE id = 1",
        [],
    )?;
    Ok(())
}

/// The columns a record's unsent changes set: a pulled change leaves them alone.
pub(crate) fn pending_columns(
    conn: Reader<'_>,
    entity: Entity,
    entity_id: Uuid,
) -> Result<Vec<String>> {
    let mut query = conn.prepare_cached(
        "SELECT kind, payload FROM sync_queue WHERE status = 'pending' AND entity = ?1 AND entity_id = ?2",
    )?;
    let mut pending = Vec::new();
    let payloads = query.query_map(params![entity.key(), entity_id.to_string()], |row| {
        Ok((
            columns::parsed(row, 0, "change kind", ChangeKind::parse)?,
            columns::json(row, 1)?,
        ))
    })?;
    for payload in payloads {
        match payload? {
            // A workflow step sets the budget's status (`to` in the change,
            // `status` in the row); the steps themselves are facts, always taken.
            (ChangeKind::Transitioned, _) => pending.extend(["status".to_owned(), "to".to_owned()]),
            (_, Value::Object(map)) => pending.extend(map.keys().cloned()),
            (_, _) => {}
        }
    }
    Ok(pending)
}
