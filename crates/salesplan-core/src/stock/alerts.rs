//! Stock alerts and projected stock (issue #14), derived on the laptop from the
//! stock on hand, the policies and the forecast; never stored or sent. What is
//! kept is who has read which alert.
//!
//! - negative on hand: more went out than was recorded coming in;
//! - at or below the reorder point (the override's, if any);
//! - projected to run out within the lead time;
//! - overstocked: more months of cover than the company's limit;
//! - dead: stock and no issue for the company's months (an item that has not
//!   been held that long is not dead yet).

use super::policy;
use super::position::Pipeline;
use super::table::held;
use super::{Names, on_hand_named};
use crate::access::{Action, Actor};
use crate::error::Result;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::model::policies::Policy;
use crate::month::Month;
use crate::timestamp::{Day, Timestamp};
use crate::transfers::replenish::ReorderPoints;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StockAlertKind {
    NegativeOnHand,
    StockOutWithinLeadTime,
    BelowReorderPoint,
    Overstock,
    DeadStock,
}

impl StockAlertKind {
    pub fn key(self) -> &'static str {
        match self {
            StockAlertKind::NegativeOnHand => "negative_on_hand",
            StockAlertKind::StockOutWithinLeadTime => "stock_out_within_lead_time",
            StockAlertKind::BelowReorderPoint => "below_reorder_point",
            StockAlertKind::Overstock => "overstock",
            StockAlertKind::DeadStock => "dead_stock",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StockAlert {
    /// "below_reorder_point:<location>:<product>": what marking it read names.
    pub key: String,
    /// Derived from the key: the same alert has the same id on every read.
    pub id: Uuid,
    pub kind: StockAlertKind,
    pub location_id: Uuid,
    pub location_code: String,
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    /// What is wrong and what to do, in a sentence.
    pub message: String,
    pub read: bool,
}

/// One month of an item's projected stock.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ProjectedMonth {
    pub month: Month,
    /// Demand still to come in the month (this month: from today on).
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub demand: Decimal,
    /// What open purchase orders are expected to bring in the month.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub arriving: Decimal,
    /// Stock at the month's end.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub closing: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Projection {
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub on_hand: Decimal,
    pub months: Vec<ProjectedMonth>,
    /// The day the stock is projected to run out, if within the horizon.
    pub stock_out_on: Option<Day>,
}

/// Projects stock day by day from `today`: what is on hand, plus what open
/// orders bring on the day they are expected (`arriving`: an overdue line
/// today), less the forecast demand spread evenly over each month's days (the
/// rest of this month from today on); with each month's end and the first day
/// the demand is more than the stock.
pub(crate) fn project(
    on_hand: Decimal,
    first: Month,
    demand: &[Decimal],
    arriving: &[(Day, Decimal)],
    today: Day,
) -> Projection {
    let this_month = today.month();
    let amount = |quantity: &Decimal| quantity.to_f64().unwrap_or(0.0);
    // What is due by today (an overdue line too) is counted today.
    let mut early: f64 = arriving
        .iter()
        .filter(|(on, _)| *on <= today)
        .map(|(_, quantity)| amount(quantity))
        .sum();
    let mut balance = amount(&on_hand) + early;
    let mut stock_out_on = (balance <= 0.0).then_some(today);
    let mut months = Vec::new();
    for (at, quantity) in demand.iter().enumerate() {
        let month = first.plus(at as i32);
        if month < this_month {
            continue;
        }
        let days = Day::days_in(month);
        let daily = quantity.to_f64().unwrap_or(0.0) / f64::from(days);
        let from = if month == this_month {
            today.day_of_month()
        } else {
            1
        };
        let (mut due, mut brought) = (0.0, std::mem::take(&mut early));
        for number in from..=days {
            let Some(day) = Day::new(month.year(), month.number(), number) else {
                continue;
            };
            let arrives: f64 = arriving
                .iter()
                .filter(|(on, _)| *on == day && *on > today)
                .map(|(_, quantity)| amount(quantity))
                .sum();
            balance += arrives;
            brought += arrives;
            if stock_out_on.is_none() && daily > 0.0 && daily > balance + 1e-9 {
                stock_out_on = Some(day);
            }
            balance -= daily;
            due += daily;
        }
        months.push(ProjectedMonth {
            month,
            demand: crate::money::from_f64(due, 2),
            arriving: crate::money::from_f64(brought, 2),
            closing: crate::money::from_f64(balance, 2),
        });
    }
    Projection {
        on_hand,
        months,
        stock_out_on,
    }
}

/// An item's projected stock over the forecast horizon, for one who may see its stock.
pub fn projection(
    ledger: &Ledger,
    actor: &Actor,
    location_id: Uuid,
    product_id: Uuid,
) -> Result<Projection> {
    let line = policy::policy(ledger, actor, location_id, product_id)?;
    let on_hand = ledger::stock::balance_of(ledger.read(), location_id, product_id)?;
    let pipeline = Pipeline::read(ledger.read(), false)?;
    Ok(project(
        on_hand,
        line.computed.first_month,
        &line.computed.demand,
        pipeline.arrivals((location_id, product_id)),
        Day::today(),
    ))
}

fn id_of(key: &str) -> Uuid {
    ledger::derived_id(&[b"stock alert", key.as_bytes()])
}

fn key(kind: StockAlertKind, location_id: Uuid, product_id: Uuid) -> String {
    format!("{}:{location_id}:{product_id}", kind.key())
}

/// The alerts of the stock the actor may see, read ones included (`read` says
/// which), by kind then location and SKU.
pub fn alerts(ledger: &Ledger, actor: &Actor) -> Result<Vec<StockAlert>> {
    let rules = ledger::settings::stock_rules(ledger.read())?;
    let pipeline = Pipeline::read(ledger.read(), false)?;
    let stock = on_hand_named(ledger, actor, &Names::load(ledger.read())?, &pipeline)?;
    let policies = policy::policies(ledger, actor, None, None)?.lines;
    let read = ledger::policies::alerts_read(ledger.read(), actor.id)?;
    let reorder_points = ReorderPoints::of_lines(ledger.read(), actor, &policies)?;
    let today = Day::today();
    let dead_since = today
        .plus_days(-(f64::from(rules.dead_stock_months) * policy::DAYS_PER_MONTH).round() as i64)
        .unwrap_or(today);
    let mut alerts = Vec::new();
    for ((location_id, product_id), (row, line)) in held(&stock, &policies) {
        let quantity = row.map_or(Decimal::ZERO, |row| row.quantity);
        let (location_code, sku, product_name) = match (row, line) {
            (Some(row), _) => (&row.location_code, &row.sku, &row.product_name),
            (None, Some(line)) => (
                &line.computed.location_code,
                &line.computed.sku,
                &line.computed.product_name,
            ),
            (None, None) => continue,
        };
        let mut raise = |kind: StockAlertKind, message: String| {
            let key = key(kind, location_id, product_id);
            alerts.push(StockAlert {
                read: read.contains(&key),
                id: id_of(&key),
                key,
                kind,
                location_id,
                location_code: location_code.clone(),
                product_id,
                sku: sku.clone(),
                product_name: product_name.clone(),
                message,
            });
        };
        let shown = |value: Decimal| value.normalize().to_string();
        if quantity < Decimal::ZERO {
            raise(
                StockAlertKind::NegativeOnHand,
                format!(
                    "{} on hand: more went out than was recorded coming in; count it",
                    shown(quantity)
                ),
            );
        }
        if let Some(line) = line {
            let p: &Policy = &line.computed;
            let item = (location_id, product_id);
            let coming = pipeline.arrivals(item);
            // What is coming and promised counts: the proposal orders by the same position.
            if reorder_points.calls_for_order(line, pipeline.position(item, quantity)) {
                let mut counted = String::new();
                for (what, amount) in [
                    ("on order", pipeline.on_order(item)),
                    (
                        "on its way",
                        pipeline.in_transit(item) + pipeline.approved_in(item),
                    ),
                    ("promised to other locations", pipeline.promised(item)),
                ] {
                    if !amount.is_zero() {
                        counted.push_str(&format!(", {} {what}", shown(amount)));
                    }
                }
                raise(
                    StockAlertKind::BelowReorderPoint,
                    format!(
                        "{} on hand{counted}, at or below the reorder point of {}: order {}",
                        shown(quantity),
                        shown(reorder_points.of(line).0),
                        shown(line.order_quantity)
                    ),
                );
            }
            let projected = project(quantity, p.first_month, &p.demand, coming, today);
            let lead_days = p.lead_time_days.to_i64().unwrap_or(0);
            if quantity >= Decimal::ZERO
                && let Some(day) = projected.stock_out_on
                && today.plus_days(lead_days).is_some_and(|limit| day <= limit)
            {
                raise(
                    StockAlertKind::StockOutWithinLeadTime,
                    format!(
                        "projected to run out around {day}, within its lead time of {lead_days} days"
                    ),
                );
            }
            if quantity > Decimal::ZERO
                && let Some(cover) = line.cover(quantity)
                && cover > Decimal::from(rules.overstock_months)
            {
                raise(
                    StockAlertKind::Overstock,
                    format!(
                        "{} months of cover, above the company's limit of {}",
                        crate::money::round(cover, 1),
                        rules.overstock_months
                    ),
                );
            }
        }
        if quantity > Decimal::ZERO {
            let (issued, older) =
                ledger::stock::issued_since(ledger.read(), location_id, product_id, dead_since)?;
            if !issued && older {
                raise(
                    StockAlertKind::DeadStock,
                    format!(
                        "{} on hand and nothing sold or sent since {dead_since} ({} months)",
                        shown(quantity),
                        rules.dead_stock_months
                    ),
                );
            }
        }
    }
    alerts.sort_by(|a, b| {
        (a.kind, &a.location_code, &a.sku).cmp(&(b.kind, &b.location_code, &b.sku))
    });
    Ok(alerts)
}

/// Marks the actor's stock alert `id` read; false when `id` is none of them.
/// It stays read while it holds; the reads of the actor's alerts that no
/// longer hold are forgotten, so an alert that clears and comes back is new again.
pub fn mark_read(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<bool> {
    actor.scope_for(Action::ViewStock)?;
    let alerts = alerts(ledger, actor)?;
    let Some(key) = alerts
        .iter()
        .find(|alert| alert.id == id)
        .map(|alert| alert.key.clone())
    else {
        return Ok(false);
    };
    let holding: HashSet<String> = alerts.into_iter().map(|alert| alert.key).collect();
    let key = key.as_str();
    ledger.write(Some(actor), |write| {
        ledger::policies::forget_alert_reads(write, actor.id, &holding)?;
        ledger::policies::mark_alert_read(write, actor.id, key, Timestamp::now())?;
        write.record(Change {
            entity: Entity::Alert,
            entity_id: id_of(key),
            kind: ChangeKind::Updated,
            payload: serde_json::json!({ "key": key, "read": true }),
            base_version: None,
        })
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse("day", text).unwrap_or_else(|_| Day::today())
    }

    #[test]
    fn stock_is_projected_from_today_with_the_rest_of_this_months_demand() {
        // 16 December: 16 of December's 31 days are left, 62 × 16 ÷ 31 = 32 to come;
        // 100 − 32 = 68 at December's end, − 31 in January = 37: it lasts.
        let months = [Decimal::from(50), Decimal::from(62), Decimal::from(31)];
        let first = Month::new(2026, 11);
        let lasts = project(Decimal::from(100), first, &months, &[], day("2026-12-16"));
        assert_eq!(lasts.months.len(), 2, "November has passed");
        assert_eq!(lasts.months[0].demand, Decimal::from(32));
        assert_eq!(lasts.months[0].closing, Decimal::from(68));
        assert_eq!(lasts.months[1].closing, Decimal::from(37));
        assert_eq!(lasts.stock_out_on, None);
        // 40 on hand: 8 left at December's end; January sells 2 a day: out on 1 + ⌊8 ÷ 2⌋ = 5 January.
        let months = [Decimal::ZERO, Decimal::from(62), Decimal::from(62)];
        let short = project(Decimal::from(40), first, &months, &[], day("2026-12-16"));
        assert_eq!(short.stock_out_on, Some(day("2027-01-05")));
        // 10 on hand, 2 a day from the 16th: out on the 21st.
        let sooner = project(Decimal::from(10), first, &months, &[], day("2026-12-16"));
        assert_eq!(sooner.stock_out_on, Some(day("2026-12-21")));
        // Nothing on hand: out today.
        let none = project(Decimal::ZERO, first, &months, &[], day("2026-12-16"));
        assert_eq!(none.stock_out_on, Some(day("2026-12-16")));
        // 10 on hand and 20 arriving on the 20th (2 a day): 10 lasts to the
        // 20th's morning, the 20 then last through the 30th: out on the 31st.
        let coming = [(day("2026-12-20"), Decimal::from(20))];
        let helped = project(
            Decimal::from(10),
            first,
            &months,
            &coming,
            day("2026-12-16"),
        );
        assert_eq!(helped.stock_out_on, Some(day("2026-12-31")));
        assert_eq!(helped.months[0].arriving, Decimal::from(20));
        assert_eq!(helped.months[0].closing, Decimal::from(-2));
        // The forecast's months all behind today: nothing on hand still runs out today.
        let behind = project(Decimal::ZERO, first, &months, &[], day("2027-06-01"));
        assert_eq!(behind.stock_out_on, Some(day("2027-06-01")));
        // An order overdue since the 10th arrives today.
        let late = [(day("2026-12-10"), Decimal::from(20))];
        let overdue = project(Decimal::from(10), first, &months, &late, day("2026-12-16"));
        assert_eq!(overdue.months[0].arriving, Decimal::from(20));
    }
}
