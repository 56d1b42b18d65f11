//! Saved reports: saved under a name, one's own or shared with everyone, run
//! by each reader in their own scope. They travel with sync (the definition,
//! never the figures); only their owner changes or deletes one.

use super::{ReportResult, run};
use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::timestamp::Timestamp;
use crate::validate::required_text;
use uuid::Uuid;

pub use crate::model::reports::{ReportToSave, SavedReport};

/// The reports `actor` may run: their own and the shared ones, by name.
pub fn list(ledger: &Ledger, actor: &Actor) -> Result<Vec<SavedReport>> {
    actor.require(Action::KeepReports, &Resource::owned_by(actor.id))?;
    ledger::reports::saved_for(ledger.read(), actor.id)
}

/// A report `actor` may run, by its id or its name (their own first).
pub fn find(ledger: &Ledger, actor: &Actor, name_or_id: &str) -> Result<SavedReport> {
    let wanted = name_or_id.trim();
    let reports = list(ledger, actor)?;
    let id = Uuid::parse_str(wanted).ok();
    reports
        .into_iter()
        .find(|report| Some(report.id) == id || report.name.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| Error::not_found("saved report", wanted))
}

/// Runs a saved report in the reader's own scope.
pub fn run_saved(ledger: &Ledger, actor: &Actor, name_or_id: &str) -> Result<ReportResult> {
    let report = find(ledger, actor, name_or_id)?;
    run(ledger, actor, &report.definition)
}

/// Saves a report: a new one, one of one's own again (by id), or under a
/// name one already uses (that one is replaced).
pub fn save(ledger: &mut Ledger, actor: &Actor, report: ReportToSave) -> Result<SavedReport> {
    actor.require(Action::KeepReports, &Resource::owned_by(actor.id))?;
    let name = required_text("name", &report.name, 100)?;
    report.definition.check()?;
    ledger.write(Some(actor), |write| {
        let conn = write.read();
        let before = match report.id {
            Some(id) => Some(
                ledger::reports::saved(conn, id)?
                    .ok_or_else(|| Error::not_found("saved report", id))?,
            ),
            None => ledger::reports::saved_for(conn, actor.id)?
                .into_iter()
                .find(|held| held.created_by == actor.id && held.name.eq_ignore_ascii_case(&name)),
        };
        if let Some(before) = &before {
            require_owner(actor, before)?;
        }
        if let Some(other) = ledger::reports::saved_for(conn, actor.id)?
            .into_iter()
            .find(|held| {
                held.created_by == actor.id
                    && held.name.eq_ignore_ascii_case(&name)
                    && Some(held.id) != before.as_ref().map(|before| before.id)
            })
        {
            return Err(Error::invalid(
                "name",
                format!("you already have a report named '{}'", other.name),
            ));
        }
        let now = Timestamp::now();
        // A shared report stays shared wherever it went: made private again,
        // it is deleted (everyone loses it) and saved anew as one's own.
        let before = match before {
            Some(before) if before.shared && !report.shared => {
                ledger::reports::delete_saved(write, before.id, before.version + 1, now)?;
                write.record(Change {
                    entity: Entity::SavedReport,
                    entity_id: before.id,
                    kind: ChangeKind::Archived,
                    payload: serde_json::json!({ "name": before.name }),
                    base_version: Some(before.version),
                })?;
                None
            }
            before => before,
        };
        let saved = SavedReport {
            id: before
                .as_ref()
                .map_or_else(Uuid::now_v7, |before| before.id),
            name: name.clone(),
            definition: report.definition.clone(),
            shared: report.shared,
            created_by: actor.id,
            owner_name: Some(actor.display_name.clone()),
            version: before.as_ref().map_or(1, |before| before.version + 1),
            created_at: before.as_ref().map_or(now, |before| before.created_at),
            updated_at: now,
        };
        ledger::reports::put_saved(write, &saved)?;
        write.record(Change {
            entity: Entity::SavedReport,
            entity_id: saved.id,
            kind: match before {
                Some(_) => ChangeKind::Updated,
                None => ChangeKind::Created,
            },
            // The columns an update sends (`ledger::replica::queue`).
            payload: serde_json::json!({
                "name": saved.name,
                "definition": serde_json::to_string(&saved.definition).unwrap_or_default(),
                "shared": saved.shared,
            }),
            base_version: before.as_ref().map(|before| before.version),
        })?;
        Ok(saved)
    })
}

/// Deletes one of one's own reports (everyone it was shared with loses it too).
pub fn delete(ledger: &mut Ledger, actor: &Actor, name_or_id: &str) -> Result<()> {
    let report = find(ledger, actor, name_or_id)?;
    require_owner(actor, &report)?;
    ledger.write(Some(actor), |write| {
        ledger::reports::delete_saved(write, report.id, report.version + 1, Timestamp::now())?;
        write.record(Change {
            entity: Entity::SavedReport,
            entity_id: report.id,
            kind: ChangeKind::Archived,
            payload: serde_json::json!({ "name": report.name }),
            base_version: Some(report.version),
        })
    })
}

/// Only its owner changes or deletes a report; others save a copy of their own.
fn require_owner(actor: &Actor, report: &SavedReport) -> Result<()> {
    if report.created_by == actor.id {
        return Ok(());
    }
    let owner = report.owner_name.as_deref().unwrap_or("someone else");
    Err(Error::Forbidden {
        action: format!("Changing or deleting the report '{}'", report.name),
        role: actor.role.label().into(),
        scope_hint: format!(
            " when {owner} saved it (only its owner may; save a copy under a name of your own)"
        ),
        allowed: format!("of its owner, {owner}"),
    })
}
