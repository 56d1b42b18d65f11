//! A transfer's steps: approving a request, shipping it (each line's stock
//! leaves the source and is in transit) and cancelling it before it ships;
//! the receipt that leaves nothing on its way closes it (`receive`). Each
//! step is one write:
//! the status with who took it and when, and for a shipment the lines'
//! shipped quantities and the stock leaving, all or nothing.

use super::{Transfer, found};
use crate::access::{Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::model::stock::StockMovement;
use crate::stock::StockReason;
use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use salesplan_domain::access::Action;
use salesplan_domain::transfers::{End, TransferStep, check_shipped};
use salesplan_domain::values::Line;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

/// What ships of a product, when not everything approved does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShippedLine {
    pub product_id: Uuid,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
}

/// Approves a request: Supply Chain's step.
pub fn approve(ledger: &mut Ledger, actor: &Actor, transfer_id: Uuid) -> Result<Transfer> {
    ledger.write(Some(actor), |write| {
        take(write, actor, transfer_id, TransferStep::Approve, "")?;
        found(write.read(), transfer_id)
    })
}

/// Cancels a transfer that has not shipped (an approved one with why).
pub fn cancel(
    ledger: &mut Ledger,
    actor: &Actor,
    transfer_id: Uuid,
    reason: &str,
) -> Result<Transfer> {
    ledger.write(Some(actor), |write| {
        take(write, actor, transfer_id, TransferStep::Cancel, reason)?;
        found(write.read(), transfer_id)
    })
}

/// Ships an approved transfer: each line ships what was approved, or what
/// `lines` says of it (less when the source is short; 0 ships none). The
/// stock leaves the source today and is in transit. Shipping more than the
/// source holds is refused unless the company allows negative stock.
pub fn ship(
    ledger: &mut Ledger,
    actor: &Actor,
    transfer_id: Uuid,
    lines: &[ShippedLine],
) -> Result<Transfer> {
    let allow_negative = ledger::settings::stock_rules(ledger.read())?.allow_negative_stock;
    ledger.write(Some(actor), |write| {
        let transfer = found(write.read(), transfer_id)?;
        actor.require(
            Action::PostStock,
            &Resource::at_location(transfer.from_location_id),
        )?;
        if let Some(unknown) = lines.iter().find(|shipped| {
            !transfer
                .lines
                .iter()
                .any(|line| line.product_id == shipped.product_id)
        }) {
            return Err(Error::invalid(
                "lines",
                format!(
                    "{} has no line of product {}",
                    transfer.number, unknown.product_id
                ),
            ));
        }
        let mut shipping = Vec::new();
        for (at, line) in transfer.lines.iter().enumerate() {
            let quantity = lines
                .iter()
                .find(|shipped| shipped.product_id == line.product_id)
                .map_or(line.quantity, |shipped| shipped.quantity);
            let field = |name: &str| format!("lines[{at}].{name}");
            check_shipped(line.quantity, quantity)
                .map_err(|refusal| Error::from(refusal).within(&format!("lines[{at}]")))?;
            if !allow_negative && quantity > Decimal::ZERO {
                let held = ledger::stock::balance_of(
                    write.read(),
                    transfer.from_location_id,
                    line.product_id,
                )?;
                if quantity > held {
                    return Err(Error::invalid(
                        field("shipped"),
                        format!(
                            "{} holds {} of {}: shipping {quantity} would take it below zero; ship what is there (the company does not allow negative stock)",
                            transfer.from_code,
                            held.normalize(),
                            line.sku
                        ),
                    ));
                }
            }
            shipping.push((line, quantity));
        }
        if shipping.iter().all(|(_, quantity)| quantity.is_zero()) {
            return Err(Error::invalid(
                "lines",
                format!("nothing ships: {} holds none of what was approved", transfer.from_code),
            ));
        }
        take(write, actor, transfer_id, TransferStep::Ship, "")?;
        let now = Timestamp::now();
        let today = Day::today();
        for (line, quantity) in shipping {
            ledger::transfers::ship_line(write, line.id, quantity, now)?;
            write.record(Change {
                entity: Entity::TransferLine,
                entity_id: line.id,
                kind: ChangeKind::Updated,
                payload: json!({ "shipped": quantity.to_string(), "updated_at": now }),
                base_version: Some(line.version),
            })?;
            if quantity.is_zero() {
                continue;
            }
            crate::stock::record(
                write,
                &StockMovement {
                    id: Uuid::now_v7(),
                    moved_on: today,
                    location_id: transfer.from_location_id,
                    product_id: line.product_id,
                    quantity: StockReason::TransferOut.signed(quantity),
                    reason: StockReason::TransferOut,
                    note: transfer.number.clone(),
                    import_id: None,
                    fingerprint: None,
                    order_line_id: None,
                    transfer_line_id: Some(line.id),
                    discrepancy: None,
                    created_by: actor.id,
                    created_at: now,
                },
            )?;
        }
        found(write.read(), transfer_id)
    })
}

/// Takes a step on the transfer inside an open write: checked against its
/// state and the step's right at its end, recorded with who took it and when.
pub(super) fn take(
    write: &mut Write<'_>,
    actor: &Actor,
    transfer_id: Uuid,
    step: TransferStep,
    reason: &str,
) -> Result<()> {
    let transfer = found(write.read(), transfer_id)?;
    let (action, end) = step.right(transfer.state);
    let at = match end {
        End::From => transfer.from_location_id,
        End::To => transfer.to_location_id,
    };
    actor.require(action, &Resource::at_location(at))?;
    let reason = reason.trim();
    step.check(transfer.state, transfer.lines.len(), reason)?;
    Line::<500>::try_from(reason.to_owned()).map_err(Error::refused("reason"))?;
    let now = Timestamp::now();
    let to = step.to();
    let reason = (step == TransferStep::Cancel).then_some(reason);
    ledger::documents::step(
        write,
        "transfers",
        transfer_id,
        to.key(),
        step.fields(),
        actor.id,
        now,
        reason,
    )?;
    let [by, at] = [step.fields()[0], step.fields()[1]];
    let mut payload = json!({ "status": to, by: actor.id, at: now, "updated_at": now });
    if let Some(reason) = reason {
        payload["cancel_reason"] = json!(reason);
    }
    write.record(Change {
        entity: Entity::Transfer,
        entity_id: transfer_id,
        kind: ChangeKind::Updated,
        payload,
        base_version: Some(transfer.version),
    })
}
