//! Purchase orders at head office: each step and each receipt is decided
//! against the order head office holds, by the domain's rules
//! (`salesplan_domain::purchasing`), as the laptop that made it decided it.
//! What a line has received is kept beside its record (`received`, a
//! head-office field: the sum of the receipts taken), so a second laptop's
//! receipt of a cancelled or fully received order is refused with the reason.

use super::batch::{Batch, Stored, key, text_field, uuid_field};
use super::decide::columns;
use super::documents::{BOOKKEEPING, Document, changes, decimal_field, only_its_own, removed};
use rust_decimal::Decimal;
use salesplan_domain::access::Actor;
use salesplan_domain::changes::Record;
use salesplan_domain::changes::records::StockReason;
use salesplan_domain::entity::{ChangeKind, Entity};
use salesplan_domain::purchasing::{
    OrderState, OrderStatus, OrderStep, STEP_FIELDS, check_line_edit, check_receipt,
};
use serde_json::{Map, Value};
use uuid::Uuid;

/// What a line has received, kept by head office beside its record
/// (one of `changes::HEAD_OFFICE_FIELDS`).
const RECEIVED: &str = "received";

impl Batch {
    /// An order's status as head office holds it, and its state with its lines' receipts.
    fn order_state(&self, order: Uuid) -> Result<(OrderStatus, OrderState, usize), String> {
        let held = self.records.get(&key(Entity::PurchaseOrder, order)).ok_or(
            "head office holds no such purchase order (yet): its laptop has not sent it, or head office was restored from a backup",
        )?;
        let status = text_field(&held.fields, "status")
            .as_deref()
            .and_then(OrderStatus::parse)
            .ok_or(
                "the order head office holds has no status it knows; run `salesplan-server verify`",
            )?;
        let lines: Vec<(Decimal, Decimal)> = self
            .lines_of(Document::ORDERS, order)
            .map(|(_, line)| {
                (
                    decimal_field(line, "quantity"),
                    decimal_field(line, RECEIVED),
                )
            })
            .collect();
        Ok((status, OrderState::of(status, &lines), lines.len()))
    }

    /// An order's own change. Created: a draft (a laptop sends the row as it
    /// holds it when it syncs, so who later sent it may already be there). A step: the
    /// status moves by a step the order's state allows, recorded under who
    /// takes it, and the change sets nothing but the step's own fields. Any
    /// other change leaves the steps' fields alone, and once the order has
    /// left its draft its supplier and delivery location too.
    pub(super) fn check_order(
        &self,
        actor: &Actor,
        kind: ChangeKind,
        id: Uuid,
        payload: &Map<String, Value>,
        before: Option<&Stored>,
    ) -> Result<(), String> {
        let status = |fields: &Map<String, Value>| {
            text_field(fields, "status")
                .as_deref()
                .and_then(OrderStatus::parse)
        };
        let Some(before) = before else {
            if kind == ChangeKind::Created && status(payload) != Some(OrderStatus::Draft) {
                return Err(
                    "status: a new purchase order starts as a draft; it is sent by its own step"
                        .into(),
                );
            }
            return Ok(());
        };
        let changed = |field: &str| changes(payload, &before.fields, field);
        let (held, state, lines) = self.order_state(id)?;
        if let Some(to) = status(payload).filter(|to| *to != held) {
            let step = OrderStep::between(held, to).ok_or_else(|| {
                format!(
                    "status: a purchase order does not go from {} to {}",
                    held.key(),
                    to.key()
                )
            })?;
            only_its_own(payload, &before.fields, step.key(), step.fields())?;
            let reason = text_field(payload, "cancel_reason").unwrap_or_default();
            step.check(state, lines, &reason)
                .map_err(|refusal| refusal.to_string())?;
            return self.recorded_by(actor, payload, step.fields()[0]);
        }
        if let Some(field) = STEP_FIELDS.iter().find(|field| changed(field)) {
            return Err(format!(
                "{field}: set only by the order's steps (send, cancel)"
            ));
        }
        if held != OrderStatus::Draft
            && let Some(field) = ["supplier_id", "location_id"]
                .into_iter()
                .find(|field| changed(field))
        {
            return Err(format!(
                "{field}: the order is {} already; its supplier and delivery location change only while it is a draft",
                state.key()
            ));
        }
        Ok(())
    }

    /// A line's change: what the order's state lets its lines change.
    pub(super) fn check_order_line(
        &self,
        record: Option<&Record>,
        payload: &Map<String, Value>,
    ) -> Result<(), String> {
        let Some(Record::PurchaseOrderLine(line)) = record else {
            return Ok(());
        };
        let Some(order) = line.order_id else {
            return Ok(());
        };
        let (_, state, _) = self.order_state(order)?;
        let fields: Vec<&str> = payload
            .keys()
            .map(String::as_str)
            .filter(|field| !BOOKKEEPING.contains(field))
            .collect();
        check_line_edit(state, &fields).map_err(|refusal| refusal.to_string())
    }

    /// A receipt: against a line of an order that still expects goods, where
    /// the order delivers, of the line's product, within what the line allows.
    pub(super) fn check_receipt(&self, record: Option<&Record>) -> Result<(), String> {
        let Some(Record::StockMovement(movement)) = record else {
            return Ok(());
        };
        let Some(line_id) = movement.order_line_id.flatten() else {
            return Ok(());
        };
        if movement.reason != Some(StockReason::Receipt) {
            return Err("order_line_id: only a receipt names a purchase order line".into());
        }
        let line = self
            .records
            .get(&key(Entity::PurchaseOrderLine, line_id))
            .ok_or("order_line_id: head office holds no such purchase order line (yet)")?;
        let order = self
            .head_of_line(Document::ORDERS, line_id)
            .ok_or("order_line_id: the line names no order")?;
        let delivers = self
            .records
            .get(&key(Entity::PurchaseOrder, order))
            .and_then(|order| uuid_field(&columns(order), "location_id"));
        if delivers != movement.location_id {
            return Err("location_id: a receipt is posted where its order delivers".into());
        }
        if removed(&line.fields) {
            return Err("order_line_id: the line was taken off its order".into());
        }
        if uuid_field(&line.fields, "product_id") != movement.product_id {
            return Err("product_id: a receipt brings the product its order line orders".into());
        }
        let (_, state, _) = self.order_state(order)?;
        let by_whom = self
            .records
            .get(&key(Entity::PurchaseOrder, order))
            .and_then(|order| text_field(&order.fields, "cancel_reason"))
            .filter(|_| state == OrderState::Cancelled)
            .map(|reason| format!(" (cancelled: {reason})"))
            .unwrap_or_default();
        check_receipt(
            state,
            decimal_field(&line.fields, "quantity"),
            decimal_field(&line.fields, RECEIVED),
            movement
                .quantity
                .map(|quantity| quantity.0)
                .unwrap_or_default(),
            movement.note.as_ref().map_or("", |note| note.as_str()),
        )
        .map_err(|refusal| format!("{refusal}{by_whom}"))
    }

    /// A receipt taken: its line has received that much more.
    pub(super) fn note_receipt(&mut self, payload: &Value) {
        let Some(fields) = payload.as_object() else {
            return;
        };
        if let Some(line) = uuid_field(fields, "order_line_id") {
            let quantity = decimal_field(fields, "quantity");
            self.add_to_line(key(Entity::PurchaseOrderLine, line), RECEIVED, quantity);
        }
    }
}
