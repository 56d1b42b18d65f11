//! A stock policy as worked out and stored, with every number it was made of,
//! and a person's override of it.

use crate::month::Month;
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// Where the demand a policy plans for comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DemandSource {
    /// The final forecast (overrides included).
    Forecast,
    /// No forecast: the mean of the last 12 months' sales.
    History,
    /// A warehouse: what the branches it supplies need.
    Branches,
}

/// Where σ, the monthly demand's uncertainty, comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SigmaSource {
    /// The forecast's own one-month-ahead errors, from past snapshots.
    Measured,
    /// The forecasting method's residual σ (from its prediction interval).
    Model,
    /// The spread of the last 12 months' sales.
    History,
    /// A warehouse: its branches' σ combined (√Σσ²).
    Branches,
}

/// How the reorder point was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PolicyMethod {
    /// Normal lead-time demand: d·L + z·√(L·σ_d² + d²·σ_L²).
    Normal,
    /// A slow mover: the smallest reorder point meeting the fill rate under Poisson demand.
    Poisson,
    /// A slow mover whose demand varies more than Poisson's: negative binomial.
    NegativeBinomial,
    /// Nothing to plan for: no demand.
    NoDemand,
}

/// Why the order quantity is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderBasis {
    /// The EOQ, in whole packs.
    Eoq,
    /// No order cost or cost price to weigh (a branch, a product nobody sells
    /// to us yet): one month's demand, in whole packs.
    OneMonth,
    /// Raised to the supplier's minimum order.
    MinimumOrder,
    /// Cut to the company's most months of demand per order.
    MaximumCover,
    /// No demand, nothing to order.
    Nothing,
}

/// A computed stock policy of a product at a location and its breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Policy {
    pub location_id: Uuid,
    pub location_code: String,
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub unit: String,
    /// The product's ABC class by sales value of the last 12 months: "A", "B" or "C".
    pub abc: String,
    /// The class's service level target, in percent.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub service_level: Decimal,
    pub demand_source: DemandSource,
    /// The month the demand starts in, and the demand of each month from it.
    pub first_month: Month,
    #[ts(type = "Array<string>")]
    pub demand: Vec<Decimal>,
    /// d: the mean monthly demand over the lead time.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub demand_per_month: Decimal,
    /// Who replenishes it: "SUP-DRY Dry Goods Wholesale", "CENTRAL (warehouse)".
    pub supplied_by: String,
    /// L and σ_L, in days.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub lead_time_days: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub lead_time_sd_days: Decimal,
    /// σ_d: the monthly demand's standard deviation, and where it comes from.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub sigma: Decimal,
    pub sigma_source: SigmaSource,
    /// How many one-month-ahead errors were measured (0 unless `measured`).
    pub sigma_points: u32,
    pub method: PolicyMethod,
    /// z = Φ⁻¹(service level), for the normal method.
    #[ts(type = "string | null")]
    pub z: Option<Decimal>,
    /// d·L.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub lead_time_demand: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub safety_stock: Decimal,
    /// Order when the stock on hand and on order falls to this.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub reorder_point: Decimal,
    /// The EOQ before bounds, where there is an order cost and a cost price.
    #[ts(type = "string | null")]
    pub eoq: Option<Decimal>,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub order_quantity: Decimal,
    pub order_basis: OrderBasis,
    /// The fill rate the reorder point reaches, for slow movers, in percent.
    #[ts(type = "string | null")]
    pub fill_rate: Option<Decimal>,
    /// What one unit costs from the primary supplier.
    #[ts(type = "string | null")]
    pub unit_cost: Option<Decimal>,
    /// What a user should know: "no forecast: …", "no primary supplier: …".
    pub notes: Vec<String>,
}

/// A person's override of a policy: either number, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PolicyOverride {
    pub id: Uuid,
    pub location_id: Uuid,
    pub product_id: Uuid,
    #[ts(type = "string | null")]
    pub reorder_point: Option<Decimal>,
    #[ts(type = "string | null")]
    pub order_quantity: Option<Decimal>,
    pub reason: String,
    pub created_by: Uuid,
    /// Their username, when this ledger knows them.
    pub created_by_name: Option<String>,
    #[ts(type = "number")]
    pub version: i64,
    pub updated_at: Timestamp,
}

/// A policy as it applies: computed, and overridden where someone said so.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PolicyLine {
    pub computed: Policy,
    #[serde(rename = "override")]
    #[ts(rename = "override")]
    pub overridden: Option<PolicyOverride>,
    /// The override's reorder point, else the computed one.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub reorder_point: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub order_quantity: Decimal,
}

impl PolicyLine {
    /// Months `on_hand` lasts at the forecast's monthly demand; none without demand.
    pub fn cover(&self, on_hand: Decimal) -> Option<Decimal> {
        let demand = self.computed.demand_per_month;
        (demand > Decimal::ZERO).then(|| on_hand / demand)
    }
}
