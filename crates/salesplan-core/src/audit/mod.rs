//! The audit trail: who changed what, when, read from the outbox, each change
//! written as a sentence a person reads, with the values before and after.
//! Administrators read everyone's changes; every other role reads only their own.

mod describe;

use crate::access::{Action, Actor, Scope};
use crate::error::Result;
use crate::ledger::Reader;
pub use crate::ledger::outbox::{AuditEntry, AuditFilter, FieldChange};
use crate::ledger::outbox::{ChangeKind, Entity, PastChange};
use crate::ledger::{self, Ledger};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub fn list(ledger: &Ledger, actor: &Actor, filter: AuditFilter) -> Result<Vec<AuditEntry>> {
    let mut filter = filter;
    match actor.scope_for(Action::ViewAudit)? {
        Scope::All => {}
        _ => filter.user_id = Some(actor.id),
    }
    let conn = ledger.read();
    let mut entries = ledger::outbox::audit(conn, &filter)?;
    let states = states_around(conn, &entries)?;
    let mut names = describe::Names::new(conn);
    let empty = Map::new();
    for entry in &mut entries {
        // A record's making holds the whole record and replaces nothing.
        let made = match &entry.payload {
            Value::Object(fields) if !replays(entry) => fields.clone(),
            _ => Map::new(),
        };
        let (before, after) = states
            .get(&(entry.received, entry.mutation_id))
            .map_or((&empty, &made), |(before, after)| (before, after));
        let (summary, changes) = describe::entry(&mut names, entry, before, after)?;
        entry.summary = summary;
        entry.changes = changes;
    }
    Ok(entries)
}

/// A record's fields as its changes left them.
type State = Map<String, Value>;

/// Whether an entry needs its record's history: every change but the making of
/// a record or a fact (which holds the whole record, so an audit page of
/// imported sales reads no history at all).
fn replays(entry: &AuditEntry) -> bool {
    !matches!(entry.kind, ChangeKind::Created | ChangeKind::Appended)
}

/// For each entry that changes a record, its record's fields just before and
/// just after it, by replaying the record's whole recorded history (an update
/// holds only what it changed; the values it replaced come from the changes before it).
fn states_around(
    conn: Reader<'_>,
    entries: &[AuditEntry],
) -> Result<HashMap<(bool, i64), (State, State)>> {
    let changing = || entries.iter().filter(|entry| replays(entry));
    let records: Vec<(Entity, Uuid)> = changing()
        .map(|entry| (entry.entity, entry.entity_id))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let wanted: HashSet<(bool, i64)> = changing()
        .map(|entry| (entry.received, entry.mutation_id))
        .collect();
    let mut around = HashMap::new();
    for history in ledger::outbox::histories(conn, &records)?.into_values() {
        let mut state = State::new();
        for PastChange {
            received,
            id,
            payload,
            ..
        } in history
        {
            let before = state.clone();
            if let Value::Object(fields) = payload {
                state.extend(fields);
            }
            if wanted.contains(&(received, id)) {
                around.insert((received, id), (before, state.clone()));
            }
        }
    }
    Ok(around)
}
