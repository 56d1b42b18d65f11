//! Importing reference records (products, customers, locations, departments,
//! product and budget categories): a row creates the record named by its key
//! (SKU, code) or updates it; a row that changes nothing writes nothing. What an
//! import changed is kept as before-images, so reversing it restores the old
//! fields and archives what it created.

use super::cells::{self, Cell, DecimalSeparator};
use super::fields::ImportKind;
use super::history::ImportRecord;
use super::report::{Findings, ImportReport};
use super::{
    Accept, Checked, Codes, ImportOutcome, ImportRequest, ProblemKind, Progress, Resolved, Source,
    check_acceptable, report_of, tick, write_import,
};
use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Ledger, Write};
use crate::reference::{
    BudgetCategory, Channel, Customer, Department, Location, LocationKind, Product,
    ProductCategory, ReferenceFields, Stored, create_in, set_archived_in, update_in,
};
use std::collections::HashMap;
use uuid::Uuid;

/// What a row's cells mean for one kind of reference record.
pub(super) trait Importable: ReferenceFields {
    const KIND: ImportKind;

    /// The record a row describes, given the stored one with the same key; problems otherwise.
    fn from_row(
        context: &Context<'_>,
        row: &[Cell<'_>],
        current: Option<&Self>,
    ) -> std::result::Result<Self, Vec<(String, ProblemKind, String)>>;
}

/// What rows are read against.
pub(super) struct Context<'a> {
    resolved: &'a Resolved<'a>,
    separator: DecimalSeparator,
    /// Product categories and locations, by code.
    categories: Codes,
    locations: Codes,
}

/// One of a fixed list (a channel, a kind of location) by its key, any case;
/// the problem for the row when the text is none of them.
fn one_of<T: serde::de::DeserializeOwned>(
    field: &str,
    text: &str,
    keys: &str,
    problems: &mut Vec<(String, ProblemKind, String)>,
) -> Option<T> {
    let found = serde_json::from_value(serde_json::Value::String(text.trim().to_lowercase()));
    if found.is_err() {
        problems.push((
            field.into(),
            ProblemKind::WrongType,
            format!(
                "'{}' is not a {field} ({keys})",
                crate::values::one_line(text, 40)
            ),
        ));
    }
    found.ok()
}

/// "yes", "no", "true", "false", "1", "0" (and ja, nein, x).
fn flag(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "ja" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "nein" | "" => Some(false),
        _ => None,
    }
}

fn text(context: &Context<'_>, row: &[Cell<'_>], key: &str) -> Option<String> {
    let cell = context.resolved.cell(key, row);
    (!cell.is_blank()).then(|| cell.shown().trim().to_owned())
}

fn required(
    context: &Context<'_>,
    row: &[Cell<'_>],
    key: &str,
    problems: &mut Vec<(String, ProblemKind, String)>,
) -> String {
    text(context, row, key).unwrap_or_else(|| {
        problems.push((key.into(), ProblemKind::MissingValue, "is empty".into()));
        String::new()
    })
}

impl Importable for Product {
    const KIND: ImportKind = ImportKind::Products;

    fn from_row(
        context: &Context<'_>,
        row: &[Cell<'_>],
        current: Option<&Self>,
    ) -> std::result::Result<Self, Vec<(String, ProblemKind, String)>> {
        let mut problems = Vec::new();
        let sku = required(context, row, "sku", &mut problems);
        let name = required(context, row, "name", &mut problems);
        let category = required(context, row, "category", &mut problems);
        let category_id = if category.is_empty() {
            None
        } else {
            context
                .categories
                .find("product category", &category)
                .map_err(|message| {
                    problems.push(("category".into(), ProblemKind::Unknown, message));
                })
                .ok()
        };
        let price_cell = context.resolved.cell("list_price", row);
        let list_price = if price_cell.is_blank() {
            problems.push((
                "list_price".into(),
                ProblemKind::MissingValue,
                "is empty".into(),
            ));
            None
        } else {
            match cells::decimal(&price_cell, context.separator) {
                None => {
                    problems.push((
                        "list_price".into(),
                        ProblemKind::WrongType,
                        format!("'{}' is not a number", price_cell.shown()),
                    ));
                    None
                }
                Some(price) if price.is_sign_negative() && !price.is_zero() => {
                    problems.push((
                        "list_price".into(),
                        ProblemKind::Negative,
                        format!("{price} is negative"),
                    ));
                    None
                }
                Some(price) => Some(price),
            }
        };
        let active = match text(context, row, "active") {
            None => current.is_none_or(|product| product.active),
            Some(text) => flag(&text).unwrap_or_else(|| {
                problems.push((
                    "active".into(),
                    ProblemKind::WrongType,
                    format!("'{}' is not yes or no", crate::values::one_line(&text, 40)),
                ));
                true
            }),
        };
        match (category_id, list_price, problems.is_empty()) {
            (Some(category_id), Some(list_price), true) => Ok(Product {
                sku,
                name,
                category_id,
                unit: text(context, row, "unit")
                    .or_else(|| current.map(|product| product.unit.clone()))
                    .unwrap_or_else(|| "pcs".into()),
                list_price,
                active,
            }),
            _ => Err(problems),
        }
    }
}

impl Importable for Customer {
    const KIND: ImportKind = ImportKind::Customers;

    fn from_row(
        context: &Context<'_>,
        row: &[Cell<'_>],
        current: Option<&Self>,
    ) -> std::result::Result<Self, Vec<(String, ProblemKind, String)>> {
        let mut problems = Vec::new();
        let code = required(context, row, "code", &mut problems);
        let name = required(context, row, "name", &mut problems);
        let channel = match text(context, row, "channel") {
            None => current.map_or(Channel::Retail, |customer| customer.channel),
            Some(text) => one_of(
                "channel",
                &text,
                "retail, wholesale, online, distributor",
                &mut problems,
            )
            .unwrap_or(Channel::Retail),
        };
        let location_id = match text(context, row, "location") {
            // An empty cell of a column read clears the branch; no column keeps it.
            None if context.resolved.maps("location") => None,
            None => current.and_then(|customer| customer.location_id),
            Some(code) => context
                .locations
                .find("branch", &code)
                .map_err(|message| {
                    problems.push(("location".into(), ProblemKind::Unknown, message));
                })
                .ok(),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Customer {
            code,
            name,
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
            BudgetCategories => BudgetCategory)
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

            fn from_row(
                context: &Context<'_>,
                row: &[Cell<'_>],
                _current: Option<&Self>,
            ) -> std::result::Result<Self, Vec<(String, ProblemKind, String)>> {
                let mut problems = Vec::new();
                let code = required(context, row, "code", &mut problems);
                let name = required(context, row, "name", &mut problems);
                if problems.is_empty() {
                    Ok($record { code, name })
                } else {
                    Err(problems)
                }
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

    fn from_row(
        context: &Context<'_>,
        row: &[Cell<'_>],
        current: Option<&Self>,
    ) -> std::result::Result<Self, Vec<(String, ProblemKind, String)>> {
        let mut problems = Vec::new();
        let code = required(context, row, "code", &mut problems);
        let name = required(context, row, "name", &mut problems);
        let kind = match text(context, row, "kind") {
            None => current.map_or(LocationKind::Branch, |location| location.kind),
            Some(text) => one_of("kind", &text, "branch, warehouse", &mut problems)
                .unwrap_or(LocationKind::Branch),
        };
        let city = match text(context, row, "city") {
            None if context.resolved.maps("city") => String::new(),
            None => current
                .map(|location| location.city.clone())
                .unwrap_or_default(),
            Some(city) => city,
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Location {
            code,
            name,
            kind,
            city,
        })
    }
}

/// A checked row: the record as it will be, and the stored one it replaces.
struct Row<F: ReferenceFields> {
    fields: F,
    current: Option<Stored<F>>,
}

fn check_rows<F: Importable>(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<(ImportReport, Vec<Row<F>>)> {
    actor.require(Action::EditReference, &Resource::company())?;
    let info = source.info();
    let resolved = Resolved::new(F::KIND, &request.mapping, &info.headers)?;
    let conn = ledger.read();
    let (separator, _) = resolved.styles(source, request, &["list_price"], &[])?;
    let context = Context {
        resolved: &resolved,
        separator,
        categories: Codes::load::<ProductCategory>(conn)?,
        locations: Codes::load::<Location>(conn)?,
    };
    let mut stored: HashMap<String, Stored<F>> = ledger::reference::list::<F>(conn, true)?
        .into_iter()
        .map(|row| (row.fields.key().to_lowercase(), row))
        .collect();
    let mut findings = Findings::default();
    let mut checked = Vec::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut rows_read: usize = 0;
    let mut cancelled = false;
    source.rows(&mut |row_number, row| {
        rows_read += 1;
        cancelled = !tick(progress, 1000, rows_read, 0, info.rows.max(1) * 2);
        // The record's key field (sku, code) is also the import field's name.
        let key_field = F::KEY_FIELD;
        let key = text(&context, row, key_field)
            .unwrap_or_default()
            .to_lowercase();
        let current = stored.get(&key);
        let built = F::from_row(&context, row, current.map(|row| &row.fields)).and_then(|fields| {
            fields.validated().map_err(|error| match error {
                Error::Invalid { field, rule } => vec![(field, ProblemKind::WrongType, rule)],
                other => vec![(
                    key_field.to_owned(),
                    ProblemKind::WrongType,
                    other.to_string(),
                )],
            })
        });
        match built {
            Err(problems) => {
                for (field, kind, message) in problems {
                    findings.add(resolved.problem(row_number, &field, kind, message));
                }
            }
            Ok(_) if first_seen.contains_key(&key) => findings.add(resolved.problem(
                row_number,
                key_field,
                ProblemKind::DuplicateInFile,
                format!(
                    "{key_field} '{}' is also on row {}",
                    key.to_uppercase(),
                    first_seen[&key]
                ),
            )),
            Ok(fields) => {
                first_seen.insert(key.clone(), row_number);
                checked.push(Row {
                    fields,
                    current: stored.remove(&key),
                });
            }
        }
        !cancelled
    })?;
    if cancelled {
        return Err(Error::Cancelled);
    }
    let rows_valid = checked.len();
    let found = Checked {
        separator,
        order: request.date_order,
        rows_read,
        rows_valid,
        findings,
    };
    let report = report_of(ledger, F::KIND, source, request, found)?;
    Ok((report, checked))
}

pub(super) fn preview<F: Importable>(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    check_rows::<F>(ledger, actor, source, request, progress).map(|(report, _)| report)
}

pub(super) fn import<F: Importable>(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    accept: Accept,
    progress: &dyn Progress,
) -> Result<ImportOutcome> {
    let (report, checked) = check_rows::<F>(ledger, actor, source, request, progress)?;
    check_acceptable(&report, request, accept)?;
    let info = source.info();
    let record = ImportRecord::new(
        F::KIND,
        info,
        request,
        actor,
        report.rows_read,
        checked.len(),
    );
    let import = write_import(ledger, actor, &record, false, |write| {
        for (index, row) in checked.into_iter().enumerate() {
            if !tick(
                progress,
                1000,
                index,
                report.rows_read,
                report.rows_read * 2,
            ) {
                return Err(Error::Cancelled);
            }
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
    })?;
    Ok(ImportOutcome { import, report })
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
