//! Applying a page of head office's feed: every change is written into its
//! table in one transaction together with the new cursor, so a crash leaves
//! either the whole page and its cursor or neither (the page comes again).
//! Columns this laptop changed and has not sent yet are left as they are: the
//! local change goes out next and head office's answer brings the winner back.

use super::mirror::{self, Mode, Written, mirror};
use super::{queue, sweep};
use crate::error::{Error, Result};
use crate::ledger::{ChangeKind, Entity, Hlc, Ledger, columns};
use crate::ledger::{Reader, Write};
use crate::timestamp::Timestamp;
use rusqlite::types::Value as Sql;
use rusqlite::{OptionalExtension, params};
use salesplan_domain::sync::protocol::{FeedChange, PullResponse};
use serde_json::{Map, Value};
use uuid::Uuid;

/// What applying a page did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub changes: usize,
    /// Changes this ledger could not take, with why: each is set aside
    /// (`sync_set_aside`), shown, never silently lost.
    pub skipped: Vec<String>,
    /// Records removed after a restore: head office no longer holds them.
    pub removed: usize,
}

/// Applies a page and stores its cursor and epoch, all in one transaction.
/// `connected`: the user this laptop syncs as; their new local changes are
/// queued first so that none of them is overwritten.
pub(crate) fn apply_page(
    ledger: &mut Ledger,
    connected: Uuid,
    page: &PullResponse,
) -> Result<Applied> {
    let own_client = ledger.client_id()?;
    ledger.write(None, |write| {
        write.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
        queue::enqueue(write, connected)?;
        let sweeping = sweep::active(write.read())?;
        let mut applied = Applied::default();
        let stamps: Vec<Option<Hlc>> = page
            .changes
            .iter()
            .map(|change| Hlc::parse(&change.hlc))
            .collect();
        for stamp in stamps.iter().flatten() {
            write.observe(stamp);
        }
        let conn: &Write<'_> = write;
        let mut apply_all =
            || apply_changes(conn, page, &stamps, own_client, sweeping, &mut applied);
        // A sale head office holds is taken even when its month is closed here:
        // the closed-month guard stops posting here, and head office is the
        // judge of what it accepts (a history that waited on this laptop for
        // its salesman's account arrives after the months were closed).
        if page
            .changes
            .iter()
            .any(|change| change.entity == Entity::ActualSale.key())
        {
            with_append_only_guards_lifted(conn, Guards::Inserts, apply_all)?;
        } else {
            apply_all()?;
        }
        settle_parked(write)?;
        if sweeping && !page.more {
            applied.removed = sweep::finish(write)?;
        }
        if page.changes.is_empty() && applied.removed == 0 {
            // Only the cursor moves (nothing parked can settle without a change arriving).
            write.leaves_figures();
        }
        write.execute(
            "UPDATE sync_state SET cursor = ?1, epoch = ?2, last_pull_at = ?3 WHERE id = 1",
            params![
                page.cursor,
                page.epoch.to_string(),
                Timestamp::now().to_string()
            ],
        )?;
        Ok(applied)
    })
    .map_err(|error| match error {
        Error::Storage(error) if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Error::Sync(format!(
                "a page of changes from head office (after cursor {}) does not fit this ledger: {error}; nothing of it was applied",
                page.cursor
            ))
        }
        other => other,
    })
}

/// Each change of a page in turn, into `applied`.
fn apply_changes(
    conn: &Write<'_>,
    page: &PullResponse,
    stamps: &[Option<Hlc>],
    own_client: Uuid,
    sweeping: bool,
    applied: &mut Applied,
) -> Result<()> {
    for (change, stamp) in page.changes.iter().zip(stamps) {
        if sweeping {
            note_seen(conn, change)?;
        }
        match take(conn, change)? {
            None => {
                applied.changes += 1;
                sweep::forget(conn, &change.entity, &change.entity_id.to_string())?;
                if change.entity == Entity::User.key() {
                    // Head office's accounts changed: what stays here for want of one may go now.
                    super::staying::recheck(conn)?;
                }
                if change.client_id != own_client {
                    let made_ms = stamp.as_ref().map_or(0, |stamp| stamp.wall_ms);
                    note_received(conn, change, made_ms)?;
                }
            }
            Some(problem) => {
                put_aside(conn, change, &problem)?;
                applied.skipped.push(format!(
                    "change {} ({} {}): {problem}",
                    change.seq, change.entity, change.entity_id
                ));
            }
        }
    }
    Ok(())
}

/// One change of the feed, checked by the domain's rules and applied whole
/// or not at all: `Some(why)` when it cannot be (nothing of it is written).
fn take(conn: &Write<'_>, change: &FeedChange) -> Result<Option<String>> {
    if let Some(why) = breaks_rules(change) {
        return Ok(Some(why));
    }
    conn.execute_batch("SAVEPOINT feed_change")?;
    let outcome = apply_change(conn, change);
    let undo = !matches!(outcome, Ok(None));
    if undo {
        conn.execute_batch("ROLLBACK TO feed_change")?;
    }
    conn.execute_batch("RELEASE feed_change")?;
    match outcome {
        // A trigger or a constraint of this ledger refused it: set aside, with why.
        Err(Error::Storage(error))
            if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
        {
            Ok(Some(format!("this ledger refuses it: {error}")))
        }
        other => other,
    }
}

/// A change head office sent that the domain's rules refuse (it came from a
/// head office that took it before it checked every change).
fn breaks_rules(change: &FeedChange) -> Option<String> {
    let (Some(entity), Some(kind)) = (
        Entity::parse(&change.entity),
        ChangeKind::parse(&change.kind),
    ) else {
        return None;
    };
    if !matches!(
        salesplan_domain::sync::rules::travel(entity),
        salesplan_domain::sync::rules::Travel::Shared { .. }
    ) {
        return None;
    }
    salesplan_domain::changes::parse(entity, kind, change.entity_id, &change.payload)
        .err()
        .map(|refusal| format!("it breaks this ledger's rules: {refusal}"))
}

/// Keeps a change this ledger could not take, with why (once per feed position).
fn put_aside(conn: &Write<'_>, change: &FeedChange, reason: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_set_aside (seq, op_uuid, entity, entity_id, kind, payload, reason, set_aside_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        change.seq,
        change.op_uuid.to_string(),
        change.entity,
        change.entity_id.to_string(),
        change.kind,
        change.payload.to_string(),
        reason,
        Timestamp::now().to_string()
    ])?;
    Ok(())
}

/// Another laptop's change, made at `made_ms` (its clock's wall time), kept
/// for the audit trail (once, even when the feed is read again).
fn note_received(conn: &Write<'_>, change: &FeedChange, made_ms: i64) -> Result<()> {
    let made = Timestamp::from_unix_ms(made_ms).ok_or_else(|| {
        Error::invalid(
            "hlc",
            format!(
                "change {} of head office's feed was made at no possible time ({made_ms} ms)",
                change.seq
            ),
        )
    })?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO sync_received (op_uuid, seq, entity, entity_id, kind, payload, user_id, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        change.op_uuid.to_string(),
        change.seq,
        change.entity,
        change.entity_id.to_string(),
        change.kind,
        change.payload.to_string(),
        change.user_id.map(|id| id.to_string()),
        made.to_string()
    ])?;
    Ok(())
}

/// While the feed is read again after a restore: the records this change names.
fn note_seen(conn: &Write<'_>, change: &FeedChange) -> Result<()> {
    let Some(table) = Entity::parse(&change.entity).and_then(mirror) else {
        return Ok(());
    };
    if let Some(Sql::Text(key)) = table.key_value(change.entity_id, &Map::new()) {
        sweep::mark_seen(conn, &change.entity, &key)?;
    }
    if let Some(step) = change.payload.pointer("/step/id").and_then(Value::as_str) {
        sweep::mark_seen(conn, sweep::APPROVAL_STEP, step)?;
    }
    Ok(())
}

/// Applies one change; `Some(why)` when it cannot be.
fn apply_change(conn: &Write<'_>, change: &FeedChange) -> Result<Option<String>> {
    let (Some(entity), Some(kind)) = (
        Entity::parse(&change.entity),
        ChangeKind::parse(&change.kind),
    ) else {
        return Ok(Some(
            "a kind of record this version does not know; update Salesplan".into(),
        ));
    };
    let Some(table) = mirror(entity) else {
        return Ok(Some("a record that stays on the laptop".into()));
    };
    let mut fields = match &change.payload {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    if entity == Entity::User {
        adopt_by_username(conn, change.entity_id, &fields)?;
    }
    let Some(key) = table.key_value(change.entity_id, &fields) else {
        return Ok(Some("the change does not name its record".into()));
    };
    let mode = match kind {
        ChangeKind::Appended => Mode::Fact,
        ChangeKind::Created => Mode::Whole,
        _ => Mode::Part,
    };
    if mode != Mode::Fact {
        for column in queue::pending_columns(Reader(conn), entity, change.entity_id)? {
            fields.remove(&column);
        }
    }
    let children = fields.remove("$children");
    if kind == ChangeKind::Transitioned {
        return transition(conn, &table, &key, fields);
    }
    let (written, unknown) = mirror::write_row(conn, &table, &key, &fields, mode)?;
    park(conn, change, unknown)?;
    match written {
        Written::Done => {
            if let Some(Value::Array(rows)) = children {
                mirror::replace_children(conn, &table, &key, &rows)?;
            }
            Ok(None)
        }
        // An update of a record outside what this laptop held: nothing to change here.
        Written::Missing => Ok(None),
        Written::Incomplete(why) => Ok(Some(why)),
    }
}

/// A budget's workflow step: its status moves, the step is added.
fn transition(
    conn: &Write<'_>,
    table: &mirror::Mirror,
    key: &Sql,
    mut fields: Map<String, Value>,
) -> Result<Option<String>> {
    let mut status = Map::new();
    if let Some(to) = fields.remove("to") {
        status.insert("status".into(), to);
    }
    if let Some(updated_at) = fields.remove("updated_at") {
        status.insert("updated_at".into(), updated_at);
    }
    mirror::write_row(conn, table, key, &status, Mode::Part)?;
    if let Some(Value::Object(step)) = fields.remove("step") {
        let steps = queue::approvals_mirror();
        if let Some(id) = step.get("id").map(mirror::to_sql) {
            mirror::write_row(conn, &steps, &id, &step, Mode::Fact)?;
        }
    }
    Ok(None)
}

/// Fields this version has no column for are kept for after an upgrade.
fn park(conn: &Write<'_>, change: &FeedChange, unknown: Map<String, Value>) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO sync_parked (entity, entity_id, field, value) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity, entity_id, field) DO UPDATE SET value = excluded.value",
    )?;
    for (field, value) in unknown {
        insert.execute(params![
            change.entity,
            change.entity_id.to_string(),
            field,
            value.to_string()
        ])?;
    }
    Ok(())
}

/// A head-office account whose username this ledger already has under another
/// id (the ledger was set up before it was connected): the local account takes
/// head office's id, everywhere it is referenced.
fn adopt_by_username(conn: &Write<'_>, id: Uuid, fields: &Map<String, Value>) -> Result<()> {
    let Some(username) = fields.get("username").and_then(Value::as_str) else {
        return Ok(());
    };
    let local: Option<String> = conn
        .query_row(
            "SELECT id FROM users WHERE username = ?1 AND id <> ?2",
            params![username, id.to_string()],
            |row| row.get(0),
        )
        .optional()?;
    let Some(old) = local else {
        return Ok(());
    };
    let new = id.to_string();
    let mut tables = conn.prepare(
        "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
         WHERE m.type = 'table' AND f.\"table\" = 'users'",
    )?;
    let references: Vec<(String, String)> = tables
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // Append-only tables refuse updates by trigger; an id rewrite is not a change of fact.
    with_append_only_guards_lifted(conn, Guards::Updates, || {
        conn.execute("UPDATE users SET id = ?2 WHERE id = ?1", params![old, new])?;
        for (table, column) in &references {
            conn.execute(
                &format!("UPDATE {table} SET {column} = ?2 WHERE {column} = ?1"),
                params![old, new],
            )?;
        }
        for (table, columns) in [
            (
                "outbox",
                "user_id = replace(user_id, ?1, ?2), payload = replace(payload, ?1, ?2)",
            ),
            (
                "sync_queue",
                "user_id = replace(user_id, ?1, ?2), owner_id = replace(owner_id, ?1, ?2), payload = replace(payload, ?1, ?2)",
            ),
        ] {
            conn.execute(&format!("UPDATE {table} SET {columns}"), params![old, new])?;
        }
        Ok(())
    })?;
    // The account's earlier changes are now the connected user's to send, and
    // changes naming it need not stay here: look at the outbox again.
    conn.execute("UPDATE sync_state SET queued_through = 0 WHERE id = 1", [])?;
    super::staying::recheck(conn)
}

/// Which of the append-only guards (triggers) a sync step lifts.
#[derive(Debug, Clone, Copy)]
pub(in crate::ledger) enum Guards {
    /// A sale head office holds, dated in a month closed here.
    Inserts,
    /// A head-office account adopted under its own id: every row naming it follows.
    Updates,
    /// A refused fact taken back, or a record swept away after head office's restore.
    Deletes,
}

/// Runs `body` with the append-only triggers of one kind lifted, inside the
/// write's transaction: the only way around them, used only by sync for the
/// four cases `Guards` names (docs/ARCHITECTURE.md, "Facts are append-only").
pub(in crate::ledger) fn with_append_only_guards_lifted(
    conn: &Write<'_>,
    guards: Guards,
    body: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let kind = match guards {
        Guards::Inserts => "BEFORE INSERT",
        Guards::Updates => "BEFORE UPDATE",
        Guards::Deletes => "BEFORE DELETE",
    };
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%' || ?1 || '%'")?
        .query_map([kind], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER {name};"))?;
    }
    body()?;
    for (_, sql) in &triggers {
        conn.execute_batch(sql)?;
    }
    Ok(())
}

/// Head office refused a change: the record goes back to what head office
/// holds (`current`), and a refused workflow step is taken out: it never happened.
/// Runs with the append-only guards lifted (`with_append_only_guards_lifted`).
pub(crate) fn put_back(
    conn: &Write<'_>,
    entity: Entity,
    entity_id: Uuid,
    kind: ChangeKind,
    payload: &Value,
    current: Option<&Value>,
) -> Result<()> {
    let Some(table) = mirror(entity) else {
        return Ok(());
    };
    if kind == ChangeKind::Transitioned
        && let Some(step) = payload.pointer("/step/id").and_then(Value::as_str)
    {
        conn.execute("DELETE FROM budget_approvals WHERE id = ?1", [step])?;
    }
    match current {
        Some(current @ Value::Object(_)) => take_current(conn, entity, entity_id, current)?,
        // A record head office does not hold and refused to take: it goes
        // (unless something here already refers to it).
        _ if matches!(kind, ChangeKind::Created | ChangeKind::Appended) => {
            if let Some(key) = table.key_value(entity_id, &Map::new()) {
                let gone = conn.execute(
                    &format!(
                        "DELETE FROM {} WHERE {} = ?1",
                        table.table,
                        table.key_column()
                    ),
                    [key],
                );
                if let Err(error) = gone
                    && error.sqlite_error_code() != Some(rusqlite::ErrorCode::ConstraintViolation)
                {
                    return Err(error.into());
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Takes a record as head office holds it (sent with its answer to a push),
/// but for the columns this laptop's later changes, still unsent, set.
pub(crate) fn take_current(
    conn: &Write<'_>,
    entity: Entity,
    entity_id: Uuid,
    current: &Value,
) -> Result<()> {
    let (Some(table), Value::Object(fields)) = (mirror(entity), current) else {
        return Ok(());
    };
    let mut fields = fields.clone();
    for column in queue::pending_columns(conn.read(), entity, entity_id)? {
        fields.remove(&column);
    }
    if let Some(key) = table.key_value(entity_id, &fields) {
        mirror::write_row(conn, &table, &key, &fields, Mode::Part)?;
    }
    Ok(())
}

/// Sets the parked fields that can now be set: a column this version has,
/// naming a record that has arrived since.
fn settle_parked(conn: &Write<'_>) -> Result<()> {
    let parked: Vec<(Entity, Uuid, String, Value)> = conn
        .prepare("SELECT entity, entity_id, field, value FROM sync_parked")?
        .query_map([], |row| {
            Ok((
                columns::parsed(row, 0, "entity", Entity::parse)?,
                columns::uuid(row, 1)?,
                row.get(2)?,
                columns::json(row, 3)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (entity, id, field, value) in parked {
        let Some(table) = mirror(entity) else {
            continue;
        };
        let Some(column) = mirror::table_columns(Reader(conn), table.table)?
            .iter()
            .find(|column| column.name == field)
            .cloned()
        else {
            continue;
        };
        if let (Some(target), Some(named)) = (&column.references, value.as_str())
            && !mirror::referenced_exists(Reader(conn), target, named)?
        {
            continue;
        }
        let fields = Map::from_iter([(field.clone(), value)]);
        if let Some(key) = table.key_value(id, &fields) {
            mirror::write_row(conn, &table, &key, &fields, Mode::Part)?;
        }
        conn.execute(
            "DELETE FROM sync_parked WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
            params![entity.key(), id.to_string(), field],
        )?;
    }
    Ok(())
}
