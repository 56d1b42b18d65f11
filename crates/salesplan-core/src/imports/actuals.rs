//! Importing actual sales: each row is a sale of a product at a branch on a day
//! (or in a month), optionally by a salesman to a customer. Checked against the
//! ledger's products, branches, salesmen and customers, the open periods and
//! the importer's scope; rows already in the ledger or repeated in the file are
//! found by their fingerprint and never imported twice.

use super::cells;
use super::fields::ImportKind;
use super::history::ImportRecord;
use super::importer::{Importer, Writing};
use super::line::{Codes, Line, Repeat, Seen};
use super::{ImportRequest, ProblemKind};
use crate::access::{Action, Actor, Resource, Role, can};
use crate::error::Result;
use crate::ledger::{self, Reader, Write};
use crate::month::Month;
use crate::reference::{Customer, Location, LocationKind, Product};
use crate::sales::{ActualSale, SaleKey, fingerprint};
use crate::timestamp::Day;
use rust_decimal::Decimal;
use uuid::Uuid;

/// A checked row, compact (a million of them must fit in memory): ids are
/// indexes into the importer's lists.
pub(super) struct ValidSale {
    period: Month,
    day: Option<Day>,
    product: u32,
    location: u32,
    salesman: Option<u32>,
    customer: Option<u32>,
    quantity: Decimal,
    unit_price: Decimal,
    amount: Decimal,
    fingerprint: i64,
}

/// What sales rows are read against.
pub(super) struct Actuals {
    actor: Actor,
    products: Codes<u32>,
    product_ids: Vec<(Uuid, Decimal)>,
    locations: Codes<u32>,
    location_ids: Vec<Uuid>,
    salesmen: Codes<u32>,
    salesman_ids: Vec<(Uuid, Option<Uuid>)>,
    customers: Codes<u32>,
    customer_ids: Vec<Uuid>,
    seen: Seen<i64>,
    this_month: Month,
    closed_through: Option<Month>,
}

/// The index the next element of `list` will have.
fn next_index<T>(list: &[T]) -> u32 {
    u32::try_from(list.len()).unwrap_or(u32::MAX)
}

impl Importer for Actuals {
    const KIND: ImportKind = ImportKind::Actuals;
    const NUMBERS: &'static [&'static str] = &["quantity", "unit_price", "amount"];
    const DATES: &'static [&'static str] = &["date"];
    const EVERY: usize = 20_000;
    // Every product, branch, salesman and customer is looked up while checking.
    const CHECKED_BULK: bool = true;
    type Row = ValidSale;

    fn open(conn: Reader<'_>, actor: &Actor, _request: &ImportRequest) -> Result<Actuals> {
        actor.scope_for(Action::PostActuals)?;
        let mut actuals = Actuals {
            actor: actor.clone(),
            products: Codes::new("product"),
            product_ids: Vec::new(),
            locations: Codes::new("branch"),
            location_ids: Vec::new(),
            salesmen: Codes::new("salesman"),
            salesman_ids: Vec::new(),
            customers: Codes::new("customer"),
            customer_ids: Vec::new(),
            seen: Seen::new(ledger::imports::fact_fingerprints(conn, "actual_sales")?),
            this_month: Month::current(),
            closed_through: ledger::forecast::last_closed(conn)?,
        };
        for product in ledger::reference::list::<Product>(conn, true)? {
            let entry = if product.archived_at.is_some() {
                Err(format!("{} is archived", product.fields.sku))
            } else {
                actuals
                    .product_ids
                    .push((product.id, product.fields.list_price));
                Ok(next_index(&actuals.product_ids) - 1)
            };
            actuals.products.add(&product.fields.sku, &[], entry);
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
                actuals.location_ids.push(location.id);
                Ok(next_index(&actuals.location_ids) - 1)
            };
            actuals
                .locations
                .add(&location.fields.code, &[&location.fields.name], entry);
        }
        for user in ledger::users::list(conn)? {
            if user.profile.role != Role::Salesman || !user.active {
                continue;
            }
            let index = next_index(&actuals.salesman_ids);
            actuals
                .salesman_ids
                .push((user.id, user.profile.department_id));
            actuals
                .salesmen
                .add(&user.username, &[&user.profile.display_name], Ok(index));
        }
        for customer in ledger::reference::list::<Customer>(conn, false)? {
            let index = next_index(&actuals.customer_ids);
            actuals.customer_ids.push(customer.id);
            actuals.customers.add(&customer.fields.code, &[], Ok(index));
        }
        Ok(actuals)
    }

    fn expect_rows(&mut self, rows: usize) {
        self.seen.reserve(rows);
    }

    fn check(&mut self, line: &mut Line<'_>) -> Option<ValidSale> {
        let (period, day) = self.period(line);
        let product = line.named("sku", &self.products, true);
        let location = line.named("branch", &self.locations, true);
        let salesman = line.named("salesman", &self.salesmen, false);
        let customer = line.named("customer", &self.customers, false);
        let quantity = bounded(line, "quantity", true);
        let unit_price = bounded(line, "unit_price", false);
        let amount = bounded(line, "amount", false);
        if quantity.is_some_and(|quantity| quantity.is_zero()) {
            line.problem(
                "quantity",
                ProblemKind::OutOfRange,
                "is zero; a sale moves at least some quantity",
            );
        }
        if let Some(price) = unit_price.filter(|price| price.is_sign_negative() && !price.is_zero())
        {
            line.problem(
                "unit_price",
                ProblemKind::Negative,
                format!("{price} is negative; a return is a negative quantity"),
            );
        }
        if let Some(location) = location {
            let (owner_id, department_id) = salesman
                .map(|s| self.salesman_ids[s as usize])
                .map_or((None, None), |(id, department)| (Some(id), department));
            let resource = Resource {
                owner_id,
                department_id,
                location_id: Some(self.location_ids[location as usize]),
            };
            if !can(&self.actor, Action::PostActuals, &resource) {
                let by = match salesman {
                    Some(_) => line.cell("salesman").shown(),
                    None => "nobody named".into(),
                };
                let branch = line.cell("branch").shown();
                line.problem(
                    "branch",
                    ProblemKind::OutOfScope,
                    format!("a sale of {branch} by {by} is outside your scope"),
                );
            }
        }

        let (Some(period), Some(product), Some(location), Some(quantity), true) =
            (period, product, location, quantity, line.is_clean())
        else {
            return None;
        };
        let (product_id, list_price) = self.product_ids[product as usize];
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
        let day_text = day.map_or_else(|| period.to_string(), |day| day.to_string());
        let reference = line.cell("reference").shown();
        let print = fingerprint(&SaleKey {
            day: &day_text,
            product_id,
            location_id: self.location_ids[location as usize],
            salesman_id: salesman.map(|s| self.salesman_ids[s as usize].0),
            customer_id: customer.map(|c| self.customer_ids[c as usize]),
            quantity,
            unit_price,
            reference: &reference,
        });
        match self.seen.first(print, line.number()) {
            Err(Repeat::InLedger) => line.problem(
                "date",
                ProblemKind::AlreadyInLedger,
                "this sale is already in the ledger (imported or entered before)",
            ),
            Err(Repeat::OnRow(first)) => line.problem(
                "date",
                ProblemKind::DuplicateInFile,
                format!(
                    "the same sale as row {first} (add a document number column if both are real)"
                ),
            ),
            Ok(()) => {}
        }
        line.is_clean().then_some(ValidSale {
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
        })
    }

    fn write(
        self,
        write: &mut Write<'_>,
        actor: &Actor,
        record: &ImportRecord,
        rows: Vec<ValidSale>,
        writing: &Writing<'_>,
    ) -> Result<()> {
        // One change record names the import; its rows travel with it, by its id.
        let import_id = record.id.to_string();
        let issues_stock = ledger::settings::sales_issue_stock(write.read())?;
        for (index, sale) in rows.iter().enumerate() {
            writing.row(index)?;
            let posted = ActualSale {
                id: Uuid::now_v7(),
                period: sale.period,
                product_id: self.product_ids[sale.product as usize].0,
                location_id: self.location_ids[sale.location as usize],
                salesman_id: sale.salesman.map(|s| self.salesman_ids[s as usize].0),
                customer_id: sale.customer.map(|c| self.customer_ids[c as usize]),
                quantity: sale.quantity,
                unit_price: sale.unit_price,
                amount: sale.amount,
                created_by: actor.id,
                created_at: record.imported_at,
                issues_stock,
            };
            let origin = ledger::sales::SaleOrigin {
                import_id: Some(&import_id),
                sold_on: sale.day,
                fingerprint: sale.fingerprint,
            };
            ledger::sales::insert(write, &posted, &origin)?;
        }
        Ok(())
    }
}

impl Actuals {
    /// The row's month and its day when the file gives one: within the open
    /// periods, not in the future.
    fn period(&self, line: &mut Line<'_>) -> (Option<Month>, Option<Day>) {
        let cell = line.cell("date");
        let order = line.styles().order;
        let (period, day) = if cell.is_blank() {
            line.problem("date", ProblemKind::MissingValue, "is empty");
            (None, None)
        } else if let Some(day) = cells::date(&cell, order).and_then(Day::from_date) {
            (Some(day.month()), Some(day))
        } else if let Some(month) = cells::month(&cell, order) {
            (Some(month), None)
        } else {
            line.problem(
                "date",
                ProblemKind::WrongType,
                format!("'{}' is not a date or a month", cell.shown()),
            );
            (None, None)
        };
        if let (Some(period), Some(closed)) = (period, self.closed_through)
            && period <= closed
        {
            line.problem(
                "date",
                ProblemKind::ClosedPeriod,
                format!("{period} is closed (months up to {closed} are); its sales are frozen"),
            );
        }
        if let Some(period) = period.filter(|period| *period > self.this_month) {
            line.problem(
                "date",
                ProblemKind::ClosedPeriod,
                format!(
                    "{period} is in the future; actual sales go up to {}",
                    self.this_month
                ),
            );
        }
        (period, day)
    }
}

/// A number within what head office keeps: below 10⁹, and no more decimal places than it stores.
fn bounded(line: &mut Line<'_>, field: &str, required: bool) -> Option<Decimal> {
    let value = line.decimal(field, required)?;
    if value.abs() >= Decimal::from(1_000_000_000) {
        line.problem(
            field,
            ProblemKind::OutOfRange,
            format!("{value} is out of range (at most 999,999,999)"),
        );
    } else if value.normalize().scale() > places(field) {
        // The places head office keeps; it also bounds amount ÷ quantity
        // (a quantity of 10⁻²⁸ would overflow the division).
        line.problem(
            field,
            ProblemKind::OutOfRange,
            format!("{value} has more than {} decimal places", places(field)),
        );
    }
    Some(value)
}

/// Decimal places a file's number may have in `field`: a quantity's or money's, as head office keeps them.
fn places(field: &str) -> u32 {
    if field == "quantity" {
        salesplan_domain::values::QUANTITY_PLACES
    } else {
        salesplan_domain::values::MONEY_PLACES
    }
}
