//! An item's movements (a product at a location), oldest first, each with the
//! stock it left: what the drill from the stock list shows.

use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Ledger};
use crate::model::stock::StockMovement;
use crate::reference::{Location, Product};
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// One movement and the item's stock after it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MovementLine {
    pub movement: StockMovement,
    /// Who recorded it (their username), when this ledger knows them.
    pub recorded_by: Option<String>,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub balance: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ItemHistory {
    pub location_id: Uuid,
    /// "NORTH North Branch".
    pub location: String,
    pub product_id: Uuid,
    /// "FRZ-010 Frozen peas".
    pub product: String,
    pub unit: String,
    /// The sum of every movement.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub on_hand: Decimal,
    pub movements: Vec<MovementLine>,
}

/// The movements of a product at a location, for one who may see that location's stock.
pub fn movements(
    ledger: &Ledger,
    actor: &Actor,
    location_id: Uuid,
    product_id: Uuid,
) -> Result<ItemHistory> {
    actor.require(Action::ViewStock, &Resource::at_location(location_id))?;
    let conn = ledger.read();
    let location = ledger::reference::get::<Location>(conn, location_id)?
        .ok_or_else(|| Error::not_found("location", location_id))?;
    let product = ledger::reference::get::<Product>(conn, product_id)?
        .ok_or_else(|| Error::not_found("product", product_id))?;
    let mut balance = Decimal::ZERO;
    let mut names: std::collections::HashMap<Uuid, Option<String>> =
        std::collections::HashMap::new();
    let mut movements = Vec::new();
    for movement in ledger::stock::movements_of(conn, location_id, product_id)? {
        balance += movement.quantity;
        let recorded_by = match names.get(&movement.created_by) {
            Some(name) => name.clone(),
            None => {
                let name =
                    ledger::users::get(conn, movement.created_by)?.map(|row| row.user.username);
                names.insert(movement.created_by, name.clone());
                name
            }
        };
        movements.push(MovementLine {
            movement,
            recorded_by,
            balance,
        });
    }
    Ok(ItemHistory {
        location_id,
        location: format!("{} {}", location.fields.code, location.fields.name),
        product_id,
        product: format!("{} {}", product.fields.sku, product.fields.name),
        unit: product.fields.unit,
        on_hand: balance,
        movements,
    })
}
