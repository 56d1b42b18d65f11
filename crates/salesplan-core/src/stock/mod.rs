//! Stock (DESIGN §2.4): on-hand is the sum of movements, never a stored number,
//! so movements recorded offline on several laptops can never be lost.
//! `entry` records counts and adjustments typed in the app or the CLI,
//! `history` reads an item's movements back, `policy` works out what to keep
//! and when to order, `alerts` says what needs doing and projects the stock.

pub mod alerts;
mod entry;
mod history;
pub mod policy;

pub use crate::model::stock::StockMovement;
pub(crate) use entry::day_of;
pub use entry::{NewAdjustment, NewCount, adjust, count};
pub use history::{ItemHistory, MovementLine, movements};
pub use salesplan_domain::changes::records::StockReason;

use crate::access::{Action, Actor};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::reference::{Location, Product};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

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
}

/// On-hand stock per location and product in the actor's scope, by location and SKU.
pub fn on_hand(ledger: &Ledger, actor: &Actor) -> Result<Vec<OnHand>> {
    let scope = actor.scope_for(Action::ViewStock)?;
    let conn = ledger.read();
    let locations: HashMap<Uuid, Location> = ledger::reference::list::<Location>(conn, true)?
        .into_iter()
        .map(|location| (location.id, location.fields))
        .collect();
    let products: HashMap<Uuid, Product> = ledger::reference::list::<Product>(conn, true)?
        .into_iter()
        .map(|product| (product.id, product.fields))
        .collect();
    let mut rows = Vec::new();
    for ((location_id, product_id), quantity) in ledger::stock::on_hand(conn, scope, actor)? {
        // A movement's location and product are foreign keys: both exist.
        let location = locations
            .get(&location_id)
            .ok_or_else(|| Error::not_found("location", location_id))?;
        let product = products
            .get(&product_id)
            .ok_or_else(|| Error::not_found("product", product_id))?;
        rows.push(OnHand {
            location_id,
            location_code: location.code.clone(),
            location_name: location.name.clone(),
            product_id,
            sku: product.sku.clone(),
            product_name: product.name.clone(),
            unit: product.unit.clone(),
            quantity,
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
