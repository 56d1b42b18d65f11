//! SQL for reports: the sales summary cut by the dimensions a report asks
//! for (and no finer), the sales behind one cell, the costs margins use, and
//! `saved_reports`.

use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger::sales::SALE_SCOPE;
use crate::ledger::{Reader, Write, columns, scope};
use crate::model::reports::{DrillSale, SavedReport};
use crate::month::Month;
use crate::timestamp::Timestamp;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params_from_iter};
use rust_decimal::Decimal;
use salesplan_domain::reports::ReportDefinition;
use std::collections::HashMap;
use uuid::Uuid;

/// Which of a sale's ids a cut keeps apart (the others are summed over).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Grouping {
    pub product: bool,
    pub category: bool,
    pub location: bool,
    pub department: bool,
    pub salesman: bool,
    pub customer: bool,
}

/// The column a sale's id is read from, by what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SaleColumn {
    Product,
    Category,
    Location,
    Department,
    Salesman,
    Customer,
}

impl SaleColumn {
    fn sql(self) -> &'static str {
        match self {
            SaleColumn::Product => "s.product_id",
            SaleColumn::Category => "p.category_id",
            SaleColumn::Location => "s.location_id",
            SaleColumn::Department => "u.department_id",
            SaleColumn::Salesman => "s.salesman_id",
            SaleColumn::Customer => "s.customer_id",
        }
    }
}

/// Where a fact lies: its month and its ids (`None` for one a cut does not
/// keep apart, or that it has none of).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub period: Month,
    pub product: Option<Uuid>,
    pub category: Option<Uuid>,
    pub location: Option<Uuid>,
    pub department: Option<Uuid>,
    pub salesman: Option<Uuid>,
    pub customer: Option<Uuid>,
}

/// Sales of a month summed over what the cut does not keep apart.
#[derive(Debug, Clone)]
pub(crate) struct SaleCut {
    pub place: Place,
    pub quantity: Decimal,
    pub amount: Decimal,
}

/// The scope condition, the period and the filters as SQL over the sales
/// summary (or the sales) aliased `s`, products `p` and the salesman `u`.
fn conditions(
    scope: Scope,
    actor: &Actor,
    first: Month,
    last: Month,
    filters: &[(SaleColumn, &[Uuid])],
    empty: &[SaleColumn],
) -> (String, Vec<Value>) {
    let (condition, mut values) = scope::condition(scope, actor, &SALE_SCOPE);
    let mut parts = vec![condition];
    values.push(Value::Text(first.to_string()));
    values.push(Value::Text(last.to_string()));
    parts.push(format!(
        "s.period BETWEEN ?{} AND ?{}",
        values.len() - 1,
        values.len()
    ));
    for (column, members) in filters {
        let mut marks = Vec::with_capacity(members.len());
        for member in *members {
            values.push(Value::Text(member.to_string()));
            marks.push(format!("?{}", values.len()));
        }
        parts.push(format!("{} IN ({})", column.sql(), marks.join(", ")));
    }
    for column in empty {
        parts.push(format!("{} IS NULL", column.sql()));
    }
    (parts.join(" AND "), values)
}

/// The sales between two months (inclusive) in a scope, kept to `filters`,
/// by month and the ids `grouping` keeps apart: read from the summary the
/// triggers keep (V25).
pub(crate) fn sales_cut(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    (first, last): (Month, Month),
    grouping: Grouping,
    filters: &[(SaleColumn, &[Uuid])],
) -> Result<Vec<SaleCut>> {
    let kept = [
        (grouping.product, SaleColumn::Product),
        (grouping.category, SaleColumn::Category),
        (grouping.location, SaleColumn::Location),
        (grouping.department, SaleColumn::Department),
        (grouping.salesman, SaleColumn::Salesman),
        (grouping.customer, SaleColumn::Customer),
    ];
    let select: Vec<&str> = kept
        .iter()
        .map(|(keep, column)| if *keep { column.sql() } else { "NULL" })
        .collect();
    let group: Vec<&str> = kept
        .iter()
        .filter(|(keep, _)| *keep)
        .map(|(_, column)| column.sql())
        .collect();
    let (condition, values) = conditions(scope, actor, first, last, filters, &[]);
    // A product's category and a salesman's department are looked up only
    // when the cut or a filter needs them (a lookup a cell, millions of cells).
    let needs = |column: SaleColumn| {
        kept.iter().any(|(keep, kept)| *keep && *kept == column)
            || filters.iter().any(|(filtered, _)| *filtered == column)
    };
    let mut joins = String::new();
    if needs(SaleColumn::Category) {
        joins.push_str(" JOIN products p ON p.id = s.product_id");
    }
    if needs(SaleColumn::Department) {
        joins.push_str(" LEFT JOIN users u ON u.id = s.salesman_id");
    }
    let sql = format!(
        "SELECT s.period, {}, decimal_sum(s.quantity), decimal_sum(s.amount)
         FROM sales_summary s{joins}
         WHERE {condition}
         GROUP BY s.period{}",
        select.join(", "),
        group
            .iter()
            .map(|column| format!(", {column}"))
            .collect::<String>(),
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), |row| {
        Ok(SaleCut {
            place: Place {
                period: columns::month(row, 0)?,
                product: columns::optional_uuid(row, 1)?,
                category: columns::optional_uuid(row, 2)?,
                location: columns::optional_uuid(row, 3)?,
                department: columns::optional_uuid(row, 4)?,
                salesman: columns::optional_uuid(row, 5)?,
                customer: columns::optional_uuid(row, 6)?,
            },
            quantity: columns::decimal(row, 7)?,
            amount: columns::decimal(row, 8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The sales of a cell (its members as filters, `empty` the ids it has
/// none of), newest first, at most
/// `limit`, with how many there are in all.
pub(crate) fn sales_of_cell(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    (first, last): (Month, Month),
    filters: &[(SaleColumn, &[Uuid])],
    empty: &[SaleColumn],
    limit: usize,
) -> Result<(Vec<DrillSale>, u64)> {
    let (condition, values) = conditions(scope, actor, first, last, filters, empty);
    let from = format!(
        "FROM actual_sales s JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id
         LEFT JOIN users u ON u.id = s.salesman_id LEFT JOIN customers c ON c.id = s.customer_id
         WHERE {condition}"
    );
    let count: i64 = conn.query_row(
        &format!("SELECT count(*) {from}"),
        params_from_iter(values.iter()),
        |row| row.get(0),
    )?;
    let sql = format!(
        "SELECT s.id, coalesce(s.sold_on, s.period), p.sku, p.name, l.name, u.display_name, c.name,
                s.quantity, s.unit_price, s.amount
         {from}
         ORDER BY s.period DESC, coalesce(s.sold_on, s.period) DESC, p.sku, s.rowid LIMIT {limit}"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values.iter()), |row| {
        Ok(DrillSale {
            id: columns::uuid(row, 0)?,
            sold: row.get(1)?,
            sku: row.get(2)?,
            product: row.get(3)?,
            branch: row.get(4)?,
            salesman: row.get(5)?,
            customer: row.get(6)?,
            quantity: columns::decimal(row, 7)?,
            unit_price: columns::decimal(row, 8)?,
            amount: columns::decimal(row, 9)?,
        })
    })?;
    Ok((
        rows.collect::<rusqlite::Result<_>>()?,
        u64::try_from(count).unwrap_or_default(),
    ))
}

/// What each product costs, where it is known: its primary supplier's cost
/// price, when that supplier sells in the company's currency.
pub(crate) fn known_costs(conn: Reader<'_>) -> Result<HashMap<Uuid, Decimal>> {
    let mut query = conn.prepare(
        "SELECT sp.product_id, sp.cost_price FROM supplier_products sp
         JOIN suppliers su ON su.id = sp.supplier_id
         WHERE sp.is_primary = 1 AND sp.deleted_at IS NULL AND su.deleted_at IS NULL
           AND su.currency = (SELECT currency FROM company_settings WHERE id = 1)",
    )?;
    let rows = query.query_map([], |row| {
        Ok((columns::uuid(row, 0)?, columns::decimal(row, 1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const SELECT_SAVED: &str =
    "SELECT r.id, r.name, r.definition, r.shared, r.created_by, u.display_name, r.version,
        r.created_at, r.updated_at
    FROM saved_reports r LEFT JOIN users u ON u.id = r.created_by";

fn saved_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<SavedReport> {
    Ok(SavedReport {
        id: columns::uuid(row, 0)?,
        name: row.get(1)?,
        definition: columns::parsed(row, 2, "report definition", |text| {
            ReportDefinition::from_json(text).ok()
        })?,
        shared: row.get(3)?,
        created_by: columns::uuid(row, 4)?,
        owner_name: row.get(5)?,
        version: row.get(6)?,
        created_at: columns::timestamp(row, 7)?,
        updated_at: columns::timestamp(row, 8)?,
    })
}

/// The live reports `user` may run: their own and the shared ones, by name.
pub(crate) fn saved_for(conn: Reader<'_>, user: Uuid) -> Result<Vec<SavedReport>> {
    let sql = format!(
        "{SELECT_SAVED} WHERE r.deleted_at IS NULL AND (r.created_by = ?1 OR r.shared = 1)
         ORDER BY r.name COLLATE NOCASE, r.created_by = ?1 DESC"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map([user.to_string()], saved_of)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live report by its id.
pub(crate) fn saved(conn: Reader<'_>, id: Uuid) -> Result<Option<SavedReport>> {
    let sql = format!("{SELECT_SAVED} WHERE r.id = ?1 AND r.deleted_at IS NULL");
    Ok(conn
        .query_row(&sql, [id.to_string()], saved_of)
        .optional()?)
}

/// Writes a report (new, or its fields again with the next version).
pub(crate) fn put_saved(conn: &Write<'_>, report: &SavedReport) -> Result<()> {
    let definition = serde_json::to_string(&report.definition)
        .map_err(|error| crate::error::Error::invalid("definition", error.to_string()))?;
    conn.execute(
        "INSERT INTO saved_reports (id, name, definition, shared, created_by, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition,
             shared = excluded.shared, version = excluded.version, updated_at = excluded.updated_at",
        rusqlite::params![
            report.id.to_string(),
            report.name,
            definition,
            report.shared,
            report.created_by.to_string(),
            report.version,
            report.created_at.to_string(),
            report.updated_at.to_string(),
        ],
    )?;
    Ok(())
}

/// Deletes a report by its tombstone (the deletion travels).
pub(crate) fn delete_saved(conn: &Write<'_>, id: Uuid, version: i64, at: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE saved_reports SET deleted_at = ?2, updated_at = ?2, version = ?3 WHERE id = ?1",
        rusqlite::params![id.to_string(), at.to_string(), version],
    )?;
    Ok(())
}
