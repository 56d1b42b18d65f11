//! Overrides: a person who knows better sets a month's forecast for a series
//! or any level above it, as a quantity or a change in %, with a reason. They
//! are kept across re-runs until their months close, they expire or are removed.
//!
//! How the final forecast is made from the baseline, month by month: the
//! overrides apply from the broadest target to the narrowest (a company or
//! branch override before a product's, a series' last), the older first among
//! equals. A quantity set for a level is shared among its series in proportion
//! to what they hold at that point (the baseline, unless a broader override
//! changed it); when they hold nothing, equally. A change in % scales each series.

use super::open_month;
use crate::access::{Action, Actor, Resource, Scope, can};
use crate::budgets::variance::{DrillStep, VarianceLevel, labels};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::forecast::{OverrideRow, SeriesFacts};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::month::Month;
use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

pub use salesplan_domain::changes::records::OverrideKind;

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct NewOverride {
    /// What it applies to, as drill-down steps (a salesman, then a product…).
    /// The actor's own scope is added: a salesman's override is on his own series.
    pub target: Vec<DrillStep>,
    /// `YYYY-MM`, an open month.
    pub first_month: String,
    /// Default: the first month.
    #[ts(optional)]
    pub last_month: Option<String>,
    pub kind: OverrideKind,
    #[ts(type = "string")]
    pub value: Decimal,
    pub reason: String,
    /// `YYYY-MM-DD`: the override stops counting after this day.
    #[ts(optional)]
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Override {
    pub id: Uuid,
    pub target: Vec<DrillStep>,
    /// "North Branch › FRZ-010 Frozen peas".
    pub target_label: String,
    pub first_month: Month,
    pub last_month: Month,
    pub kind: OverrideKind,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub reason: String,
    pub expires_on: Option<Day>,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_at: Timestamp,
    #[ts(type = "number")]
    pub version: i64,
}

/// The filter columns of a target, in the order of the levels.
const TARGET_LEVELS: [VarianceLevel; 5] = [
    VarianceLevel::Department,
    VarianceLevel::Branch,
    VarianceLevel::Salesman,
    VarianceLevel::Category,
    VarianceLevel::Product,
];

fn filter_of(row: &OverrideRow, level: VarianceLevel) -> Option<Uuid> {
    match level {
        VarianceLevel::Company => None,
        VarianceLevel::Department => row.department_id,
        VarianceLevel::Branch => row.location_id,
        VarianceLevel::Salesman => row.salesman_id,
        VarianceLevel::Category => row.category_id,
        VarianceLevel::Product => row.product_id,
    }
}

fn set_filter(row: &mut OverrideRow, level: VarianceLevel, key: Uuid) -> Result<()> {
    let slot = match level {
        VarianceLevel::Company => return Ok(()),
        VarianceLevel::Department => &mut row.department_id,
        VarianceLevel::Branch => &mut row.location_id,
        VarianceLevel::Salesman => &mut row.salesman_id,
        VarianceLevel::Category => &mut row.category_id,
        VarianceLevel::Product => &mut row.product_id,
    };
    match slot {
        Some(existing) if *existing != key => Err(Error::invalid(
            "target",
            format!("names two different {level:?} entries; an override has one target"),
        )),
        _ => {
            *slot = Some(key);
            Ok(())
        }
    }
}

/// The scope facts of a target: a salesman brings his department and branch.
fn resource(conn: Reader<'_>, row: &OverrideRow) -> Result<Resource> {
    let salesman = match row.salesman_id {
        Some(id) => ledger::users::get(conn, id)?.map(|user| user.user.profile),
        None => None,
    };
    Ok(Resource {
        owner_id: row.salesman_id,
        department_id: row
            .department_id
            .or(salesman.as_ref().and_then(|profile| profile.department_id)),
        location_id: row
            .location_id
            .or(salesman.as_ref().and_then(|profile| profile.location_id)),
    })
}

pub(crate) fn matches(row: &OverrideRow, facts: &SeriesFacts) -> bool {
    TARGET_LEVELS.iter().all(|level| {
        filter_of(row, *level).is_none_or(|key| super::level_key(*level, facts) == Some(key))
    })
}

fn breadth(row: &OverrideRow) -> usize {
    TARGET_LEVELS
        .iter()
        .filter(|level| filter_of(row, **level).is_some())
        .count()
}

/// The final quantity per series and month, and whether an override touched it.
pub(crate) fn apply(
    baseline: &[Vec<Decimal>],
    facts: &[SeriesFacts],
    months: &[Month],
    overrides: &[OverrideRow],
) -> Vec<Vec<(Decimal, bool)>> {
    let mut current: Vec<Vec<(Decimal, bool)>> = baseline
        .iter()
        .map(|values| values.iter().map(|value| (*value, false)).collect())
        .collect();
    let mut ordered: Vec<&OverrideRow> = overrides.iter().collect();
    ordered
        .sort_by(|a, b| (breadth(a), &a.created_at, a.id).cmp(&(breadth(b), &b.created_at, b.id)));
    let hundred = Decimal::from(100);
    for row in ordered {
        let matched: Vec<usize> = (0..facts.len())
            .filter(|at| matches(row, &facts[*at]))
            .collect();
        if matched.is_empty() {
            continue;
        }
        for (m, month) in months.iter().enumerate() {
            if *month < row.first_month || *month > row.last_month {
                continue;
            }
            let cell = |at: usize| current[at].get(m).map_or(Decimal::ZERO, |cell| cell.0);
            let new_values: Vec<Decimal> =
                match OverrideKind::parse(&row.kind).unwrap_or(OverrideKind::Absolute) {
                    OverrideKind::Percent => matched
                        .iter()
                        .map(|at| cell(*at) * (hundred + row.value) / hundred)
                        .collect(),
                    OverrideKind::Absolute => {
                        let sum: Decimal = matched.iter().map(|at| cell(*at)).sum();
                        if sum > Decimal::ZERO {
                            matched
                                .iter()
                                .map(|at| cell(*at) * row.value / sum)
                                .collect()
                        } else {
                            let share = row.value / Decimal::from(matched.len());
                            vec![share; matched.len()]
                        }
                    }
                };
            for (at, value) in matched.iter().zip(new_values) {
                if let Some(slot) = current[*at].get_mut(m) {
                    *slot = (value, true);
                }
            }
        }
    }
    current
}

/// The live overrides that reach the open month or later.
pub(crate) fn live(conn: Reader<'_>) -> Result<Vec<OverrideRow>> {
    let open = open_month(conn)?;
    ledger::forecast::live_overrides(conn, open, Day::today())
}

pub fn add_override(ledger: &mut Ledger, actor: &Actor, new: NewOverride) -> Result<Override> {
    let scope = actor.scope_for(Action::EditForecasts)?;
    let conn = ledger.read();
    let open = open_month(conn)?;
    let first = Month::parse("first_month", &new.first_month)?;
    let last = match &new.last_month {
        Some(last) => Month::parse("last_month", last)?,
        None => first,
    };
    if first < open {
        return Err(Error::invalid(
            "first_month",
            format!("{first} is closed; the first open month is {open}"),
        ));
    }
    if last < first || last.since(open) >= 24 {
        return Err(Error::invalid(
            "last_month",
            format!("must lie between {first} and {}", open.plus(23)),
        ));
    }
    let reason = new.reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            "say why the forecast is overridden",
        ));
    }
    match new.kind {
        OverrideKind::Absolute if new.value.is_sign_negative() && !new.value.is_zero() => {
            return Err(Error::invalid("value", "a quantity cannot be negative"));
        }
        OverrideKind::Percent if new.value < Decimal::from(-100) => {
            return Err(Error::invalid(
                "value",
                "a change below −100 % would make a negative forecast",
            ));
        }
        _ => {}
    }
    // The bounds head office checks: a value it would refuse never enters.
    salesplan_domain::values::Quantity::new(new.value).map_err(Error::refused("value"))?;
    let expires_on = match new
        .expires_on
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(typed) => {
            let day = Day::parse("expires_on", typed)?;
            if day < Day::today() {
                return Err(Error::invalid("expires_on", format!("{day} has passed")));
            }
            Some(day)
        }
    };
    let mut row = OverrideRow {
        id: Uuid::now_v7(),
        product_id: None,
        category_id: None,
        location_id: None,
        salesman_id: None,
        department_id: None,
        first_month: first,
        last_month: last,
        kind: new.kind.key().to_owned(),
        value: new.value,
        reason: reason.to_owned(),
        expires_on,
        created_by: actor.id,
        created_by_name: actor.display_name.clone(),
        created_at: Timestamp::now(),
        version: 1,
    };
    for step in &new.target {
        set_filter(&mut row, step.level, step.key)?;
    }
    // The actor's own scope narrows a target that does not name it; a target
    // naming someone else's is refused below.
    let own = match scope {
        Scope::All => None,
        Scope::Own => Some((VarianceLevel::Salesman, Some(actor.id))),
        Scope::Department => Some((VarianceLevel::Department, actor.department_id)),
        Scope::Location => Some((VarianceLevel::Branch, actor.location_id)),
    };
    if let Some((level, Some(key))) = own
        && filter_of(&row, level).is_none()
    {
        set_filter(&mut row, level, key)?;
    }
    actor.require(Action::EditForecasts, &resource(conn, &row)?)?;
    let series = ledger::forecast::baseline_facts(conn, scope, actor)?;
    if !series.iter().any(|facts| matches(&row, facts)) {
        return Err(Error::invalid(
            "target",
            "no forecast series lies there: it has no sales history, or the forecast has not been run yet",
        ));
    }
    let shown = described(&target_names(conn)?, &row)?;
    ledger.write(Some(actor), |write| {
        ledger::forecast::insert_override(write, &row)?;
        write.record(Change {
            entity: Entity::ForecastOverride,
            entity_id: row.id,
            kind: ChangeKind::Created,
            payload: serde_json::to_value(&shown).unwrap_or_default(),
            base_version: None,
        })
    })?;
    Ok(shown)
}

pub fn remove_override(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<()> {
    ledger.write(Some(actor), |write| {
        let row = ledger::forecast::get_override(write.read(), id)?
            .ok_or_else(|| Error::not_found("forecast override", id))?;
        actor.require(Action::EditForecasts, &resource(write.read(), &row)?)?;
        ledger::forecast::remove_override(write, id, actor.id, Timestamp::now())?;
        write.record(Change {
            entity: Entity::ForecastOverride,
            entity_id: id,
            kind: ChangeKind::Archived,
            payload: serde_json::json!({ "reason": row.reason }),
            base_version: Some(row.version),
        })
    })
}

/// The live overrides the actor may see, oldest first.
pub fn overrides(ledger: &Ledger, actor: &Actor) -> Result<Vec<Override>> {
    actor.scope_for(Action::ViewForecasts)?;
    let conn = ledger.read();
    let names = target_names(conn)?;
    let mut visible = Vec::new();
    for row in live(conn)? {
        if can(actor, Action::ViewForecasts, &resource(conn, &row)?) {
            visible.push(described(&names, &row)?);
        }
    }
    Ok(visible)
}

/// The names of every target level's entries, loaded once per listing.
type TargetNames = Vec<(VarianceLevel, HashMap<Uuid, String>)>;

fn target_names(conn: Reader<'_>) -> Result<TargetNames> {
    TARGET_LEVELS
        .iter()
        .map(|level| Ok((*level, labels(conn, *level)?)))
        .collect()
}

fn described(names: &TargetNames, row: &OverrideRow) -> Result<Override> {
    let mut target = Vec::new();
    let mut shown = Vec::new();
    for (level, labels) in names {
        if let Some(key) = filter_of(row, *level) {
            target.push(DrillStep { level: *level, key });
            shown.push(labels.get(&key).cloned().unwrap_or_else(|| key.to_string()));
        }
    }
    Ok(Override {
        id: row.id,
        target,
        target_label: if shown.is_empty() {
            "Company".to_owned()
        } else {
            shown.join(" › ")
        },
        first_month: row.first_month,
        last_month: row.last_month,
        kind: OverrideKind::parse(&row.kind).unwrap_or(OverrideKind::Absolute),
        value: row.value,
        reason: row.reason.clone(),
        expires_on: row.expires_on,
        created_by: row.created_by,
        created_by_name: row.created_by_name.clone(),
        created_at: row.created_at,
        version: row.version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(product: Uuid, location: Uuid, category: Uuid) -> SeriesFacts {
        SeriesFacts {
            product_id: product,
            location_id: location,
            salesman_id: None,
            department_id: None,
            category_id: category,
        }
    }

    fn row(kind: &str, value: i64, created_at: &str) -> OverrideRow {
        OverrideRow {
            id: Uuid::now_v7(),
            product_id: None,
            category_id: None,
            location_id: None,
            salesman_id: None,
            department_id: None,
            first_month: Month::new(2026, 12),
            last_month: Month::new(2026, 12),
            kind: kind.into(),
            value: Decimal::from(value),
            reason: "r".into(),
            expires_on: None,
            created_by: Uuid::nil(),
            created_by_name: String::new(),
            created_at: Timestamp::parse("created_at", created_at).expect("a day"),
            version: 1,
        }
    }

    #[test]
    fn an_aggregate_override_is_shared_by_the_baseline_and_a_narrower_one_wins() {
        let (north, south, category) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let (peas, corn) = (Uuid::now_v7(), Uuid::now_v7());
        let all = [
            facts(peas, north, category),
            facts(corn, north, category),
            facts(peas, south, category),
        ];
        let months = [Month::new(2026, 11), Month::new(2026, 12)];
        let baseline = vec![
            vec![Decimal::from(10), Decimal::from(30)],
            vec![Decimal::from(10), Decimal::from(10)],
            vec![Decimal::from(5), Decimal::from(5)],
        ];
        // North's December set to 80: shared 3 : 1 like the baseline (30 and 10).
        let mut branch = row("absolute", 80, "2026-11-02");
        branch.location_id = Some(north);
        let finals = apply(&baseline, &all, &months, &[branch.clone()]);
        assert_eq!(finals[0][1], (Decimal::from(60), true));
        assert_eq!(finals[1][1], (Decimal::from(20), true));
        assert_eq!(finals[2][1], (Decimal::from(5), false));
        assert_eq!(
            finals[0][0],
            (Decimal::from(10), false),
            "November untouched"
        );

        // Peas at North +50 %, made before the branch override: still applied after it.
        let mut series = row("percent", 50, "2026-11-01");
        series.location_id = Some(north);
        series.product_id = Some(peas);
        let finals = apply(&baseline, &all, &months, &[series, branch]);
        assert_eq!(finals[0][1].0, Decimal::from(90));
        assert_eq!(finals[1][1].0, Decimal::from(20));
    }

    #[test]
    fn a_quantity_for_a_target_with_no_baseline_is_shared_equally() {
        let category = Uuid::now_v7();
        let all = [
            facts(Uuid::now_v7(), Uuid::now_v7(), category),
            facts(Uuid::now_v7(), Uuid::now_v7(), category),
        ];
        let months = [Month::new(2026, 12)];
        let baseline = vec![vec![Decimal::ZERO], vec![Decimal::ZERO]];
        let mut company = row("absolute", 9, "2026-11-01");
        company.category_id = Some(category);
        let finals = apply(&baseline, &all, &months, &[company]);
        assert_eq!(finals[0][0].0 + finals[1][0].0, Decimal::from(9));
        assert_eq!(finals[0][0].0, Decimal::new(45, 1));
    }
}
