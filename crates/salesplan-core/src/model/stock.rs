//! A stock movement: a fact (append-only); an item's stock is the sum of its movements.

use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use salesplan_domain::changes::records::StockReason;
use salesplan_domain::transfers::Discrepancy;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// One movement of an item (a product at a location), as stored and as it travels.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StockMovement {
    pub id: Uuid,
    pub moved_on: Day,
    pub location_id: Uuid,
    pub product_id: Uuid,
    /// Signed: what came in is positive, what went out negative; a count's is
    /// the difference it found.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub reason: StockReason,
    /// An adjustment's reason; a count's or an import row's note.
    pub note: String,
    pub import_id: Option<Uuid>,
    #[ts(type = "number | null")]
    pub fingerprint: Option<i64>,
    /// The purchase order line a receipt delivers against.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub order_line_id: Option<Uuid>,
    /// The transfer line stock leaves for or arrives against.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub transfer_line_id: Option<Uuid>,
    /// What did not arrive as shipped, when this records it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub discrepancy: Option<Discrepancy>,
    pub created_by: Uuid,
    pub created_at: Timestamp,
}
