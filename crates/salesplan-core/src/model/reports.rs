//! Saved reports: what a report asks, saved under a name, one's own or shared.

use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use salesplan_domain::reports::ReportDefinition;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SavedReport {
    pub id: Uuid,
    pub name: String,
    pub definition: ReportDefinition,
    /// Every user may run it (each sees their own scope); else its owner's alone.
    pub shared: bool,
    pub created_by: Uuid,
    /// Its owner's name, where this laptop knows the account.
    pub owner_name: Option<String>,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A report to save: a new one (no id, or a name one already uses: that one
/// is replaced) or one's own again (its id).
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct ReportToSave {
    pub id: Option<Uuid>,
    pub name: String,
    pub definition: ReportDefinition,
    pub shared: bool,
}

/// One sale behind a report's cell, by its codes and names.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DrillSale {
    pub id: Uuid,
    /// The day sold, or the month for a sale entered by month.
    pub sold: String,
    pub sku: String,
    pub product: String,
    pub branch: String,
    pub salesman: Option<String>,
    pub customer: Option<String>,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}
