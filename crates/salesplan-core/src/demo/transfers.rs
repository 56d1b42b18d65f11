//! The demo's transfers this month, one in every state, taken by the people
//! whose work they are: Bella (BR-N's branch manager) asks, Sven (Supply
//! Chain) approves and ships, Bella receives, once two short with the reason.

use crate::access::Actor;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::reference::{self, Location, Product};
use crate::transfers::{self, ArrivedLine, NewTransfer, NewTransferLine, TransferReceipt};
use crate::users;
use rust_decimal::Decimal;
use uuid::Uuid;

/// (to, SKU, quantity, how far it goes): requested, approved, in transit,
/// partly received, received two short, cancelled.
const TRANSFERS: [(&str, &str, i64, Stage); 6] = [
    ("BR-N", "BEV-020", 24, Stage::Requested),
    ("BR-S", "DRY-010", 36, Stage::Approved),
    ("BR-E", "FRZ-010", 24, Stage::Shipped),
    ("BR-N", "HOU-010", 24, Stage::PartlyReceived),
    ("BR-N", "BEV-030", 24, Stage::ReceivedShort),
    ("BR-N", "SNK-010", 12, Stage::Cancelled),
];

/// What the warehouse is short of, and how much of it is left there.
pub const SHORT_AT_WAREHOUSE: &str = "BEV-020";
const LEFT_AT_WAREHOUSE: i64 = 60;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Requested,
    Approved,
    Shipped,
    PartlyReceived,
    ReceivedShort,
    Cancelled,
}

pub(super) fn create(ledger: &mut Ledger, admin: &Actor) -> Result<usize> {
    let actor = |ledger: &Ledger, username: &str| -> Result<Actor> {
        Ok(users::find(ledger, admin, username)?.actor())
    };
    let (bella, sven) = (actor(ledger, "bella")?, actor(ledger, "sven")?);
    let location = |ledger: &Ledger, code: &str| -> Result<Uuid> {
        Ok(reference::find::<Location>(ledger, admin, code)?.id)
    };
    let warehouse = location(ledger, "WH-1")?;
    // A pallet of the water North Branch needs most went down at the
    // warehouse: it holds less than the branches need, and the replenishment
    // proposal has to share it out.
    let short = reference::find::<Product>(ledger, admin, SHORT_AT_WAREHOUSE)?.id;
    let held = crate::stock::on_hand(ledger, &sven)?
        .into_iter()
        .find(|row| row.location_id == warehouse && row.product_id == short)
        .map_or(Decimal::ZERO, |row| row.quantity);
    if held > Decimal::from(LEFT_AT_WAREHOUSE) {
        let dropped = crate::stock::NewAdjustment {
            location_id: warehouse,
            product_id: short,
            quantity: Decimal::from(LEFT_AT_WAREHOUSE) - held,
            reason: "pallet dropped by the forklift".into(),
            day: None,
        };
        crate::stock::adjust(ledger, &sven, dropped)?;
    }
    for (to, sku, quantity, stage) in TRANSFERS {
        let product = reference::find::<Product>(ledger, admin, sku)?.id;
        // Bella asks for her branch; Sven asks for the others.
        let asker = if to == "BR-N" { &bella } else { &sven };
        let new = NewTransfer {
            from_location_id: warehouse,
            to_location_id: location(ledger, to)?,
            note: String::new(),
            lines: vec![NewTransferLine {
                product_id: product,
                quantity: Decimal::from(quantity),
            }],
        };
        let id = transfers::request(ledger, asker, new)?.id;
        if stage == Stage::Cancelled {
            transfers::cancel(ledger, &bella, id, "found enough on the shelf")?;
            continue;
        }
        if stage == Stage::Requested {
            continue;
        }
        transfers::approve(ledger, &sven, id)?;
        if stage == Stage::Approved {
            continue;
        }
        let shipped = transfers::ship(ledger, &sven, id, &[])?;
        let line = shipped
            .lines
            .first()
            .ok_or_else(|| Error::invalid("lines", "a demo transfer has a line"))?;
        let arrived = match stage {
            Stage::PartlyReceived => ArrivedLine {
                line_id: line.id,
                received: Decimal::from(quantity / 2),
                ..ArrivedLine::default()
            },
            Stage::ReceivedShort => ArrivedLine {
                line_id: line.id,
                received: Decimal::from(quantity - 2),
                short: Decimal::TWO,
                reason: "two cases missing from the pallet".into(),
                ..ArrivedLine::default()
            },
            _ => continue,
        };
        let receipt = TransferReceipt {
            lines: vec![arrived],
            day: None,
        };
        transfers::receive(ledger, &bella, id, receipt)?;
    }
    Ok(TRANSFERS.len())
}
