//! The company settings as stored: name, currency, fiscal calendar, whether
//! sales issue stock, and the rules of stock policies.

use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CompanySettings {
    pub company_name: String,
    /// ISO 4217 code, e.g. "EUR".
    pub currency: String,
    /// The month (1-12) a fiscal year starts in; 1 = calendar year.
    pub fiscal_year_start_month: u8,
    /// Whether a sale posted takes its quantity out of its location's stock
    /// (off for a company whose stock comes only from its ERP's exports).
    #[serde(default = "issue_stock_by_default")]
    pub sales_issue_stock: bool,
    /// How stock policies are worked out.
    #[serde(flatten)]
    pub stock: StockSettings,
}

/// The company's rules for stock policies and alerts (absent from a laptop
/// older than them: the defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct StockSettings {
    /// Service level targets of ABC classes A, B and C, in percent (50–99.9).
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub service_level_a: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub service_level_b: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub service_level_c: Decimal,
    /// What holding a unit costs a year, in percent of its cost (for the EOQ).
    pub holding_cost_percent: u8,
    /// The most months of demand one order may bring.
    pub order_cover_months: u8,
    /// Cover above which an item is overstocked, in months.
    pub overstock_months: u8,
    /// Months without an issue after which an item's stock is dead.
    pub dead_stock_months: u8,
    /// Days stock takes from the warehouse to a branch.
    pub branch_lead_time_days: u16,
    /// Whether stock may be shipped that the books say is not there.
    pub allow_negative_stock: bool,
    /// Days a branch plans ahead between deliveries, on top of the lead
    /// time: the replenishment proposal's review period (0–90).
    pub review_days: u8,
}

impl Default for StockSettings {
    fn default() -> StockSettings {
        StockSettings {
            service_level_a: Decimal::from(98),
            service_level_b: Decimal::from(95),
            service_level_c: Decimal::from(90),
            holding_cost_percent: 20,
            order_cover_months: 3,
            overstock_months: 6,
            dead_stock_months: 6,
            branch_lead_time_days: 7,
            allow_negative_stock: false,
            review_days: 7,
        }
    }
}

fn issue_stock_by_default() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Settings {
    pub company: CompanySettings,
    #[ts(type = "number")]
    pub version: i64,
    pub updated_at: Timestamp,
}
