//! Stock (DESIGN §2.4): on-hand is the sum of movements, never a stored number,
//! so movements recorded offline on several laptops can never be lost.
//! `entry` records counts and adjustments typed in the app or the CLI,
//! `history` reads an item's movements back, `policy` works out what to keep
//! and when to order, `alerts` says what needs doing and projects the stock.

pub mod alerts;
mod availability;
mod entry;
mod history;
pub mod policy;
pub(crate) mod position;
mod table;

pub use crate::model::stock::StockMovement;
pub use availability::{Availability, AvailableItem, availability};
pub(crate) use entry::day_of;
pub use entry::{NewAdjustment, NewCount, adjust, count};
pub use history::{ItemHistory, MovementLine, movements};
pub use salesplan_domain::changes::records::StockReason;
pub use table::{StockColumns, StockTable, TableLocation, TableProduct, table};

use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Reader, Write};
use crate::reference::{Location, Product};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// An item's stock: what is on hand, what shipped transfers and open
/// purchase orders still bring, the position all that makes (what the
/// proposals and the alerts decide by), and what the stock on hand is worth
/// at the product's current cost.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OnHand {
    pub location_id: Uuid,
    pub location_code: String,
    pub location_name: String,
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub unit: String,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    /// Shipped to this location and not arrived yet.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub in_transit: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub on_order: Decimal,
    /// Its inventory position: on hand, in transit and on order, plus
    /// transfers approved to come, less those approved to leave (`position`).
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub available: Decimal,
    /// What one unit costs: the primary supplier's cost price, when it has one.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub unit_cost: Option<Decimal>,
    /// On hand at that cost (in the supplier's currency).
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub value: Option<Decimal>,
}

/// On-hand stock per location and product in the actor's scope, with what
/// is in transit to it, on order and its value, by location and SKU. An
/// item with nothing on hand but something on its way is listed too.
pub fn on_hand(ledger: &Ledger, actor: &Actor) -> Result<Vec<OnHand>> {
    let conn = ledger.read();
    on_hand_named(
        ledger,
        actor,
        &Names::load(conn)?,
        &position::Pipeline::read(conn, false)?,
    )
}

/// Every location and product, archived ones too, by id: what stock is named with.
pub(crate) struct Names {
    pub locations: HashMap<Uuid, Location>,
    pub products: HashMap<Uuid, Product>,
}

impl Names {
    pub(crate) fn load(conn: Reader<'_>) -> Result<Names> {
        Ok(Names {
            locations: ledger::reference::list::<Location>(conn, true)?
                .into_iter()
                .map(|location| (location.id, location.fields))
                .collect(),
            products: ledger::reference::list::<Product>(conn, true)?
                .into_iter()
                .map(|product| (product.id, product.fields))
                .collect(),
        })
    }
}

/// `on_hand`, with the names and the pipeline (open orders without drafts) already read.
pub(crate) fn on_hand_named(
    ledger: &Ledger,
    actor: &Actor,
    names: &Names,
    pipeline: &position::Pipeline,
) -> Result<Vec<OnHand>> {
    let scope = actor.scope_for(Action::ViewStock)?;
    let conn = ledger.read();
    let (locations, products) = (&names.locations, &names.products);
    let costs: HashMap<Uuid, Decimal> = ledger::suppliers::lines(conn, None, None, false)?
        .into_iter()
        .filter(|line| line.terms.is_primary)
        .map(|line| (line.terms.product_id, line.terms.cost_price))
        .collect();
    let mut items: HashMap<(Uuid, Uuid), Decimal> = ledger::stock::on_hand(conn, scope, actor)?
        .into_iter()
        .collect();
    let sees = |location_id| {
        crate::access::can(
            actor,
            Action::ViewStock,
            &Resource::at_location(location_id),
        )
    };
    // An item nothing is held of but something is coming to or promised from.
    for (item, _) in pipeline
        .on_order
        .iter()
        .chain(&pipeline.in_transit)
        .chain(&pipeline.approved_in)
        .chain(&pipeline.promised)
    {
        if sees(item.0) {
            items.entry(*item).or_default();
        }
    }
    let mut rows = Vec::new();
    for ((location_id, product_id), quantity) in items {
        let item = (location_id, product_id);
        let (in_transit, on_order) = (pipeline.in_transit(item), pipeline.on_order(item));
        // A movement's and an order's location and product are foreign keys: both exist.
        let location = locations
            .get(&location_id)
            .ok_or_else(|| Error::not_found("location", location_id))?;
        let product = products
            .get(&product_id)
            .ok_or_else(|| Error::not_found("product", product_id))?;
        let unit_cost = costs.get(&product_id).copied();
        rows.push(OnHand {
            location_id,
            location_code: location.code.clone(),
            location_name: location.name.clone(),
            product_id,
            sku: product.sku.clone(),
            product_name: product.name.clone(),
            unit: product.unit.clone(),
            quantity,
            in_transit,
            on_order,
            available: pipeline.position(item, quantity),
            unit_cost,
            value: unit_cost.map(|cost| crate::money::round(cost * quantity, 2)),
        });
    }
    rows.sort_by(|a, b| (&a.location_code, &a.sku).cmp(&(&b.location_code, &b.sku)));
    Ok(rows)
}

/// Appends a movement and the change that sends it to head office: the one
/// way a movement typed or made here (not imported) enters the ledger.
pub(crate) fn record(write: &mut Write<'_>, movement: &StockMovement) -> Result<()> {
    ledger::stock::insert(write, movement)?;
    write.record(Change {
        entity: Entity::StockMovement,
        entity_id: movement.id,
        kind: ChangeKind::Appended,
        payload: serde_json::to_value(movement).unwrap_or_default(),
        base_version: None,
    })
}
