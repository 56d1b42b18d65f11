//! What a supplier sells of a product, and on what terms, as stored.

use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The terms a supplier sells a product on: one line per supplier and product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SupplierTerms {
    pub supplier_id: Uuid,
    pub product_id: Uuid,
    /// The supplier's own article number, as an order to them names it.
    #[serde(default)]
    pub supplier_sku: String,
    /// What one unit costs, in the supplier's currency.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub cost_price: Decimal,
    /// Orders are whole packs of this many units.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub pack_size: Decimal,
    /// The fewest units an order may hold.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub min_order: Decimal,
    /// Days from ordering to receiving when they differ from the supplier's.
    pub lead_time_days: Option<u16>,
    /// The supplier a proposal orders the product from.
    pub is_primary: bool,
}

/// A supplier's product line as stored, with the names people know it by.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SupplierProduct {
    pub id: Uuid,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Set when no longer bought there (the line stays for history).
    pub archived_at: Option<Timestamp>,
    pub terms: SupplierTerms,
    pub supplier_code: String,
    pub sku: String,
    pub product_name: String,
    /// The lead time that applies: the line's own, else the supplier's.
    pub lead_time_days: u16,
}
