//! A reference row as stored (departments, locations, product categories,
//! budget categories, products, customers): its bookkeeping, and what each
//! kind declares about its table.

use crate::timestamp::Timestamp;
use salesplan_domain::entity::Entity;
use serde::Serialize;
use serde::de::DeserializeOwned;
use ts_rs::TS;
use uuid::Uuid;

/// A reference row as stored: bookkeeping around the kind's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Stored<F> {
    pub id: Uuid,
    /// Bumped on every edit; an edit names the version it was made against.
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Set when archived (a tombstone: the row stays for history).
    pub archived_at: Option<Timestamp>,
    pub fields: F,
}

/// How a reference kind is stored: one generic store serves every kind.
pub trait StoredReference: Serialize + DeserializeOwned + Clone + PartialEq {
    const ENTITY: Entity;
    const ENTITY_TABLE: &'static str;
    /// The natural key column: unique, how people and files name a row.
    const KEY_FIELD: &'static str;
    const ORDER_BY: &'static str;
    fn key(&self) -> &str;
    fn key_mut(&mut self) -> &mut String;
}
