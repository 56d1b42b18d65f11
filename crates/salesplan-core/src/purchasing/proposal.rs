//! What to order from whom (replenishment from suppliers): every item whose
//! inventory position — on hand, plus what open orders and transfers bring,
//! less what approved transfers take away (`stock::position`) — is at or
//! below its reorder point. The reorder point is the lead time's demand plus
//! the safety stock, so such an item is projected to eat into its safety stock
//! before an order placed today could arrive. At the warehouse the lead
//! time's demand is what its branches will draw from it (DRP): each branch's
//! need now, then its forecast demand, over the supplier's lead time, so a
//! branch that is short raises the warehouse's order the day it is short
//! (an override's reorder point still wins). The quantity is the policy's
//! order quantity, as many times as it takes to lift the position above the
//! reorder point, in whole packs and at least the supplier's minimum. Items
//! are grouped by their primary supplier and the location the goods go to;
//! one group becomes one purchase order. A branch is replenished from the
//! warehouse (Distribution); one at or below its own reorder point appears
//! here too, for a delivery straight to it, and the warehouse then counts
//! only its demand to come, so no need is ordered twice. What a draft order
//! or an approved transfer brings counts in every position at once.

use super::{NewLine, NewOrder};
use crate::access::{Action, Actor, Resource, Scope};
use crate::error::Result;
use crate::ledger::{self, Ledger};
use crate::model::suppliers::SupplierProduct;
use crate::reference::Supplier;
use crate::stock::policy;
use crate::timestamp::Day;
use crate::transfers::replenish;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;
use uuid::Uuid;

/// The proposal: one group per supplier and delivery location, and what needs
/// ordering but has no primary supplier to order from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Proposal {
    pub groups: Vec<ProposalGroup>,
    pub unsourced: Vec<ProposalLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ProposalGroup {
    pub supplier_id: Uuid,
    pub supplier_code: String,
    pub supplier_name: String,
    pub currency: String,
    pub location_id: Uuid,
    pub location_code: String,
    pub location_name: String,
    pub lines: Vec<ProposalLine>,
    /// What the proposed lines cost.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
}

impl ProposalGroup {
    /// The draft order the group proposes: each line as proposed, at the
    /// supplier's cost, expected after its lead time.
    pub fn order(&self) -> NewOrder {
        NewOrder {
            supplier_id: self.supplier_id,
            location_id: self.location_id,
            note: String::new(),
            lines: self
                .lines
                .iter()
                .map(|line| NewLine {
                    product_id: line.product_id,
                    quantity: line.proposed,
                    unit_cost: None,
                    expected_on: None,
                })
                .collect(),
        }
    }
}

/// One item to order, with the numbers that say why and how much.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ProposalLine {
    pub location_id: Uuid,
    pub location_code: String,
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub unit: String,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub on_hand: Decimal,
    /// What open orders still bring, drafts included (they are about to be sent).
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub on_order: Decimal,
    /// What transfers bring (shipped or approved) less what approved transfers take away.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub transfers: Decimal,
    /// On hand, on order and transfers.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub position: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub reorder_point: Decimal,
    /// At the warehouse: what its branches will draw from it within the
    /// supplier's lead time, which the reorder point counts instead of the
    /// policy's lead-time demand.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub branch_draw: Option<Decimal>,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub order_quantity: Decimal,
    /// What to order.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub proposed: Decimal,
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub unit_cost: Option<Decimal>,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub pack_size: Decimal,
    /// When it would arrive if ordered today.
    pub expected_on: Day,
}

/// What needs ordering in the actor's purchasing scope (of one location if asked).
pub fn propose(ledger: &Ledger, actor: &Actor, location_id: Option<Uuid>) -> Result<Proposal> {
    actor.scope_for(Action::Purchase)?;
    let policies = policy::policies(ledger, actor, location_id, None)?;
    let conn = ledger.read();
    // The policies read are every one when the actor sees all stock and asked for no location.
    let every = actor.scope_for(Action::ViewStock)? == Scope::All && location_id.is_none();
    let inputs = replenish::Inputs::for_lines(conn, actor, &policies.lines, every)?;
    let reorder_points = replenish::ReorderPoints::new(&inputs, &policies.lines);
    let primaries: HashMap<Uuid, SupplierProduct> =
        ledger::suppliers::lines(conn, None, None, false)?
            .into_iter()
            .filter(|line| line.terms.is_primary)
            .map(|line| (line.terms.product_id, line))
            .collect();
    let suppliers: HashMap<Uuid, Supplier> = ledger::reference::list::<Supplier>(conn, false)?
        .into_iter()
        .map(|supplier| (supplier.id, supplier.fields))
        .collect();
    let today = Day::today();
    let mut groups: BTreeMap<(String, String), ProposalGroup> = BTreeMap::new();
    let mut unsourced = Vec::new();
    for line in policies.lines {
        let item = &line.computed;
        if !crate::access::can(
            actor,
            Action::Purchase,
            &Resource::at_location(item.location_id),
        ) {
            continue;
        }
        let key = (item.location_id, item.product_id);
        let on_hand = inputs.on_hand(item.location_id, item.product_id);
        let position = inputs.pipeline.position(key, on_hand);
        let (reorder_point, branch_draw) = reorder_points.of(&line);
        let Some(proposed) = quantity(position, reorder_point, line.order_quantity) else {
            continue;
        };
        let terms = primaries.get(&item.product_id);
        let (pack, minimum) = terms.map_or((Decimal::ONE, Decimal::ZERO), |terms| {
            (terms.terms.pack_size, terms.terms.min_order)
        });
        let proposed = whole_packs(proposed.max(minimum), pack);
        let lead_days = terms.map_or(30, |terms| terms.lead_time_days);
        let proposal = ProposalLine {
            location_id: item.location_id,
            location_code: item.location_code.clone(),
            product_id: item.product_id,
            sku: item.sku.clone(),
            product_name: item.product_name.clone(),
            unit: item.unit.clone(),
            on_hand,
            on_order: inputs.pipeline.on_order(key),
            transfers: inputs.pipeline.transfers(key),
            position,
            reorder_point,
            branch_draw,
            order_quantity: line.order_quantity,
            proposed,
            unit_cost: terms.map(|terms| terms.terms.cost_price),
            pack_size: pack,
            expected_on: today.plus_days(i64::from(lead_days)).unwrap_or(today),
        };
        let Some((terms, supplier)) = terms.and_then(|terms| {
            suppliers
                .get(&terms.terms.supplier_id)
                .map(|supplier| (terms, supplier))
        }) else {
            unsourced.push(proposal);
            continue;
        };
        let group = groups
            .entry((supplier.code.clone(), item.location_code.clone()))
            .or_insert_with(|| ProposalGroup {
                supplier_id: terms.terms.supplier_id,
                supplier_code: supplier.code.clone(),
                supplier_name: supplier.name.clone(),
                currency: supplier.currency.clone(),
                location_id: item.location_id,
                location_code: item.location_code.clone(),
                location_name: String::new(),
                lines: Vec::new(),
                total: Decimal::ZERO,
            });
        group.total += proposal.proposed * terms.terms.cost_price;
        group.lines.push(proposal);
    }
    let locations: HashMap<Uuid, String> =
        ledger::reference::list::<crate::reference::Location>(conn, true)?
            .into_iter()
            .map(|location| (location.id, location.fields.name))
            .collect();
    let groups = groups
        .into_values()
        .map(|mut group| {
            group.location_name = locations
                .get(&group.location_id)
                .cloned()
                .unwrap_or_default();
            group
        })
        .collect();
    Ok(Proposal { groups, unsourced })
}

/// The order an (s, Q) policy places at `position`: `q` as many times as it
/// takes to lift the position above the reorder point `s`; none above it.
pub(crate) fn quantity(position: Decimal, s: Decimal, q: Decimal) -> Option<Decimal> {
    if position > s || q <= Decimal::ZERO {
        return None;
    }
    let times = ((s - position) / q).floor() + Decimal::ONE;
    Some(times * q)
}

/// `quantity` rounded up to whole packs of `pack`.
fn whole_packs(quantity: Decimal, pack: Decimal) -> Decimal {
    if pack <= Decimal::ZERO {
        return quantity;
    }
    (quantity / pack).ceil() * pack
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn an_item_at_or_below_its_reorder_point_orders_enough_packs_of_q_to_rise_above_it() {
        // s = 40, Q = 25: at 41 nothing; at 40 one Q (65 > 40); at 10 two (60 > 40); at -20 three.
        assert_eq!(quantity(d(41), d(40), d(25)), None);
        assert_eq!(quantity(d(40), d(40), d(25)), Some(d(25)));
        assert_eq!(quantity(d(10), d(40), d(25)), Some(d(50)));
        assert_eq!(quantity(d(-20), d(40), d(25)), Some(d(75)));
        assert_eq!(quantity(d(0), d(40), d(0)), None);
        assert_eq!(whole_packs(d(50), d(12)), d(60));
        assert_eq!(whole_packs(d(48), d(12)), d(48));
    }
}
