//! One table per screen, built from the same services the screens use.

use super::{ColumnKind as K, ExportTable, ExportWhat, Value};
use crate::access::Actor;
use crate::error::Result;
use crate::imports::{ImportKind, TargetFields};
use crate::ledger::{self, Ledger};
use crate::reference;
use crate::{audit, budgets, forecast, imports, sales, users};
use rust_decimal::Decimal;

fn currency(ledger: &Ledger) -> Result<String> {
    Ok(ledger::settings::get(ledger.read())?
        .map_or_else(|| "EUR".into(), |settings| settings.company.currency))
}

fn month(period: &impl std::fmt::Display) -> Value {
    Value::Date(period.to_string())
}

pub(super) fn build(ledger: &Ledger, actor: &Actor, what: &ExportWhat) -> Result<ExportTable> {
    let currency = currency(ledger)?;
    match what {
        ExportWhat::Sales => {
            let overview = sales::overview(ledger, actor)?;
            let mut table = ExportTable::new(
                "Sales by month",
                &currency,
                &[
                    ("Month", K::Month),
                    ("Quantity", K::Number),
                    ("Amount", K::Money),
                ],
            );
            for total in &overview.months {
                table.rows.push(vec![
                    month(&total.period),
                    total.quantity.into(),
                    total.amount.into(),
                ]);
            }
            Ok(table)
        }
        ExportWhat::SalesLines => sales_lines(ledger, actor, &currency),
        ExportWhat::Template { kind } => Ok(import_layout(
            *kind,
            &format!("Template {}", kind.key()),
            &currency,
            &|_| Some(K::Text),
        )
        .0),
        ExportWhat::Budgets { fiscal_year } => {
            let list = budgets::list(ledger, actor, *fiscal_year)?;
            let mut table = ExportTable::new(
                "Budgets",
                &currency,
                &[
                    ("Year", K::Number),
                    ("Scenario", K::Text),
                    ("Owner", K::Text),
                    ("Status", K::Text),
                    ("Total", K::Money),
                ],
            );
            for summary in list {
                let budget = summary.budget;
                table.rows.push(vec![
                    Decimal::from(budget.fiscal_year).into(),
                    budget.scenario.into(),
                    budget.owner_name.into(),
                    budget.status.key().into(),
                    summary.total_amount.into(),
                ]);
            }
            Ok(table)
        }
        ExportWhat::Budget { id } => budget(ledger, actor, *id).map(|(table, _)| table),
        ExportWhat::Variance { query } => variance(ledger, actor, query.clone(), &currency),
        ExportWhat::Forecast { query } => forecast_table(ledger, actor, query.clone(), &currency),
        ExportWhat::Report { name, definition } => {
            report_table(ledger, actor, name.as_deref(), definition, &currency)
        }
        ExportWhat::ForecastAccuracy { query } => {
            accuracy_table(ledger, actor, query.clone(), &currency)
        }
        ExportWhat::Audit { filter } => {
            let entries = audit::list(ledger, actor, filter.clone())?;
            let mut table = ExportTable::new(
                "Audit trail",
                &currency,
                &[
                    ("When (UTC)", K::Text),
                    ("Who", K::Text),
                    ("What happened", K::Text),
                    ("What", K::Text),
                    ("Change", K::Text),
                    ("Record", K::Text),
                    ("Details", K::Text),
                ],
            );
            for entry in entries {
                table.rows.push(vec![
                    entry.recorded_at.into(),
                    entry.username.into(),
                    entry.summary.into(),
                    entry.entity.noun().into(),
                    serde_json::to_value(entry.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .into(),
                    entry.entity_id.to_string().into(),
                    entry.payload.to_string().into(),
                ]);
            }
            Ok(table)
        }
        ExportWhat::Reference { kind } => reference_table(ledger, actor, *kind, &currency),
        ExportWhat::PurchaseOrder { id } => purchase_order(ledger, actor, *id),
        ExportWhat::SupplierProducts => supplier_products(ledger, actor, &currency),
        ExportWhat::Users => {
            let list = users::list(ledger, actor)?;
            let mut table = ExportTable::new(
                "Users",
                &currency,
                &[
                    ("Username", K::Text),
                    ("Name", K::Text),
                    ("Role", K::Text),
                    ("Active", K::Text),
                ],
            );
            for user in list {
                table.rows.push(vec![
                    user.username.into(),
                    user.profile.display_name.into(),
                    user.profile.role.label().into(),
                    (if user.active { "yes" } else { "no" }).into(),
                ]);
            }
            Ok(table)
        }
        ExportWhat::Imports => {
            let list = imports::list(ledger, actor)?;
            let mut table = ExportTable::new(
                "Imports",
                &currency,
                &[
                    ("When (UTC)", K::Text),
                    ("Kind", K::Text),
                    ("File", K::Text),
                    ("Rows imported", K::Number),
                    ("Rows skipped", K::Number),
                    ("By", K::Text),
                    ("Reversed", K::Text),
                ],
            );
            for record in list {
                table.rows.push(vec![
                    record.imported_at.into(),
                    record.kind.key().into(),
                    record.file_name.into(),
                    Decimal::from(record.rows_imported).into(),
                    Decimal::from(record.rows_skipped).into(),
                    record.imported_by_name.into(),
                    record.reversed_at.into(),
                ]);
            }
            Ok(table)
        }
    }
}

/// A budget's table, and the sheet it was made from: its lines as exported.
pub(super) fn budget(
    ledger: &Ledger,
    actor: &Actor,
    id: uuid::Uuid,
) -> Result<(ExportTable, budgets::BudgetSheet)> {
    let sheet = budgets::show(ledger, actor, id)?;
    let table = budget_sheet(ledger, actor, &sheet, &currency(ledger)?)?;
    Ok((table, sheet))
}

/// A budget as its grid shows it: a row per product, a quantity per month, the year's quantity and amount.
fn budget_sheet(
    ledger: &Ledger,
    actor: &Actor,
    sheet: &budgets::BudgetSheet,
    currency: &str,
) -> Result<ExportTable> {
    let products = reference::list::<reference::Product>(ledger, actor, true)?;
    let mut columns: Vec<(String, K)> = vec![("SKU".into(), K::Text), ("Product".into(), K::Text)];
    columns.extend(
        sheet
            .periods
            .iter()
            .map(|period| (period.to_string(), K::Number)),
    );
    columns.push(("Quantity".into(), K::Number));
    columns.push(("Amount".into(), K::Money));
    let headers: Vec<(&str, K)> = columns
        .iter()
        .map(|(header, kind)| (header.as_str(), *kind))
        .collect();
    let budget = &sheet.budget;
    let title = format!(
        "{} {} {}",
        budget.fiscal_year, budget.scenario, budget.owner_name
    );
    let mut table = ExportTable::new(&title, currency, &headers);
    let mut product_ids: Vec<uuid::Uuid> = sheet.lines.iter().map(|line| line.product_id).collect();
    product_ids.sort();
    product_ids.dedup();
    let mut rows: Vec<(String, Vec<Value>)> = Vec::new();
    for product_id in product_ids {
        let product = products.iter().find(|product| product.id == product_id);
        let (sku, name) = product.map_or((String::new(), String::new()), |p| {
            (p.fields.sku.clone(), p.fields.name.clone())
        });
        let mut row: Vec<Value> = vec![sku.clone().into(), name.into()];
        let (mut quantity, mut amount) = (Decimal::ZERO, Decimal::ZERO);
        for period in &sheet.periods {
            let line = sheet
                .lines
                .iter()
                .find(|l| l.product_id == product_id && l.period == *period);
            row.push(line.map(|l| l.quantity).into());
            quantity += line.map_or(Decimal::ZERO, |l| l.quantity);
            amount += line.map_or(Decimal::ZERO, |l| l.amount);
        }
        row.push(quantity.into());
        row.push(amount.into());
        rows.push((sku, row));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    table.rows = rows.into_iter().map(|(_, row)| row).collect();
    Ok(table)
}

fn variance(
    ledger: &Ledger,
    actor: &Actor,
    query: budgets::variance::VarianceQuery,
    currency: &str,
) -> Result<ExportTable> {
    let report = budgets::variance::report(ledger, actor, query)?;
    let mut table = ExportTable::new(
        &format!("Variance {} {}", report.fiscal_year, report.scenario),
        currency,
        &[
            ("Level", K::Text),
            ("Budget YTD", K::Money),
            ("Actual YTD", K::Money),
            ("Variance YTD", K::Money),
            ("Variance YTD %", K::Percent),
            ("Budget year", K::Money),
            ("Actual year", K::Money),
            ("Variance year", K::Money),
            ("Variance year %", K::Percent),
        ],
    );
    for row in std::iter::once(&report.total).chain(&report.rows) {
        let (ytd, year) = (&row.year_to_date, &row.full_year);
        table.rows.push(vec![
            row.label.clone().into(),
            ytd.budget.into(),
            ytd.actual.into(),
            ytd.variance.into(),
            ytd.variance_percent.into(),
            year.budget.into(),
            year.actual.into(),
            year.variance.into(),
            year.variance_percent.into(),
        ]);
    }
    Ok(table)
}

/// A report as its screen shows it: a column per row dimension, then one per
/// measure, figure and column member; its total last.
fn report_table(
    ledger: &Ledger,
    actor: &Actor,
    name: Option<&str>,
    definition: &crate::reports::ReportDefinition,
    currency: &str,
) -> Result<ExportTable> {
    use crate::reports::Figure;
    let result = crate::reports::run(ledger, actor, definition)?;
    let mut columns: Vec<(String, K)> = definition
        .rows
        .iter()
        .map(|dimension| (dimension.label().to_owned(), K::Text))
        .collect();
    columns.extend(result.columns.iter().map(|column| {
        let kind = match (column.figure, column.measure) {
            (Figure::ChangePercent, _) => K::Percent,
            (_, measure) if measure.is_percent() => K::Percent,
            (_, measure) if measure.is_units() => K::Number,
            _ => K::Money,
        };
        (column.label.clone(), kind)
    }));
    let heads: Vec<(&str, K)> = columns
        .iter()
        .map(|(head, kind)| (head.as_str(), *kind))
        .collect();
    let title = name.map_or_else(
        || format!("Report {} to {}", result.first, result.last),
        str::to_owned,
    );
    let mut table = ExportTable::new(&title, currency, &heads);
    let total_row = crate::reports::ReportRow {
        members: definition
            .rows
            .iter()
            .enumerate()
            .map(|(at, _)| crate::reports::ReportMember {
                key: String::new(),
                label: if at == 0 {
                    "Total".into()
                } else {
                    String::new()
                },
            })
            .collect(),
        values: result.total.values.clone(),
    };
    for row in result.rows.iter().chain(std::iter::once(&total_row)) {
        let mut cells: Vec<Value> = row.members.iter().map(|m| m.label.clone().into()).collect();
        cells.extend(row.values.iter().map(|value| Value::from(value.0)));
        table.rows.push(cells);
    }
    Ok(table)
}

fn forecast_table(
    ledger: &Ledger,
    actor: &Actor,
    query: forecast::ForecastQuery,
    currency: &str,
) -> Result<ExportTable> {
    let view = forecast::show(ledger, actor, query)?;
    let mut table = ExportTable::new(
        &format!("Forecast from {}", view.open_month),
        currency,
        &[
            ("Level", K::Text),
            ("Month", K::Month),
            ("Baseline", K::Number),
            ("Override", K::Number),
            ("Final", K::Number),
            ("Low (80 %)", K::Number),
            ("High (80 %)", K::Number),
            ("Budget", K::Number),
            ("Final amount", K::Money),
        ],
    );
    for row in std::iter::once(&view.total).chain(&view.rows) {
        for (m, period) in view.months.iter().enumerate() {
            table.rows.push(vec![
                row.label.clone().into(),
                month(period),
                row.baseline[m].into(),
                row.overridden[m].into(),
                row.final_quantity[m].into(),
                row.low[m].into(),
                row.high[m].into(),
                row.budget[m].into(),
                row.final_amount[m].into(),
            ]);
        }
    }
    Ok(table)
}

fn accuracy_table(
    ledger: &Ledger,
    actor: &Actor,
    query: forecast::AccuracyQuery,
    currency: &str,
) -> Result<ExportTable> {
    let report = forecast::accuracy(ledger, actor, query)?;
    let mut table = ExportTable::new(
        "Forecast accuracy",
        currency,
        &[
            ("By", K::Text),
            ("Row", K::Text),
            ("Months scored", K::Number),
            ("Actual", K::Number),
            ("Forecast", K::Number),
            ("WAPE %", K::Percent),
            ("Bias %", K::Percent),
            ("MASE", K::Number),
        ],
    );
    let sections = [
        ("total", std::slice::from_ref(&report.total)),
        ("level", report.rows.as_slice()),
        ("snapshot", report.by_snapshot.as_slice()),
        ("method", report.by_method.as_slice()),
    ];
    for (by, rows) in sections {
        for row in rows {
            table.rows.push(vec![
                by.into(),
                row.label.clone().into(),
                Decimal::from(row.points).into(),
                row.actual.into(),
                row.forecast.into(),
                row.wape.into(),
                row.bias.into(),
                row.mase.into(),
            ]);
        }
    }
    Ok(table)
}

/// A reference list as its import reads it back: the key (SKU, code) and the
/// name first, then the other fields, and a record another one points to (a
/// product's category, a customer's branch) by its code, not its id.
fn reference_table(
    ledger: &Ledger,
    actor: &Actor,
    kind: reference::ReferenceKind,
    currency: &str,
) -> Result<ExportTable> {
    let records = reference::list_kind(ledger, actor, kind, false)?;
    let fields_of = |record: &reference::ReferenceRecord| {
        serde_json::to_value(&record.item)
            .ok()
            .and_then(|item| item.get("fields").cloned())
            .unwrap_or_default()
    };
    // The key (SKU, code) and the name first, the other fields after them.
    let mut names: Vec<String> = records
        .first()
        .map(fields_of)
        .and_then(|fields| {
            fields
                .as_object()
                .map(|fields| fields.keys().cloned().collect())
        })
        .unwrap_or_default();
    names.sort_by_key(|name| match name.as_str() {
        "sku" | "code" => 0,
        "name" => 1,
        _ => 2,
    });
    let mut codes: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    if names.iter().any(|name| name.ends_with("_id")) {
        for pointed in [
            reference::ReferenceKind::ProductCategory,
            reference::ReferenceKind::Location,
        ] {
            for record in reference::list_kind(ledger, actor, pointed, true)? {
                let code = fields_of(&record)
                    .get("code")
                    .and_then(|code| code.as_str().map(str::to_owned))
                    .unwrap_or_default();
                codes.insert(record.id.to_string(), code);
            }
        }
    }
    let columns: Vec<(&str, K)> = names
        .iter()
        .map(|name| {
            let header = name.strip_suffix("_id").unwrap_or(name);
            let kind = if name.ends_with("price") {
                K::Money
            } else {
                K::Text
            };
            (header, kind)
        })
        .collect();
    let mut table = ExportTable::new(kind_title(kind), currency, &columns);
    for record in &records {
        let fields = fields_of(record);
        table.rows.push(
            names
                .iter()
                .map(|name| match fields.get(name) {
                    Some(serde_json::Value::String(id)) if name.ends_with("_id") => {
                        codes.get(id).cloned().unwrap_or_else(|| id.clone()).into()
                    }
                    Some(serde_json::Value::String(text)) if name.ends_with("price") => text
                        .parse::<Decimal>()
                        .map_or_else(|_| text.clone().into(), Value::Number),
                    Some(serde_json::Value::String(text)) => text.clone().into(),
                    Some(serde_json::Value::Bool(flag)) => {
                        (if *flag { "yes" } else { "no" }).into()
                    }
                    Some(serde_json::Value::Null) | None => Value::Empty,
                    Some(other) => other.to_string().into(),
                })
                .collect(),
        );
    }
    Ok(table)
}

fn kind_title(kind: reference::ReferenceKind) -> &'static str {
    use reference::ReferenceKind as R;
    match kind {
        R::Department => "Departments",
        R::Location => "Locations",
        R::ProductCategory => "Product categories",
        R::Product => "Products",
        R::Customer => "Customers",
        R::BudgetCategory => "Budget categories",
        R::Supplier => "Suppliers",
    }
}

/// A table with the columns an import of `kind` reads, headed as its mapping
/// recognises them: the fields `kind_of` gives a column kind, in the import's
/// order; and those fields' keys, column by column.
fn import_layout(
    kind: ImportKind,
    title: &str,
    currency: &str,
    kind_of: &dyn Fn(&str) -> Option<K>,
) -> (ExportTable, Vec<&'static str>) {
    let fields: Vec<(&'static str, String, K)> = kind
        .fields()
        .iter()
        .filter_map(|field| kind_of(field.key).map(|column| (field.key, field.header(), column)))
        .collect();
    let columns: Vec<(&str, K)> = fields
        .iter()
        .map(|(_, header, column)| (header.as_str(), *column))
        .collect();
    let keys = fields.iter().map(|(key, _, _)| *key).collect();
    (ExportTable::new(title, currency, &columns), keys)
}

/// Actual sales, one row per sale, in the sales import's own layout: the file
/// comes back in with every column recognised.
fn sales_lines(ledger: &Ledger, actor: &Actor, currency: &str) -> Result<ExportTable> {
    let kind_of = |key: &str| match key {
        "date" => Some(K::Date),
        "quantity" => Some(K::Number),
        "unit_price" | "amount" => Some(K::Money),
        "sku" | "branch" | "salesman" | "customer" => Some(K::Text),
        _ => None,
    };
    let (mut table, keys) = import_layout(ImportKind::Actuals, "Sales", currency, &kind_of);
    for line in sales::lines(ledger, actor)? {
        let day = if line.sold.len() == 7 {
            format!("{}-01", line.sold)
        } else {
            line.sold.clone()
        };
        table.rows.push(
            keys.iter()
                .map(|key| match *key {
                    "date" => Value::Date(day.clone()),
                    "sku" => line.sku.clone().into(),
                    "branch" => line.branch.clone().into(),
                    "salesman" => line.salesman.clone().into(),
                    "customer" => line.customer.clone().into(),
                    "quantity" => line.quantity.into(),
                    "unit_price" => line.unit_price.into(),
                    _ => line.amount.into(),
                })
                .collect(),
        );
    }
    Ok(table)
}

/// Every live supplier line in the supplier-products import's own layout: the
/// file comes back in with every column recognised, a lead time of the line's
/// own or blank for the supplier's.
fn supplier_products(ledger: &Ledger, actor: &Actor, currency: &str) -> Result<ExportTable> {
    let kind_of = |key: &str| match key {
        "cost_price" => Some(K::Money),
        "pack_size" | "min_order" | "lead_time_days" => Some(K::Number),
        _ => Some(K::Text),
    };
    let (mut table, keys) = import_layout(
        ImportKind::SupplierProducts,
        "Supplier products",
        currency,
        &kind_of,
    );
    for line in crate::suppliers::products(ledger, actor, None, None, false)? {
        let terms = &line.terms;
        table.rows.push(
            keys.iter()
                .map(|key| match *key {
                    "supplier" => line.supplier_code.clone().into(),
                    "sku" => line.sku.clone().into(),
                    "supplier_sku" => terms.supplier_sku.clone().into(),
                    "cost_price" => terms.cost_price.into(),
                    "pack_size" => terms.pack_size.into(),
                    "min_order" => terms.min_order.into(),
                    "lead_time_days" => terms
                        .lead_time_days
                        .map_or(Value::Empty, |days| Decimal::from(days).into()),
                    _ => (if terms.is_primary { "yes" } else { "no" }).into(),
                })
                .collect(),
        );
    }
    Ok(table)
}

/// A purchase order as its supplier reads it: what, how many, at what cost, by
/// when, and where to deliver, in the supplier's currency.
fn purchase_order(ledger: &Ledger, actor: &Actor, id: uuid::Uuid) -> Result<ExportTable> {
    let order = crate::purchasing::order(ledger, actor, id)?;
    let mut table = ExportTable::new(
        &order.number,
        &order.currency,
        &[
            ("Order", K::Text),
            ("Supplier", K::Text),
            ("Deliver to", K::Text),
            ("Your article", K::Text),
            ("Our SKU", K::Text),
            ("Product", K::Text),
            ("Quantity", K::Number),
            ("Unit", K::Text),
            ("Unit cost", K::Money),
            ("Line total", K::Money),
            ("Expected", K::Date),
        ],
    );
    let deliver_to = format!("{} {}", order.location_code, order.location_name);
    let supplier = format!("{} {}", order.supplier_code, order.supplier_name);
    for line in &order.lines {
        table.rows.push(vec![
            order.number.clone().into(),
            supplier.clone().into(),
            deliver_to.clone().into(),
            line.supplier_sku.clone().into(),
            line.sku.clone().into(),
            line.product_name.clone().into(),
            line.quantity.into(),
            line.unit.clone().into(),
            line.unit_cost.into(),
            (line.quantity * line.unit_cost).into(),
            Value::Date(line.expected_on.to_string()),
        ]);
    }
    Ok(table)
}
