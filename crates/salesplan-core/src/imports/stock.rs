//! Importing stock counts and movements. A movement row adds (receipt, transfer
//! in), takes away (issue, sale, transfer out) or adjusts by its quantity; a
//! count row states the level on its day and is stored as the movement that
//! brings the sum of movements to that level.

use super::fields::ImportKind;
use super::history::ImportRecord;
use super::importer::{Importer, Writing};
use super::line::{Codes, Line, Repeat, Seen};
use super::{ImportRequest, ProblemKind};
use crate::access::{Action, Actor, Resource, can};
use crate::error::Result;
use crate::ledger::{self, Reader, Write};
use crate::model::stock::StockMovement;
use crate::reference::{Location, Product};
use crate::timestamp::Day;
use rust_decimal::Decimal;
use uuid::Uuid;

use salesplan_domain::changes::records::StockReason as Reason;

/// The reason a file's cell names, in the words exports use (English and German).
fn reason_of(text: &str) -> Option<Reason> {
    let normal = super::fields::normalised(text);
    Some(match normal.as_str() {
        "count" | "stockcount" | "stocktake" | "inventory" | "level" | "onhand" | "bestand"
        | "inventur" => Reason::Count,
        "receipt" | "goodsreceipt" | "in" | "received" | "eingang" | "wareneingang" => {
            Reason::Receipt
        }
        "issue" | "out" | "ausgang" | "warenausgang" => Reason::Issue,
        "sale" | "sold" | "verkauf" => Reason::Sale,
        "transferin" => Reason::TransferIn,
        "transferout" => Reason::TransferOut,
        "adjustment" | "correction" | "korrektur" => Reason::Adjustment,
        _ => return None,
    })
}

pub(super) struct Row {
    day: Day,
    location_id: Uuid,
    product_id: Uuid,
    reason: Reason,
    /// The movement (signed), or for a count the level.
    quantity: Decimal,
    note: String,
    fingerprint: i64,
}

/// What stock rows are read against.
pub(super) struct Stock {
    actor: Actor,
    locations: Codes,
    products: Codes,
    seen: Seen<i64>,
    today: Day,
}

impl Importer for Stock {
    const KIND: ImportKind = ImportKind::Stock;
    const NUMBERS: &'static [&'static str] = &["quantity"];
    const DATES: &'static [&'static str] = &["date"];
    const EVERY: usize = 5000;
    // Every location and product is looked up while checking.
    const CHECKED_BULK: bool = true;
    type Row = Row;

    fn open(conn: Reader<'_>, actor: &Actor, _request: &ImportRequest) -> Result<Stock> {
        actor.scope_for(Action::PostStock)?;
        let mut locations = Codes::new("branch or warehouse");
        for location in ledger::reference::list::<Location>(conn, true)? {
            let entry = match location.archived_at {
                Some(_) => Err(format!("{} is archived", location.fields.code)),
                None => Ok(location.id),
            };
            locations.add(&location.fields.code, &[&location.fields.name], entry);
        }
        Ok(Stock {
            actor: actor.clone(),
            locations,
            products: Codes::load::<Product>("product", conn)?,
            seen: Seen::new(ledger::imports::fact_fingerprints(conn, "stock_movements")?),
            today: Day::today(),
        })
    }

    fn expect_rows(&mut self, rows: usize) {
        self.seen.reserve(rows);
    }

    fn check(&mut self, line: &mut Line<'_>) -> Option<Row> {
        let day = line.date("date").filter(|day| {
            let past = *day <= self.today;
            if !past {
                line.problem(
                    "date",
                    ProblemKind::ClosedPeriod,
                    format!("{day} is in the future"),
                );
            }
            past
        });
        let location_id = line.named("location", &self.locations, true);
        let product_id = line.named("sku", &self.products, true);
        let reason = match line.text("reason") {
            None => Some(Reason::Count),
            Some(text) => {
                let parsed = reason_of(&text);
                if parsed.is_none() {
                    line.problem(
                        "reason",
                        ProblemKind::WrongType,
                        format!(
                            "'{text}' is not a kind of stock entry (count, receipt, issue, sale, transfer_in, transfer_out, adjustment)"
                        ),
                    );
                }
                parsed
            }
        };
        let quantity = line.decimal("quantity", true).filter(|level| {
            let below_zero =
                reason == Some(Reason::Count) && level.is_sign_negative() && !level.is_zero();
            if below_zero {
                line.problem(
                    "quantity",
                    ProblemKind::Negative,
                    format!("{level} is negative; a count cannot be below zero"),
                );
            }
            !below_zero
        });
        if let Some(location) = location_id
            && !can(
                &self.actor,
                Action::PostStock,
                &Resource::at_location(location),
            )
        {
            let named = line.cell("location").shown();
            line.problem(
                "location",
                ProblemKind::OutOfScope,
                format!("{named} is outside your scope"),
            );
        }
        let (Some(day), Some(location_id), Some(product_id), Some(reason), Some(quantity), true) = (
            day,
            location_id,
            product_id,
            reason,
            quantity,
            line.is_clean(),
        ) else {
            return None;
        };
        let note = line.cell("note").shown();
        let quantity = reason.signed(quantity);
        let print = crate::sales::text_fingerprint(&format!(
            "{day}|{location_id}|{product_id}|{}|{}|{note}",
            reason.key(),
            quantity.normalize()
        )) as i64;
        match self.seen.first(print, line.number()) {
            Err(Repeat::InLedger) => line.problem(
                "date",
                ProblemKind::AlreadyInLedger,
                "this entry is already in the ledger",
            ),
            Err(Repeat::OnRow(first)) => line.problem(
                "date",
                ProblemKind::DuplicateInFile,
                format!("the same entry as row {first}"),
            ),
            Ok(()) => {}
        }
        line.is_clean().then_some(Row {
            day,
            location_id,
            product_id,
            reason,
            quantity,
            note,
            fingerprint: print,
        })
    }

    fn write(
        self,
        write: &mut Write<'_>,
        actor: &Actor,
        record: &ImportRecord,
        mut rows: Vec<Row>,
        writing: &Writing<'_>,
    ) -> Result<()> {
        // Day by day, so a count sees every movement of the file before it.
        rows.sort_by_key(|row| row.day);
        for (index, row) in rows.iter().enumerate() {
            writing.row(index)?;
            let quantity = match row.reason {
                Reason::Count => {
                    row.quantity
                        - ledger::stock::on_hand_at(
                            write.read(),
                            row.location_id,
                            row.product_id,
                            row.day,
                        )?
                }
                _ => row.quantity,
            };
            ledger::stock::insert(
                write,
                &StockMovement {
                    id: Uuid::now_v7(),
                    moved_on: row.day,
                    location_id: row.location_id,
                    product_id: row.product_id,
                    quantity,
                    reason: row.reason,
                    note: row.note.clone(),
                    import_id: Some(record.id),
                    fingerprint: Some(row.fingerprint),
                    order_line_id: None,
                    transfer_line_id: None,
                    discrepancy: None,
                    created_by: actor.id,
                    created_at: record.imported_at,
                },
            )?;
        }
        Ok(())
    }
}
