//! The company settings as stored: name, currency, fiscal calendar and whether sales issue stock.

use crate::timestamp::Timestamp;
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
