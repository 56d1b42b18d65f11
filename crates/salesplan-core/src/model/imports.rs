//! An import as recorded, the mapping it used (saved by name too), and an
//! earlier import of the same content.

use crate::timestamp::Timestamp;
use salesplan_domain::changes::records::ImportKind;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

pub use salesplan_domain::changes::records::{FieldSource, Mapping};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportRecord {
    pub id: Uuid,
    pub kind: ImportKind,
    pub file_name: String,
    pub content_hash: String,
    pub sheet: Option<String>,
    pub mapping: Mapping,
    /// The budget the lines went into (budget imports).
    pub target_id: Option<Uuid>,
    #[ts(type = "number")]
    pub rows_read: i64,
    #[ts(type = "number")]
    pub rows_imported: i64,
    #[ts(type = "number")]
    pub rows_skipped: i64,
    pub imported_by: Uuid,
    pub imported_by_name: String,
    pub imported_at: Timestamp,
    /// Set on a reversal: the import it undid.
    pub reverses: Option<Uuid>,
    /// Set on an import that was reversed.
    pub reversed_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SavedMapping {
    pub id: Uuid,
    pub name: String,
    pub kind: ImportKind,
    pub mapping: Mapping,
    #[ts(type = "number")]
    pub version: i64,
}

/// An earlier import of the same content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct EarlierImport {
    pub id: uuid::Uuid,
    pub file_name: String,
    pub imported_at: Timestamp,
    pub imported_by: String,
}
