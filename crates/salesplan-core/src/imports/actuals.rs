//! Importing actual sales: each row is a sale of a product at a branch on a day
//! (or in a month), optionally by a salesman to a customer. Checked against the
//! ledger's products, branches, salesmen and customers, the open periods and
//! the importer's scope; rows already in the ledger or repeated in the file are
//! found by their fingerprint and never imported twice.

use super::cells::{self, Cell};
use super::fields::ImportKind;
use super::history::ImportRecord;
use super::report::{Findings, ImportReport};
use super::{
    Accept, Checked, ImportOutcome, ImportRequest, Problem, ProblemKind, Progress, Resolved,
    Source, check_acceptable, report_of, tick, unknown_name, write_import,
};
use crate::access::{Action, Actor, Resource, Role, can};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::{self, Ledger};
use crate::reference::{Customer, Location, LocationKind, Product};
use crate::sales::{ActualSale, SaleKey, fingerprint};
use crate::timestamp::now_utc;
use rust_decimal::Decimal;
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// A checked row, compact (a million of them must fit in memory): ids are
/// indexes into the lookups, the month is `year * 100 + month`.
struct ValidSale {
    period: u32,
    day: Option<Date>,
    product: u32,
    location: u32,
    salesman: Option<u32>,
    customer: Option<u32>,
    quantity: Decimal,
    unit_price: Decimal,
    amount: Decimal,
    fingerprint: i64,
}

/// What the rows name, by the ways a file may name it (lower case).
struct Lookups {
    product_ids: Vec<(Uuid, Decimal)>,
    products: HashMap<String, Result<u32, String>>,
    location_ids: Vec<Uuid>,
    locations: HashMap<String, Result<u32, String>>,
    salesman_ids: Vec<(Uuid, Option<Uuid>)>,
    salesmen: HashMap<String, u32>,
    customer_ids: Vec<Uuid>,
    customers: HashMap<String, u32>,
    /// Known names, for "did you mean".
    known_skus: Vec<String>,
    known_branches: Vec<String>,
    known_salesmen: Vec<String>,
    known_customers: Vec<String>,
}

fn key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Files a name as the ledger spells it and in lower case.
fn both<V: Clone>(map: &mut HashMap<String, V>, name: &str, value: V) {
    map.insert(name.trim().to_owned(), value.clone());
    map.insert(key(name), value);
}

/// Looks a name up as written, and only when that fails in lower case (files
/// mostly spell codes as the ledger does, so most rows allocate nothing).
fn find<'m, V>(map: &'m HashMap<String, V>, cell: &Cell<'_>) -> Option<&'m V> {
    match cell {
        Cell::Text(text) => map.get(text.trim()).or_else(|| map.get(&key(text))),
        other => map.get(&key(&other.shown())),
    }
}

impl Lookups {
    fn load(conn: Reader<'_>) -> Result<Lookups> {
        let mut lookups = Lookups {
            product_ids: Vec::new(),
            products: HashMap::new(),
            location_ids: Vec::new(),
            locations: HashMap::new(),
            salesman_ids: Vec::new(),
            salesmen: HashMap::new(),
            customer_ids: Vec::new(),
            customers: HashMap::new(),
            known_skus: Vec::new(),
            known_branches: Vec::new(),
            known_salesmen: Vec::new(),
            known_customers: Vec::new(),
        };
        for product in ledger::reference::list::<Product>(conn, true)? {
            let entry = if product.archived_at.is_some() {
                Err(format!("{} is archived", product.fields.sku))
            } else {
                lookups.known_skus.push(product.fields.sku.clone());
                lookups
                    .product_ids
                    .push((product.id, product.fields.list_price));
                Ok(u32::try_from(lookups.product_ids.len() - 1).unwrap_or(u32::MAX))
            };
            both(&mut lookups.products, &product.fields.sku, entry);
        }
        for location in ledger::reference::list::<Location>(conn, true)? {
            let entry = if location.archived_at.is_some() {
                Err(format!("{} is archived", location.fields.code))
            } else if location.fields.kind != LocationKind::Branch {
                Err(format!(
                    "{} is a warehouse; sales belong to branches",
                    location.fields.code
                ))
            } else {
                lookups.known_branches.push(location.fields.code.clone());
                lookups.location_ids.push(location.id);
                Ok(u32::try_from(lookups.location_ids.len() - 1).unwrap_or(u32::MAX))
            };
            both(&mut lookups.locations, &location.fields.name, entry.clone());
            both(&mut lookups.locations, &location.fields.code, entry);
        }
        for user in ledger::users::list(conn)? {
            if user.profile.role != Role::Salesman || !user.active {
                continue;
            }
            lookups
                .salesman_ids
                .push((user.id, user.profile.department_id));
            let index = u32::try_from(lookups.salesman_ids.len() - 1).unwrap_or(u32::MAX);
            both(&mut lookups.salesmen, &user.profile.display_name, index);
            both(&mut lookups.salesmen, &user.username, index);
            lookups.known_salesmen.push(user.username);
        }
        for customer in ledger::reference::list::<Customer>(conn, false)? {
            lookups.customer_ids.push(customer.id);
            let index = u32::try_from(lookups.customer_ids.len() - 1).unwrap_or(u32::MAX);
            both(&mut lookups.customers, &customer.fields.code, index);
            lookups.known_customers.push(customer.fields.code);
        }
        Ok(lookups)
    }
}

fn period_text(period: u32) -> String {
    format!("{:04}-{:02}", period / 100, period % 100)
}

fn period_number(text: &str) -> Option<u32> {
    let (year, month) = text.split_once('-')?;
    Some(year.parse::<u32>().ok()? * 100 + month.parse::<u32>().ok()?)
}

/// Checks every row; answers the report and the valid sales.
fn check_rows(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<(ImportReport, Vec<ValidSale>, Lookups)> {
    actor.scope_for(Action::PostActuals)?;
    let info = source.info();
    let resolved = Resolved::new(ImportKind::Actuals, &request.mapping, &info.headers)?;
    let conn = ledger.read();
    let lookups = Lookups::load(conn)?;
    let existing = ledger::imports::fact_fingerprints(conn, "actual_sales")?;

    let (separator, order) = resolved.styles(
        source,
        request,
        &["quantity", "unit_price", "amount"],
        &["date"],
    )?;
    let this_month = period_number(&now_utc()[..7]).unwrap_or(u32::MAX);
    let last_closed = ledger::forecast::last_closed(conn)?;
    let closed_through = last_closed.as_deref().and_then(period_number).unwrap_or(0);

    let mut findings = Findings::default();
    let mut valid = Vec::with_capacity(info.rows);
    let mut first_seen: HashMap<i64, usize> = HashMap::with_capacity(info.rows);
    let mut rows_read: usize = 0;
    let mut cancelled = false;
    let total = info.rows.max(1);
    source.rows(&mut |row_number, row| {
        rows_read += 1;
        if !tick(progress, 20_000, rows_read, 0, total * 2) {
            cancelled = true;
            return false;
        }
        let mut problems: Vec<Problem> = Vec::new();
        let mut problem = |key: &str, kind: ProblemKind, message: String| {
            problems.push(resolved.problem(row_number, key, kind, message));
        };

        let date_cell = resolved.cell("date", row);
        let (period, day) = if date_cell.is_blank() {
            problem("date", ProblemKind::MissingValue, "is empty".into());
            (None, None)
        } else if let Some(day) = cells::date(&date_cell, order) {
            (
                Some(
                    u32::try_from(day.year()).unwrap_or(0) * 100 + u32::from(u8::from(day.month())),
                ),
                Some(day),
            )
        } else if let Some(month) = cells::month(&date_cell, order) {
            (period_number(&month), None)
        } else {
            problem(
                "date",
                ProblemKind::WrongType,
                format!("'{}' is not a date or a month", date_cell.shown()),
            );
            (None, None)
        };
        if let Some(period) = period.filter(|period| *period <= closed_through) {
            problem(
                "date",
                ProblemKind::ClosedPeriod,
                format!(
                    "{} is closed (months up to {} are); its sales are frozen",
                    period_text(period),
                    period_text(closed_through)
                ),
            );
        }
        if let Some(period) = period.filter(|period| *period > this_month) {
            problem(
                "date",
                ProblemKind::ClosedPeriod,
                format!(
                    "{} is in the future; actual sales go up to {}",
                    period_text(period),
                    period_text(this_month)
                ),
            );
        }

        let mut named = |field: &str,
                         what: &str,
                         map: &HashMap<String, Result<u32, String>>,
                         known: &[String]| {
            let cell = resolved.cell(field, row);
            if cell.is_blank() {
                problem(field, ProblemKind::MissingValue, "is empty".into());
                return None;
            }
            match find(map, &cell) {
                Some(Ok(index)) => Some(*index),
                Some(Err(why)) => {
                    problem(field, ProblemKind::Unknown, why.clone());
                    None
                }
                None => {
                    problem(
                        field,
                        ProblemKind::Unknown,
                        unknown_name(what, &cell.shown(), known),
                    );
                    None
                }
            }
        };
        let product = named("sku", "product", &lookups.products, &lookups.known_skus);
        let location = named(
            "branch",
            "branch",
            &lookups.locations,
            &lookups.known_branches,
        );

        let salesman_cell = resolved.cell("salesman", row);
        let salesman = if salesman_cell.is_blank() {
            None
        } else {
            let found = find(&lookups.salesmen, &salesman_cell).copied();
            if found.is_none() {
                problem(
                    "salesman",
                    ProblemKind::Unknown,
                    unknown_name("salesman", &salesman_cell.shown(), &lookups.known_salesmen),
                );
            }
            found
        };
        let customer_cell = resolved.cell("customer", row);
        let customer = if customer_cell.is_blank() {
            None
        } else {
            let found = find(&lookups.customers, &customer_cell).copied();
            if found.is_none() {
                problem(
                    "customer",
                    ProblemKind::Unknown,
                    unknown_name("customer", &customer_cell.shown(), &lookups.known_customers),
                );
            }
            found
        };

        let mut number = |field: &str, required: bool| -> Option<Decimal> {
            let cell = resolved.cell(field, row);
            if cell.is_blank() {
                if required {
                    problem(field, ProblemKind::MissingValue, "is empty".into());
                }
                return None;
            }
            let value = cells::decimal(&cell, separator);
            match value {
                None => problem(
                    field,
                    ProblemKind::WrongType,
                    format!("'{}' is not a number", cell.shown()),
                ),
                Some(value) if value.abs() >= Decimal::from(1_000_000_000) => {
                    problem(
                        field,
                        ProblemKind::OutOfRange,
                        format!("{value} is out of range (at most 999,999,999)"),
                    );
                }
                // The places head office keeps; it also bounds amount ÷ quantity
                // (a quantity of 10⁻²⁸ would overflow the division).
                Some(value) if value.normalize().scale() > places(field) => {
                    problem(
                        field,
                        ProblemKind::OutOfRange,
                        format!("{value} has more than {} decimal places", places(field)),
                    );
                }
                _ => {}
            }
            value
        };
        let quantity = number("quantity", true);
        let unit_price = number("unit_price", false);
        let amount = number("amount", false);
        if quantity.is_some_and(|quantity| quantity.is_zero()) {
            problem(
                "quantity",
                ProblemKind::OutOfRange,
                "is zero; a sale moves at least some quantity".into(),
            );
        }
        if let Some(price) = unit_price.filter(|price| price.is_sign_negative() && !price.is_zero())
        {
            problem(
                "unit_price",
                ProblemKind::Negative,
                format!("{price} is negative; a return is a negative quantity"),
            );
        }

        let mut scope_ok = true;
        if let (Some(location), Some(salesman_index)) =
            (location, salesman.map(|s| lookups.salesman_ids[s as usize]))
        {
            scope_ok = can(
                actor,
                Action::PostActuals,
                &Resource {
                    owner_id: Some(salesman_index.0),
                    department_id: salesman_index.1,
                    location_id: Some(lookups.location_ids[location as usize]),
                },
            );
        } else if let Some(location) = location {
            scope_ok = can(
                actor,
                Action::PostActuals,
                &Resource {
                    owner_id: None,
                    department_id: None,
                    location_id: Some(lookups.location_ids[location as usize]),
                },
            );
        }
        if !scope_ok {
            problem(
                "branch",
                ProblemKind::OutOfScope,
                format!(
                    "a sale of {} by {} is outside your scope",
                    resolved.cell("branch", row).shown(),
                    if salesman.is_some() {
                        salesman_cell.shown()
                    } else {
                        "nobody named".into()
                    }
                ),
            );
        }

        let (Some(period), Some(product), Some(location), Some(quantity), true) =
            (period, product, location, quantity, problems.is_empty())
        else {
            for found in problems {
                findings.add(found);
            }
            return true;
        };
        let (product_id, list_price) = lookups.product_ids[product as usize];
        let unit_price = match (unit_price, amount) {
            (Some(price), _) => price,
            // Bounded above (|amount| < 10⁹, quantity ≥ 10⁻⁶ and not zero): no overflow.
            (None, Some(amount)) => crate::money::cents(amount / quantity),
            (None, None) => list_price,
        };
        let amount = amount.map_or_else(
            || crate::money::cents(quantity * unit_price),
            crate::money::cents,
        );
        let day_text = day.map_or_else(|| period_text(period), |day| day.to_string());
        let reference = resolved.cell("reference", row).shown();
        let print = fingerprint(&SaleKey {
            day: &day_text,
            product_id,
            location_id: lookups.location_ids[location as usize],
            salesman_id: salesman.map(|s| lookups.salesman_ids[s as usize].0),
            customer_id: customer.map(|c| lookups.customer_ids[c as usize]),
            quantity,
            unit_price,
            reference: &reference,
        });
        if existing.contains(&print) {
            findings.add(resolved.problem(
                row_number,
                "date",
                ProblemKind::AlreadyInLedger,
                "this sale is already in the ledger (imported or entered before)",
            ));
            return true;
        }
        if let Some(first) = first_seen.get(&print) {
            findings.add(resolved.problem(
                row_number,
                "date",
                ProblemKind::DuplicateInFile,
                format!(
                    "the same sale as row {first} (add a document number column if both are real)"
                ),
            ));
            return true;
        }
        first_seen.insert(print, row_number);
        valid.push(ValidSale {
            period,
            day,
            product,
            location,
            salesman,
            customer,
            quantity,
            unit_price,
            amount,
            fingerprint: print,
        });
        true
    })?;
    if cancelled {
        return Err(Error::Cancelled);
    }
    let checked = Checked {
        separator,
        order,
        rows_read,
        rows_valid: valid.len(),
        findings,
    };
    let report = report_of(ledger, ImportKind::Actuals, source, request, checked)?;
    Ok((report, valid, lookups))
}

pub(super) fn check(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    check_rows(ledger, actor, source, request, progress).map(|(report, _, _)| report)
}

pub(super) fn import(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    accept: Accept,
    progress: &dyn Progress,
) -> Result<ImportOutcome> {
    let (report, valid, lookups) = check_rows(ledger, actor, source, request, progress)?;
    check_acceptable(&report, request, accept)?;
    let info = source.info();
    let record = ImportRecord::new(
        ImportKind::Actuals,
        info,
        request,
        actor,
        report.rows_read,
        valid.len(),
    );
    let now = record.imported_at.clone();
    let total = report.rows_read.max(1);
    // Every product, branch, salesman and customer was looked up while checking;
    // one change record names the import, and its rows travel with it, by its id.
    let import = write_import(ledger, actor, &record, true, |write| {
        let import_id = record.id.to_string();
        for (index, sale) in valid.iter().enumerate() {
            if !tick(progress, 20_000, index, total, total * 2) {
                return Err(Error::Cancelled);
            }
            let day = sale.day.map(|day| day.to_string());
            let posted = ActualSale {
                id: Uuid::now_v7(),
                period: period_text(sale.period),
                product_id: lookups.product_ids[sale.product as usize].0,
                location_id: lookups.location_ids[sale.location as usize],
                salesman_id: sale.salesman.map(|s| lookups.salesman_ids[s as usize].0),
                customer_id: sale.customer.map(|c| lookups.customer_ids[c as usize]),
                quantity: sale.quantity,
                unit_price: sale.unit_price,
                amount: sale.amount,
                created_by: actor.id,
                created_at: now.clone(),
            };
            let origin = ledger::sales::SaleOrigin {
                import_id: Some(&import_id),
                sold_on: day.as_deref(),
                fingerprint: sale.fingerprint,
            };
            ledger::sales::insert(write, &posted, &origin)?;
        }
        progress.update(total * 2, total * 2);
        Ok(())
    })?;
    Ok(ImportOutcome { import, report })
}

/// Decimal places a file's number may have in `field`: a quantity's or money's, as head office keeps them.
fn places(field: &str) -> u32 {
    if field == "quantity" {
        salesplan_domain::values::QUANTITY_PLACES
    } else {
        salesplan_domain::values::MONEY_PLACES
    }
}
