//! SQL for budgets, their lines and their (append-only) approval steps, and the
//! facts that budgeting reads: last year's actuals and the variance inputs.

use super::columns;
use super::sales::SALE_SCOPE;
use super::scope::{self, ScopeColumns};
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::budgets::{
    ApprovalStep, Budget, BudgetLine, BudgetOwner, BudgetStatus, OwnerKind, PlanOf,
};
use crate::month::Month;
use crate::timestamp::Timestamp;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};
use rust_decimal::Decimal;
use uuid::Uuid;

pub(crate) const BUDGET_SCOPE: ScopeColumns = ScopeColumns {
    owner: "b.salesman_id",
    department: "b.department_id",
    location: "b.location_id",
};

const SELECT_BUDGET: &str = "SELECT b.id, b.fiscal_year, b.scenario, b.owner_kind, b.salesman_id, b.department_id,
        b.location_id, b.currency, b.status, b.copied_from, b.created_by, b.version, b.created_at, b.updated_at,
        CASE b.owner_kind WHEN 'salesman' THEN u.display_name WHEN 'department' THEN d.name ELSE l.name END
    FROM budgets b
    LEFT JOIN users u ON u.id = b.salesman_id
    LEFT JOIN departments d ON d.id = b.department_id
    LEFT JOIN locations l ON l.id = b.location_id";

fn budget_from_row(row: &Row<'_>) -> rusqlite::Result<Budget> {
    Ok(Budget {
        id: columns::uuid(row, 0)?,
        fiscal_year: row.get(1)?,
        scenario: row.get(2)?,
        owner: BudgetOwner {
            kind: columns::parsed(row, 3, "owner kind", OwnerKind::parse)?,
            salesman_id: columns::optional_uuid(row, 4)?,
            department_id: columns::optional_uuid(row, 5)?,
            location_id: columns::optional_uuid(row, 6)?,
        },
        currency: row.get(7)?,
        status: columns::parsed(row, 8, "budget status", BudgetStatus::parse)?,
        copied_from: columns::optional_uuid(row, 9)?,
        created_by: columns::uuid(row, 10)?,
        version: row.get(11)?,
        created_at: columns::timestamp(row, 12)?,
        updated_at: columns::timestamp(row, 13)?,
        owner_name: row.get::<_, Option<String>>(14)?.unwrap_or_default(),
    })
}

fn id_text(id: Option<Uuid>) -> Option<String> {
    id.map(|id| id.to_string())
}

pub(crate) fn insert_budget(conn: &Write<'_>, budget: &Budget) -> Result<()> {
    conn.execute(
        "INSERT INTO budgets (id, fiscal_year, scenario, owner_kind, salesman_id, department_id, location_id,
                              currency, status, copied_from, created_by, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            budget.id.to_string(),
            budget.fiscal_year,
            budget.scenario,
            budget.owner.kind.key(),
            id_text(budget.owner.salesman_id),
            id_text(budget.owner.department_id),
            id_text(budget.owner.location_id),
            budget.currency,
            budget.status.key(),
            id_text(budget.copied_from),
            budget.created_by.to_string(),
            budget.version,
            budget.created_at.to_string(),
            budget.updated_at.to_string(),
        ],
    )?;
    Ok(())
}

pub(crate) fn get_budget(conn: Reader<'_>, id: Uuid) -> Result<Option<Budget>> {
    let sql = format!("{SELECT_BUDGET} WHERE b.id = ?1");
    Ok(conn
        .query_row(&sql, [id.to_string()], budget_from_row)
        .optional()?)
}

/// The budget with the same year, scenario and owner, if one exists.
pub(crate) fn find_same(
    conn: Reader<'_>,
    fiscal_year: i32,
    scenario: &str,
    owner: &BudgetOwner,
) -> Result<Option<Uuid>> {
    Ok(conn
        .query_row(
            "SELECT id FROM budgets
             WHERE fiscal_year = ?1 AND scenario = ?2 COLLATE NOCASE AND owner_kind = ?3
               AND coalesce(salesman_id, '') = coalesce(?4, '') AND coalesce(department_id, '') = coalesce(?5, '')
               AND coalesce(location_id, '') = coalesce(?6, '')",
            params![
                fiscal_year,
                scenario,
                owner.kind.key(),
                id_text(owner.salesman_id),
                id_text(owner.department_id),
                id_text(owner.location_id),
            ],
            |row| columns::uuid(row, 0),
        )
        .optional()?)
}

pub(crate) fn list_budgets(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    fiscal_year: Option<i32>,
) -> Result<Vec<Budget>> {
    let (condition, mut values) = scope::condition(scope, actor, &BUDGET_SCOPE);
    values.push(fiscal_year.map_or(Value::Null, |year| Value::Integer(i64::from(year))));
    let year_param = values.len();
    let sql = format!(
        "{SELECT_BUDGET} WHERE {condition} AND (?{year_param} IS NULL OR b.fiscal_year = ?{year_param})
         ORDER BY b.fiscal_year DESC, b.scenario, b.owner_kind, 15"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), budget_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The total amount of every budget in a scope, summed exactly, in one pass over their lines.
pub(crate) fn totals_in_scope(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
) -> Result<std::collections::HashMap<Uuid, Decimal>> {
    let (condition, values) = scope::condition(scope, actor, &BUDGET_SCOPE);
    let sql = format!(
        "SELECT l.budget_id, l.amount FROM budget_lines l JOIN budgets b ON b.id = l.budget_id WHERE {condition}"
    );
    let mut query = conn.prepare(&sql)?;
    let mut rows = query.query(params_from_iter(values))?;
    let mut totals = std::collections::HashMap::new();
    while let Some(row) = rows.next()? {
        *totals
            .entry(columns::uuid(row, 0)?)
            .or_insert(Decimal::ZERO) += columns::decimal(row, 1)?;
    }
    Ok(totals)
}

pub(crate) fn set_status(
    conn: &Write<'_>,
    id: Uuid,
    status: BudgetStatus,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "UPDATE budgets SET status = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
        params![id.to_string(), status.key(), now.to_string()],
    )?;
    Ok(())
}

const SELECT_LINE: &str = "SELECT id, budget_id, product_id, period, quantity, unit_price, amount, amount_entered, version
    FROM budget_lines";

fn line_from_row(row: &Row<'_>) -> rusqlite::Result<BudgetLine> {
    Ok(BudgetLine {
        id: columns::uuid(row, 0)?,
        budget_id: columns::uuid(row, 1)?,
        product_id: columns::uuid(row, 2)?,
        period: columns::month(row, 3)?,
        quantity: columns::decimal(row, 4)?,
        unit_price: columns::decimal(row, 5)?,
        amount: columns::decimal(row, 6)?,
        amount_entered: row.get(7)?,
        version: row.get(8)?,
    })
}

pub(crate) fn get_line(
    conn: Reader<'_>,
    budget_id: Uuid,
    product_id: Uuid,
    period: Month,
) -> Result<Option<BudgetLine>> {
    let sql = format!("{SELECT_LINE} WHERE budget_id = ?1 AND product_id = ?2 AND period = ?3");
    Ok(conn
        .query_row(
            &sql,
            params![
                budget_id.to_string(),
                product_id.to_string(),
                period.to_string()
            ],
            line_from_row,
        )
        .optional()?)
}

pub(crate) fn line_by_id(conn: Reader<'_>, id: Uuid) -> Result<Option<BudgetLine>> {
    let sql = format!("{SELECT_LINE} WHERE id = ?1");
    Ok(conn
        .query_row(&sql, [id.to_string()], line_from_row)
        .optional()?)
}

pub(crate) fn lines(conn: Reader<'_>, budget_id: Uuid) -> Result<Vec<BudgetLine>> {
    let sql = format!("{SELECT_LINE} WHERE budget_id = ?1 ORDER BY product_id, period");
    let mut query = conn.prepare_cached(&sql)?;
    let rows = query.query_map([budget_id.to_string()], line_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts the line, or overwrites the one for the same product and month (bumping its version).
pub(crate) fn put_line(conn: &Write<'_>, line: &BudgetLine, now: Timestamp) -> Result<()> {
    let mut upsert = conn.prepare_cached(
        "INSERT INTO budget_lines (id, budget_id, product_id, period, quantity, unit_price, amount, amount_entered, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (budget_id, product_id, period) DO UPDATE SET
             quantity = excluded.quantity, unit_price = excluded.unit_price, amount = excluded.amount,
             amount_entered = excluded.amount_entered, updated_at = excluded.updated_at, version = version + 1",
    )?;
    upsert.execute(params![
        line.id.to_string(),
        line.budget_id.to_string(),
        line.product_id.to_string(),
        line.period.to_string(),
        line.quantity.to_string(),
        line.unit_price.to_string(),
        line.amount.to_string(),
        line.amount_entered,
        now.to_string(),
    ])?;
    Ok(())
}

pub(crate) fn insert_approval(
    conn: &Write<'_>,
    budget_id: Uuid,
    step: &ApprovalStep,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    conn.execute(
        "INSERT INTO budget_approvals (id, budget_id, from_status, to_status, actor_id, comment, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id.to_string(),
            budget_id.to_string(),
            step.from_status.key(),
            step.to_status.key(),
            step.actor_id.to_string(),
            step.comment,
            step.recorded_at.to_string(),
        ],
    )?;
    Ok(id)
}

pub(crate) fn approvals(conn: Reader<'_>, budget_id: Uuid) -> Result<Vec<ApprovalStep>> {
    let mut query = conn.prepare(
        "SELECT a.from_status, a.to_status, a.actor_id, u.username, a.comment, a.recorded_at
         FROM budget_approvals a JOIN users u ON u.id = a.actor_id
         WHERE a.budget_id = ?1 ORDER BY a.recorded_at, a.rowid",
    )?;
    let rows = query.query_map([budget_id.to_string()], |row| {
        Ok(ApprovalStep {
            from_status: columns::parsed(row, 0, "budget status", BudgetStatus::parse)?,
            to_status: columns::parsed(row, 1, "budget status", BudgetStatus::parse)?,
            actor_id: columns::uuid(row, 2)?,
            username: row.get(3)?,
            comment: row.get(4)?,
            recorded_at: columns::timestamp(row, 5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Actual sales of an owner's scope in the given months, summed per product and month.
pub(crate) fn actuals_of_owner(
    conn: Reader<'_>,
    owner: &BudgetOwner,
    first_period: Month,
    last_period: Month,
) -> Result<Vec<(Uuid, Month, Decimal, Decimal)>> {
    let (column, id) = match owner.kind {
        OwnerKind::Salesman => (SALE_SCOPE.owner, owner.salesman_id),
        OwnerKind::Department => (SALE_SCOPE.department, owner.department_id),
        OwnerKind::Location => (SALE_SCOPE.location, owner.location_id),
    };
    let sql = format!(
        "SELECT s.product_id, s.period, s.quantity, s.amount FROM actual_sales s
         WHERE {column} = ?1 AND s.period BETWEEN ?2 AND ?3"
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(
        params![
            id_text(id),
            first_period.to_string(),
            last_period.to_string()
        ],
        |row| {
            Ok((
                columns::uuid(row, 0)?,
                columns::month(row, 1)?,
                columns::decimal(row, 2)?,
                columns::decimal(row, 3)?,
            ))
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One budget or actual quantity and amount with every dimension a variance
/// report groups by (the product none for actual sales read by seller).
#[derive(Debug, Clone)]
pub(crate) struct VarianceFact {
    pub period: Month,
    pub product_id: Option<Uuid>,
    pub category_id: Uuid,
    pub salesman_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    pub quantity: Decimal,
    pub amount: Decimal,
}

fn variance_fact(row: &Row<'_>) -> rusqlite::Result<VarianceFact> {
    Ok(VarianceFact {
        period: columns::month(row, 0)?,
        product_id: columns::optional_uuid(row, 1)?,
        category_id: columns::uuid(row, 2)?,
        salesman_id: columns::optional_uuid(row, 3)?,
        department_id: columns::optional_uuid(row, 4)?,
        location_id: columns::optional_uuid(row, 5)?,
        quantity: columns::decimal(row, 6)?,
        amount: columns::decimal(row, 7)?,
    })
}

/// Approved budget lines (the plan) of one year, scenario and owner kind, within a scope.
pub(crate) fn budget_facts(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    of: PlanOf<'_>,
) -> Result<Vec<VarianceFact>> {
    let (condition, mut values) = scope::condition(scope, actor, &BUDGET_SCOPE);
    let next = values.len() + 1;
    values.push(Value::Integer(i64::from(of.fiscal_year)));
    values.push(Value::Text(of.scenario.to_owned()));
    values.push(Value::Text(of.basis.key().to_owned()));
    let sql = format!(
        "SELECT l.period, l.product_id, p.category_id, b.salesman_id, b.department_id, b.location_id, l.quantity, l.amount
         FROM budget_lines l JOIN budgets b ON b.id = l.budget_id JOIN products p ON p.id = l.product_id
         WHERE {condition} AND {plan} AND b.fiscal_year = ?{next} AND b.scenario = ?{} COLLATE NOCASE AND b.owner_kind = ?{}",
        next + 1,
        next + 2,
        plan = plan_condition(),
    );
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), variance_fact)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How finely a reader needs the sales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grain {
    /// By month, product, salesman and branch (V25's summary, summed over customers).
    Product,
    /// By month, branch, salesman and the product's category (V30's
    /// `sales_by_seller`): a year of a company is thousands of cells, not millions.
    Seller,
}

/// Actual sales between two months (inclusive), within a scope, at a grain,
/// with the category and the salesman's department: read from the summaries
/// the triggers keep (V25, V30).
pub(crate) fn actual_facts(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    (first_period, last_period): (Month, Month),
    grain: Grain,
) -> Result<Vec<VarianceFact>> {
    let (condition, mut values) = match grain {
        Grain::Product => scope::condition(scope, actor, &SALE_SCOPE),
        Grain::Seller => scope::condition(
            scope,
            actor,
            &ScopeColumns {
                owner: "s.salesman_id",
                department: "u.department_id",
                location: "s.location_id",
            },
        ),
    };
    let next = values.len() + 1;
    values.push(Value::Text(first_period.to_string()));
    values.push(Value::Text(last_period.to_string()));
    let sql = match grain {
        Grain::Product => format!(
            "SELECT s.period, s.product_id, p.category_id, s.salesman_id, u.department_id, s.location_id,
                    decimal_sum(s.quantity), decimal_sum(s.amount)
             FROM sales_summary s JOIN products p ON p.id = s.product_id LEFT JOIN users u ON u.id = s.salesman_id
             WHERE {condition} AND s.period BETWEEN ?{next} AND ?{}
             GROUP BY s.period, s.product_id, s.salesman_id, s.location_id",
            next + 1
        ),
        // Each cell is one fact already (its key is the fact's).
        Grain::Seller => format!(
            "SELECT s.period, NULL, s.category_id, NULLIF(s.salesman_id, ''), u.department_id, s.location_id,
                    s.quantity, s.amount
             FROM sales_by_seller s LEFT JOIN users u ON u.id = s.salesman_id
             WHERE {condition} AND s.period BETWEEN ?{next} AND ?{}",
            next + 1
        ),
    };
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map(params_from_iter(values), variance_fact)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The lines of a budget written after `since` (a stored timestamp).
pub(crate) fn lines_written_since(
    conn: Reader<'_>,
    budget_id: Uuid,
    since: Timestamp,
) -> Result<std::collections::HashSet<Uuid>> {
    let mut query =
        conn.prepare("SELECT id FROM budget_lines WHERE budget_id = ?1 AND updated_at > ?2")?;
    let rows = query.query_map(params![budget_id.to_string(), since.to_string()], |row| {
        super::columns::uuid(row, 0)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The SQL condition (on budgets aliased `b`) that keeps the budgets that are the plan.
pub(crate) fn plan_condition() -> String {
    let keys: Vec<String> = BudgetStatus::ALL
        .into_iter()
        .filter(|status| status.is_plan())
        .map(|status| format!("'{}'", status.key()))
        .collect();
    format!("b.status IN ({})", keys.join(", "))
}
