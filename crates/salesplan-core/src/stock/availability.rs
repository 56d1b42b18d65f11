//! Stock availability: how much of each product each location holds, for
//! every role, read-only — what a salesman quotes from. A laptop that syncs
//! holds only some of the sales (a salesman's own, a branch's), so its own sum
//! would be wrong: it shows head office's levels as of the last sync. A ledger
//! that does not sync holds every sale and sums its own movements.

use crate::access::{Action, Actor, Resource, Scope};
use crate::error::Result;
use crate::ledger::{self, Ledger};
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// Every item's on hand, by location code and SKU.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Availability {
    /// Whether these are head office's levels (this ledger syncs) or its own sums.
    pub from_head_office: bool,
    /// When head office summed them; none before the first sync, and for a
    /// ledger's own sums (which are current).
    pub as_of: Option<Timestamp>,
    pub items: Vec<AvailableItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AvailableItem {
    pub location_id: Uuid,
    pub location_code: String,
    pub location_name: String,
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub unit: String,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub on_hand: Decimal,
}

/// What every location holds, as the actor may see it (every role may).
pub fn availability(ledger: &Ledger, actor: &Actor) -> Result<Availability> {
    actor.require(Action::ViewAvailability, &Resource::company())?;
    let conn = ledger.read();
    let from_head_office = crate::sync::state::connection(ledger)?.is_some();
    let (as_of, levels): (Option<Timestamp>, ledger::stock::Levels) = if from_head_office {
        ledger::stock::availability(conn)?
    } else {
        (None, ledger::stock::on_hand(conn, Scope::All, actor)?)
    };
    let names = super::Names::load(conn)?;
    let mut items: Vec<AvailableItem> = levels
        .into_iter()
        // A level of a record this laptop has not received yet waits for the next sync.
        .filter_map(|((location_id, product_id), on_hand)| {
            let location = names.locations.get(&location_id)?;
            let product = names.products.get(&product_id)?;
            Some(AvailableItem {
                location_id,
                location_code: location.code.clone(),
                location_name: location.name.clone(),
                product_id,
                sku: product.sku.clone(),
                product_name: product.name.clone(),
                unit: product.unit.clone(),
                on_hand,
            })
        })
        .collect();
    items.sort_by(|a, b| (&a.location_code, &a.sku).cmp(&(&b.location_code, &b.sku)));
    Ok(Availability {
        from_head_office,
        as_of,
        items,
    })
}
