//! Importing stock counts and movements. A movement row adds (receipt, transfer
//! in), takes away (issue, sale, transfer out) or adjusts by its quantity; a
//! count row states the level on its day and is stored as the movement that
//! brings the sum of movements to that level.

use super::cells::{self, Cell};
use super::fields::ImportKind;
use super::history::ImportRecord;
use super::report::{Findings, ImportReport};
use super::{
    Accept, Checked, ImportOutcome, ImportRequest, ProblemKind, Progress, Resolved, Source,
    check_acceptable, report_of, tick, unknown_name, write_import,
};
use crate::access::{Action, Actor, Resource, can};
use crate::error::{Error, Result};
use crate::ledger::{self, Ledger};
use crate::reference::{Location, Product};
use crate::timestamp::now_utc;
use rust_decimal::Decimal;
use std::collections::HashMap;
use time::Date;
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

struct Row {
    day: Date,
    location_id: Uuid,
    product_id: Uuid,
    reason: Reason,
    /// The movement (signed), or for a count the level.
    quantity: Decimal,
    note: String,
    fingerprint: i64,
}

type Named = HashMap<String, Result<Uuid, String>>;

fn lookup(
    map: &Named,
    cell: &Cell<'_>,
    what: &str,
    known: &[String],
) -> Result<Uuid, (ProblemKind, String)> {
    let text = cell.shown().trim().to_owned();
    match map.get(&text.to_lowercase()) {
        Some(Ok(id)) => Ok(*id),
        Some(Err(why)) => Err((ProblemKind::Unknown, why.clone())),
        None => Err((ProblemKind::Unknown, unknown_name(what, &text, known))),
    }
}

fn check_rows(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<(ImportReport, Vec<Row>)> {
    actor.scope_for(Action::PostStock)?;
    let conn = ledger.read();
    let info = source.info();
    let resolved = Resolved::new(ImportKind::Stock, &request.mapping, &info.headers)?;
    let (separator, order) = resolved.styles(source, request, &["quantity"], &["date"])?;
    let mut locations: Named = HashMap::new();
    let mut location_codes = Vec::new();
    for location in ledger::reference::list::<Location>(conn, true)? {
        let entry = match location.archived_at {
            Some(_) => Err(format!("{} is archived", location.fields.code)),
            None => Ok(location.id),
        };
        location_codes.push(location.fields.code.clone());
        locations.insert(location.fields.name.to_lowercase(), entry.clone());
        locations.insert(location.fields.code.to_lowercase(), entry);
    }
    let mut products: Named = HashMap::new();
    let mut skus = Vec::new();
    for product in ledger::reference::list::<Product>(conn, true)? {
        let entry = match product.archived_at {
            Some(_) => Err(format!("{} is archived", product.fields.sku)),
            None => Ok(product.id),
        };
        skus.push(product.fields.sku.clone());
        products.insert(product.fields.sku.to_lowercase(), entry);
    }
    let existing = ledger::imports::fact_fingerprints(conn, "stock_movements")?;
    let today = now_utc()[..10].to_owned();
    let mut findings = Findings::default();
    let mut rows = Vec::new();
    let mut first_seen: HashMap<i64, usize> = HashMap::new();
    let mut rows_read: usize = 0;
    let mut cancelled = false;
    source.rows(&mut |row_number, row| {
        rows_read += 1;
        cancelled = !tick(progress, 5000, rows_read, 0, info.rows.max(1) * 2);
        let mut problems: Vec<(&str, ProblemKind, String)> = Vec::new();
        let date_cell = resolved.cell("date", row);
        let day = if date_cell.is_blank() {
            problems.push(("date", ProblemKind::MissingValue, "is empty".into()));
            None
        } else {
            match cells::date(&date_cell, order) {
                None => {
                    problems.push(("date", ProblemKind::WrongType, format!("'{}' is not a date", date_cell.shown())));
                    None
                }
                Some(day) if day.to_string() > today => {
                    problems.push(("date", ProblemKind::ClosedPeriod, format!("{day} is in the future")));
                    None
                }
                Some(day) => Some(day),
            }
        };
        let mut named = |field: &'static str, map: &Named, what: &str, known: &[String]| {
            let cell = resolved.cell(field, row);
            if cell.is_blank() {
                problems.push((field, ProblemKind::MissingValue, "is empty".into()));
                return None;
            }
            lookup(map, &cell, what, known)
                .map_err(|(kind, message)| problems.push((field, kind, message)))
                .ok()
        };
        let location = named("location", &locations, "branch or warehouse", &location_codes);
        let product = named("sku", &products, "product", &skus);
        let reason_cell = resolved.cell("reason", row);
        let reason = if reason_cell.is_blank() {
            Some(Reason::Count)
        } else {
            let parsed = reason_of(&reason_cell.shown());
            if parsed.is_none() {
                problems.push((
                    "reason",
                    ProblemKind::WrongType,
                    format!(
                        "'{}' is not a kind of stock entry (count, receipt, issue, sale, transfer_in, transfer_out, adjustment)",
                        reason_cell.shown()
                    ),
                ));
            }
            parsed
        };
        let quantity_cell = resolved.cell("quantity", row);
        let quantity = if quantity_cell.is_blank() {
            problems.push(("quantity", ProblemKind::MissingValue, "is empty".into()));
            None
        } else {
            match cells::decimal(&quantity_cell, separator) {
                None => {
                    problems.push(("quantity", ProblemKind::WrongType, format!("'{}' is not a number", quantity_cell.shown())));
                    None
                }
                Some(level) if reason == Some(Reason::Count) && level.is_sign_negative() && !level.is_zero() => {
                    problems.push(("quantity", ProblemKind::Negative, format!("{level} is negative; a count cannot be below zero")));
                    None
                }
                Some(value) => Some(value),
            }
        };
        if let Some(location) = location
            && !can(actor, Action::PostStock, &Resource { owner_id: None, department_id: None, location_id: Some(location) })
        {
            problems.push(("location", ProblemKind::OutOfScope, format!("{} is outside your scope", resolved.cell("location", row).shown())));
        }
        let (Some(day), Some(location_id), Some(product_id), Some(reason), Some(quantity), true) =
            (day, location, product, reason, quantity, problems.is_empty())
        else {
            for (field, kind, message) in problems {
                findings.add(resolved.problem(row_number, field, kind, message));
            }
            return !cancelled;
        };
        let note = resolved.cell("note", row).shown();
        let quantity = reason.signed(quantity);
        let print = crate::sales::text_fingerprint(&format!(
            "{day}|{location_id}|{product_id}|{}|{}|{note}",
            reason.key(),
            quantity.normalize()
        )) as i64;
        if existing.contains(&print) {
            findings.add(resolved.problem(row_number, "date", ProblemKind::AlreadyInLedger, "this entry is already in the ledger"));
        } else if let Some(first) = first_seen.get(&print) {
            findings.add(resolved.problem(row_number, "date", ProblemKind::DuplicateInFile, format!("the same entry as row {first}")));
        } else {
            first_seen.insert(print, row_number);
            rows.push(Row { day, location_id, product_id, reason, quantity, note, fingerprint: print });
        }
        !cancelled
    })?;
    if cancelled {
        return Err(Error::Cancelled);
    }
    let found = Checked {
        separator,
        order,
        rows_read,
        rows_valid: rows.len(),
        findings,
    };
    let report = report_of(ledger, ImportKind::Stock, source, request, found)?;
    Ok((report, rows))
}

pub(super) fn preview(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    check_rows(ledger, actor, source, request, progress).map(|(report, _)| report)
}

pub(super) fn import(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    accept: Accept,
    progress: &dyn Progress,
) -> Result<ImportOutcome> {
    let (report, mut rows) = check_rows(ledger, actor, source, request, progress)?;
    check_acceptable(&report, request, accept)?;
    // Day by day, so a count sees every movement of the file before it.
    rows.sort_by_key(|row| row.day);
    let record = ImportRecord::new(
        ImportKind::Stock,
        source.info(),
        request,
        actor,
        report.rows_read,
        rows.len(),
    );
    // Every location and product was looked up while checking.
    let import = write_import(ledger, actor, &record, true, |write| {
        let import_id = record.id.to_string();
        for (index, row) in rows.iter().enumerate() {
            if !tick(
                progress,
                5000,
                index,
                report.rows_read,
                report.rows_read * 2,
            ) {
                return Err(Error::Cancelled);
            }
            let day = row.day.to_string();
            let quantity = match row.reason {
                Reason::Count => {
                    row.quantity
                        - ledger::stock::on_hand_at(
                            write.read(),
                            row.location_id,
                            row.product_id,
                            &day,
                        )?
                }
                _ => row.quantity,
            };
            ledger::stock::insert(
                write,
                &ledger::stock::Movement {
                    moved_on: &day,
                    location_id: row.location_id,
                    product_id: row.product_id,
                    quantity,
                    reason: row.reason.key(),
                    note: &row.note,
                    import_id: Some(&import_id),
                    fingerprint: Some(row.fingerprint),
                    created_by: actor.id,
                    created_at: &record.imported_at,
                },
            )?;
        }
        Ok(())
    })?;
    Ok(ImportOutcome { import, report })
}
