//! Purchase orders as stored, with the names people know their records by and
//! what their receipts have brought.

use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use salesplan_domain::purchasing::{OrderState, OrderStatus};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// An order to a supplier, with its lines.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PurchaseOrder {
    pub id: Uuid,
    /// What people call it: `PO-` and the day it was made, then the end of its id.
    pub number: String,
    pub supplier_id: Uuid,
    pub supplier_code: String,
    pub supplier_name: String,
    pub supplier_contact: String,
    /// The supplier's currency: costs are in it.
    pub currency: String,
    pub location_id: Uuid,
    pub location_code: String,
    pub location_name: String,
    /// The status a person's steps gave it.
    pub status: OrderStatus,
    /// Where it stands with its receipts.
    pub state: OrderState,
    pub note: String,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub cancelled_at: Option<Timestamp>,
    pub cancel_reason: Option<String>,
    #[ts(type = "number")]
    pub version: i64,
    pub lines: Vec<OrderLine>,
    /// What the lines cost: quantity × unit cost.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
}

/// One product of an order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OrderLine {
    pub id: Uuid,
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub unit: String,
    /// The supplier's own article number, when known.
    pub supplier_sku: String,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_cost: Decimal,
    pub expected_on: Day,
    /// What its receipts have brought.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub received: Decimal,
    #[ts(type = "number")]
    pub version: i64,
}

impl OrderLine {
    /// What is still to come: ordered less received, never below zero.
    pub fn outstanding(&self) -> Decimal {
        (self.quantity - self.received).max(Decimal::ZERO)
    }
}

impl PurchaseOrder {
    /// The number people use for an order made at `created_at` under `id`.
    pub fn number_of(id: Uuid, created_at: Timestamp) -> String {
        super::document_number("PO", id, created_at)
    }

    /// The state its status and its lines' receipts make.
    pub fn state_of(status: OrderStatus, lines: &[OrderLine]) -> OrderState {
        let quantities: Vec<(Decimal, Decimal)> = lines
            .iter()
            .map(|line| (line.quantity, line.received))
            .collect();
        OrderState::of(status, &quantities)
    }
}
