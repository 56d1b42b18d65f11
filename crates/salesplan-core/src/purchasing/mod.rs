//! Buying from suppliers (DESIGN §2.4): purchase orders from draft to sent to
//! received, or cancelled. `orders` makes and changes them, `receive` posts
//! what arrives, `proposal` says what to order. The steps and what a receipt
//! may bring are the domain's (`salesplan_domain::purchasing`), so a laptop
//! and head office decide them alike.

mod orders;
pub mod proposal;
mod receive;

pub use crate::model::purchasing::{OrderLine, PurchaseOrder};
pub use orders::{NewLine, NewOrder, cancel, create, remove_line, send, set_line};
pub use receive::{GoodsReceipt, ReceivedLine, receive, receive_outstanding};
pub use salesplan_domain::purchasing::{
    OVER_RECEIPT_TOLERANCE_PERCENT, OrderState, OrderStatus, OrderStep,
};

use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Entity, Ledger, Reader};
use crate::numbered::Numbered;
use uuid::Uuid;

/// The orders of the locations the actor sees stock of, newest first.
pub fn orders(ledger: &Ledger, actor: &Actor) -> Result<Vec<PurchaseOrder>> {
    let scope = actor.scope_for(Action::ViewStock)?;
    ledger::purchasing::orders(ledger.read(), scope, actor)
}

/// One order, with its lines and what they received.
pub fn order(ledger: &Ledger, actor: &Actor, id: Uuid) -> Result<PurchaseOrder> {
    let order = found(ledger.read(), id)?;
    actor.require(Action::ViewStock, &Resource::at_location(order.location_id))?;
    Ok(order)
}

/// The order a person names: its number (`PO-20261206-3F2A`), the end of it
/// (`3F2A`) or its id.
pub fn find(ledger: &Ledger, actor: &Actor, named: &str) -> Result<PurchaseOrder> {
    let id = ORDERS.id_named(ledger.read(), named)?;
    order(ledger, actor, id)
}

const ORDERS: Numbered = Numbered {
    table: "purchase_orders",
    prefix: "PO",
    noun: "purchase order",
};

fn found(conn: Reader<'_>, id: Uuid) -> Result<PurchaseOrder> {
    ledger::purchasing::find(conn, id)?
        .ok_or_else(|| Error::not_found(Entity::PurchaseOrder.noun(), id))
}
