//! Alert rules: a person's measure, in their scope (or one branch, salesman or
//! product of it), with a condition and a threshold. A check works each rule
//! out, keeps its state (ok, triggered, error), its value and a sentence, and
//! tells its owner the first time it holds, or at every check (`Notify`),
//! unless it is snoozed until a later day; what it tells goes to the alert
//! centre (unread) and is handed back for a desktop notification. Checked after
//! each import, sync and month close and daily while the app runs, and on
//! demand (`salesplan alerts rules check`). Rules are their owner's and stay on
//! this laptop.

use crate::access::{Action, Actor};
use crate::budgets::variance::VarianceLevel;
use crate::error::{Error, Result};
use crate::insights::Year;
use crate::ledger::rules::Checked;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::month::Month;
use crate::reference::{Location, Product};
use crate::stock::alerts::{self as stock_alerts, StockAlertKind};
use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use uuid::Uuid;

pub use crate::model::rules::{
    AlertRule, Notify, RuleCondition, RuleDefinition, RuleLevel, RuleMeasure, RuleState, RuleWithin,
};

/// How many rules one person may keep.
pub const MOST_RULES: usize = 100;

const KINDS: [StockAlertKind; 5] = [
    StockAlertKind::NegativeOnHand,
    StockAlertKind::StockOutWithinLeadTime,
    StockAlertKind::BelowReorderPoint,
    StockAlertKind::Overstock,
    StockAlertKind::DeadStock,
];

/// The right a measure needs.
fn right(measure: RuleMeasure) -> Action {
    match measure {
        RuleMeasure::SalesMonth
        | RuleMeasure::SalesYearToDate
        | RuleMeasure::ChangeVsLastYear
        | RuleMeasure::ChangeVsLastMonth => Action::ViewActuals,
        RuleMeasure::VarianceVsBudget => Action::ViewBudgets,
        RuleMeasure::StockAlerts => Action::ViewStock,
    }
}

fn level(level: RuleLevel) -> VarianceLevel {
    match level {
        RuleLevel::Branch => VarianceLevel::Branch,
        RuleLevel::Salesman => VarianceLevel::Salesman,
        RuleLevel::Product => VarianceLevel::Product,
    }
}

/// The actor's rules, oldest first.
pub fn list(ledger: &Ledger, actor: &Actor) -> Result<Vec<AlertRule>> {
    actor.scope_for(Action::KeepAlertRules)?;
    ledger::rules::of_owner(ledger.read(), actor.id)
}

/// Adds a rule of the actor's, checked: a name, a measure the actor may see, a
/// row that exists, a threshold within bounds, a stock kind only for stock.
pub fn add(ledger: &mut Ledger, actor: &Actor, definition: RuleDefinition) -> Result<AlertRule> {
    actor.scope_for(Action::KeepAlertRules)?;
    actor.scope_for(right(definition.measure))?;
    let definition = validated(ledger, definition)?;
    if ledger::rules::of_owner(ledger.read(), actor.id)?.len() >= MOST_RULES {
        return Err(Error::invalid(
            "rule",
            format!("you keep {MOST_RULES} rules already: remove one first"),
        ));
    }
    let id = Uuid::now_v7();
    ledger.write(Some(actor), |write| {
        ledger::rules::insert(write, id, actor.id, &definition, Timestamp::now())?;
        write.record(Change {
            entity: Entity::AlertRule,
            entity_id: id,
            kind: ChangeKind::Created,
            payload: serde_json::to_value(&definition).unwrap_or_default(),
            base_version: None,
        })
    })?;
    own(ledger, actor, id)
}

fn validated(ledger: &Ledger, mut definition: RuleDefinition) -> Result<RuleDefinition> {
    definition.name = definition.name.trim().to_owned();
    if definition.name.is_empty() {
        return Err(Error::invalid("name", "give the rule a name"));
    }
    if definition.name.chars().count() > 100 || definition.name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name",
            "a rule's name is one line of at most 100 characters",
        ));
    }
    if definition.threshold.abs() > Decimal::from(1_000_000_000_000_000_i64) {
        return Err(Error::invalid("threshold", "lies beyond ±10^15"));
    }
    let stock = definition.measure == RuleMeasure::StockAlerts;
    match (&definition.stock_kind, stock) {
        (Some(kind), true) if !KINDS.iter().any(|known| known.key() == kind) => {
            let known: Vec<&str> = KINDS.iter().map(|kind| kind.key()).collect();
            return Err(Error::invalid(
                "stock_kind",
                format!(
                    "'{kind}' is no kind of stock alert (one of {})",
                    known.join(", ")
                ),
            ));
        }
        (Some(_), false) => {
            return Err(Error::invalid(
                "stock_kind",
                "only a rule on stock alerts names a kind of alert",
            ));
        }
        _ => {}
    }
    if stock && definition.condition == RuleCondition::Beyond {
        return Err(Error::invalid(
            "condition",
            "a count of stock alerts is above or below a number",
        ));
    }
    if let Some(within) = definition.within {
        let conn = ledger.read();
        let exists = match within.level {
            RuleLevel::Branch => ledger::reference::get::<Location>(conn, within.key)?.is_some(),
            RuleLevel::Product => ledger::reference::get::<Product>(conn, within.key)?.is_some(),
            RuleLevel::Salesman if stock => {
                return Err(Error::invalid(
                    "within",
                    "stock belongs to branches and products, not to salesmen",
                ));
            }
            RuleLevel::Salesman => ledger::users::get(conn, within.key)?.is_some(),
        };
        if !exists {
            return Err(Error::not_found(within.level.key(), within.key));
        }
    }
    Ok(definition)
}

/// One of the actor's rules; another person's is not found, as one that does not exist.
fn own(ledger: &Ledger, actor: &Actor, id: Uuid) -> Result<AlertRule> {
    ledger::rules::get(ledger.read(), id)?
        .filter(|rule| rule.owner_id == actor.id)
        .ok_or_else(|| Error::not_found("alert rule", id))
}

/// A change to one of the actor's own rules.
fn change_own(
    ledger: &mut Ledger,
    actor: &Actor,
    id: Uuid,
    payload: serde_json::Value,
    kind: ChangeKind,
    write_it: impl FnOnce(&crate::ledger::Write<'_>) -> Result<()>,
) -> Result<()> {
    actor.scope_for(Action::KeepAlertRules)?;
    own(ledger, actor, id)?;
    ledger.write(Some(actor), |write| {
        write_it(write)?;
        write.record(Change {
            entity: Entity::AlertRule,
            entity_id: id,
            kind,
            payload,
            base_version: None,
        })
    })
}

pub fn remove(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<()> {
    change_own(
        ledger,
        actor,
        id,
        serde_json::json!({ "removed": true }),
        ChangeKind::Archived,
        |write| ledger::rules::remove(write, id),
    )
}

/// Not told before `until` (none: told again at once).
pub fn snooze(
    ledger: &mut Ledger,
    actor: &Actor,
    id: Uuid,
    until: Option<Day>,
) -> Result<AlertRule> {
    change_own(
        ledger,
        actor,
        id,
        serde_json::json!({ "snoozed_until": until }),
        ChangeKind::Updated,
        |write| ledger::rules::snooze(write, id, until),
    )?;
    own(ledger, actor, id)
}

pub fn mark_read(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<()> {
    change_own(
        ledger,
        actor,
        id,
        serde_json::json!({ "read": true }),
        ChangeKind::Updated,
        |write| ledger::rules::mark_read(write, id),
    )
}

/// Checks the actor's rules now; the ones that told their owner.
pub fn check(ledger: &mut Ledger, actor: &Actor) -> Result<Vec<AlertRule>> {
    check_on(ledger, actor, Day::today())
}

/// What one rule's check found, before it is written.
struct Found {
    id: Uuid,
    state: RuleState,
    value: Option<Decimal>,
    message: String,
    tells: bool,
}

/// Checks the actor's rules as of `today` (the latest month that has ended by then).
pub fn check_on(ledger: &mut Ledger, actor: &Actor, today: Day) -> Result<Vec<AlertRule>> {
    actor.scope_for(Action::KeepAlertRules)?;
    let rules = ledger::rules::of_owner(ledger.read(), actor.id)?;
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<Found> = {
        let year = match actor.scope_for(Action::ViewActuals) {
            Ok(_) => Year::through_last_month(ledger, actor, today)?,
            Err(_) => None,
        };
        rules
            .iter()
            .map(|rule| judge(ledger, actor, year.as_ref(), rule, today))
            .collect()
    };
    let now = Timestamp::now();
    let told: Vec<Uuid> = found.iter().filter(|f| f.tells).map(|f| f.id).collect();
    ledger.write(Some(actor), |write| {
        for one in &found {
            let checked = Checked {
                state: one.state,
                value: one.value,
                message: &one.message,
                at: now,
                triggered: one.tells,
            };
            ledger::rules::record_check(write, one.id, &checked)?;
        }
        write.record(Change {
            entity: Entity::AlertRule,
            entity_id: actor.id,
            kind: ChangeKind::Updated,
            payload: serde_json::json!({ "checked": found.len(), "told": told }),
            base_version: None,
        })
    })?;
    Ok(ledger::rules::of_owner(ledger.read(), actor.id)?
        .into_iter()
        .filter(|rule| told.contains(&rule.id))
        .collect())
}

/// A rule worked out: its state, value, sentence and whether it tells now.
fn judge(
    ledger: &Ledger,
    actor: &Actor,
    year: Option<&Year<'_>>,
    rule: &AlertRule,
    today: Day,
) -> Found {
    let definition = &rule.definition;
    let snoozed = rule.snoozed_until.is_some_and(|until| today < until);
    let (state, value, message) = match measure(ledger, actor, year, definition) {
        Err(error) => (
            RuleState::Error,
            None,
            format!("{}: {error}", definition.name),
        ),
        Ok(None) => (
            RuleState::Ok,
            None,
            format!("{}: nothing to compare yet.", definition.name),
        ),
        Ok(Some((value, said))) => {
            let holds = definition.condition.holds(value, definition.threshold);
            let threshold = match definition.measure {
                RuleMeasure::SalesMonth | RuleMeasure::SalesYearToDate => year
                    .map(|year| year.say_money(definition.threshold))
                    .unwrap_or_else(|| definition.threshold.to_string()),
                RuleMeasure::StockAlerts => definition.threshold.to_string(),
                _ => format!("{} %", definition.threshold),
            };
            let line = match holds {
                true => format!(
                    "{}: {said}, {} {threshold}.",
                    definition.name,
                    definition.condition.key()
                ),
                false => format!(
                    "{}: {said} (the alert is {} {threshold}).",
                    definition.name,
                    definition.condition.key()
                ),
            };
            let state = match holds {
                true => RuleState::Triggered,
                false => RuleState::Ok,
            };
            (state, Some(value), line)
        }
    };
    // Snoozed, a rule that starts to hold waits: it tells when the snooze ends.
    let state = match (snoozed, state) {
        (true, RuleState::Triggered | RuleState::Error) => rule.state,
        (_, state) => state,
    };
    let starts = state != RuleState::Ok && state != rule.state;
    let again = state == RuleState::Triggered && definition.notify == Notify::Every;
    Found {
        id: rule.id,
        state,
        value,
        message,
        tells: !snoozed && (starts || again),
    }
}

/// The rule's measure now, with how a sentence says it; none when there is
/// nothing to measure yet (no sales, no plan, no month before).
fn measure(
    ledger: &Ledger,
    actor: &Actor,
    year: Option<&Year<'_>>,
    definition: &RuleDefinition,
) -> Result<Option<(Decimal, String)>> {
    actor.scope_for(right(definition.measure))?;
    let within = definition
        .within
        .map(|within| (level(within.level), within.key));
    if definition.measure == RuleMeasure::StockAlerts {
        let count = stock_alerts::alerts(ledger, actor)?
            .into_iter()
            .filter(|alert| {
                definition
                    .stock_kind
                    .as_deref()
                    .is_none_or(|kind| alert.kind.key() == kind)
            })
            .filter(|alert| match definition.within {
                Some(RuleWithin {
                    level: RuleLevel::Branch,
                    key,
                }) => alert.location_id == key,
                Some(RuleWithin {
                    level: RuleLevel::Product,
                    key,
                }) => alert.product_id == key,
                _ => true,
            })
            .count();
        let kind = definition
            .stock_kind
            .as_deref()
            .map_or("stock alerts".to_owned(), |kind| {
                format!("'{}' alerts", kind.replace('_', " "))
            });
        return Ok(Some((
            Decimal::from(count as u64),
            format!("{count} {kind}"),
        )));
    }
    let Some(year) = year else {
        return Ok(None);
    };
    let (this_year, last_year) = year.to_date();
    let month: [Month; 1] = [year.through()];
    let before: [Month; 1] = [year.through().plus(-1)];
    let change = |now: Decimal, then: Decimal| {
        (!then.is_zero()).then(|| crate::money::round((now - then) / then * Decimal::from(100), 1))
    };
    Ok(match definition.measure {
        RuleMeasure::SalesMonth => {
            let value = year.sales_in(&month, within)?;
            Some((
                value,
                format!("sales in {} are {}", year.through(), year.say_money(value)),
            ))
        }
        RuleMeasure::SalesYearToDate => {
            let value = year.sales_in(this_year, within)?;
            Some((
                value,
                format!(
                    "sales of the year to {} are {}",
                    year.through(),
                    year.say_money(value)
                ),
            ))
        }
        RuleMeasure::ChangeVsLastYear => change(
            year.sales_in(this_year, within)?,
            year.sales_in(last_year, within)?,
        )
        .map(|value| {
            (
                value,
                format!(
                    "the year to {} is {value} % against last year",
                    year.through()
                ),
            )
        }),
        RuleMeasure::ChangeVsLastMonth => change(
            year.sales_in(&month, within)?,
            year.sales_in(&before, within)?,
        )
        .map(|value| {
            (
                value,
                format!("{} is {value} % against {}", year.through(), before[0]),
            )
        }),
        RuleMeasure::VarianceVsBudget => year.variance_percent(within)?.map(|value| {
            (
                value,
                format!("the year to {} is {value} % against plan", year.through()),
            )
        }),
        RuleMeasure::StockAlerts => None,
    })
}
