//! Receiving a transfer at its destination: what arrived of each line as
//! shipped, and what did not, each recorded with a reason as its own
//! movement: a shortfall or a damage arrives and is written off at once, a
//! surplus arrives over what shipped. One receipt is one write (a 500-line
//! transfer lands together or not at all), and it closes the transfer when
//! nothing is left on its way. What a line may still take is the domain's
//! rule (`transfers::check_arrival`): head office applies the same.

use super::steps::take;
use super::{Transfer, found};
use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, Write};
use crate::model::stock::StockMovement;
use crate::stock::{StockReason, day_of};
use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use salesplan_domain::transfers::{Discrepancy, Flow, TransferState, TransferStep, check_arrival};
use salesplan_domain::values::Line;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;
use uuid::Uuid;

/// What arrived of a transfer, line by line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TransferReceipt {
    pub lines: Vec<ArrivedLine>,
    /// `YYYY-MM-DD`, as typed; today when left out.
    #[serde(default)]
    #[ts(optional)]
    pub day: Option<String>,
}

/// What arrived of one line: as shipped, and what did not (each needs the reason).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ArrivedLine {
    pub line_id: Uuid,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub received: Decimal,
    #[ts(type = "string")]
    #[serde(default, with = "rust_decimal::serde::str")]
    pub short: Decimal,
    #[ts(type = "string")]
    #[serde(default, with = "rust_decimal::serde::str")]
    pub damaged: Decimal,
    #[ts(type = "string")]
    #[serde(default, with = "rust_decimal::serde::str")]
    pub surplus: Decimal,
    /// Why some did not arrive as shipped, when it did not.
    #[serde(default)]
    pub reason: String,
}

/// Records what arrived of a transfer at its destination; closes it when
/// nothing is left on its way.
pub fn receive(
    ledger: &mut Ledger,
    actor: &Actor,
    transfer_id: Uuid,
    receipt: TransferReceipt,
) -> Result<Transfer> {
    actor.scope_for(Action::PostStock)?;
    let day = day_of(receipt.day.as_deref())?;
    ledger.write(Some(actor), |write| {
        receive_in(write, actor, transfer_id, &receipt.lines, day)?;
        found(write.read(), transfer_id)
    })
}

/// Receives everything still on its way, as shipped.
pub fn receive_all(
    ledger: &mut Ledger,
    actor: &Actor,
    transfer_id: Uuid,
    day: Option<String>,
) -> Result<Transfer> {
    let transfer = super::transfer(ledger, actor, transfer_id)?;
    let lines = transfer
        .lines
        .iter()
        .filter(|line| !line.in_transit.is_zero())
        .map(|line| ArrivedLine {
            line_id: line.id,
            received: line.in_transit,
            ..ArrivedLine::default()
        })
        .collect();
    receive(ledger, actor, transfer_id, TransferReceipt { lines, day })
}

/// A receipt inside an open write (the demo's too), checked as `receive` checks it.
pub(crate) fn receive_in(
    write: &mut Write<'_>,
    actor: &Actor,
    transfer_id: Uuid,
    arrived: &[ArrivedLine],
    day: Day,
) -> Result<()> {
    let transfer = found(write.read(), transfer_id)?;
    actor.require(
        Action::PostStock,
        &Resource::at_location(transfer.to_location_id),
    )?;
    // Each line is decided with what the lines and kinds before it in this
    // receipt brought, as head office decides the movements one after another.
    let mut flows: Vec<Flow> = transfer.lines.iter().map(|line| line.flow()).collect();
    let mut seen = HashSet::new();
    let mut recorded = 0;
    let now = Timestamp::now();
    for (index, line_arrived) in arrived.iter().enumerate() {
        let place = format!("lines[{index}]");
        if !seen.insert(line_arrived.line_id) {
            return Err(Error::invalid(
                format!("{place}.line_id"),
                "the line is in the receipt twice: give what arrived of it once",
            ));
        }
        let (at, line) = transfer
            .lines
            .iter()
            .enumerate()
            .find(|(_, line)| line.id == line_arrived.line_id)
            .ok_or_else(|| {
                Error::invalid(
                    format!("{place}.line_id"),
                    format!("{} has no line {}", transfer.number, line_arrived.line_id),
                )
            })?;
        let reason = line_arrived.reason.trim();
        Line::<1000>::try_from(reason.to_owned())
            .map_err(Error::refused(format!("{place}.reason")))?;
        for (discrepancy, quantity) in [
            (None, line_arrived.received),
            (Some(Discrepancy::Short), line_arrived.short),
            (Some(Discrepancy::Damaged), line_arrived.damaged),
            (Some(Discrepancy::Surplus), line_arrived.surplus),
        ] {
            if quantity.is_zero() {
                continue;
            }
            let field = discrepancy.map_or("received", Discrepancy::key);
            let state = TransferState::of(transfer.status, &flows);
            check_arrival(state, flows[at], quantity, discrepancy, reason).map_err(|refusal| {
                let salesplan_domain::Error::Invalid { field: what, rule } = refusal else {
                    return Error::from(refusal);
                };
                let what = match what.as_str() {
                    "transfer_line_id" => "transfer".to_owned(),
                    "quantity" => format!("{place}.{field}"),
                    other => format!("{place}.{other}"),
                };
                Error::invalid(what, format!("{} {}: {rule}", transfer.number, line.sku))
            })?;
            let movement = |quantity: Decimal, reason_kind: StockReason| StockMovement {
                id: Uuid::now_v7(),
                moved_on: day,
                location_id: transfer.to_location_id,
                product_id: line.product_id,
                quantity: reason_kind.signed(quantity),
                reason: reason_kind,
                // What arrived as shipped names its transfer; a discrepancy says why.
                note: match discrepancy {
                    Some(_) => reason.to_owned(),
                    None => transfer.number.clone(),
                },
                import_id: None,
                fingerprint: None,
                order_line_id: None,
                transfer_line_id: Some(line.id),
                discrepancy,
                created_by: actor.id,
                created_at: now,
            };
            crate::stock::record(write, &movement(quantity, StockReason::TransferIn))?;
            if discrepancy.is_some_and(Discrepancy::is_written_off) {
                crate::stock::record(write, &movement(-quantity, StockReason::Adjustment))?;
            }
            flows[at].arrived += quantity;
            recorded += 1;
        }
    }
    if recorded == 0 {
        return Err(Error::invalid(
            "lines",
            "nothing received: give what arrived of at least one line",
        ));
    }
    if TransferState::of(transfer.status, &flows) == TransferState::Received {
        take(write, actor, transfer_id, TransferStep::Close, "")?;
    }
    Ok(())
}
