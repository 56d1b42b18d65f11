//! A watched folder, what came of each file seen there, and the alerts it raises.

use crate::timestamp::Timestamp;
use salesplan_domain::changes::records::ImportKind;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WatchedFolder {
    pub id: Uuid,
    pub path: String,
    /// File names to import: `*` and `?` wildcards, e.g. `sales-*.csv`.
    pub pattern: String,
    pub kind: ImportKind,
    /// The saved mapping to import with; the suggested one when none.
    pub mapping_name: Option<String>,
    /// Whose imports they become (and who gets the alerts).
    pub owner_id: Uuid,
    pub owner_name: String,
    #[ts(type = "number")]
    pub version: i64,
}

/// What came of a file seen in a watched folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Outcome {
    Imported,
    /// Every row was in the ledger already.
    NothingNew,
    Failed,
}

impl Outcome {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Outcome::Imported => "imported",
            Outcome::NothingNew => "nothing_new",
            Outcome::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Seen {
    pub folder_id: Uuid,
    pub file_name: String,
    pub content_hash: String,
    pub outcome: Outcome,
    pub import_id: Option<Uuid>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Alert {
    pub id: Uuid,
    pub user_id: Uuid,
    pub subject: String,
    pub message: String,
    pub created_at: Timestamp,
}
