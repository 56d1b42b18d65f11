//! The sync protocol's messages. Push: a laptop sends its outbox in order,
//! numbered by its own mutation ids; the server answers each with applied or
//! rejected (a refusal never blocks the queue), a replayed batch gets the
//! stored answers, a gap gets 409 with the id expected. Pull: the changes after
//! a cursor, in the server's order, filtered to the user's scope, in pages.

use crate::access::{Action, Actor, Resource, can};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The ledger schema this version writes. Head office accepts laptops of this
/// version and the one before; older ones must upgrade to push (they may still pull).
pub const SCHEMA_VERSION: i64 = 33;

/// At most this many mutations in one push.
pub const MAX_BATCH: usize = 1_000;
/// A push's payloads stay under this many bytes (head office takes requests of
/// up to 8 MiB); a bigger one, a record with a 5 MB receipt, goes on its own.
pub const MAX_BATCH_BYTES: usize = 6 * 1024 * 1024;
/// A change stamped further ahead of the server's clock than this is refused.
pub const MAX_CLOCK_AHEAD_MS: i64 = 60 * 60 * 1000;
/// At most this many changes in one pull page.
pub const MAX_PAGE: i64 = 5_000;
/// A pull page stops once its changes hold this many bytes (receipts), and
/// always carries at least one change.
pub const MAX_PAGE_BYTES: usize = 6 * 1024 * 1024;

/// The scope facts of a record: whose it is, which department and branch
/// (and, for a record between two locations, the other one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeFacts {
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    /// The second location a record touches: where a transfer leaves (it
    /// goes to `location_id`). Whoever may act at either end may see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_location_id: Option<Uuid>,
}

impl ScopeFacts {
    /// The record as the grants see it: at its location (its destination).
    pub fn resource(self) -> Resource {
        Resource {
            owner_id: self.owner_id,
            department_id: self.department_id,
            location_id: self.location_id,
        }
    }

    /// The record seen at each location it touches.
    fn resources(self) -> impl Iterator<Item = Resource> {
        let other = self.other_location_id.map(|location| Resource {
            location_id: Some(location),
            ..self.resource()
        });
        std::iter::once(self.resource()).chain(other)
    }

    /// Whether `actor` may take `action` on the record at any of its locations.
    pub fn allows(self, actor: &Actor, action: Action) -> bool {
        self.resources()
            .any(|resource| can(actor, action, &resource))
    }

    /// `allows`, turned into the refusal at the record's own location.
    pub fn require(self, actor: &Actor, action: Action) -> crate::Result<()> {
        if self.allows(actor, action) {
            return Ok(());
        }
        actor.require(action, &self.resource())
    }
}

/// One outbox record on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    /// The laptop's outbox sequence: 1, 2, 3… with no gaps per client.
    pub mutation_id: i64,
    pub op_uuid: Uuid,
    /// An `Entity` key (`budget_line`); unknown keys are refused with the key named.
    pub entity: String,
    pub entity_id: Uuid,
    /// A `ChangeKind` key (`updated`).
    pub kind: String,
    pub payload: serde_json::Value,
    pub base_version: Option<i64>,
    /// The hybrid logical clock stamp, `wallms-counter-clientid`.
    pub hlc: String,
    pub user_id: Uuid,
    pub schema_version: i64,
    pub scope: ScopeFacts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub client_id: Uuid,
    /// The server epoch the laptop last bootstrapped from.
    pub epoch: Uuid,
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Applied,
    /// Refused by the rules (scope, workflow): the laptop shows it as a conflict.
    Rejected {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutationResult {
    pub mutation_id: i64,
    pub op_uuid: Uuid,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// For a refused change: the record as head office holds it (its fields),
    /// so the laptop puts it back; absent when head office has no such record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
    /// An update refused because head office holds no such record (lost in a
    /// restore, or never sent whole): the laptop sends its record again, whole.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
    /// The highest mutation id the server holds for this client.
    pub last_mutation_id: i64,
}

/// The 409 answer to a push that skips ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub error: String,
    pub expected_mutation_id: i64,
}

/// One change of the server's feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedChange {
    pub seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    pub hlc: String,
    pub client_id: Uuid,
    pub op_uuid: Uuid,
    /// Who made it (absent from servers before version 9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<Uuid>,
}

/// How much of each product each location holds at head office, which has
/// every laptop's movements and sales: what a salesman's laptop, holding only
/// its own sales, shows as availability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Availability {
    pub as_of: crate::timestamp::Timestamp,
    pub levels: Vec<StockLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockLevel {
    pub location_id: Uuid,
    pub product_id: Uuid,
    #[serde(with = "rust_decimal::serde::str")]
    pub on_hand: rust_decimal::Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub epoch: Uuid,
    pub changes: Vec<FeedChange>,
    /// Pass it back to get what follows.
    pub cursor: i64,
    /// Whether more changes wait after this page.
    pub more: bool,
}
