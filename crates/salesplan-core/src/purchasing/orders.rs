//! Making and changing purchase orders: a draft with its lines, lines changed
//! while it is a draft (once sent, only when the supplier now expects them),
//! and the steps, sending and cancelling. Each is one write with its changes.

use super::{PurchaseOrder, found};
use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::purchasing::LineFields;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::reference::{Location, Product, Supplier, require_live};
use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use salesplan_domain::purchasing::{OrderState, OrderStatus, OrderStep, check_line_edit};
use salesplan_domain::values::{Line, PositiveCount, Price};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

/// A new order: to whom, delivered where, and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewOrder {
    pub supplier_id: Uuid,
    pub location_id: Uuid,
    #[serde(default)]
    pub note: String,
    pub lines: Vec<NewLine>,
}

/// What to order of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewLine {
    pub product_id: Uuid,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    /// The supplier's cost price when left out.
    #[ts(type = "string | null")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub unit_cost: Option<Decimal>,
    /// `YYYY-MM-DD`, as typed; today plus the lead time when left out.
    #[serde(default)]
    #[ts(optional)]
    pub expected_on: Option<String>,
}

/// Makes a draft order with its lines.
pub fn create(ledger: &mut Ledger, actor: &Actor, new: NewOrder) -> Result<PurchaseOrder> {
    actor.scope_for(Action::Purchase)?;
    ledger.write(Some(actor), |write| create_in(write, actor, new))
}

/// Makes a draft inside an open write (the demo's too), checked as `create` checks it.
pub(crate) fn create_in(
    write: &mut Write<'_>,
    actor: &Actor,
    new: NewOrder,
) -> Result<PurchaseOrder> {
    let conn = write.read();
    require_live::<Supplier>(conn, "supplier_id", Some(new.supplier_id))?;
    require_live::<Location>(conn, "location_id", Some(new.location_id))?;
    actor.require(Action::Purchase, &Resource::at_location(new.location_id))?;
    let note = new.note.trim().to_owned();
    Line::<500>::try_from(note.clone()).map_err(Error::refused("note"))?;
    let mut products = std::collections::HashSet::new();
    if let Some(twice) = new
        .lines
        .iter()
        .find(|line| !products.insert(line.product_id))
    {
        return Err(Error::invalid(
            "lines",
            format!(
                "product {} is on the order twice: one line a product",
                twice.product_id
            ),
        ));
    }
    let id = Uuid::now_v7();
    let now = Timestamp::now();
    ledger::purchasing::insert(
        write,
        id,
        new.supplier_id,
        new.location_id,
        &note,
        actor.id,
        now,
    )?;
    write.record(Change {
        entity: Entity::PurchaseOrder,
        entity_id: id,
        kind: ChangeKind::Created,
        payload: json!({
            "id": id,
            "supplier_id": new.supplier_id,
            "location_id": new.location_id,
            "status": OrderStatus::Draft,
            "note": note,
            "created_by": actor.id,
            "created_at": now,
        }),
        base_version: None,
    })?;
    for line in new.lines {
        put_line(write, id, new.supplier_id, OrderState::Draft, line, None)?;
    }
    found(write.read(), id)
}

/// Sets what an order asks of a product: a new line or the one there. A draft
/// changes freely; a sent order only its lines' expected dates.
/// `base_version`: the line's version edited (someone else's change since is refused).
pub fn set_line(
    ledger: &mut Ledger,
    actor: &Actor,
    order_id: Uuid,
    line: NewLine,
    base_version: Option<i64>,
) -> Result<PurchaseOrder> {
    actor.scope_for(Action::Purchase)?;
    ledger.write(Some(actor), |write| {
        let order = editable(write, actor, order_id)?;
        put_line(
            write,
            order.id,
            order.supplier_id,
            order.state,
            line,
            base_version,
        )?;
        found(write.read(), order_id)
    })
}

/// Takes a product off a draft order.
pub fn remove_line(
    ledger: &mut Ledger,
    actor: &Actor,
    order_id: Uuid,
    product_id: Uuid,
) -> Result<PurchaseOrder> {
    actor.scope_for(Action::Purchase)?;
    ledger.write(Some(actor), |write| {
        let order = editable(write, actor, order_id)?;
        check_line_edit(order.state, &["deleted_at"])?;
        let line = order
            .lines
            .iter()
            .find(|line| line.product_id == product_id)
            .ok_or_else(|| {
                Error::invalid(
                    "product_id",
                    format!("the order has no line of product {product_id}"),
                )
            })?;
        let now = Timestamp::now();
        ledger::documents::archive_line(write, "purchase_order_lines", line.id, now)?;
        write.record(Change {
            entity: Entity::PurchaseOrderLine,
            entity_id: line.id,
            kind: ChangeKind::Archived,
            payload: json!({ "order_id": order_id, "product_id": product_id }),
            base_version: Some(line.version),
        })?;
        found(write.read(), order_id)
    })
}

/// Sends a draft to its supplier: from now on it is expected, and received against.
pub fn send(ledger: &mut Ledger, actor: &Actor, order_id: Uuid) -> Result<PurchaseOrder> {
    take(ledger, actor, order_id, OrderStep::Send, "")
}

/// Cancels an order: a draft, or what a sent one has still to bring (with why).
pub fn cancel(
    ledger: &mut Ledger,
    actor: &Actor,
    order_id: Uuid,
    reason: &str,
) -> Result<PurchaseOrder> {
    take(ledger, actor, order_id, OrderStep::Cancel, reason)
}

fn take(
    ledger: &mut Ledger,
    actor: &Actor,
    order_id: Uuid,
    step: OrderStep,
    reason: &str,
) -> Result<PurchaseOrder> {
    actor.scope_for(Action::Purchase)?;
    ledger.write(Some(actor), |write| {
        let order = found(write.read(), order_id)?;
        actor.require(Action::Purchase, &Resource::at_location(order.location_id))?;
        let reason = reason.trim();
        step.check(order.state, order.lines.len(), reason)?;
        Line::<500>::try_from(reason.to_owned()).map_err(Error::refused("reason"))?;
        let now = Timestamp::now();
        let to = step.to();
        let reason = (to == OrderStatus::Cancelled).then_some(reason);
        ledger::documents::step(
            write,
            "purchase_orders",
            order_id,
            to.key(),
            step.fields(),
            actor.id,
            now,
            reason,
        )?;
        let payload = match to {
            OrderStatus::Sent => json!({ "status": to, "sent_by": actor.id, "sent_at": now }),
            _ => json!({
                "status": to,
                "cancelled_by": actor.id,
                "cancelled_at": now,
                "cancel_reason": reason,
            }),
        };
        write.record(Change {
            entity: Entity::PurchaseOrder,
            entity_id: order_id,
            kind: ChangeKind::Updated,
            payload,
            base_version: Some(order.version),
        })?;
        found(write.read(), order_id)
    })
}

/// The order, for a change of its lines by `actor`.
fn editable(write: &Write<'_>, actor: &Actor, order_id: Uuid) -> Result<PurchaseOrder> {
    let order = found(write.read(), order_id)?;
    actor.require(Action::Purchase, &Resource::at_location(order.location_id))?;
    Ok(order)
}

/// Checks and writes one line of an order in `state`, with its change.
fn put_line(
    write: &mut Write<'_>,
    order_id: Uuid,
    supplier_id: Uuid,
    state: OrderState,
    new: NewLine,
    base_version: Option<i64>,
) -> Result<()> {
    let conn = write.read();
    require_live::<Product>(conn, "product_id", Some(new.product_id))?;
    let terms = ledger::suppliers::find(conn, supplier_id, new.product_id)?
        .filter(|terms| terms.archived_at.is_none());
    let quantity = PositiveCount::new(new.quantity)
        .map_err(Error::refused("quantity"))?
        .0;
    if let Some(terms) = &terms {
        let pack = terms.terms.pack_size;
        if !(quantity / pack).fract().is_zero() {
            return Err(Error::invalid(
                "quantity",
                format!(
                    "{} ships {} in packs of {pack}: order {} or {}",
                    terms.supplier_code,
                    terms.sku,
                    (quantity / pack).floor() * pack,
                    (quantity / pack).ceil() * pack
                ),
            ));
        }
        if quantity < terms.terms.min_order {
            return Err(Error::invalid(
                "quantity",
                format!(
                    "{} takes orders of {} from {} up (got {quantity})",
                    terms.supplier_code, terms.sku, terms.terms.min_order
                ),
            ));
        }
    }
    let unit_cost = match (new.unit_cost, &terms) {
        (Some(cost), _) => Price::new(cost).map_err(Error::refused("unit_cost"))?.0,
        (None, Some(terms)) => terms.terms.cost_price,
        (None, None) => {
            return Err(Error::invalid(
                "unit_cost",
                "the supplier has no terms for this product: give the unit cost, or add what it sells first",
            ));
        }
    };
    let lead_days = match &terms {
        Some(terms) => terms.lead_time_days,
        None => ledger::reference::get::<Supplier>(conn, supplier_id)?
            .map_or(30, |supplier| supplier.fields.lead_time_days),
    };
    let today = Day::today();
    let expected_on = match new
        .expected_on
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        Some(text) => Day::parse("expected_on", text)?,
        None => today.plus_days(i64::from(lead_days)).unwrap_or(today),
    };
    let current = ledger::purchasing::line_of(conn, order_id, new.product_id)?;
    let fields = LineFields {
        order_id,
        product_id: new.product_id,
        quantity,
        unit_cost,
        expected_on,
    };
    let now = Timestamp::now();
    match current {
        None => {
            check_line_edit(state, &["quantity"])?;
            let id = Uuid::now_v7();
            ledger::purchasing::put_line(write, id, &fields, now)?;
            write.record(Change {
                entity: Entity::PurchaseOrderLine,
                entity_id: id,
                kind: ChangeKind::Created,
                payload: json!({
                    "id": id,
                    "order_id": order_id,
                    "product_id": new.product_id,
                    "quantity": quantity.to_string(),
                    "unit_cost": unit_cost.to_string(),
                    "expected_on": expected_on,
                }),
                base_version: None,
            })
        }
        Some(held) => {
            if let Some(expected) = base_version.filter(|expected| *expected != held.version) {
                return Err(Error::StaleVersion {
                    entity: Entity::PurchaseOrderLine.noun(),
                    key: new.product_id.to_string(),
                    expected,
                    actual: held.version,
                });
            }
            // What the person left out stays as it is.
            let unit_cost = if new.unit_cost.is_some() {
                unit_cost
            } else {
                held.unit_cost
            };
            let expected_on = if new.expected_on.is_some() {
                expected_on
            } else {
                held.expected_on
            };
            let mut changed = serde_json::Map::new();
            if held.removed {
                changed.insert("deleted_at".into(), serde_json::Value::Null);
            }
            if held.quantity != quantity {
                changed.insert("quantity".into(), json!(quantity.to_string()));
            }
            if held.unit_cost != unit_cost {
                changed.insert("unit_cost".into(), json!(unit_cost.to_string()));
            }
            if held.expected_on != expected_on {
                changed.insert("expected_on".into(), json!(expected_on));
            }
            if changed.is_empty() {
                return Ok(());
            }
            let fields_changed: Vec<&str> = changed.keys().map(String::as_str).collect();
            check_line_edit(state, &fields_changed)?;
            let fields = LineFields {
                unit_cost,
                expected_on,
                ..fields
            };
            ledger::purchasing::put_line(write, held.id, &fields, now)?;
            write.record(Change {
                entity: Entity::PurchaseOrderLine,
                entity_id: held.id,
                kind: ChangeKind::Updated,
                payload: serde_json::Value::Object(changed),
                base_version: Some(held.version),
            })
        }
    }
}
