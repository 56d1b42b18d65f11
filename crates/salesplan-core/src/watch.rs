//! Watched folders and alerts. The core keeps the folders, remembers the files
//! seen in them (by content) and raises alerts; scanning the disk and reading
//! the files is the files crate's (`salesplan_files::watch`).

use crate::access::{Actor, Role};
use crate::error::{Error, Result};
use crate::imports::fields::ImportKind;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use crate::model::watch::{Alert, Outcome, Seen, WatchedFolder};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewWatchedFolder {
    pub path: String,
    #[serde(default = "any_file")]
    pub pattern: String,
    pub kind: ImportKind,
    #[serde(default)]
    pub mapping_name: Option<String>,
}

fn any_file() -> String {
    "*".into()
}

/// Starts watching a folder; its imports will be the actor's.
pub fn add_folder(
    ledger: &mut Ledger,
    actor: &Actor,
    new_folder: NewWatchedFolder,
) -> Result<WatchedFolder> {
    crate::imports::require_importer(actor, new_folder.kind)?;
    if new_folder.kind == ImportKind::Budget {
        return Err(Error::invalid(
            "kind",
            "budget lines go into a budget you choose; import them with the wizard, not from a watched folder",
        ));
    }
    let path = new_folder.path.trim().to_owned();
    if !std::path::Path::new(&path).is_absolute() {
        return Err(Error::invalid(
            "path",
            format!("'{path}' is not a full path to a folder"),
        ));
    }
    let pattern = crate::validate::required_text("pattern", &new_folder.pattern, 100)?;
    let id = ledger.write(Some(actor), |write| {
        if let Some(name) = &new_folder.mapping_name {
            ledger::imports::find_mapping(write.read(), new_folder.kind, name)?.ok_or_else(
                || {
                    Error::invalid(
                        "mapping_name",
                        format!(
                            "no saved mapping '{name}' for {} imports",
                            new_folder.kind.key()
                        ),
                    )
                },
            )?;
        }
        let folder = WatchedFolder {
            id: Uuid::now_v7(),
            path,
            pattern,
            kind: new_folder.kind,
            mapping_name: new_folder.mapping_name.clone(),
            owner_id: actor.id,
            owner_name: actor.username.clone(),
            version: 1,
        };
        ledger::watch::insert_folder(write, &folder, Timestamp::now())?;
        write.record(Change {
            entity: Entity::WatchedFolder,
            entity_id: folder.id,
            kind: ChangeKind::Created,
            payload: serde_json::to_value(&folder).unwrap_or_default(),
            base_version: None,
        })?;
        Ok(folder.id)
    })?;
    ledger::watch::folder(ledger.read(), id)?.ok_or_else(|| Error::not_found("watched folder", id))
}

/// The actor's folders (an administrator's: everyone's).
pub fn folders(ledger: &Ledger, actor: &Actor) -> Result<Vec<WatchedFolder>> {
    ledger::watch::folders(
        ledger.read(),
        (actor.role != Role::Administrator).then_some(actor.id),
    )
}

/// The folders a scan runs: the signed-in user's own (an administrator's
/// too: another user's folder is scanned when that user is signed in).
pub fn own_folders(ledger: &Ledger, actor: &Actor) -> Result<Vec<WatchedFolder>> {
    ledger::watch::folders(ledger.read(), Some(actor.id))
}

pub fn remove_folder(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<()> {
    let folder = ledger::watch::folder(ledger.read(), id)?
        .ok_or_else(|| Error::not_found("watched folder", id))?;
    if folder.owner_id != actor.id && actor.role != Role::Administrator {
        return Err(Error::Forbidden {
            action: "Removing a watched folder".into(),
            role: actor.role.label().into(),
            scope_hint: format!(" when {} added it", folder.owner_name),
            allowed: Role::Administrator.label().into(),
        });
    }
    ledger.write(Some(actor), |write| {
        ledger::watch::archive_folder(write, id, Timestamp::now())?;
        write.record(Change {
            entity: Entity::WatchedFolder,
            entity_id: id,
            kind: ChangeKind::Archived,
            payload: serde_json::json!({ "path": folder.path }),
            base_version: Some(folder.version),
        })
    })
}

/// Whether a file with this content was seen in the folder already.
pub fn already_seen(
    ledger: &Ledger,
    folder_id: Uuid,
    file_name: &str,
    content_hash: &str,
) -> Result<bool> {
    ledger::watch::seen(ledger.read(), folder_id, file_name, content_hash)
}

/// Remembers a file seen in a watched folder; a failure also alerts the folder's owner.
pub fn record_seen(ledger: &mut Ledger, owner: &Actor, seen: &Seen) -> Result<()> {
    let folder = ledger::watch::folder(ledger.read(), seen.folder_id)?
        .ok_or_else(|| Error::not_found("watched folder", seen.folder_id))?;
    if folder.owner_id != owner.id {
        return Err(Error::Forbidden {
            action: "Recording a file seen in a watched folder".into(),
            role: owner.role.label().into(),
            scope_hint: format!(" that {} added", folder.owner_name),
            allowed: "of the folder's owner (its imports are theirs)".into(),
        });
    }
    ledger.write(Some(owner), |write| {
        let now = Timestamp::now();
        ledger::watch::insert_seen(write, seen, now)?;
        write.record(Change {
            entity: Entity::WatchedFile,
            entity_id: seen.folder_id,
            kind: ChangeKind::Appended,
            payload: serde_json::to_value(seen).unwrap_or_default(),
            base_version: None,
        })?;
        if seen.outcome == Outcome::Failed {
            raise_alert(
                write,
                owner.id,
                format!("{} was not imported", seen.file_name),
                seen.message.clone(),
            )?;
        }
        Ok(())
    })
}

/// An alert for a person in the alert centre, stored until they read it.
pub(crate) fn raise_alert(
    write: &mut ledger::Write<'_>,
    user_id: Uuid,
    subject: String,
    message: String,
) -> Result<()> {
    let alert = Alert {
        id: Uuid::now_v7(),
        user_id,
        subject,
        message,
        created_at: Timestamp::now(),
    };
    ledger::watch::insert_alert(write, &alert)?;
    write.record(Change {
        entity: Entity::Alert,
        entity_id: alert.id,
        kind: ChangeKind::Created,
        payload: serde_json::to_value(&alert).unwrap_or_default(),
        base_version: None,
    })
}

/// The actor's unread alerts, newest first.
pub fn alerts(ledger: &Ledger, actor: &Actor) -> Result<Vec<Alert>> {
    ledger::watch::alerts(ledger.read(), actor.id)
}

/// Marks one of the actor's alerts read.
pub fn dismiss_alert(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<()> {
    ledger.write(Some(actor), |write| {
        if ledger::watch::mark_read(write, id, actor.id, Timestamp::now())? == 0 {
            return Err(match ledger::watch::alert_owner(write.read(), id)? {
                Some(owner) if owner != actor.id => Error::Forbidden {
                    action: "Dismissing an alert".into(),
                    role: actor.role.label().into(),
                    scope_hint: " meant for someone else".into(),
                    allowed: "of the person it is for".into(),
                },
                _ => Error::not_found("alert", id),
            });
        }
        write.record(Change {
            entity: Entity::Alert,
            entity_id: id,
            kind: ChangeKind::Updated,
            payload: serde_json::json!({ "read": true }),
            base_version: None,
        })
    })
}

/// Whether a file name matches a pattern with `*` (any run) and `?` (one character), ignoring case.
pub fn matches(pattern: &str, name: &str) -> bool {
    fn go(pattern: &[char], name: &[char]) -> bool {
        match (pattern.first(), name.first()) {
            (None, None) => true,
            (Some('*'), _) => {
                go(&pattern[1..], name) || (!name.is_empty() && go(pattern, &name[1..]))
            }
            (Some('?'), Some(_)) => go(&pattern[1..], &name[1..]),
            (Some(p), Some(n)) if p.eq_ignore_ascii_case(n) => go(&pattern[1..], &name[1..]),
            _ => false,
        }
    }
    let pattern: Vec<char> = pattern.trim().chars().collect();
    let name: Vec<char> = name.chars().collect();
    go(&pattern, &name)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn patterns_match_as_in_a_file_dialog() {
        assert!(matches("*.csv", "sales-10.CSV"));
        assert!(matches("sales-??.xlsx", "sales-10.xlsx"));
        assert!(!matches("sales-??.xlsx", "sales-100.xlsx"));
        assert!(matches("*", "anything"));
        assert!(!matches("*.csv", "notes.txt"));
    }
}
