//! The demo company's alert rule: a salesman who wants to hear when his year
//! falls behind last year's, and when a product of his sells less than a
//! month before — what a rule is for, on the Alerts screen at first start.
//! Not checked here: the app checks a user's rules when they sign in.

use crate::access::Actor;
use crate::alert_rules::{self, Notify, RuleCondition, RuleDefinition, RuleMeasure};
use crate::error::Result;
use crate::ledger::Ledger;
use rust_decimal::Decimal;

/// Whose rules these are: a salesman no other demo story signs in as.
pub const OWNER: &str = "wim";

pub(super) fn create(ledger: &mut Ledger, owner: &Actor) -> Result<usize> {
    let rules = [
        RuleDefinition {
            name: "Behind last year".into(),
            measure: RuleMeasure::ChangeVsLastYear,
            within: None,
            condition: RuleCondition::Below,
            threshold: Decimal::ZERO,
            stock_kind: None,
            notify: Notify::First,
        },
        RuleDefinition {
            name: "Last month fell by more than 15 %".into(),
            measure: RuleMeasure::ChangeVsLastMonth,
            within: None,
            condition: RuleCondition::Below,
            threshold: Decimal::from(-15),
            stock_kind: None,
            notify: Notify::Every,
        },
    ];
    let count = rules.len();
    for rule in rules {
        alert_rules::add(ledger, owner, rule)?;
    }
    Ok(count)
}
