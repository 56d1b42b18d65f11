//! What a connected ledger sends, and what stays on the laptop and why. Every
//! change the ledger holds goes, also those other local accounts made, when the
//! connected account may make it and it names nobody head office does not know.
//! The rest stays, with its reason, and is looked at again when head office's
//! accounts change: once head office knows sam, the sales the administrator's
//! laptop holds for him go, under head office's id for him.

use super::queue::Queued;
use crate::access::Actor;
use crate::error::Result;
use crate::ledger::{Reader, Write};
use rusqlite::params;
use salesplan_domain::sync::rules::write_action;
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use ts_rs::TS;
use uuid::Uuid;

/// Changes that stay on this laptop for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Staying {
    pub reason: String,
    #[ts(type = "number")]
    pub changes: i64,
}

/// Decides, change by change in the outbox's order, whether it goes.
pub(crate) struct Gate {
    connected: Option<Actor>,
    /// Every local account, by id: its username.
    usernames: HashMap<Uuid, String>,
    /// Accounts made on this laptop that head office does not know (yet).
    local_only: HashSet<Uuid>,
    /// Records whose changes stay: a later change that names one stays too.
    staying: HashSet<Uuid>,
}

impl Gate {
    /// `rechecking`: the changes staying here are decided again in this pass,
    /// in order with the new ones; otherwise what they are about stays known.
    pub(crate) fn load(conn: Reader<'_>, connected: Uuid, rechecking: bool) -> Result<Gate> {
        let mut usernames = HashMap::new();
        // An account made here has its creation in the outbox under the id it
        // still has; one head office knows took head office's id (or came from it).
        let mut local_only = HashSet::new();
        let mut query = conn.prepare(
            "SELECT u.id, u.username, EXISTS (SELECT 1 FROM outbox o
                 WHERE o.entity = 'user' AND o.kind = 'created' AND o.entity_id = u.id)
             FROM users u",
        )?;
        let rows = query.query_map([], |row| {
            Ok((
                crate::ledger::columns::uuid(row, 0)?,
                row.get::<_, String>(1)?,
                row.get::<_, bool>(2)?,
            ))
        })?;
        for row in rows {
            let (id, username, made_here) = row?;
            if made_here && id != connected {
                local_only.insert(id);
            }
            usernames.insert(id, username);
        }
        let connected = crate::ledger::users::get(conn, connected)?.map(|row| row.user.actor());
        let mut staying = HashSet::new();
        if !rechecking {
            let mut query = conn.prepare("SELECT entity_id FROM sync_staying")?;
            for id in query.query_map([], |row| crate::ledger::columns::uuid(row, 0))? {
                staying.insert(id?);
            }
        }
        Ok(Gate {
            connected,
            usernames,
            local_only,
            staying,
        })
    }

    /// Nothing is sent before the account this laptop syncs as is in the ledger
    /// (head office's feed brings it, or gives the local one head office's id).
    pub(crate) fn ready(&self) -> bool {
        self.connected.is_some()
    }

    /// Splits the rows of one change (made by `made_by`): those that go, and
    /// why the others stay here (`None` when none does). A change that the
    /// connected account may not make stays whole; of an import's or a close's
    /// rows, those naming an account head office does not know stay, the rest go.
    pub(crate) fn sort(
        &mut self,
        made_by: Option<Uuid>,
        rows: Vec<Queued>,
    ) -> (Vec<Queued>, Option<String>) {
        let Some(connected) = &self.connected else {
            return (vec![], None);
        };
        if made_by != Some(connected.id) {
            let allowed = rows.iter().all(|row| {
                let payload = Value::Object(row.payload.clone());
                write_action(row.entity, row.kind, &payload)
                    .is_some_and(|action| row.scope.allows(connected, action))
            });
            if !allowed {
                let maker =
                    made_by.map_or_else(|| "the ledger's set-up".into(), |id| self.name(id));
                let reason = format!(
                    "made here by {maker}; {} may not send it",
                    connected.username
                );
                self.staying.extend(rows.iter().map(|row| row.entity_id));
                return (vec![], Some(reason));
            }
        }
        let mut going = Vec::with_capacity(rows.len());
        let mut reason = None;
        for row in rows {
            match self.why_row_stays(&row) {
                Some(why) => {
                    self.staying.insert(row.entity_id);
                    reason.get_or_insert(why);
                }
                None => going.push(row),
            }
        }
        (going, reason)
    }

    fn name(&self, id: Uuid) -> String {
        self.usernames
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// Why one row stays: it names an account head office does not know, or a
    /// record whose changes stay here.
    fn why_row_stays(&self, row: &Queued) -> Option<String> {
        if self.local_only.is_empty() && self.staying.is_empty() {
            return None;
        }
        let watched = |id: &Uuid| self.local_only.contains(id) || self.staying.contains(id);
        let named = [Some(row.entity_id), row.scope.owner_id]
            .into_iter()
            .flatten()
            .find(watched)
            .or_else(|| {
                row.payload
                    .values()
                    .find_map(|value| first_id(value, &watched))
            })?;
        Some(if self.local_only.contains(&named) {
            let username = self.name(named);
            format!(
                "names {username}, whom head office does not know yet: add {username} at head office, then sync again"
            )
        } else {
            "belongs to a record that stays on this laptop".into()
        })
    }
}

/// The first id a payload names, at any depth, that `wanted` picks.
fn first_id(value: &Value, wanted: &impl Fn(&Uuid) -> bool) -> Option<Uuid> {
    match value {
        Value::String(text) if text.len() == 36 => {
            Uuid::parse_str(text).ok().filter(|id| wanted(id))
        }
        Value::Array(values) => values.iter().find_map(|value| first_id(value, wanted)),
        Value::Object(map) => map.values().find_map(|value| first_id(value, wanted)),
        _ => None,
    }
}

/// The change (about the record `entity_id`) stays here, for `reason`.
pub(crate) fn stay(conn: &Write<'_>, outbox_id: i64, entity_id: Uuid, reason: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_staying (outbox_id, entity_id, reason) VALUES (?1, ?2, ?3)
         ON CONFLICT (outbox_id) DO UPDATE SET reason = excluded.reason",
    )?
    .execute(params![outbox_id, entity_id.to_string(), reason])?;
    Ok(())
}

/// The change goes (or has nothing to send).
pub(crate) fn leave(conn: &Write<'_>, outbox_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_staying WHERE outbox_id = ?1")?
        .execute([outbox_id])?;
    Ok(())
}

/// Whether the changes staying here are due to be looked at again (head
/// office's accounts changed since they were last).
pub(crate) fn due(conn: Reader<'_>) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT recheck_staying FROM sync_state WHERE id = 1",
        [],
        |row| row.get(0),
    )?)
}

/// They were looked at again.
pub(crate) fn checked(conn: &Write<'_>) -> Result<()> {
    conn.execute("UPDATE sync_state SET recheck_staying = 0 WHERE id = 1", [])?;
    Ok(())
}

/// Head office's accounts changed: look at what stays here again at the next push.
pub(crate) fn recheck(conn: &Write<'_>) -> Result<()> {
    conn.execute("UPDATE sync_state SET recheck_staying = 1 WHERE id = 1", [])?;
    Ok(())
}

/// What stays on this laptop, by reason, the most changes first.
pub(crate) fn list(conn: Reader<'_>) -> Result<Vec<Staying>> {
    let mut query = conn.prepare(
        "SELECT reason, count(*) FROM sync_staying GROUP BY reason ORDER BY count(*) DESC, reason",
    )?;
    let rows = query.query_map([], |row| {
        Ok(Staying {
            reason: row.get(0)?,
            changes: row.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
