//! Rebalancing between branches: where one branch holds more than the
//! company's overstock cover of an item while another will run out of it
//! within the lane's lead time, moving the surplus sideways beats waiting for
//! the warehouse. A surplus is what a branch holds over its own target; it
//! is suggested only if it would last the branch at least 60 days anyway (so
//! giving it away does not make the giver the next to run out).

use super::replenish::Inputs;
use crate::access::{Action, Actor, Resource, can};
use crate::error::Result;
use crate::ledger::Ledger;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// The fewest days of its own demand a surplus must cover to be moved.
pub const SURPLUS_DAYS: i64 = 60;

/// A lateral transfer worth making.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Rebalance {
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub from_location_id: Uuid,
    pub from_code: String,
    pub to_location_id: Uuid,
    pub to_code: String,
    /// What to move: the giver's surplus or the taker's need, whichever is less, in whole packs.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    /// The giver's cover in months before the move.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub from_cover: Decimal,
    /// Days until the taker runs out at its forecast demand.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub to_runs_out_in_days: Decimal,
}

/// The lateral transfers worth making between the branches the actor sees
/// transfers of, biggest first.
pub fn rebalance(ledger: &Ledger, actor: &Actor) -> Result<Vec<Rebalance>> {
    actor.scope_for(Action::ViewTransfers)?;
    let inputs = Inputs::read(ledger.read(), actor)?;
    let overstock = Decimal::from(inputs.rules.overstock_months);
    let lead = Decimal::from(inputs.rules.branch_lead_time_days);
    let days_per_month = Decimal::new(304_375, 4);
    // Per product: givers (surplus, cover) and takers (need, days to run out).
    let mut givers: Vec<(Uuid, Uuid, Decimal, Decimal)> = Vec::new();
    let mut takers: Vec<(Uuid, Uuid, Decimal, Decimal)> = Vec::new();
    for policy in &inputs.policies {
        if !inputs.is_branch(policy.location_id) || policy.demand_per_month <= Decimal::ZERO {
            continue;
        }
        let need = inputs.need(policy);
        let per_day = policy.demand_per_month / days_per_month;
        let on_hand = inputs.on_hand(policy.location_id, policy.product_id);
        let cover = on_hand / policy.demand_per_month;
        let surplus = on_hand - need.target;
        if cover > overstock && surplus >= per_day * Decimal::from(SURPLUS_DAYS) {
            givers.push((
                policy.product_id,
                policy.location_id,
                surplus.floor(),
                cover,
            ));
        }
        let runs_out = need.position.max(Decimal::ZERO) / per_day;
        if runs_out < lead && need.need > Decimal::ZERO {
            takers.push((policy.product_id, policy.location_id, need.need, runs_out));
        }
    }
    let code = |location: Uuid| {
        inputs
            .names
            .locations
            .get(&location)
            .map(|place| place.code.clone())
            .unwrap_or_default()
    };
    let sees = |location: Uuid| {
        can(
            actor,
            Action::ViewTransfers,
            &Resource::at_location(location),
        )
    };
    // The soonest to run out takes first, from the giver with the most to give.
    takers.sort_by_key(|taker| taker.3);
    let mut suggestions = Vec::new();
    for (product, taker, mut wanted, runs_out) in takers {
        let pack = inputs.pack(product);
        let mut from: Vec<&mut (Uuid, Uuid, Decimal, Decimal)> = givers
            .iter_mut()
            .filter(|giver| giver.0 == product && giver.1 != taker && giver.2 >= pack)
            .collect();
        from.sort_by_key(|giver| std::cmp::Reverse(giver.2));
        for giver in from {
            if wanted <= Decimal::ZERO {
                break;
            }
            let moved = ((giver.2.min(wanted)) / pack).floor() * pack;
            if moved <= Decimal::ZERO {
                continue;
            }
            giver.2 -= moved;
            wanted -= moved;
            if !sees(giver.1) && !sees(taker) {
                continue;
            }
            let product_fields = inputs.names.products.get(&product);
            suggestions.push(Rebalance {
                product_id: product,
                sku: product_fields.map(|p| p.sku.clone()).unwrap_or_default(),
                product_name: product_fields.map(|p| p.name.clone()).unwrap_or_default(),
                from_location_id: giver.1,
                from_code: code(giver.1),
                to_location_id: taker,
                to_code: code(taker),
                quantity: moved,
                from_cover: crate::money::round(giver.3, 1),
                to_runs_out_in_days: crate::money::round(runs_out, 1),
            });
        }
    }
    suggestions.sort_by(|a, b| b.quantity.cmp(&a.quantity).then(a.sku.cmp(&b.sku)));
    Ok(suggestions)
}
