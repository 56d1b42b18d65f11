//! SQL of the forecast: monthly quantities per series, the stored baseline,
//! overrides, closed months and snapshots.

use super::columns;
use super::sales::SALE_SCOPE;
use super::scope::{self, ScopeColumns};
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::month::Month;
use crate::timestamp::{Day, Timestamp};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) const SERIES_SCOPE: ScopeColumns = ScopeColumns {
    owner: "f.salesman_id",
    department: "f.department_id",
    location: "f.location_id",
};

/// What identifies a series and the facts it is grouped and scoped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SeriesFacts {
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub salesman_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub category_id: Uuid,
}

/// Reads the five facts from columns `at..at + 5` in the order of the struct.
fn facts(row: &Row<'_>, at: usize) -> rusqlite::Result<SeriesFacts> {
    Ok(SeriesFacts {
        product_id: columns::uuid(row, at)?,
        location_id: columns::uuid(row, at + 1)?,
        salesman_id: columns::optional_uuid(row, at + 2)?,
        department_id: columns::optional_uuid(row, at + 3)?,
        category_id: columns::uuid(row, at + 4)?,
    })
}

fn scoped(
    scope: Scope,
    actor: &Actor,
    columns: &ScopeColumns,
    more: Vec<Value>,
) -> (String, Vec<Value>, usize) {
    let (condition, mut values) = scope::condition(scope, actor, columns);
    let next = values.len() + 1;
    values.extend(more);
    (condition, values, next)
}

/// Which series' sales a read brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Series {
    /// Every series that sold.
    All,
    /// Only the series a forecast snapshot holds (what accuracy scores).
    Snapshotted,
}

/// Quantity sold per series and month, for months `first..=last`, within a
/// scope (summed exactly), from the sales summary (V25): its cells summed over customers.
pub(crate) fn monthly_quantities(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    (first, last): (Month, Month),
    series: Series,
) -> Result<Vec<(SeriesFacts, Month, Decimal)>> {
    let (condition, values, next) = scoped(
        scope,
        actor,
        &SALE_SCOPE,
        vec![
            Value::Text(first.to_string()),
            Value::Text(last.to_string()),
        ],
    );
    // The snapshotted series drive the read (a CROSS JOIN keeps them the
    // outer loop), each an index range of the summary by product.
    let from = match series {
        Series::All => "sales_summary s",
        Series::Snapshotted => {
            "(SELECT DISTINCT product_id, location_id, salesman_id FROM forecast_snapshots) f
             CROSS JOIN sales_summary s ON s.product_id = f.product_id
                 AND s.location_id = f.location_id AND s.salesman_id IS f.salesman_id"
        }
    };
    let sql = format!(
        "SELECT s.product_id, s.location_id, s.salesman_id, u.department_id, p.category_id,
                s.period, decimal_sum(s.quantity)
         FROM {from} JOIN products p ON p.id = s.product_id
              LEFT JOIN users u ON u.id = s.salesman_id
         WHERE {condition} AND s.period BETWEEN ?{next} AND ?{}
         GROUP BY s.product_id, s.location_id, s.salesman_id, s.period",
        next + 1
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), |row| {
        Ok((
            facts(row, 0)?,
            columns::month(row, 5)?,
            columns::decimal(row, 6)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A run's header.
pub(crate) struct RunRow {
    pub id: Uuid,
    pub first_month: Month,
    pub horizon: i64,
    pub method: String,
    pub series: i64,
    pub created_by: Uuid,
    pub created_at: Timestamp,
}

/// A month's forecast: (month, quantity, the interval's low and high if any).
pub(crate) type MonthValue = (Month, Decimal, Option<(Decimal, Decimal)>);

/// Planned prices by (product, month), and list prices by product.
pub(crate) type PriceLists = (HashMap<(Uuid, Month), Decimal>, HashMap<Uuid, Decimal>);

/// One series of a run, ready to store.
pub(crate) struct StoredSeries {
    pub facts: SeriesFacts,
    pub method: String,
    pub holdout_error: Option<f64>,
    pub history_months: i64,
    /// (month, quantity, low, high)
    pub values: Vec<MonthValue>,
}

/// Replaces the baseline of the series within a scope by a run's.
pub(crate) fn replace_baseline(
    conn: &Write<'_>,
    scope: Scope,
    actor: &Actor,
    run: &RunRow,
    series: &[StoredSeries],
) -> Result<()> {
    let (condition, values) = scope::condition(scope, actor, &SERIES_SCOPE);
    // Their values go with them (ON DELETE CASCADE).
    conn.execute(
        &format!("DELETE FROM forecast_series AS f WHERE {condition}"),
        params_from_iter(values),
    )?;
    conn.execute(
        "INSERT INTO forecast_runs (id, first_month, horizon, method, series, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            run.id.to_string(),
            run.first_month.to_string(),
            run.horizon,
            run.method,
            run.series,
            run.created_by.to_string(),
            run.created_at.to_string()
        ],
    )?;
    let mut insert_series = conn.prepare(
        "INSERT INTO forecast_series (id, run_id, product_id, location_id, salesman_id, department_id,
                                      method, holdout_error, history_months)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut insert_value = conn.prepare(
        "INSERT INTO forecast_values (series_id, month, quantity, low, high) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let run_id = run.id.to_string();
    for one in series {
        let id = Uuid::now_v7().to_string();
        insert_series.execute(params![
            id,
            run_id,
            one.facts.product_id.to_string(),
            one.facts.location_id.to_string(),
            one.facts.salesman_id.map(|id| id.to_string()),
            one.facts.department_id.map(|id| id.to_string()),
            one.method,
            one.holdout_error,
            one.history_months
        ])?;
        for (month, quantity, bounds) in &one.values {
            insert_value.execute(params![
                id,
                month.to_string(),
                quantity.to_string(),
                bounds.map(|(low, _)| low.to_string()),
                bounds.map(|(_, high)| high.to_string()),
            ])?;
        }
    }
    Ok(())
}

pub(crate) fn last_run(conn: Reader<'_>) -> Result<Option<RunRow>> {
    Ok(conn
        .query_row(
            "SELECT id, first_month, horizon, method, series, created_by, created_at
             FROM forecast_runs ORDER BY created_at DESC, id DESC LIMIT 1",
            [],
            |row| {
                Ok(RunRow {
                    id: columns::uuid(row, 0)?,
                    first_month: columns::month(row, 1)?,
                    horizon: row.get(2)?,
                    method: row.get(3)?,
                    series: row.get(4)?,
                    created_by: columns::uuid(row, 5)?,
                    created_at: columns::timestamp(row, 6)?,
                })
            },
        )
        .optional()?)
}

/// A stored baseline series with its values by month.
pub(crate) struct BaselineSeries {
    pub facts: SeriesFacts,
    pub method: String,
    pub holdout_error: Option<f64>,
    pub values: HashMap<Month, (Decimal, Option<(Decimal, Decimal)>)>,
}

/// The stored baseline within a scope.
pub(crate) fn baseline(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
) -> Result<Vec<BaselineSeries>> {
    let (condition, values) = scope::condition(scope, actor, &SERIES_SCOPE);
    let sql = format!(
        "SELECT f.product_id, f.location_id, f.salesman_id, f.department_id, p.category_id,
                f.id, f.method, f.holdout_error, v.month, v.quantity, v.low, v.high
         FROM forecast_series f JOIN products p ON p.id = f.product_id
              JOIN forecast_values v ON v.series_id = f.id
         WHERE {condition}
         ORDER BY f.id, v.month"
    );
    let mut query = conn.prepare(&sql)?;
    let mut rows = query.query(params_from_iter(values))?;
    let mut all: Vec<BaselineSeries> = Vec::new();
    let mut last_id = String::new();
    while let Some(row) = rows.next()? {
        let id: String = row.get(5)?;
        if id != last_id {
            all.push(BaselineSeries {
                facts: facts(row, 0)?,
                method: row.get(6)?,
                holdout_error: row.get(7)?,
                values: HashMap::new(),
            });
            last_id = id;
        }
        let bounds = bounds(row, 10)?;
        if let Some(series) = all.last_mut() {
            series
                .values
                .insert(columns::month(row, 8)?, (columns::decimal(row, 9)?, bounds));
        }
    }
    Ok(all)
}

/// An interval kept as its low and high columns, `at` and the one after; none where low is empty.
fn bounds(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Option<(Decimal, Decimal)>> {
    match row.get::<_, Option<String>>(at)? {
        Some(_) => Ok(Some((
            columns::decimal(row, at)?,
            columns::decimal(row, at + 1)?,
        ))),
        None => Ok(None),
    }
}

/// An override as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OverrideRow {
    pub id: Uuid,
    pub product_id: Option<Uuid>,
    pub category_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    pub salesman_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub first_month: Month,
    pub last_month: Month,
    pub kind: String,
    pub value: Decimal,
    pub reason: String,
    pub expires_on: Option<Day>,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_at: Timestamp,
    pub version: i64,
}

const OVERRIDE_COLUMNS: &str = "o.id, o.product_id, o.category_id, o.location_id, o.salesman_id, o.department_id,
     o.first_month, o.last_month, o.kind, o.value, o.reason, o.expires_on, o.created_by, u.display_name,
     o.created_at, o.version";

fn override_row(row: &Row<'_>) -> rusqlite::Result<OverrideRow> {
    Ok(OverrideRow {
        id: columns::uuid(row, 0)?,
        product_id: columns::optional_uuid(row, 1)?,
        category_id: columns::optional_uuid(row, 2)?,
        location_id: columns::optional_uuid(row, 3)?,
        salesman_id: columns::optional_uuid(row, 4)?,
        department_id: columns::optional_uuid(row, 5)?,
        first_month: columns::month(row, 6)?,
        last_month: columns::month(row, 7)?,
        kind: row.get(8)?,
        value: columns::decimal(row, 9)?,
        reason: row.get(10)?,
        expires_on: columns::optional_day(row, 11)?,
        created_by: columns::uuid(row, 12)?,
        created_by_name: row.get(13)?,
        created_at: columns::timestamp(row, 14)?,
        version: row.get(15)?,
    })
}

pub(crate) fn insert_override(conn: &Write<'_>, row: &OverrideRow) -> Result<()> {
    let id = |id: Option<Uuid>| id.map(|id| id.to_string());
    conn.execute(
        "INSERT INTO forecast_overrides (id, product_id, category_id, location_id, salesman_id, department_id,
             first_month, last_month, kind, value, reason, expires_on, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            row.id.to_string(),
            id(row.product_id),
            id(row.category_id),
            id(row.location_id),
            id(row.salesman_id),
            id(row.department_id),
            row.first_month.to_string(),
            row.last_month.to_string(),
            row.kind,
            row.value.to_string(),
            row.reason,
            row.expires_on.map(|day| day.to_string()),
            row.created_by.to_string(),
            row.created_at.to_string()
        ],
    )?;
    Ok(())
}

/// Overrides not removed whose months reach `from` or later and that have not
/// expired by `today`, oldest first.
pub(crate) fn live_overrides(
    conn: Reader<'_>,
    from: Month,
    today: Day,
) -> Result<Vec<OverrideRow>> {
    let sql = format!(
        "SELECT {OVERRIDE_COLUMNS} FROM forecast_overrides o JOIN users u ON u.id = o.created_by
         WHERE o.removed_at IS NULL AND o.last_month >= ?1 AND (o.expires_on IS NULL OR o.expires_on >= ?2)
         ORDER BY o.created_at, o.id"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params![from.to_string(), today.to_string()], override_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn get_override(conn: Reader<'_>, id: Uuid) -> Result<Option<OverrideRow>> {
    let sql = format!(
        "SELECT {OVERRIDE_COLUMNS} FROM forecast_overrides o JOIN users u ON u.id = o.created_by
         WHERE o.id = ?1 AND o.removed_at IS NULL"
    );
    Ok(conn
        .query_row(&sql, [id.to_string()], override_row)
        .optional()?)
}

pub(crate) fn remove_override(conn: &Write<'_>, id: Uuid, by: Uuid, at: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE forecast_overrides SET removed_by = ?2, removed_at = ?3, version = version + 1 WHERE id = ?1",
        params![id.to_string(), by.to_string(), at.to_string()],
    )?;
    Ok(())
}

pub(crate) fn last_closed(conn: Reader<'_>) -> Result<Option<Month>> {
    Ok(conn
        .query_row(
            "SELECT month FROM forecast_closed_months ORDER BY month DESC LIMIT 1",
            [],
            |row| columns::month(row, 0),
        )
        .optional()?)
}

pub(crate) fn closed_months(conn: Reader<'_>) -> Result<Vec<Month>> {
    let mut query = conn.prepare("SELECT month FROM forecast_closed_months ORDER BY month")?;
    let rows = query.query_map([], |row| columns::month(row, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn insert_closed(conn: &Write<'_>, month: Month, by: Uuid, at: Timestamp) -> Result<()> {
    conn.execute(
        "INSERT INTO forecast_closed_months (month, closed_by, closed_at) VALUES (?1, ?2, ?3)",
        params![month.to_string(), by.to_string(), at.to_string()],
    )?;
    Ok(())
}

/// One snapshot value: a series' forecast of `month` as it stood when `as_of` closed.
pub(crate) struct SnapshotRow {
    pub as_of: Month,
    pub facts: SeriesFacts,
    pub method: String,
    pub month: Month,
    pub baseline: Decimal,
    pub final_quantity: Decimal,
    /// The baseline's 80 % interval (low, high), where its method gave one.
    pub bounds: Option<(Decimal, Decimal)>,
}

pub(crate) fn insert_snapshots(conn: &Write<'_>, rows: &[SnapshotRow]) -> Result<()> {
    let mut insert = conn.prepare(
        "INSERT INTO forecast_snapshots (as_of, product_id, location_id, salesman_id, department_id,
                                         method, month, baseline, final, id, low, high)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for row in rows {
        insert.execute(params![
            row.as_of.to_string(),
            row.facts.product_id.to_string(),
            row.facts.location_id.to_string(),
            row.facts.salesman_id.map(|id| id.to_string()),
            row.facts.department_id.map(|id| id.to_string()),
            row.method,
            row.month.to_string(),
            row.baseline.to_string(),
            row.final_quantity.to_string(),
            Uuid::now_v7().to_string(),
            row.bounds.map(|bounds| bounds.0.to_string()),
            row.bounds.map(|bounds| bounds.1.to_string()),
        ])?;
    }
    Ok(())
}

/// Snapshot values of months up to `last_month`, within a scope.
pub(crate) fn snapshots(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    last_month: Month,
) -> Result<Vec<SnapshotRow>> {
    let (condition, values, next) = scoped(
        scope,
        actor,
        &SERIES_SCOPE,
        vec![Value::Text(last_month.to_string())],
    );
    let sql = format!(
        "SELECT f.product_id, f.location_id, f.salesman_id, f.department_id, p.category_id,
                f.as_of, f.method, f.month, f.baseline, f.final, f.low, f.high
         FROM forecast_snapshots f JOIN products p ON p.id = f.product_id
         WHERE {condition} AND f.month <= ?{next}"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), |row| {
        Ok(SnapshotRow {
            facts: facts(row, 0)?,
            as_of: columns::month(row, 5)?,
            method: row.get(6)?,
            month: columns::month(row, 7)?,
            baseline: columns::decimal(row, 8)?,
            final_quantity: columns::decimal(row, 9)?,
            bounds: bounds(row, 10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Budgeted quantity and amount per series facts and month (the salesmen's
/// approved budgets of scenario Base, bottom-up), for months `first..=last`, within a scope.
pub(crate) fn budgeted(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    first: Month,
    last: Month,
) -> Result<Vec<(SeriesFacts, Month, Decimal, Decimal)>> {
    let (condition, values, next) = scoped(
        scope,
        actor,
        &super::budgets::BUDGET_SCOPE,
        vec![
            Value::Text(first.to_string()),
            Value::Text(last.to_string()),
        ],
    );
    let sql = format!(
        "SELECT l.product_id, b.location_id, b.salesman_id, b.department_id, p.category_id,
                l.period, l.quantity, l.amount
         FROM budget_lines l JOIN budgets b ON b.id = l.budget_id JOIN products p ON p.id = l.product_id
         WHERE {condition} AND {plan} AND b.owner_kind = 'salesman' AND b.scenario = 'Base' COLLATE NOCASE
               AND b.location_id IS NOT NULL AND l.period BETWEEN ?{next} AND ?{}",
        next + 1,
        plan = super::budgets::plan_condition(),
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), |row| {
        Ok((
            facts(row, 0)?,
            columns::month(row, 5)?,
            columns::decimal(row, 6)?,
            columns::decimal(row, 7)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The planned unit price per product and month: the budgets' average price
/// (amount ÷ quantity over every Base budget line) where budgeted, else the list price.
pub(crate) fn planned_prices(conn: Reader<'_>, first: Month, last: Month) -> Result<PriceLists> {
    let mut query = conn.prepare(
        "SELECT l.product_id, l.period, l.quantity, l.amount
         FROM budget_lines l JOIN budgets b ON b.id = l.budget_id
         WHERE b.scenario = 'Base' COLLATE NOCASE AND b.owner_kind = 'salesman'
               AND l.period BETWEEN ?1 AND ?2",
    )?;
    let mut sums: HashMap<(Uuid, Month), (Decimal, Decimal)> = HashMap::new();
    let rows = query.query_map(params![first.to_string(), last.to_string()], |row| {
        Ok((
            columns::uuid(row, 0)?,
            columns::month(row, 1)?,
            columns::decimal(row, 2)?,
            columns::decimal(row, 3)?,
        ))
    })?;
    for row in rows {
        let (product, period, quantity, amount) = row?;
        let sum = sums.entry((product, period)).or_default();
        sum.0 += quantity;
        sum.1 += amount;
    }
    let planned = sums
        .into_iter()
        .filter(|(_, (quantity, _))| !quantity.is_zero())
        .map(|(key, (quantity, amount))| (key, amount / quantity))
        .collect();
    let mut query = conn.prepare("SELECT id, list_price FROM products")?;
    let list = query
        .query_map([], |row| {
            Ok((columns::uuid(row, 0)?, columns::decimal(row, 1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((planned, list))
}

/// The facts of every baseline series within a scope (no values).
pub(crate) fn baseline_facts(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
) -> Result<Vec<SeriesFacts>> {
    let (condition, values) = scope::condition(scope, actor, &SERIES_SCOPE);
    let sql = format!(
        "SELECT f.product_id, f.location_id, f.salesman_id, f.department_id, p.category_id
         FROM forecast_series f JOIN products p ON p.id = f.product_id WHERE {condition}"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), |row| facts(row, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
