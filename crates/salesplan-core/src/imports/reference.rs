//! Importing reference records (products, customers, locations, departments,
//! product and budget categories, suppliers): a row creates the record named by its key
//! (SKU, code) or updates it; a row that changes nothing writes nothing. What an
//! import changed is kept as before-images, so reversing it restores the old
//! fields and archives what it created.

use super::fields::ImportKind;
use super::history::ImportRecord;
use super::importer::{Importer, Writing};
use super::line::{Codes, Line, Repeat, Seen};
use super::{ImportRequest, ProblemKind};
use crate::access::{Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Reader, Write};
use crate::reference::{
    BudgetCategory, Channel, Customer, Department, Location, LocationKind, Product,
    ProductCategory, ReferenceFields, Stored, Supplier, create_in, set_archived_in, update_in,
};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;
use uuid::Uuid;

/// What a row's cells mean for one kind of reference record.
pub(super) trait Importable: ReferenceFields {
    const KIND: ImportKind;
    /// The fields read as numbers.
    const NUMBERS: &'static [&'static str] = &[];

    /// The record a row describes, given the stored one with the same key;
    /// `None` with the problems noted on the line otherwise.
    fn from_row(context: &Context, line: &mut Line<'_>, current: Option<&Self>) -> Option<Self>;
}

/// The records rows name (product categories and locations, by code) and the
/// company's currency, a new supplier's unless its row says otherwise.
pub(super) struct Context {
    categories: Codes,
    locations: Codes,
    currency: String,
}

impl Importable for Product {
    const KIND: ImportKind = ImportKind::Products;
    const NUMBERS: &'static [&'static str] = &["list_price"];

    fn from_row(context: &Context, line: &mut Line<'_>, current: Option<&Self>) -> Option<Self> {
        let sku = line.required_text("sku");
        let name = line.required_text("name");
        let category_id = line.named("category", &context.categories, true);
        let price = line.decimal("list_price", true);
        let list_price = line.not_negative("list_price", price);
        let active = line
            .flag("active")
            .unwrap_or_else(|| current.is_none_or(|product| product.active));
        let unit = line
            .text("unit")
            .or_else(|| current.map(|product| product.unit.clone()))
            .unwrap_or_else(|| "pcs".into());
        Some(Product {
            sku: sku?,
            name: name?,
            category_id: category_id?,
            unit,
            list_price: list_price?,
            active,
        })
    }
}

impl Importable for Customer {
    const KIND: ImportKind = ImportKind::Customers;

    fn from_row(context: &Context, line: &mut Line<'_>, current: Option<&Self>) -> Option<Self> {
        let code = line.required_text("code");
        let name = line.required_text("name");
        let channel = match line.text("channel") {
            None => current.map_or(Channel::Retail, |customer| customer.channel),
            Some(_) => line
                .one_of("channel", "retail, wholesale, online, distributor")
                .unwrap_or(Channel::Retail),
        };
        // An empty cell of a column read clears the branch; no column keeps it.
        let location_id = line
            .optional(
                "location",
                current.and_then(|customer| customer.location_id),
                |line| line.named("location", &context.locations, true),
            )
            .flatten();
        Some(Customer {
            code: code?,
            name: name?,
            channel,
            location_id,
        })
    }
}

/// Runs `$body` with `$F` the record type a reference import of `$kind` writes;
/// an error for a kind that is not one.
macro_rules! with_record_type {
    ($kind:expr, |$F:ident| $body:expr) => {
        $crate::imports::reference::with_record_type!(@each $kind, $F, $body,
            Products => Product, Customers => Customer, Locations => Location,
            Departments => Department, ProductCategories => ProductCategory,
            BudgetCategories => BudgetCategory, Suppliers => Supplier)
    };
    (@each $kind:expr, $F:ident, $body:expr, $($variant:ident => $record:ident),+) => {
        match $kind {
            $(crate::imports::fields::ImportKind::$variant => {
                type $F = crate::reference::$record;
                $body
            })+
            other => Err(crate::error::Error::invalid(
                "kind",
                format!("{} is not reference data", other.key()),
            )),
        }
    };
}
pub(crate) use with_record_type;

/// Records that are a code and a name, nothing more.
macro_rules! code_and_name {
    ($($record:ident => $kind:ident),+) => {$(
        impl Importable for $record {
            const KIND: ImportKind = ImportKind::$kind;

            fn from_row(_context: &Context, line: &mut Line<'_>, _current: Option<&Self>) -> Option<Self> {
                let code = line.required_text("code");
                let name = line.required_text("name");
                Some($record { code: code?, name: name? })
            }
        }
    )+};
}

code_and_name!(
    Department => Departments,
    ProductCategory => ProductCategories,
    BudgetCategory => BudgetCategories
);

impl Importable for Location {
    const KIND: ImportKind = ImportKind::Locations;

    fn from_row(_context: &Context, line: &mut Line<'_>, current: Option<&Self>) -> Option<Self> {
        let code = line.required_text("code");
        let name = line.required_text("name");
        let kind = match line.text("kind") {
            None => current.map_or(LocationKind::Branch, |location| location.kind),
            Some(_) => line
                .one_of("kind", "branch, warehouse")
                .unwrap_or(LocationKind::Branch),
        };
        let city = line.text_or("city", || current.map(|location| location.city.clone()));
        Some(Location {
            code: code?,
            name: name?,
            kind,
            city,
        })
    }
}

impl Importable for Supplier {
    const KIND: ImportKind = ImportKind::Suppliers;
    const NUMBERS: &'static [&'static str] = &["lead_time_days", "lead_time_sd_days", "order_cost"];

    fn from_row(context: &Context, line: &mut Line<'_>, current: Option<&Self>) -> Option<Self> {
        let code = line.required_text("code");
        let name = line.required_text("name");
        let contact = line.text_or("contact", || {
            current.map(|supplier| supplier.contact.clone())
        });
        let currency = line
            .text("currency")
            .or_else(|| current.map(|supplier| supplier.currency.clone()))
            .unwrap_or_else(|| context.currency.clone());
        // A new supplier needs its lead time; a known one keeps it unless the row says.
        let lead_time_days = match current {
            Some(supplier) if line.text("lead_time_days").is_none() => {
                Some(supplier.lead_time_days)
            }
            _ => line.days("lead_time_days"),
        };
        let kept = |value: Option<Decimal>, field: fn(&Supplier) -> Decimal| {
            value.or_else(|| current.map(field)).unwrap_or_default()
        };
        let variability = line.decimal("lead_time_sd_days", false);
        let order_cost = line.decimal("order_cost", false);
        Some(Supplier {
            code: code?,
            name: name?,
            contact,
            currency,
            lead_time_days: lead_time_days?,
            lead_time_sd_days: kept(variability, |supplier| supplier.lead_time_sd_days),
            order_cost: kept(order_cost, |supplier| supplier.order_cost),
        })
    }
}

/// A checked row: the record as it will be, and the stored one it replaces.
pub(super) struct Row<F: ReferenceFields> {
    fields: F,
    current: Option<Stored<F>>,
}

/// What reference rows of one kind are read against: the records rows name,
/// and the stored records by key (each taken by the row that replaces it).
pub(super) struct References<F: ReferenceFields> {
    context: Context,
    stored: HashMap<String, Stored<F>>,
    /// A key once per file.
    seen: Seen<String>,
    kind: PhantomData<F>,
}

impl<F: Importable> Importer for References<F> {
    const KIND: ImportKind = F::KIND;
    const NUMBERS: &'static [&'static str] = F::NUMBERS;
    type Row = Row<F>;

    fn open(conn: Reader<'_>, actor: &Actor, _request: &ImportRequest) -> Result<References<F>> {
        actor.require(F::EDIT, &Resource::company())?;
        Ok(References {
            context: Context {
                categories: Codes::load::<ProductCategory>("product category", conn)?,
                locations: Codes::load::<Location>("branch", conn)?,
                currency: ledger::settings::get(conn)?
                    .map(|settings| settings.company.currency)
                    .unwrap_or_default(),
            },
            stored: ledger::reference::list::<F>(conn, true)?
                .into_iter()
                .map(|row| (row.fields.key().to_lowercase(), row))
                .collect(),
            seen: Seen::new(HashSet::new()),
            kind: PhantomData,
        })
    }

    fn check(&mut self, line: &mut Line<'_>) -> Option<Row<F>> {
        // The record's key field (sku, code) is also the import field's name.
        let key_field = F::KEY_FIELD;
        let key = line.text(key_field).unwrap_or_default().to_lowercase();
        let current = self.stored.get(&key);
        let fields = F::from_row(&self.context, line, current.map(|row| &row.fields))?;
        if !line.is_clean() {
            return None;
        }
        let mut fields = match fields.validated() {
            Ok(fields) => fields,
            Err(Error::Invalid { field, rule }) => {
                line.problem(&field, ProblemKind::WrongType, rule);
                return None;
            }
            Err(other) => {
                line.problem(key_field, ProblemKind::WrongType, other.to_string());
                return None;
            }
        };
        if let Err(Repeat::OnRow(first)) = self.seen.first(key.clone(), line.number()) {
            line.problem(
                key_field,
                ProblemKind::DuplicateInFile,
                format!(
                    "{key_field} '{}' is also on row {first}",
                    key.to_uppercase()
                ),
            );
            return None;
        }
        let current = self.stored.remove(&key);
        if let Some(current) = &current {
            // A key written in another case names the record; it does not rename it.
            current.fields.key().clone_into(fields.key_mut());
        }
        Some(Row { fields, current })
    }

    fn write(
        self,
        write: &mut Write<'_>,
        _actor: &Actor,
        record: &ImportRecord,
        rows: Vec<Row<F>>,
        writing: &Writing<'_>,
    ) -> Result<()> {
        for (index, row) in rows.into_iter().enumerate() {
            writing.row(index)?;
            let (id, before) = match row.current {
                // Only what changes is written: a record the file holds as it is stays untouched.
                Some(current) if current.fields == row.fields => continue,
                Some(current) => {
                    let before = serde_json::to_string(&current.fields).unwrap_or_default();
                    update_in(write, current.id, row.fields)?;
                    (current.id, Some(before))
                }
                None => (create_in(write, row.fields)?.id, None),
            };
            ledger::imports::insert_before_image(
                write,
                record.id,
                F::ENTITY,
                id,
                before.as_deref(),
            )?;
        }
        Ok(())
    }
}

/// Undoes an import of reference records: restores what it changed, archives what it created.
pub(super) fn reverse<F: ReferenceFields>(write: &mut Write<'_>, import_id: Uuid) -> Result<usize> {
    let images = ledger::imports::before_images(write.read(), import_id)?;
    for (id, before) in &images {
        match before {
            None => {
                set_archived_in::<F>(write, *id, true)?;
            }
            Some(json) => {
                let fields: F = serde_json::from_str(json).map_err(|error| {
                    Error::invalid(
                        "import",
                        format!("a stored before-image cannot be read: {error}"),
                    )
                })?;
                update_in(write, *id, fields)?;
            }
        }
    }
    Ok(images.len())
}
