//! Receiving an order: each line's receipt is a stock movement at the order's
//! location naming the line, all of one receipt in one write (a thousand lines
//! land together or not at all). What a line may still take is the domain's
//! rule (`purchasing::check_receipt`): head office applies the same.

use super::{PurchaseOrder, found};
use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::model::stock::StockMovement;
use crate::stock::day_of;
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use salesplan_domain::changes::records::StockReason;
use salesplan_domain::purchasing::{OrderState, check_receipt};
use salesplan_domain::values::Line;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;
use uuid::Uuid;

/// What arrived of an order, line by line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GoodsReceipt {
    pub lines: Vec<ReceivedLine>,
    /// `YYYY-MM-DD`, as typed; today when left out.
    #[serde(default)]
    #[ts(optional)]
    pub day: Option<String>,
}

/// What arrived of one line; a line with 0 is left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceivedLine {
    pub line_id: Uuid,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    /// Why more arrived than the order allows, when it did.
    #[serde(default)]
    pub reason: String,
}

/// Posts a receipt against an order: one receipt movement per line received.
pub fn receive(
    ledger: &mut Ledger,
    actor: &Actor,
    order_id: Uuid,
    receipt: GoodsReceipt,
) -> Result<PurchaseOrder> {
    actor.scope_for(Action::PostStock)?;
    let day = day_of(receipt.day.as_deref())?;
    ledger.write(Some(actor), |write| {
        let order = found(write.read(), order_id)?;
        actor.require(Action::PostStock, &Resource::at_location(order.location_id))?;
        let mut seen = HashSet::new();
        let mut received = 0;
        // Each line is decided with what the lines before it in this receipt
        // brought, as head office decides the receipts one after another.
        let mut quantities: Vec<(Decimal, Decimal)> = order
            .lines
            .iter()
            .map(|line| (line.quantity, line.received))
            .collect();
        let now = Timestamp::now();
        for (index, arrived) in receipt.lines.iter().enumerate() {
            let field = |name: &str| format!("lines[{index}].{name}");
            if !seen.insert(arrived.line_id) {
                return Err(Error::invalid(
                    field("line_id"),
                    "the line is in the receipt twice: give its whole quantity once",
                ));
            }
            if arrived.quantity.is_zero() {
                continue;
            }
            let (at, line) = order
                .lines
                .iter()
                .enumerate()
                .find(|(_, line)| line.id == arrived.line_id)
                .ok_or_else(|| {
                    Error::invalid(
                        field("line_id"),
                        format!("{} has no line {}", order.number, arrived.line_id),
                    )
                })?;
            let reason = arrived.reason.trim();
            Line::<1000>::try_from(reason.to_owned()).map_err(Error::refused(field("reason")))?;
            check_receipt(
                OrderState::of(order.status, &quantities),
                line.quantity,
                quantities[at].1,
                arrived.quantity,
                reason,
            )
            .map_err(|refusal| {
                let salesplan_domain::Error::Invalid { field: what, rule } = refusal else {
                    return Error::from(refusal);
                };
                let what = if what == "order_line_id" {
                    "order".to_owned()
                } else {
                    field(&what)
                };
                Error::invalid(what, format!("{} {}: {rule}", order.number, line.sku))
            })?;
            crate::stock::record(
                write,
                &StockMovement {
                    id: Uuid::now_v7(),
                    moved_on: day,
                    location_id: order.location_id,
                    product_id: line.product_id,
                    quantity: arrived.quantity,
                    reason: StockReason::Receipt,
                    note: reason.to_owned(),
                    import_id: None,
                    fingerprint: None,
                    order_line_id: Some(line.id),
                    transfer_line_id: None,
                    discrepancy: None,
                    created_by: actor.id,
                    created_at: now,
                },
            )?;
            quantities[at].1 += arrived.quantity;
            received += 1;
        }
        if received == 0 {
            return Err(Error::invalid(
                "lines",
                "nothing received: give a quantity for at least one line",
            ));
        }
        found(write.read(), order_id)
    })
}

/// Receives everything an order still expects, as ordered.
pub fn receive_outstanding(
    ledger: &mut Ledger,
    actor: &Actor,
    order_id: Uuid,
    day: Option<String>,
) -> Result<PurchaseOrder> {
    let order = super::order(ledger, actor, order_id)?;
    let lines = order
        .lines
        .iter()
        .filter(|line| !line.outstanding().is_zero())
        .map(|line| ReceivedLine {
            line_id: line.id,
            quantity: line.outstanding(),
            reason: String::new(),
        })
        .collect();
    receive(ledger, actor, order_id, GoodsReceipt { lines, day })
}
