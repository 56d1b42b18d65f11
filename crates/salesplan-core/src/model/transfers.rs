//! Transfers as stored, with the names people know their records by, what
//! each line shipped and what of it has arrived, and who took each step.

use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use salesplan_domain::transfers::{Flow, TransferState, TransferStatus};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// Stock moved from one location to another, with its lines.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Transfer {
    pub id: Uuid,
    /// What people call it: `TR-` and the day it was asked for, then the end of its id.
    pub number: String,
    pub from_location_id: Uuid,
    pub from_code: String,
    pub from_name: String,
    pub to_location_id: Uuid,
    pub to_code: String,
    pub to_name: String,
    /// The status people's steps gave it.
    pub status: TransferStatus,
    /// Where it stands with what has arrived.
    pub state: TransferState,
    pub note: String,
    pub cancel_reason: Option<String>,
    /// Who took each step and when, in order: requested, approved, shipped,
    /// each arrival, closed or cancelled.
    pub events: Vec<TransferEvent>,
    #[ts(type = "number")]
    pub version: i64,
    pub lines: Vec<TransferLine>,
}

/// One product of a transfer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TransferLine {
    pub id: Uuid,
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub unit: String,
    /// What is to move (asked for, then as approved).
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    /// What shipped, once it has.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub shipped: Option<Decimal>,
    /// Arrived as shipped.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub received: Decimal,
    /// Recorded short, damaged, and over what shipped.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub short: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub damaged: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub surplus: Decimal,
    /// Shipped and not arrived yet.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub in_transit: Decimal,
    #[ts(type = "number")]
    pub version: i64,
}

impl TransferLine {
    /// What shipped and what of it has arrived (received, short, damaged or surplus).
    pub fn flow(&self) -> Flow {
        Flow {
            shipped: self.shipped.unwrap_or_default(),
            arrived: self.received + self.short + self.damaged + self.surplus,
        }
    }
}

/// A step taken on a transfer, or an arrival against it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TransferEvent {
    /// `requested`, `approved`, `shipped`, `received`, `closed`, `cancelled`.
    pub what: String,
    /// Who took it, by name (their id when this ledger does not know them).
    pub by: String,
    pub at: Timestamp,
    /// An arrival's day as the receiver dated it.
    pub on: Option<Day>,
}

impl Transfer {
    /// The state its status and what its lines shipped and had arrive make.
    pub fn state_of(status: TransferStatus, lines: &[TransferLine]) -> TransferState {
        let flows: Vec<Flow> = lines.iter().map(TransferLine::flow).collect();
        TransferState::of(status, &flows)
    }

    /// The lines with something on its way.
    pub fn in_transit(&self) -> Decimal {
        self.lines.iter().map(|line| line.in_transit).sum()
    }
}
