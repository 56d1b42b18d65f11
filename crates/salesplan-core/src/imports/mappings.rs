//! Column mappings saved by name, per kind of import, for the next file of the same shape.

use super::fields::{ImportKind, Mapping};
use crate::access::Actor;
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::timestamp::Timestamp;
use crate::validate::required_text;
use uuid::Uuid;

pub use crate::model::imports::SavedMapping;

/// Saves a mapping under a name (replacing the one of that name and kind).
pub fn save(
    ledger: &mut Ledger,
    actor: &Actor,
    kind: ImportKind,
    name: &str,
    mapping: &Mapping,
) -> Result<SavedMapping> {
    super::require_importer(actor, kind)?;
    let name = required_text("name", name, 60)?;
    ledger.write(Some(actor), |write| {
        let before = ledger::imports::find_mapping(write.read(), kind, &name)?;
        let saved = SavedMapping {
            id: before
                .as_ref()
                .map_or_else(Uuid::now_v7, |before| before.id),
            name: name.clone(),
            kind,
            mapping: mapping.clone(),
            version: before.as_ref().map_or(1, |before| before.version + 1),
        };
        ledger::imports::put_mapping(write, &saved, actor.id, Timestamp::now())?;
        write.record(Change {
            entity: Entity::ImportMapping,
            entity_id: saved.id,
            kind: if before.is_some() {
                ChangeKind::Updated
            } else {
                ChangeKind::Created
            },
            payload: serde_json::to_value(&saved).unwrap_or_default(),
            base_version: before.map(|before| before.version),
        })?;
        Ok(saved)
    })
}

pub fn list(ledger: &Ledger, actor: &Actor, kind: ImportKind) -> Result<Vec<SavedMapping>> {
    super::require_importer(actor, kind)?;
    ledger::imports::mappings(ledger.read(), kind)
}

pub fn find(ledger: &Ledger, actor: &Actor, kind: ImportKind, name: &str) -> Result<SavedMapping> {
    super::require_importer(actor, kind)?;
    ledger::imports::find_mapping(ledger.read(), kind, name.trim())?.ok_or_else(|| {
        Error::invalid(
            "mapping",
            format!(
                "no saved mapping '{}' for {} imports",
                name.trim(),
                kind.key()
            ),
        )
    })
}
