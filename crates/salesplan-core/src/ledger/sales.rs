//! SQL for `actual_sales`: append-only facts (the table refuses UPDATE and DELETE).
//! A sale that `issues_stock` takes its quantity out of stock by a trigger
//! (migrations/V17__sales_issue_stock.sql).

use super::columns;
use super::scope::{self, ScopeColumns};
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::sales::{ActualSale, SaleFacts, SaleLine};
use crate::month::Month;
use crate::timestamp::Day;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter};
use rust_decimal::Decimal;

/// Where a sale came from: the import that brought it (none when entered by
/// hand), the day when known, and its content fingerprint.
pub(crate) struct SaleOrigin<'a> {
    pub import_id: Option<&'a str>,
    pub sold_on: Option<Day>,
    pub fingerprint: i64,
}

pub(crate) fn insert(conn: &Write<'_>, sale: &ActualSale, origin: &SaleOrigin<'_>) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO actual_sales (id, period, product_id, location_id, salesman_id, customer_id,
                                   quantity, unit_price, amount, created_by, created_at,
                                   import_id, sold_on, fingerprint, issues_stock)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    insert.execute(params![
        sale.id.to_string(),
        sale.period.to_string(),
        sale.product_id.to_string(),
        sale.location_id.to_string(),
        sale.salesman_id.map(|id| id.to_string()),
        sale.customer_id.map(|id| id.to_string()),
        sale.quantity.to_string(),
        sale.unit_price.to_string(),
        sale.amount.to_string(),
        sale.created_by.to_string(),
        sale.created_at.to_string(),
        origin.import_id,
        origin.sold_on.map(|day| day.to_string()),
        origin.fingerprint,
        sale.issues_stock,
    ])?;
    Ok(())
}

/// How a sale names its owner, department (the salesman's) and branch.
pub(crate) const SALE_SCOPE: ScopeColumns = ScopeColumns {
    owner: "s.salesman_id",
    department: "(SELECT department_id FROM users WHERE id = s.salesman_id)",
    location: "s.location_id",
};

/// The sales in a scope by month, product and location, with the product and
/// location names for reports: read from the summary the triggers keep
/// (V25), its cells summed over salesmen and customers.
pub(crate) fn facts_in_scope(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
) -> Result<Vec<SaleFacts>> {
    let (condition, values) = scope::condition(scope, actor, &SALE_SCOPE);
    let sql = format!(
        "SELECT s.period, p.sku, p.name, l.name, decimal_sum(s.quantity), decimal_sum(s.amount), sum(s.sales)
         FROM sales_summary s
         JOIN products p ON p.id = s.product_id
         JOIN locations l ON l.id = s.location_id
         WHERE {condition}
         GROUP BY s.period, s.product_id, s.location_id"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), |row| {
        Ok(SaleFacts {
            period: columns::month(row, 0)?,
            sku: row.get(1)?,
            product_name: row.get(2)?,
            location_name: row.get(3)?,
            quantity: columns::decimal(row, 4)?,
            amount: columns::decimal(row, 5)?,
            sales: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The latest month with sales in a scope, not after `not_after`.
pub(crate) fn latest_month(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    not_after: Month,
) -> Result<Option<Month>> {
    let (condition, mut values) = scope::condition(scope, actor, &SALE_SCOPE);
    values.push(Value::Text(not_after.to_string()));
    let sql = format!(
        "SELECT max(s.period) FROM sales_summary s WHERE {condition} AND s.period <= ?{}",
        values.len()
    );
    Ok(conn.query_row(&sql, params_from_iter(values), |row| {
        columns::optional_month(row, 0)
    })?)
}

/// Every sale in a scope by codes and usernames (the sales import's layout), oldest first.
pub(crate) fn lines_in_scope(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
) -> Result<Vec<SaleLine>> {
    let (condition, values) = scope::condition(scope, actor, &SALE_SCOPE);
    let sql = format!(
        "SELECT coalesce(s.sold_on, s.period), p.sku, l.code, u.username, c.code, s.quantity, s.unit_price, s.amount
         FROM actual_sales s
         JOIN products p ON p.id = s.product_id
         JOIN locations l ON l.id = s.location_id
         LEFT JOIN users u ON u.id = s.salesman_id
         LEFT JOIN customers c ON c.id = s.customer_id
         WHERE {condition}
         ORDER BY s.period, s.sold_on, p.sku, s.rowid"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), |row| {
        Ok(SaleLine {
            sold: row.get(0)?,
            sku: row.get(1)?,
            branch: row.get(2)?,
            salesman: row.get(3)?,
            customer: row.get(4)?,
            quantity: columns::decimal(row, 5)?,
            unit_price: columns::decimal(row, 6)?,
            amount: columns::decimal(row, 7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The sales of one month, summed exactly: how many records, units and money.
pub(crate) fn month_totals(conn: Reader<'_>, period: Month) -> Result<(u64, Decimal, Decimal)> {
    let mut query = conn.prepare("SELECT quantity, amount FROM actual_sales WHERE period = ?1")?;
    let mut rows = query.query([period.to_string()])?;
    let mut totals = (0, Decimal::ZERO, Decimal::ZERO);
    while let Some(row) = rows.next()? {
        totals.0 += 1;
        totals.1 += columns::decimal(row, 0)?;
        totals.2 += columns::decimal(row, 1)?;
    }
    Ok(totals)
}
