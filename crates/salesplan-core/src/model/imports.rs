//! An import as recorded, the mapping it used (saved by name too), and an
//! earlier import of the same content.

use crate::timestamp::Timestamp;
use salesplan_domain::changes::records::ImportKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;
use uuid::Uuid;

/// Where a target field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "from", rename_all = "snake_case")]
#[ts(export)]
pub enum FieldSource {
    /// A column of the file, by header name.
    Column { column: String },
    /// The same value on every row.
    Constant { value: String },
}

/// Source column (or constant) per target field, and defaults for empty cells.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Mapping {
    pub fields: BTreeMap<String, FieldSource>,
    /// Used where the mapped cell is empty.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
}

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
