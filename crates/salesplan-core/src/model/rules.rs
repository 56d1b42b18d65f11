//! A person's alert rules, as the ledger keeps them.

use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// What a rule watches, within its owner's scope (and its `within`, if any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RuleMeasure {
    /// Sales of the latest month that has ended, in money.
    SalesMonth,
    /// Sales of the fiscal year to date, in money.
    SalesYearToDate,
    /// The fiscal year to date against the same months of last year, in %.
    ChangeVsLastYear,
    /// The latest month against the month before, in %.
    ChangeVsLastMonth,
    /// The sales an approved budget covers against it, year to date, in %.
    VarianceVsBudget,
    /// How many stock alerts (of a kind, or any) there are.
    StockAlerts,
}

impl RuleMeasure {
    pub const ALL: [RuleMeasure; 6] = [
        RuleMeasure::SalesMonth,
        RuleMeasure::SalesYearToDate,
        RuleMeasure::ChangeVsLastYear,
        RuleMeasure::ChangeVsLastMonth,
        RuleMeasure::VarianceVsBudget,
        RuleMeasure::StockAlerts,
    ];

    pub fn key(self) -> &'static str {
        match self {
            RuleMeasure::SalesMonth => "sales_month",
            RuleMeasure::SalesYearToDate => "sales_year_to_date",
            RuleMeasure::ChangeVsLastYear => "change_vs_last_year",
            RuleMeasure::ChangeVsLastMonth => "change_vs_last_month",
            RuleMeasure::VarianceVsBudget => "variance_vs_budget",
            RuleMeasure::StockAlerts => "stock_alerts",
        }
    }

    pub fn parse(key: &str) -> Option<RuleMeasure> {
        let key = key.trim().replace('-', "_");
        RuleMeasure::ALL
            .into_iter()
            .find(|measure| measure.key() == key)
    }
}

/// How the value meets the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RuleCondition {
    /// The value is above the threshold.
    Above,
    /// The value is below the threshold.
    Below,
    /// The value is further from zero than the threshold, either way (a change of more than x %).
    Beyond,
}

impl RuleCondition {
    pub fn key(self) -> &'static str {
        match self {
            RuleCondition::Above => "above",
            RuleCondition::Below => "below",
            RuleCondition::Beyond => "beyond",
        }
    }

    pub fn parse(key: &str) -> Option<RuleCondition> {
        [
            RuleCondition::Above,
            RuleCondition::Below,
            RuleCondition::Beyond,
        ]
        .into_iter()
        .find(|condition| condition.key() == key.trim())
    }

    /// Whether `value` meets the condition against `threshold`.
    pub fn holds(self, value: Decimal, threshold: Decimal) -> bool {
        match self {
            RuleCondition::Above => value > threshold,
            RuleCondition::Below => value < threshold,
            RuleCondition::Beyond => value.abs() > threshold.abs(),
        }
    }
}

/// When a rule that holds tells its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Notify {
    /// Once, when it starts to hold; again only after it has stopped.
    First,
    /// At every check while it holds.
    Every,
}

impl Notify {
    pub fn key(self) -> &'static str {
        match self {
            Notify::First => "first",
            Notify::Every => "every",
        }
    }

    pub fn parse(key: &str) -> Option<Notify> {
        [Notify::First, Notify::Every]
            .into_iter()
            .find(|notify| notify.key() == key)
    }
}

/// What the last check of a rule found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RuleState {
    Ok,
    Triggered,
    /// The rule could not be worked out (its reason in `message`).
    Error,
}

impl RuleState {
    pub fn key(self) -> &'static str {
        match self {
            RuleState::Ok => "ok",
            RuleState::Triggered => "triggered",
            RuleState::Error => "error",
        }
    }

    pub fn parse(key: &str) -> Option<RuleState> {
        [RuleState::Ok, RuleState::Triggered, RuleState::Error]
            .into_iter()
            .find(|state| state.key() == key)
    }
}

/// The kinds of row a rule may narrow its scope to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RuleLevel {
    Branch,
    Salesman,
    Product,
}

impl RuleLevel {
    pub fn key(self) -> &'static str {
        match self {
            RuleLevel::Branch => "branch",
            RuleLevel::Salesman => "salesman",
            RuleLevel::Product => "product",
        }
    }

    pub fn parse(key: &str) -> Option<RuleLevel> {
        [RuleLevel::Branch, RuleLevel::Salesman, RuleLevel::Product]
            .into_iter()
            .find(|level| level.key() == key)
    }
}

/// A part of the owner's scope a rule looks at: one branch, salesman or product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleWithin {
    pub level: RuleLevel,
    pub key: Uuid,
}

/// A rule as it is written: what, where, when it holds, how it tells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleDefinition {
    pub name: String,
    pub measure: RuleMeasure,
    #[ts(optional)]
    pub within: Option<RuleWithin>,
    pub condition: RuleCondition,
    /// Money for sales, % for changes and variance, a count for stock alerts.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub threshold: Decimal,
    /// For stock alerts: only this kind (`below_reorder_point`, …); none: any.
    #[ts(optional)]
    pub stock_kind: Option<String>,
    pub notify: Notify,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AlertRule {
    pub id: Uuid,
    pub owner_id: Uuid,
    #[serde(flatten)]
    pub definition: RuleDefinition,
    /// Not told before this day.
    pub snoozed_until: Option<Day>,
    pub state: RuleState,
    /// What the last check found.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub value: Option<Decimal>,
    /// The last check in a sentence, or why it failed.
    pub message: Option<String>,
    pub checked_at: Option<Timestamp>,
    /// When it last started to hold (or held again, for `every`).
    pub triggered_at: Option<Timestamp>,
    /// Whether its owner has read its last alert.
    pub read: bool,
    pub created_at: Timestamp,
}
