//! Stock (DESIGN §2.4): on-hand is the sum of movements, never a stored number,
//! so movements recorded offline on several laptops can never be lost.

use crate::access::{Action, Actor};
use crate::error::Result;
use crate::ledger::{self, Ledger};
use crate::reference::{Location, Product};
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OnHand {
    pub location_id: Uuid,
    pub location_code: String,
    pub product_id: Uuid,
    pub sku: String,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
}

/// On-hand stock per location and product in the actor's scope, by location and SKU.
pub fn on_hand(ledger: &Ledger, actor: &Actor) -> Result<Vec<OnHand>> {
    let scope = actor.scope_for(Action::ViewStock)?;
    let conn = ledger.read();
    let locations = ledger::reference::list::<Location>(conn, true)?;
    let products = ledger::reference::list::<Product>(conn, true)?;
    let mut rows: Vec<OnHand> = ledger::stock::on_hand(conn, scope, actor)?
        .into_iter()
        .map(|((location_id, product_id), quantity)| OnHand {
            location_id,
            location_code: locations
                .iter()
                .find(|location| location.id == location_id)
                .map(|location| location.fields.code.clone())
                .unwrap_or_default(),
            product_id,
            sku: products
                .iter()
                .find(|product| product.id == product_id)
                .map(|product| product.fields.sku.clone())
                .unwrap_or_default(),
            quantity,
        })
        .collect();
    rows.sort_by(|a, b| (&a.location_code, &a.sku).cmp(&(&b.location_code, &b.sku)));
    Ok(rows)
}
