//! What a budget is: its owner scope, status, lines and workflow steps, and the
//! state machine draft → submitted → approved | rejected → locked; a budget
//! template; an expense line and its spendings; which budgets are a plan.

use crate::access::{Action, Actor, Resource};
use crate::month::Month;
use crate::timestamp::{Day, Timestamp};
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
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetLine {
    pub id: Uuid,
    pub budget_id: Uuid,
    pub product_id: Uuid,
    pub period: Month,
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
    pub recorded_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Template {
    pub id: Uuid,
    pub name: String,
    /// Each month's share of the year in %, first month of the fiscal year first; sums to 100.
    #[ts(type = "string[]")]
    pub seasonality: Vec<Decimal>,
    pub lines: Vec<TemplateLine>,
    pub created_by: Uuid,
    pub created_by_name: String,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: Timestamp,
    /// Shared by its maker: everyone who builds budgets may use it.
    pub shared: bool,
    /// Its maker, with the department and branch of their account: a template
    /// is seen by whoever may see the maker's budgets.
    #[serde(skip)]
    #[ts(skip)]
    pub owner: Resource,
}

impl Template {
    /// Whether `actor` may see and build from it: its maker, whoever may see
    /// the maker's budgets, and everyone who builds budgets once it is shared.
    pub fn usable_by(&self, actor: &Actor) -> bool {
        self.created_by == actor.id
            || (self.shared && actor.scope_for(Action::EditBudgets).is_ok())
            || crate::access::can(actor, Action::ViewBudgets, &self.owner)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TemplateLine {
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    /// Per year.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Expense {
    pub id: Uuid,
    pub budget_id: Uuid,
    pub category_id: Uuid,
    pub category_name: String,
    pub description: String,
    #[ts(type = "string")]
    pub allocated: Decimal,
    #[ts(type = "string")]
    pub spent: Decimal,
    /// allocated − spent; negative when overspent.
    #[ts(type = "string")]
    pub remaining: Decimal,
    #[ts(type = "number")]
    pub version: i64,
}

/// Money spent against an expense line.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Spending {
    pub id: Uuid,
    pub expense_id: Uuid,
    /// `YYYY-MM-DD`.
    pub spent_on: Day,
    /// Negative for a refund or a reversing entry.
    #[ts(type = "string")]
    pub amount: Decimal,
    pub note: String,
    pub receipt_name: Option<String>,
    #[ts(type = "number")]
    pub receipt_bytes: i64,
    pub created_by: Uuid,
    pub created_at: Timestamp,
}

/// Which budgets a plan is made of: a fiscal year's, of a scenario, by owner kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlanOf<'a> {
    pub fiscal_year: i32,
    pub scenario: &'a str,
    pub basis: OwnerKind,
}
