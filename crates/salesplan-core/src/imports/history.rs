//! The import history: what was imported, from which file, by whom; and
//! reversing an import as a whole (its facts get reversing entries).

use super::fields::ImportKind;
use crate::access::{Action, Actor, Role, Scope};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::timestamp::Timestamp;
use uuid::Uuid;

pub use crate::model::imports::ImportRecord;

impl ImportRecord {
    /// The record of an import about to be written.
    pub(crate) fn new(
        kind: ImportKind,
        info: &super::SourceInfo,
        request: &super::ImportRequest,
        actor: &Actor,
        rows_read: usize,
        rows_imported: usize,
    ) -> ImportRecord {
        ImportRecord {
            id: Uuid::now_v7(),
            kind,
            file_name: info.file_name.clone(),
            content_hash: info.content_hash.clone(),
            sheet: info.sheet.clone(),
            mapping: request.mapping.clone(),
            target_id: request.budget_id,
            rows_read: rows_read as i64,
            rows_imported: rows_imported as i64,
            rows_skipped: (rows_read - rows_imported) as i64,
            imported_by: actor.id,
            imported_by_name: actor.username.clone(),
            imported_at: Timestamp::now(),
            reverses: None,
            reversed_at: None,
        }
    }
}

/// Whether the actor sees everyone's imports (administrators and those who post company-wide).
fn sees_all(actor: &Actor) -> bool {
    actor.role == Role::Administrator
        || crate::access::grant(actor.role, Action::PostActuals) == Some(Scope::All)
}

/// The imports the actor may see: everyone's, or their own; newest first.
pub fn list(ledger: &Ledger, actor: &Actor) -> Result<Vec<ImportRecord>> {
    ledger::imports::list(ledger.read(), (!sees_all(actor)).then_some(actor.id))
}

pub fn show(ledger: &Ledger, actor: &Actor, id: Uuid) -> Result<ImportRecord> {
    ledger::imports::get(ledger.read(), id)?
        .filter(|record| sees_all(actor) || record.imported_by == actor.id)
        .ok_or_else(|| Error::not_found("import", id))
}

/// Reverses an import: its facts get reversing entries, recorded as an import
/// of their own that points back to it. Whoever imported may, or an administrator.
pub fn reverse(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<ImportRecord> {
    let original =
        ledger::imports::get(ledger.read(), id)?.ok_or_else(|| Error::not_found("import", id))?;
    if original.imported_by != actor.id && actor.role != Role::Administrator {
        return Err(Error::Forbidden {
            action: "Reversing an import".into(),
            role: actor.role.label().into(),
            scope_hint: format!(" when {} imported it", original.imported_by_name),
            allowed: Role::Administrator.label().into(),
        });
    }
    if original.reverses.is_some() {
        return Err(Error::invalid(
            "import",
            "this is a reversal; import the file again instead",
        ));
    }
    if let Some(at) = &original.reversed_at {
        return Err(Error::invalid(
            "import",
            format!("was already reversed on {at}"),
        ));
    }
    let reversal_id = ledger.write(Some(actor), |write| {
        let now = Timestamp::now();
        let reversal = ImportRecord {
            id: Uuid::now_v7(),
            reverses: Some(original.id),
            reversed_at: None,
            imported_by: actor.id,
            imported_by_name: actor.username.clone(),
            imported_at: now,
            rows_skipped: 0,
            ..original.clone()
        };
        ledger::imports::insert(write, &reversal)?;
        let rows = match original.kind {
            ImportKind::Actuals => {
                if let Some(earliest) =
                    ledger::imports::earliest_period(write.read(), original.id)?
                {
                    let last_closed = ledger::forecast::last_closed(write.read())?;
                    let earliest = crate::month::Month::parse("import", &earliest)?;
                    crate::forecast::require_open("import", earliest, last_closed)?;
                }
                ledger::imports::reverse_sales(write, original.id, reversal.id, actor.id, now)?
            }
            ImportKind::Budget => super::budget::reverse(write, actor, &original)?,
            ImportKind::Stock => ledger::stock::reverse(write, original.id, reversal.id, actor.id, now)?,
            ImportKind::SupplierProducts => super::supplier_products::reverse(write, original.id)?,
            kind => super::reference::with_record_type!(kind, |F| {
                super::reference::reverse::<F>(write, original.id)
            })?,
        };
        ledger::imports::set_rows_reversed(write, reversal.id, rows)?;
        ledger::imports::set_reversed(write, original.id, now)?;
        write.record(Change {
            entity: Entity::Import,
            entity_id: original.id,
            kind: ChangeKind::Transitioned,
            payload: serde_json::json!({ "from": "imported", "to": "reversed", "reversal": reversal.id, "rows": rows }),
            base_version: None,
        })?;
        Ok(reversal.id)
    })?;
    show(ledger, actor, reversal_id)
}
