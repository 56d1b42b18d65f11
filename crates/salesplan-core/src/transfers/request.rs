//! Asking for stock: a transfer requested with its lines, and its lines
//! changed while it has not shipped (by who asked while it waits, by Supply
//! Chain once approved). Each is one write with its changes.

use super::{Transfer, found};
use crate::access::{Action, Actor, Resource, can};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::reference::{Location, Product, require_live};
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use salesplan_domain::transfers::{TransferState, TransferStatus, check_line_edit, check_route};
use salesplan_domain::values::{Line, PositiveCount};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

/// A new transfer: from where, to where, and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewTransfer {
    pub from_location_id: Uuid,
    pub to_location_id: Uuid,
    #[serde(default)]
    pub note: String,
    pub lines: Vec<NewTransferLine>,
}

/// How much of a product to move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewTransferLine {
    pub product_id: Uuid,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
}

/// Asks for stock to move to a location: who may request for the destination.
pub fn request(ledger: &mut Ledger, actor: &Actor, new: NewTransfer) -> Result<Transfer> {
    actor.scope_for(Action::RequestTransfers)?;
    ledger.write(Some(actor), |write| request_in(write, actor, new))
}

/// Makes a request inside an open write (a release of proposals, the demo's),
/// checked as `request` checks it.
pub(crate) fn request_in(
    write: &mut Write<'_>,
    actor: &Actor,
    new: NewTransfer,
) -> Result<Transfer> {
    let conn = write.read();
    require_live::<Location>(conn, "from_location_id", Some(new.from_location_id))?;
    require_live::<Location>(conn, "to_location_id", Some(new.to_location_id))?;
    check_route(new.from_location_id, new.to_location_id)?;
    actor.require(
        Action::RequestTransfers,
        &Resource::at_location(new.to_location_id),
    )?;
    if new.lines.is_empty() {
        return Err(Error::invalid(
            "lines",
            "a transfer moves something: give at least one product and quantity",
        ));
    }
    let note = new.note.trim().to_owned();
    Line::<500>::try_from(note.clone()).map_err(Error::refused("note"))?;
    let mut products = std::collections::HashSet::new();
    if let Some((at, _)) = new
        .lines
        .iter()
        .enumerate()
        .find(|(_, line)| !products.insert(line.product_id))
    {
        return Err(Error::invalid(
            format!("lines[{at}].product_id"),
            "the product is on the transfer twice: one line a product",
        ));
    }
    let id = Uuid::now_v7();
    let now = Timestamp::now();
    ledger::transfers::insert(
        write,
        id,
        new.from_location_id,
        new.to_location_id,
        &note,
        actor.id,
        now,
    )?;
    write.record(Change {
        entity: Entity::Transfer,
        entity_id: id,
        kind: ChangeKind::Created,
        // The request as made: no step taken yet. (A change is sent as the
        // record stands when it is sent, overlaid with what the change set:
        // the steps' own changes set their fields later, in their order.)
        payload: json!({
            "id": id,
            "from_location_id": new.from_location_id,
            "to_location_id": new.to_location_id,
            "status": TransferStatus::Requested,
            "note": note,
            "created_by": actor.id,
            "created_at": now,
            "approved_by": null,
            "approved_at": null,
            "shipped_by": null,
            "shipped_at": null,
            "closed_by": null,
            "closed_at": null,
            "cancelled_by": null,
            "cancelled_at": null,
            "cancel_reason": null,
        }),
        base_version: None,
    })?;
    for (at, line) in new.lines.into_iter().enumerate() {
        put_line(write, id, TransferState::Requested, line, None)
            .map_err(|error| error.within(&format!("lines[{at}]")))?;
    }
    found(write.read(), id)
}

/// Sets how much of a product a transfer moves: a new line or the one there.
/// `base_version`: the line's version edited (someone else's change since is refused).
pub fn set_line(
    ledger: &mut Ledger,
    actor: &Actor,
    transfer_id: Uuid,
    line: NewTransferLine,
    base_version: Option<i64>,
) -> Result<Transfer> {
    actor.scope_for(Action::RequestTransfers)?;
    ledger.write(Some(actor), |write| {
        let transfer = editable(write, actor, transfer_id)?;
        put_line(write, transfer.id, transfer.state, line, base_version)?;
        found(write.read(), transfer_id)
    })
}

/// Takes a product off a transfer that has not shipped.
pub fn remove_line(
    ledger: &mut Ledger,
    actor: &Actor,
    transfer_id: Uuid,
    product_id: Uuid,
) -> Result<Transfer> {
    actor.scope_for(Action::RequestTransfers)?;
    ledger.write(Some(actor), |write| {
        let transfer = editable(write, actor, transfer_id)?;
        check_line_edit(transfer.state, &["deleted_at"])?;
        let line = transfer
            .lines
            .iter()
            .find(|line| line.product_id == product_id)
            .ok_or_else(|| {
                Error::invalid(
                    "product_id",
                    format!("{} has no line of product {product_id}", transfer.number),
                )
            })?;
        let now = Timestamp::now();
        ledger::documents::archive_line(write, "transfer_lines", line.id, now)?;
        write.record(Change {
            entity: Entity::TransferLine,
            entity_id: line.id,
            kind: ChangeKind::Updated,
            payload: json!({ "deleted_at": now, "updated_at": now }),
            base_version: Some(line.version),
        })?;
        found(write.read(), transfer_id)
    })
}

/// The transfer, for a change of its lines by `actor`: while requested, who
/// may ask for stock at its destination (or Supply Chain); once approved,
/// Supply Chain.
fn editable(write: &Write<'_>, actor: &Actor, transfer_id: Uuid) -> Result<Transfer> {
    let transfer = found(write.read(), transfer_id)?;
    let to = Resource::at_location(transfer.to_location_id);
    match transfer.state {
        TransferState::Requested if !can(actor, Action::Distribute, &to) => {
            actor.require(Action::RequestTransfers, &to)?
        }
        _ => actor.require(Action::Distribute, &to)?,
    }
    Ok(transfer)
}

/// Checks and writes one line of a transfer in `state`, with its change.
fn put_line(
    write: &mut Write<'_>,
    transfer_id: Uuid,
    state: TransferState,
    new: NewTransferLine,
    base_version: Option<i64>,
) -> Result<()> {
    require_live::<Product>(write.read(), "product_id", Some(new.product_id))?;
    let quantity = PositiveCount::new(new.quantity)
        .map_err(Error::refused("quantity"))?
        .0;
    check_line_edit(state, &["quantity"])?;
    let now = Timestamp::now();
    match ledger::transfers::line_of(write.read(), transfer_id, new.product_id)? {
        None => {
            let id = Uuid::now_v7();
            ledger::transfers::put_line(write, id, transfer_id, new.product_id, quantity, now)?;
            write.record(Change {
                entity: Entity::TransferLine,
                entity_id: id,
                kind: ChangeKind::Created,
                payload: json!({
                    "id": id,
                    "transfer_id": transfer_id,
                    "product_id": new.product_id,
                    "quantity": quantity.to_string(),
                    "shipped": null,
                    "created_at": now,
                    "updated_at": now,
                }),
                base_version: None,
            })
        }
        Some(held) => {
            if let Some(expected) = base_version.filter(|expected| *expected != held.version) {
                return Err(Error::StaleVersion {
                    entity: Entity::TransferLine.noun(),
                    key: new.product_id.to_string(),
                    expected,
                    actual: held.version,
                });
            }
            if held.quantity == quantity && !held.removed {
                return Ok(());
            }
            ledger::transfers::put_line(
                write,
                held.id,
                transfer_id,
                new.product_id,
                quantity,
                now,
            )?;
            let mut payload = json!({ "quantity": quantity.to_string(), "updated_at": now });
            if held.removed {
                payload["deleted_at"] = serde_json::Value::Null;
            }
            write.record(Change {
                entity: Entity::TransferLine,
                entity_id: held.id,
                kind: ChangeKind::Updated,
                payload,
                base_version: Some(held.version),
            })
        }
    }
}
