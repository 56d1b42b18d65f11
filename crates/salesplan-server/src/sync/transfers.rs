//! Transfers at head office: each step, each line's change and each movement
//! naming a line is decided against the transfer head office holds, by the
//! domain's rules (`salesplan_domain::transfers`), as the laptop that made it
//! decided it, and with the right the step takes at its end of the transfer.
//! What a line has sent out, had arrive and written off is kept beside its
//! record (head-office fields: the sums of the movements taken), so a stale
//! laptop shipping a transfer twice, or receiving a cancelled one, is
//! refused with the reason.

use super::batch::{Batch, Stored, key, text_field, uuid_field};
use super::documents::{BOOKKEEPING, Document, changes, decimal_field, only_its_own};
use rust_decimal::Decimal;
use salesplan_domain::access::{Action, Actor, Resource, can};
use salesplan_domain::changes::Record;
use salesplan_domain::changes::records::StockReason;
use salesplan_domain::entity::{ChangeKind, Entity};
use salesplan_domain::transfers::{
    Discrepancy, End, Flow, STEP_FIELDS, TransferState, TransferStatus, TransferStep,
    check_arrival, check_dispatch, check_line_edit, check_route, check_shipped,
};
use serde_json::{Map, Value};
use uuid::Uuid;

/// What a line has sent out, had arrive (of it, found short or damaged) and
/// written off at its destination, kept by head office beside its record
/// (`changes::HEAD_OFFICE_FIELDS`).
const DISPATCHED: &str = "dispatched";
const ARRIVED: &str = "arrived";
const FOUND_WANTING: &str = "found_wanting";
const WRITTEN_OFF: &str = "written_off";

/// A transfer as head office holds it.
struct Held {
    status: TransferStatus,
    state: TransferState,
    lines: usize,
    from: Option<Uuid>,
    to: Option<Uuid>,
}

impl Held {
    fn end(&self, end: End) -> Resource {
        Resource {
            location_id: match end {
                End::From => self.from,
                End::To => self.to,
            },
            ..Resource::default()
        }
    }

    /// `actor` holds `action` at `end` of the transfer, or the refusal.
    fn require(&self, actor: &Actor, action: Action, end: End) -> Result<(), String> {
        actor
            .require(action, &self.end(end))
            .map_err(|refusal| refusal.to_string())
    }
}

impl Batch {
    fn transfer(&self, id: Uuid) -> Result<Held, String> {
        let held = self.records.get(&key(Entity::Transfer, id)).ok_or(
            "head office holds no such transfer (yet): its laptop has not sent it, or head office was restored from a backup",
        )?;
        let status = text_field(&held.fields, "status")
            .as_deref()
            .and_then(TransferStatus::parse)
            .ok_or(
                "the transfer head office holds has no status it knows; run `salesplan-server verify`",
            )?;
        let flows: Vec<Flow> = self
            .lines_of(Document::TRANSFERS, id)
            .map(|(_, line)| Flow {
                shipped: decimal_field(line, "shipped"),
                arrived: decimal_field(line, ARRIVED),
            })
            .collect();
        Ok(Held {
            status,
            state: TransferState::of(status, &flows),
            lines: flows.len(),
            from: uuid_field(&held.fields, "from_location_id"),
            to: uuid_field(&held.fields, "to_location_id"),
        })
    }

    /// A transfer's own change. Created: a request, between two locations,
    /// by someone who may ask for stock at its destination. A step: the
    /// status moves by a step the transfer's state allows, taken with the
    /// step's right at its end, recorded under who takes it, setting nothing
    /// but the step's own fields. Any other change leaves the steps' fields alone.
    pub(super) fn check_transfer(
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
                .and_then(TransferStatus::parse)
        };
        let Some(before) = before else {
            if kind == ChangeKind::Created && status(payload) != Some(TransferStatus::Requested) {
                return Err(
                    "status: a new transfer starts as a request; it is approved by its own step"
                        .into(),
                );
            }
            let (from, to) = (
                uuid_field(payload, "from_location_id"),
                uuid_field(payload, "to_location_id"),
            );
            if let (Some(from), Some(to)) = (from, to) {
                check_route(from, to).map_err(|refusal| refusal.to_string())?;
            }
            return actor
                .require(
                    Action::RequestTransfers,
                    &Resource {
                        location_id: to,
                        ..Resource::default()
                    },
                )
                .map_err(|refusal| refusal.to_string());
        };
        let changed = |field: &str| changes(payload, &before.fields, field);
        let held = self.transfer(id)?;
        let Some(to) = status(payload).filter(|to| *to != held.status) else {
            return match STEP_FIELDS.iter().find(|field| changed(field)) {
                Some(field) => Err(format!(
                    "{field}: set only by the transfer's steps (approve, ship, close, cancel)"
                )),
                None => Ok(()),
            };
        };
        let step = TransferStep::between(held.status, to).ok_or_else(|| {
            format!(
                "status: a transfer does not go from {} to {}",
                held.state.key(),
                to.key()
            )
        })?;
        only_its_own(payload, &before.fields, step.key(), step.fields())?;
        let reason = text_field(payload, "cancel_reason").unwrap_or_default();
        step.check(held.state, held.lines, &reason)
            .map_err(|refusal| refusal.to_string())?;
        let (action, end) = step.right(held.state);
        held.require(actor, action, end)?;
        self.recorded_by(actor, payload, step.fields()[0])
    }

    /// A line's change: what the transfer's state lets its lines change,
    /// by whom. While requested, who may ask for stock at the destination
    /// changes what is asked; once approved, Supply Chain; a line's shipped
    /// quantity is set once, as it ships, by who ships.
    pub(super) fn check_transfer_line(
        &self,
        actor: &Actor,
        record: Option<&Record>,
        payload: &Map<String, Value>,
        before: Option<&Stored>,
    ) -> Result<(), String> {
        let Some(Record::TransferLine(line)) = record else {
            return Ok(());
        };
        let Some(transfer) = line.transfer_id else {
            return Ok(());
        };
        let held = self.transfer(transfer)?;
        // A line's whole row names `shipped` empty until it ships.
        let fields: Vec<&str> = payload
            .iter()
            .filter(|(field, value)| *field != "shipped" || !value.is_null())
            .map(|(field, _)| field.as_str())
            .filter(|field| !BOOKKEEPING.contains(field))
            .collect();
        check_line_edit(held.state, &fields).map_err(|refusal| refusal.to_string())?;
        if fields.contains(&"shipped") {
            if before
                .is_some_and(|before| before.fields.get("shipped").is_some_and(|at| !at.is_null()))
            {
                return Err("shipped: the line has shipped already; a line ships once".into());
            }
            let quantity = line.quantity.map(|quantity| quantity.0).unwrap_or_default();
            let shipped = line
                .shipped
                .flatten()
                .map(|shipped| shipped.0)
                .unwrap_or_default();
            check_shipped(quantity, shipped).map_err(|refusal| refusal.to_string())?;
            return held.require(actor, Action::Distribute, End::From);
        }
        match held.state {
            TransferState::Requested => {
                if can(actor, Action::Distribute, &held.end(End::To)) {
                    return Ok(());
                }
                held.require(actor, Action::RequestTransfers, End::To)
            }
            _ => held.require(actor, Action::Distribute, End::To),
        }
    }

    /// A movement naming a transfer line: stock leaving at the source for a
    /// shipped line (up to what it shipped), arriving at the destination (up
    /// to what is on its way, more only as a surplus with a reason), or
    /// written off there as found short or damaged, with a reason.
    pub(super) fn check_transfer_movement(&self, record: Option<&Record>) -> Result<(), String> {
        let Some(Record::StockMovement(movement)) = record else {
            return Ok(());
        };
        let Some(line_id) = movement.transfer_line_id.flatten() else {
            if movement.discrepancy.flatten().is_some() {
                return Err(
                    "discrepancy: only a movement naming a transfer line records one".into(),
                );
            }
            return Ok(());
        };
        let line = self
            .records
            .get(&key(Entity::TransferLine, line_id))
            .ok_or("transfer_line_id: head office holds no such transfer line (yet)")?;
        let transfer = self
            .head_of_line(Document::TRANSFERS, line_id)
            .ok_or("transfer_line_id: the line names no transfer")?;
        let held = self.transfer(transfer)?;
        if uuid_field(&line.fields, "product_id") != movement.product_id {
            return Err(
                "product_id: a transfer's movement moves the product its line moves".into(),
            );
        }
        let quantity = movement
            .quantity
            .map(|quantity| quantity.0)
            .unwrap_or_default();
        let reason = movement.note.as_ref().map_or("", |note| note.as_str());
        let discrepancy = movement.discrepancy.flatten();
        let at = |end: End, what: &str| {
            if movement.location_id == held.end(end).location_id {
                Ok(())
            } else {
                Err(format!("location_id: {what}"))
            }
        };
        let refused = |refusal: salesplan_domain::Error| refusal.to_string();
        match movement.reason {
            Some(StockReason::TransferOut) => {
                at(End::From, "stock leaves for a transfer where it leaves from")?;
                if discrepancy.is_some() {
                    return Err("discrepancy: is recorded where the stock arrives".into());
                }
                check_dispatch(
                    held.state,
                    decimal_field(&line.fields, "shipped"),
                    decimal_field(&line.fields, DISPATCHED),
                    quantity.abs(),
                )
                .map_err(refused)
            }
            Some(StockReason::TransferIn) => {
                at(End::To, "stock arrives for a transfer where it goes")?;
                let flow = Flow {
                    shipped: decimal_field(&line.fields, "shipped"),
                    arrived: decimal_field(&line.fields, ARRIVED),
                };
                check_arrival(held.state, flow, quantity, discrepancy, reason).map_err(refused)
            }
            Some(StockReason::Adjustment) => {
                at(End::To, "a transfer's shortfall is written off where it goes")?;
                if !discrepancy.is_some_and(Discrepancy::is_written_off) || reason.trim().is_empty()
                {
                    return Err("discrepancy: an adjustment naming a transfer line writes off stock found short or damaged, with a reason".into());
                }
                let written_off = decimal_field(&line.fields, WRITTEN_OFF) + quantity.abs();
                let wanting = decimal_field(&line.fields, FOUND_WANTING);
                if quantity >= Decimal::ZERO || written_off > wanting {
                    return Err(format!(
                        "quantity: {written_off} written off would be more than the {wanting} that arrived short or damaged"
                    ));
                }
                Ok(())
            }
            _ => Err("transfer_line_id: only a transfer's own movements (out, in, a write-off) name its line".into()),
        }
    }

    /// A transfer's movement taken: its line's sums grow.
    pub(super) fn note_transfer_movement(&mut self, payload: &Value) {
        let Some(fields) = payload.as_object() else {
            return;
        };
        let Some(line) = uuid_field(fields, "transfer_line_id") else {
            return;
        };
        let quantity = decimal_field(fields, "quantity").abs();
        let wanting = text_field(fields, "discrepancy")
            .as_deref()
            .and_then(Discrepancy::parse)
            .is_some_and(Discrepancy::is_written_off);
        let line = key(Entity::TransferLine, line);
        match text_field(fields, "reason")
            .as_deref()
            .and_then(StockReason::parse)
        {
            Some(StockReason::TransferOut) => self.add_to_line(line, DISPATCHED, quantity),
            Some(StockReason::TransferIn) => {
                self.add_to_line(line.clone(), ARRIVED, quantity);
                if wanting {
                    self.add_to_line(line, FOUND_WANTING, quantity);
                }
            }
            Some(StockReason::Adjustment) => self.add_to_line(line, WRITTEN_OFF, quantity),
            _ => {}
        }
    }
}
