//! What a budget is: its owner scope, status, lines and workflow steps, and the
//! state machine draft → submitted → approved | rejected → locked.

use crate::access::Resource;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use salesplan_domain::changes::records::OwnerKind;

/// Who a budget belongs to, with the scope facts that decide who may see and change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetOwner {
    pub kind: OwnerKind,
    pub salesman_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
}

impl BudgetOwner {
    pub fn resource(&self) -> Resource {
        Resource {
            owner_id: self.salesman_id,
            department_id: self.department_id,
            location_id: self.location_id,
        }
    }
}

pub use salesplan_domain::budgets::{BudgetStatus, Transition};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Budget {
    pub id: Uuid,
    pub fiscal_year: i32,
    pub scenario: String,
    pub owner: BudgetOwner,
    /// "Sam Becker", "Retail Sales", "North Branch".
    pub owner_name: String,
    pub currency: String,
    pub status: BudgetStatus,
    pub copied_from: Option<Uuid>,
    pub created_by: Uuid,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetLine {
    pub id: Uuid,
    pub budget_id: Uuid,
    pub product_id: Uuid,
    pub period: String,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// The amount was typed directly rather than computed as quantity × price.
    pub amount_entered: bool,
    #[ts(type = "number")]
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ApprovalStep {
    pub from_status: BudgetStatus,
    pub to_status: BudgetStatus,
    pub actor_id: Uuid,
    pub username: String,
    pub comment: String,
    pub recorded_at: String,
}
