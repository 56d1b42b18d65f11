//! A posted sale, and a sale as reports and the sales import read it.

use crate::month::Month;
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// A posted sale.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ActualSale {
    pub id: Uuid,
    pub period: Month,
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub salesman_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
    /// quantity × unit price, rounded to the cent.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub created_by: Uuid,
    pub created_at: Timestamp,
    /// Whether posting it took its quantity out of its location's stock (the
    /// company's setting when it was posted).
    pub issues_stock: bool,
}

/// The sales of one month, product and location, as reports read them (from
/// the kept summary, not sale by sale).
#[derive(Debug, Clone)]
pub(crate) struct SaleFacts {
    pub period: Month,
    pub sku: String,
    pub product_name: String,
    pub location_name: String,
    pub quantity: Decimal,
    pub amount: Decimal,
    /// How many sales it sums.
    pub sales: i64,
}

/// One sale as the sales import reads it: by codes and usernames, not ids.
#[derive(Debug, Clone)]
pub(crate) struct SaleLine {
    /// The day sold when known, else the month (`YYYY-MM`).
    pub sold: String,
    pub sku: String,
    pub branch: String,
    pub salesman: Option<String>,
    pub customer: Option<String>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub amount: Decimal,
}
