//! SQL for reports: the sales summary cut by the dimensions a report asks
//! for (and no finer), the sales behind one cell, the costs margins use, and
//! `saved_reports`.

use crate::access::{Actor, Scope};
use crate::error::Result;
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
    /// The column in the sales themselves (aliased `s`, products `p`, the salesman `u`).
    fn sql(self) -> &'static str {
        Summary::Sales.column(self).unwrap_or("NULL")
    }
}

/// The kept sums of the sales (V25, V30), coarsest first: a cut reads the
/// first that holds every column it groups by, filters by or is scoped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Summary {
    /// Month × branch × salesman × category.
    Seller,
    /// Month × product × department.
    Product,
    /// Month × customer × department.
    Customer,
    /// Month × product × branch × salesman × customer.
    Sales,
}

impl Summary {
    const COARSEST_FIRST: [Summary; 4] = [
        Summary::Seller,
        Summary::Product,
        Summary::Customer,
        Summary::Sales,
    ];

    fn table(self) -> &'static str {
        match self {
            Summary::Seller => "sales_by_seller",
            Summary::Product => "sales_by_product",
            Summary::Customer => "sales_by_customer",
            Summary::Sales => "sales_summary",
        }
    }

    /// The SQL a column is read by (aliased `s`, products `p`, the salesman
    /// `u`); none where the summary has summed it away. The coarse summaries
    /// key "none" as ''.
    fn column(self, column: SaleColumn) -> Option<&'static str> {
        use SaleColumn as C;
        match (self, column) {
            (Summary::Seller | Summary::Sales, C::Location) => Some("s.location_id"),
            (Summary::Seller | Summary::Sales, C::Salesman) => Some("s.salesman_id"),
            (Summary::Seller | Summary::Sales, C::Department) => Some("u.department_id"),
            (Summary::Seller, C::Category) => Some("s.category_id"),
            (Summary::Product | Summary::Sales, C::Category) => Some("p.category_id"),
            (Summary::Product | Summary::Sales, C::Product) => Some("s.product_id"),
            (Summary::Product | Summary::Customer, C::Department) => Some("s.department_id"),
            (Summary::Customer | Summary::Sales, C::Customer) => Some("s.customer_id"),
            _ => None,
        }
    }

    /// The summary aliased `s`, with a product's category and a salesman's
    /// department looked up only when it does not hold them and `needs` them.
    fn from(self, needs: &[SaleColumn]) -> String {
        let mut from = format!("{} s", self.table());
        let reads = |alias: &str| {
            needs.iter().any(|needed| {
                self.column(*needed)
                    .is_some_and(|sql| sql.starts_with(alias))
            })
        };
        if reads("p.") {
            from.push_str(" JOIN products p ON p.id = s.product_id");
        }
        if reads("u.") {
            from.push_str(" LEFT JOIN users u ON u.id = s.salesman_id");
        }
        from
    }

    /// The coarsest summary that holds every column in `needs`.
    fn holding(needs: &[SaleColumn]) -> Summary {
        Summary::COARSEST_FIRST
            .into_iter()
            .find(|summary| needs.iter().all(|column| summary.column(*column).is_some()))
            .unwrap_or(Summary::Sales)
    }
}

/// The column a scope keeps rows by, if any.
fn scoped_by(scope: Scope) -> Option<SaleColumn> {
    match scope {
        Scope::All => None,
        Scope::Own => Some(SaleColumn::Salesman),
        Scope::Location => Some(SaleColumn::Location),
        Scope::Department => Some(SaleColumn::Department),
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

impl Place {
    /// Its id of what a column names.
    pub(crate) fn of(&self, column: SaleColumn) -> Option<Uuid> {
        match column {
            SaleColumn::Product => self.product,
            SaleColumn::Category => self.category,
            SaleColumn::Location => self.location,
            SaleColumn::Department => self.department,
            SaleColumn::Salesman => self.salesman,
            SaleColumn::Customer => self.customer,
        }
    }
}

/// Sales of a month summed over what the cut does not keep apart.
#[derive(Debug, Clone)]
pub(crate) struct SaleCut {
    pub place: Place,
    pub quantity: Decimal,
    pub amount: Decimal,
}

/// The scope condition, the period and the filters as SQL over a summary
/// (or the sales) aliased `s`, products `p` and the salesman `u`, its
/// columns read by `column`.
fn conditions(
    (scope, actor): (Scope, &Actor),
    column: impl Fn(SaleColumn) -> &'static str,
    (first, last): (Month, Month),
    filters: &[(SaleColumn, &[Uuid])],
    empty: &[SaleColumn],
) -> (String, Vec<Value>) {
    let columns = scope::ScopeColumns {
        owner: column(SaleColumn::Salesman),
        department: column(SaleColumn::Department),
        location: column(SaleColumn::Location),
    };
    let (condition, mut values) = scope::condition(scope, actor, &columns);
    let mut parts = vec![condition];
    values.push(Value::Text(first.to_string()));
    values.push(Value::Text(last.to_string()));
    parts.push(format!(
        "s.period BETWEEN ?{} AND ?{}",
        values.len() - 1,
        values.len()
    ));
    for (filtered, members) in filters {
        let mut marks = Vec::with_capacity(members.len());
        for member in *members {
            values.push(Value::Text(member.to_string()));
            marks.push(format!("?{}", values.len()));
        }
        parts.push(format!("{} IN ({})", column(*filtered), marks.join(", ")));
    }
    for missing in empty {
        parts.push(format!("{} IS NULL", column(*missing)));
    }
    (parts.join(" AND "), values)
}

/// The sales between two months (inclusive) in a scope, kept to `filters`,
/// by month and the ids of `grouping` (the others summed over): read from the
/// coarsest summary the triggers keep (V25, V30) that holds them.
pub(crate) fn sales_cut(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    months: (Month, Month),
    grouping: &[SaleColumn],
    filters: &[(SaleColumn, &[Uuid])],
) -> Result<Vec<SaleCut>> {
    // In the order a row reads them (`Place`).
    let kept = [
        SaleColumn::Product,
        SaleColumn::Category,
        SaleColumn::Location,
        SaleColumn::Department,
        SaleColumn::Salesman,
        SaleColumn::Customer,
    ]
    .map(|column| (grouping.contains(&column), column));
    let needs: Vec<SaleColumn> = kept
        .iter()
        .filter(|(keep, _)| *keep)
        .map(|(_, column)| *column)
        .chain(filters.iter().map(|(column, _)| *column))
        .chain(scoped_by(scope))
        .collect();
    let summary = Summary::holding(&needs);
    let column = |wanted: SaleColumn| summary.column(wanted).unwrap_or("NULL");
    let select: Vec<String> = kept
        .iter()
        .map(|(keep, wanted)| match keep {
            true => format!("NULLIF({}, '')", column(*wanted)),
            false => "NULL".to_owned(),
        })
        .collect();
    let group: String = kept
        .iter()
        .filter(|(keep, _)| *keep)
        .map(|(_, wanted)| format!(", {}", column(*wanted)))
        .collect();
    let (condition, values) = conditions((scope, actor), column, months, filters, &[]);
    let sql = format!(
        "SELECT s.period, {}, decimal_sum(s.quantity), decimal_sum(s.amount)
         FROM {}
         WHERE {condition}
         GROUP BY s.period{group}",
        select.join(", "),
        summary.from(&needs),
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

/// The sales amount of each member of `column` (none: the sales without
/// one) in each of `spans` (month ranges, inclusive; a month counts in the
/// first span that holds it), in a scope: one amount a span, read from the
/// coarsest summary that holds the column.
pub(crate) fn amounts_by_span(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    column: SaleColumn,
    spans: &[(Month, Month)],
) -> Result<HashMap<Option<Uuid>, Vec<Decimal>>> {
    let (Some(first), Some(last)) = (
        spans.iter().map(|span| span.0).min(),
        spans.iter().map(|span| span.1).max(),
    ) else {
        return Ok(HashMap::new());
    };
    let needs: Vec<SaleColumn> = std::iter::once(column).chain(scoped_by(scope)).collect();
    let summary = Summary::holding(&needs);
    let sql_of = |wanted: SaleColumn| summary.column(wanted).unwrap_or("NULL");
    let (condition, mut values) = conditions((scope, actor), sql_of, (first, last), &[], &[]);
    let mut cases = String::new();
    for (at, (from, to)) in spans.iter().enumerate() {
        values.push(Value::Text(from.to_string()));
        values.push(Value::Text(to.to_string()));
        cases.push_str(&format!(
            " WHEN s.period BETWEEN ?{} AND ?{} THEN {at}",
            values.len() - 1,
            values.len()
        ));
    }
    let key = sql_of(column);
    let sql = format!(
        "SELECT NULLIF({key}, ''), CASE{cases} END AS span, decimal_sum(s.amount)
         FROM {}
         WHERE {condition}
         GROUP BY {key}, span HAVING span IS NOT NULL",
        summary.from(&needs),
    );
    let mut query = conn.prepare(&sql)?;
    let mut rows = query.query(params_from_iter(values))?;
    let mut amounts: HashMap<Option<Uuid>, Vec<Decimal>> = HashMap::new();
    while let Some(row) = rows.next()? {
        let span = usize::try_from(row.get::<_, i64>(1)?).unwrap_or_default();
        let sums = amounts
            .entry(columns::optional_uuid(row, 0)?)
            .or_insert_with(|| vec![Decimal::ZERO; spans.len()]);
        if let Some(sum) = sums.get_mut(span) {
            *sum = columns::decimal(row, 2)?;
        }
    }
    Ok(amounts)
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
    let (condition, values) = conditions(
        (scope, actor),
        SaleColumn::sql,
        (first, last),
        filters,
        empty,
    );
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
