//! Moving stock between locations (DESIGN §2.5): transfers from request to
//! approval, shipment (stock in transit), receipt (with what did not arrive
//! as shipped) and close, or cancelled before they ship. `request` makes and
//! changes them, `steps` approves, ships and cancels, `receive` records what
//! arrives and closes a transfer nothing of which is left on its way. The steps and what a movement may bring are the
//! domain's (`salesplan_domain::transfers`), so a laptop and head office
//! decide them alike.

pub mod allocation;
mod rebalance;
mod receive;
pub mod replenish;
mod request;
mod steps;

pub use crate::model::transfers::{Transfer, TransferEvent, TransferLine};
pub use allocation::Rule;
pub use rebalance::{Rebalance, SURPLUS_DAYS, rebalance};
pub use receive::{ArrivedLine, TransferReceipt, receive, receive_all};
pub use replenish::{
    BranchNeed, ReleaseLine, ReplenishItem, ReplenishRequest, Replenishment, propose, release,
};
pub use request::{NewTransfer, NewTransferLine, remove_line, request, set_line};
pub use salesplan_domain::transfers::{Discrepancy, TransferState, TransferStatus, TransferStep};
pub use steps::{ShippedLine, approve, cancel, ship};

use crate::access::{Action, Actor, Resource, can};
use crate::error::{Error, Result};
use crate::ledger::{self, Ledger, Reader};
use crate::numbered::Numbered;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;
use uuid::Uuid;

const TRANSFERS: Numbered = Numbered {
    table: "transfers",
    prefix: "TR",
    noun: "transfer",
};

/// The transfers touching the locations the actor sees, newest first; only
/// those in `state` when given.
pub fn transfers(
    ledger: &Ledger,
    actor: &Actor,
    state: Option<TransferState>,
) -> Result<Vec<Transfer>> {
    let scope = actor.scope_for(Action::ViewTransfers)?;
    let mut all = ledger::transfers::transfers(ledger.read(), scope, actor)?;
    all.retain(|transfer| state.is_none_or(|state| transfer.state == state));
    Ok(all)
}

/// One transfer, with its lines, what arrived and who took each step.
pub fn transfer(ledger: &Ledger, actor: &Actor, id: Uuid) -> Result<Transfer> {
    let transfer = found(ledger.read(), id)?;
    require_at_either_end(actor, Action::ViewTransfers, &transfer)?;
    Ok(transfer)
}

/// The transfer a person names: its number (`TR-20261206-3F2A`), the end of
/// it (`3F2A`) or its id.
pub fn find(ledger: &Ledger, actor: &Actor, named: &str) -> Result<Transfer> {
    let id = TRANSFERS.id_named(ledger.read(), named)?;
    transfer(ledger, actor, id)
}

fn found(conn: Reader<'_>, id: Uuid) -> Result<Transfer> {
    ledger::transfers::find(conn, id)?
        .ok_or_else(|| Error::not_found(ledger::Entity::Transfer.noun(), id))
}

/// The actor holds `action` where the transfer leaves or where it goes.
fn require_at_either_end(actor: &Actor, action: Action, transfer: &Transfer) -> Result<()> {
    let from = Resource::at_location(transfer.from_location_id);
    if can(actor, action, &from) {
        return Ok(());
    }
    Ok(actor.require(action, &Resource::at_location(transfer.to_location_id))?)
}

/// What is on its way between two locations.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Lane {
    pub from_location_id: Uuid,
    pub from_code: String,
    pub to_location_id: Uuid,
    pub to_code: String,
    /// The transfers on their way on this lane, by number.
    pub transfers: Vec<String>,
    /// Units in transit, all products together.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub in_transit: Decimal,
    /// How many products are on their way.
    pub products: usize,
}

/// What is in transit, lane by lane, of the transfers the actor sees.
pub fn lanes(ledger: &Ledger, actor: &Actor) -> Result<Vec<Lane>> {
    let mut lanes: BTreeMap<(String, String), Lane> = BTreeMap::new();
    for transfer in transfers(ledger, actor, None)? {
        if !transfer.state.is_moving() {
            continue;
        }
        let lane = lanes
            .entry((transfer.from_code.clone(), transfer.to_code.clone()))
            .or_insert_with(|| Lane {
                from_location_id: transfer.from_location_id,
                from_code: transfer.from_code.clone(),
                to_location_id: transfer.to_location_id,
                to_code: transfer.to_code.clone(),
                transfers: Vec::new(),
                in_transit: Decimal::ZERO,
                products: 0,
            });
        lane.transfers.push(transfer.number.clone());
        lane.in_transit += transfer.in_transit();
        lane.products += transfer
            .lines
            .iter()
            .filter(|line| !line.in_transit.is_zero())
            .count();
    }
    Ok(lanes.into_values().collect())
}
