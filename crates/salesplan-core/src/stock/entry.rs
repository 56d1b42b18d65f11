//! Stock typed by a person: a stocktake count (the level found; stored as the
//! movement that brings the sum to it) and an adjustment (a correction with
//! its reason). Each is one movement, recorded and sent like any fact.

use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Ledger, Reader};
use crate::model::stock::StockMovement;
use crate::reference::{Location, Product, require_live};
use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use salesplan_domain::changes::records::StockReason;
use salesplan_domain::values::Quantity;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A stocktake: how many of a product were found at a location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewCount {
    pub location_id: Uuid,
    pub product_id: Uuid,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub counted: Decimal,
    /// `YYYY-MM-DD`, as typed; today when left out.
    #[serde(default)]
    #[ts(optional)]
    pub day: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// A correction of an item's stock (damage, loss, found), with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewAdjustment {
    pub location_id: Uuid,
    pub product_id: Uuid,
    /// Signed: negative takes stock away.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub reason: String,
    /// `YYYY-MM-DD`, as typed; today when left out.
    #[serde(default)]
    #[ts(optional)]
    pub day: Option<String>,
}

/// Records a count: the movement that brings the item's stock on that day to
/// what was counted (zero when it already was: the count is still a fact).
pub fn count(ledger: &mut Ledger, actor: &Actor, new: NewCount) -> Result<StockMovement> {
    actor.scope_for(Action::PostStock)?;
    if new.counted.is_sign_negative() && !new.counted.is_zero() {
        return Err(Error::invalid("counted", "a count cannot be negative"));
    }
    let counted = bounded("counted", new.counted)?;
    let item = Item {
        location_id: new.location_id,
        product_id: new.product_id,
        moved_on: day_of(new.day.as_deref())?,
    };
    post(
        ledger,
        actor,
        item,
        StockReason::Count,
        new.note.trim(),
        |conn, item| {
            let level =
                ledger::stock::on_hand_at(conn, item.location_id, item.product_id, item.moved_on)?;
            bounded("counted", counted - level)
        },
    )
}

/// Records an adjustment; its reason is required and kept as the movement's note.
pub fn adjust(ledger: &mut Ledger, actor: &Actor, new: NewAdjustment) -> Result<StockMovement> {
    actor.scope_for(Action::PostStock)?;
    let reason = new.reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            "say why the stock is adjusted (damaged, lost, found…)",
        ));
    }
    if new.quantity.is_zero() {
        return Err(Error::invalid(
            "quantity",
            "an adjustment changes the stock: give a quantity other than 0",
        ));
    }
    let quantity = bounded("quantity", new.quantity)?;
    let item = Item {
        location_id: new.location_id,
        product_id: new.product_id,
        moved_on: day_of(new.day.as_deref())?,
    };
    post(
        ledger,
        actor,
        item,
        StockReason::Adjustment,
        reason,
        |_, _| Ok(quantity),
    )
}

/// Within what head office keeps: a value it would refuse never enters.
fn bounded(field: &str, quantity: Decimal) -> Result<Decimal> {
    Ok(Quantity::new(quantity).map_err(Error::refused(field))?.0)
}

/// The day typed (today when none), not after today.
pub(crate) fn day_of(typed: Option<&str>) -> Result<Day> {
    let today = Day::today();
    let day = match typed.map(str::trim).filter(|text| !text.is_empty()) {
        None => today,
        Some(text) => Day::parse("day", text)?,
    };
    if day > today {
        return Err(Error::invalid(
            "day",
            format!("{day} is in the future; stock is recorded as it is found"),
        ));
    }
    Ok(day)
}

struct Item {
    location_id: Uuid,
    product_id: Uuid,
    moved_on: Day,
}

/// In one write: the item checked (live, in the actor's scope), then its
/// movement of `quantity(ledger, item)` recorded (a count reads the stock it
/// finds a difference to; an adjustment reads nothing).
fn post(
    ledger: &mut Ledger,
    actor: &Actor,
    item: Item,
    reason: StockReason,
    note: &str,
    quantity: impl FnOnce(Reader<'_>, &Item) -> Result<Decimal>,
) -> Result<StockMovement> {
    ledger.write(Some(actor), |write| {
        let conn = write.read();
        require_live::<Location>(conn, "location_id", Some(item.location_id))?;
        require_live::<Product>(conn, "product_id", Some(item.product_id))?;
        actor.require(Action::PostStock, &Resource::at_location(item.location_id))?;
        let quantity = quantity(conn, &item)?;
        let movement = StockMovement {
            id: Uuid::now_v7(),
            moved_on: item.moved_on,
            location_id: item.location_id,
            product_id: item.product_id,
            quantity,
            reason,
            note: note.to_owned(),
            import_id: None,
            fingerprint: None,
            order_line_id: None,
            transfer_line_id: None,
            discrepancy: None,
            created_by: actor.id,
            created_at: Timestamp::now(),
        };
        super::record(write, &movement)?;
        Ok(movement)
    })
}
