//! Records as they travel: each synced entity is a row of one ledger table, and
//! a change carries that row's columns (all of them for a new record or a fact,
//! the ones it set for an update). Reading a row into a column map and writing
//! a column map back are the same for every table, so a laptop applies what
//! head office sends without a hand-written path per entity.

use crate::error::{Error, Result};
use crate::ledger::{Entity, columns};
use crate::ledger::{Reader, Write};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use salesplan_domain::sync::protocol::ScopeFacts;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::rc::Rc;
use uuid::Uuid;

/// Where an entity's records live.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mirror {
    pub table: &'static str,
    /// The column that names a record.
    pub key: Key,
    /// The scope facts of a record: `SELECT owner, department, location … WHERE <key> = ?1`
    /// (and the other location, fourth, for a record between two).
    pub scope: &'static str,
    /// Rows of another table that belong to the record and travel with it
    /// (a template's lines): `(table, column naming the record)`.
    pub children: Option<(&'static str, &'static str)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// `id`, the entity id.
    Id,
    /// The one row of a single-row table (`id = 1`).
    Single,
    /// A natural key column, taken from the record itself (a closed month's `month`).
    Column(&'static str),
}

const COMPANY: &str = "SELECT NULL, NULL, NULL";

/// The table behind a synced entity; `None` for what stays on the laptop.
pub(crate) fn mirror(entity: Entity) -> Option<Mirror> {
    let plain = |table, scope| Mirror {
        table,
        key: Key::Id,
        scope,
        children: None,
    };
    Some(match entity {
        Entity::CompanySettings => Mirror {
            key: Key::Single,
            ..plain("company_settings", COMPANY)
        },
        Entity::Department => plain("departments", COMPANY),
        Entity::Location => plain("locations", COMPANY),
        Entity::ProductCategory => plain("product_categories", COMPANY),
        Entity::Product => plain("products", COMPANY),
        Entity::Customer => plain("customers", COMPANY),
        Entity::Supplier => plain("suppliers", COMPANY),
        Entity::SupplierProduct => plain("supplier_products", COMPANY),
        Entity::StockPolicyOverride => plain(
            "stock_policy_overrides",
            "SELECT NULL, NULL, location_id FROM stock_policy_overrides WHERE id = ?1",
        ),
        Entity::PurchaseOrder => plain(
            "purchase_orders",
            "SELECT NULL, NULL, location_id FROM purchase_orders WHERE id = ?1",
        ),
        Entity::PurchaseOrderLine => plain(
            "purchase_order_lines",
            "SELECT NULL, NULL, o.location_id
             FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.order_id WHERE l.id = ?1",
        ),
        Entity::Transfer => plain(
            "transfers",
            "SELECT NULL, NULL, to_location_id, from_location_id FROM transfers WHERE id = ?1",
        ),
        Entity::TransferLine => plain(
            "transfer_lines",
            "SELECT NULL, NULL, t.to_location_id, t.from_location_id
             FROM transfer_lines l JOIN transfers t ON t.id = l.transfer_id WHERE l.id = ?1",
        ),
        Entity::BudgetCategory => plain("budget_categories", COMPANY),
        Entity::User => plain("users", COMPANY),
        Entity::ActualSale => plain(
            "actual_sales",
            "SELECT salesman_id, (SELECT department_id FROM users WHERE id = s.salesman_id), location_id
             FROM actual_sales s WHERE id = ?1",
        ),
        Entity::Budget => plain(
            "budgets",
            "SELECT salesman_id, department_id, location_id FROM budgets WHERE id = ?1",
        ),
        Entity::BudgetLine => plain(
            "budget_lines",
            "SELECT b.salesman_id, b.department_id, b.location_id
             FROM budget_lines l JOIN budgets b ON b.id = l.budget_id WHERE l.id = ?1",
        ),
        Entity::BudgetExpense => plain(
            "budget_expenses",
            "SELECT b.salesman_id, b.department_id, b.location_id
             FROM budget_expenses e JOIN budgets b ON b.id = e.budget_id WHERE e.id = ?1",
        ),
        Entity::ExpenseTransaction => plain(
            "expense_transactions",
            "SELECT b.salesman_id, b.department_id, b.location_id
             FROM expense_transactions t JOIN budget_expenses e ON e.id = t.expense_id
                  JOIN budgets b ON b.id = e.budget_id WHERE t.id = ?1",
        ),
        Entity::BudgetTemplate => Mirror {
            children: Some(("budget_template_lines", "template_id")),
            ..plain(
                "budget_templates",
                "SELECT t.created_by, u.department_id, u.location_id
                 FROM budget_templates t LEFT JOIN users u ON u.id = t.created_by WHERE t.id = ?1",
            )
        },
        Entity::Import => plain(
            "imports",
            "SELECT i.imported_by, u.department_id, u.location_id
             FROM imports i LEFT JOIN users u ON u.id = i.imported_by WHERE i.id = ?1",
        ),
        Entity::ImportMapping => plain(
            "import_mappings",
            "SELECT created_by, (SELECT department_id FROM users WHERE id = m.created_by), NULL
             FROM import_mappings m WHERE id = ?1",
        ),
        Entity::SavedReport => plain(
            "saved_reports",
            "SELECT created_by, NULL, NULL FROM saved_reports WHERE id = ?1",
        ),
        Entity::StockMovement => plain(
            "stock_movements",
            "SELECT NULL, NULL, location_id FROM stock_movements WHERE id = ?1",
        ),
        Entity::ForecastOverride => plain(
            "forecast_overrides",
            "SELECT o.salesman_id, coalesce(o.department_id, u.department_id), coalesce(o.location_id, u.location_id)
             FROM forecast_overrides o LEFT JOIN users u ON u.id = o.salesman_id WHERE o.id = ?1",
        ),
        Entity::ClosedMonth => Mirror {
            key: Key::Column("month"),
            ..plain("forecast_closed_months", COMPANY)
        },
        Entity::ForecastSnapshot => plain(
            "forecast_snapshots",
            "SELECT salesman_id, department_id, location_id FROM forecast_snapshots WHERE id = ?1",
        ),
        Entity::WatchedFolder
        | Entity::WatchedFile
        | Entity::Alert
        | Entity::ForecastRun
        | Entity::PolicyRun
        | Entity::HomeLayout
        | Entity::AlertRule
        | Entity::DataSource
        | Entity::SourceJob => {
            return None;
        }
    })
}

impl Mirror {
    pub fn key_column(&self) -> &'static str {
        match self.key {
            Key::Id | Key::Single => "id",
            Key::Column(column) => column,
        }
    }

    /// The key value of a record, from its entity id or its own fields.
    pub fn key_value(&self, entity_id: Uuid, fields: &Map<String, Value>) -> Option<Sql> {
        match self.key {
            Key::Id => Some(Sql::Text(entity_id.to_string())),
            Key::Single => Some(Sql::Integer(1)),
            Key::Column(column) => fields.get(column).map(to_sql),
        }
    }

    /// The row as the ledger holds it, as column → value (a BLOB as base64 text).
    pub fn read(&self, conn: Reader<'_>, key: &Sql) -> Result<Option<Map<String, Value>>> {
        read_row(&conn, self.table, self.key_column(), key)
    }

    pub fn scope_of(&self, conn: Reader<'_>, key: &Sql) -> Result<ScopeFacts> {
        if self.scope == COMPANY {
            return Ok(ScopeFacts::default());
        }
        Ok(conn
            .prepare_cached(self.scope)?
            .query_row([key], |row| {
                Ok(ScopeFacts {
                    owner_id: columns::optional_uuid(row, 0)?,
                    department_id: columns::optional_uuid(row, 1)?,
                    location_id: columns::optional_uuid(row, 2)?,
                    // A record between two locations says the other one fourth.
                    other_location_id: match row.as_ref().column_count() {
                        4 => columns::optional_uuid(row, 3)?,
                        _ => None,
                    },
                })
            })
            .optional()?
            .unwrap_or_default())
    }

    /// The record whole, as it travels: its row (`image`) and, for a record
    /// with rows that belong to it (a template's lines), those as `$children`.
    pub fn with_children(
        &self,
        conn: Reader<'_>,
        key: &Sql,
        mut image: Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        let Some((table, column)) = self.children else {
            return Ok(image);
        };
        let columns = table_columns(conn, table)?;
        let mut query = conn.prepare(&format!("SELECT * FROM {table} WHERE {column} = ?1"))?;
        let rows = query.query_map([key], |row| Ok(Value::Object(row_map(row, &columns)?)))?;
        image.insert(
            "$children".into(),
            Value::Array(rows.collect::<rusqlite::Result<_>>()?),
        );
        Ok(image)
    }
}

/// A record as this ledger holds it, named by its key (its id, a closed month's month).
pub(crate) type Named = (String, Map<String, Value>);

/// Every record of `entity` as this ledger holds it, with its children (a
/// budget's lines), named by its key; `None` for an entity with no table.
pub(crate) fn records(conn: Reader<'_>, entity: Entity) -> Result<Option<Vec<Named>>> {
    let Some(mirror) = mirror(entity) else {
        return Ok(None);
    };
    let columns = table_columns(conn, mirror.table)?;
    let mut query = conn.prepare(&format!("SELECT * FROM {}", mirror.table))?;
    let rows = query
        .query_map([], |row| row_map(row, &columns))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|row| {
            let key = row.get(mirror.key_column()).map(to_sql);
            let name = match &key {
                Some(Sql::Text(text)) => text.clone(),
                Some(Sql::Integer(number)) => number.to_string(),
                _ => {
                    return Err(Error::SchemaMismatch(format!(
                        "a row of {} has no {} to name it by",
                        mirror.table,
                        mirror.key_column()
                    )));
                }
            };
            let row = mirror.with_children(conn, &key.unwrap_or(Sql::Null), row)?;
            Ok((name, row))
        })
        .collect::<Result<_>>()
        .map(Some)
}

/// A table's columns, in order. Read once per ledger file and schema (every
/// change of a page asks): keyed by the file and SQLite's schema cookie,
/// which any schema change moves on.
pub(crate) fn table_columns(conn: Reader<'_>, table: &str) -> Result<Rc<Vec<Column>>> {
    /// A table's columns as read from one ledger file at one schema cookie.
    struct Known {
        file: String,
        cookie: i64,
        table: String,
        columns: Rc<Vec<Column>>,
    }
    thread_local! {
        // A few dozen tables: a list searched without allocating beats a map keyed by owned strings.
        static KNOWN: RefCell<Vec<Known>> = const { RefCell::new(Vec::new()) };
    }
    let cookie: i64 = conn
        .prepare_cached("PRAGMA schema_version")?
        .query_row([], |row| row.get(0))?;
    let file = conn.path().unwrap_or_default();
    let found = KNOWN.with(|known| {
        known
            .borrow()
            .iter()
            .find(|known| known.cookie == cookie && known.table == table && known.file == file)
            .map(|known| Rc::clone(&known.columns))
    });
    if let Some(columns) = found {
        return Ok(columns);
    }
    let columns = Rc::new(read_columns(&conn, table)?);
    KNOWN.with(|known| {
        let mut known = known.borrow_mut();
        // An older schema's columns are of no more use; a thread that opened
        // many ledgers (a test run) starts the list again.
        known.retain(|known| known.cookie == cookie || known.file != file);
        if known.len() >= 256 {
            known.clear();
        }
        known.push(Known {
            file: file.to_owned(),
            cookie,
            table: table.to_owned(),
            columns: Rc::clone(&columns),
        });
    });
    Ok(columns)
}

fn read_columns(conn: &Connection, table: &str) -> Result<Vec<Column>> {
    let mut query = conn.prepare_cached(
        "SELECT c.name, c.type, c.\"notnull\", c.dflt_value IS NOT NULL, c.pk > 0,
                f.\"table\", coalesce(f.\"to\", 'id')
         FROM pragma_table_info(?1) c LEFT JOIN pragma_foreign_key_list(?1) f ON f.\"from\" = c.name
         GROUP BY c.cid ORDER BY c.cid",
    )?;
    let columns = query.query_map([table], |row| {
        Ok(Column {
            name: row.get(0)?,
            blob: row.get::<_, String>(1)?.eq_ignore_ascii_case("BLOB"),
            required: row.get::<_, bool>(2)? && !row.get::<_, bool>(3)?,

            references: row
                .get::<_, Option<String>>(5)?
                .map(|table| -> rusqlite::Result<Reference> {
                    Ok(Reference {
                        table,
                        column: row.get(6)?,
                    })
                })
                .transpose()?,
        })
    })?;
    let columns: Vec<Column> = columns.collect::<rusqlite::Result<_>>()?;
    if columns.is_empty() {
        return Err(Error::Sync(format!("the ledger has no table {table}")));
    }
    Ok(columns)
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub name: String,
    pub blob: bool,
    /// NOT NULL without a default.
    pub required: bool,
    /// The record a foreign key points to.
    pub references: Option<Reference>,
}

/// A foreign key's target: a table and its column (`id`, or a natural key).
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub table: String,
    pub column: String,
}

fn read_row(
    conn: &Connection,
    table: &str,
    key_column: &str,
    key: &Sql,
) -> Result<Option<Map<String, Value>>> {
    let columns = table_columns(Reader(conn), table)?;
    let mut query =
        conn.prepare_cached(&format!("SELECT * FROM {table} WHERE {key_column} = ?1"))?;
    Ok(query
        .query_row([key], |row| row_map(row, &columns))
        .optional()?)
}

fn row_map(row: &rusqlite::Row<'_>, columns: &[Column]) -> rusqlite::Result<Map<String, Value>> {
    let mut map = Map::new();
    for (at, column) in columns.iter().enumerate() {
        let value = match row.get_ref(at)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(number) => Value::from(number),
            ValueRef::Real(number) => Value::from(number),
            ValueRef::Text(text) => Value::String(String::from_utf8_lossy(text).into_owned()),
            // A receipt travels as base64 text; `write_row` turns it back into bytes.
            ValueRef::Blob(bytes) => Value::String(BASE64.encode(bytes)),
        };
        map.insert(column.name.clone(), value);
    }
    Ok(map)
}

pub(crate) fn to_sql(value: &Value) -> Sql {
    match value {
        Value::Null => Sql::Null,
        Value::Bool(flag) => Sql::Integer(i64::from(*flag)),
        Value::Number(number) => number
            .as_i64()
            .map(Sql::Integer)
            .or_else(|| number.as_f64().map(Sql::Real))
            .unwrap_or(Sql::Null),
        Value::String(text) => Sql::Text(text.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// A BLOB column's value from its base64 text; `None` when it is not base64.
fn blob(value: &Value) -> Option<Sql> {
    match value {
        Value::Null => Some(Sql::Null),
        Value::String(text) => BASE64.decode(text).ok().map(Sql::Blob),
        _ => None,
    }
}

/// How a write of a column map went.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Written {
    Done,
    /// An update of a record this ledger does not hold (outside its scope before).
    Missing,
    /// The record cannot be written: why.
    Incomplete(String),
}

/// How a change writes its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A fact: added once, never changed.
    Fact,
    /// A whole record: inserted, or its columns updated.
    Whole,
    /// Some columns of a record: updated where the ledger holds it.
    Part,
}

/// Writes `fields` into the record `key` of `table`: inserts it when new (a fact
/// that exists already is left alone), else updates the columns given. Columns
/// the table does not have are returned (parked until an upgrade knows them).
/// A reference to a row this ledger does not hold is dropped where the column
/// allows none (an import the laptop cannot see).
pub(crate) fn write_row(
    conn: &Write<'_>,
    mirror: &Mirror,
    key: &Sql,
    fields: &Map<String, Value>,
    mode: Mode,
) -> Result<(Written, Map<String, Value>)> {
    let columns = table_columns(conn.read(), mirror.table)?;
    let key_column = mirror.key_column();
    let exists = conn
        .prepare_cached(&format!(
            "SELECT 1 FROM {} WHERE {key_column} = ?1",
            mirror.table
        ))?
        .query_row([key], |_| Ok(()))
        .optional()?
        .is_some();
    if exists && mode == Mode::Fact {
        // A fact is added once (this laptop's own, coming back in the feed).
        return Ok((Written::Done, Map::new()));
    }
    let mut unknown = Map::new();
    let mut names = Vec::new();
    let mut values = Vec::new();
    for (field, value) in fields {
        let Some(column) = columns.iter().find(|column| &column.name == field) else {
            unknown.insert(field.clone(), value.clone());
            continue;
        };
        if column.name == key_column {
            continue;
        }
        let mut sql = if column.blob {
            match blob(value) {
                Some(sql) => sql,
                None => {
                    return Ok((
                        Written::Incomplete(format!("its {} is not base64 text", column.name)),
                        unknown,
                    ));
                }
            }
        } else {
            to_sql(value)
        };
        if let (Some(target), Sql::Text(id)) = (&column.references, &sql)
            && !referenced_exists(conn.read(), target, id)?
        {
            if column.required {
                return Ok((
                    Written::Incomplete(format!(
                        "its {} names a record of {} this ledger does not hold",
                        column.name, target.table
                    )),
                    unknown,
                ));
            }
            // Kept aside, and set once the record it names arrives (a user's branch
            // sent after the user), if it ever does (an import this user cannot see).
            unknown.insert(field.clone(), value.clone());
            sql = Sql::Null;
        }
        names.push(column.name.as_str());
        values.push(sql);
    }
    if exists {
        if names.is_empty() {
            return Ok((Written::Done, unknown));
        }
        let assignments: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(at, name)| format!("{name} = ?{}", at + 2))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE {key_column} = ?1",
            mirror.table,
            assignments.join(", ")
        );
        let mut all = vec![key.clone()];
        all.extend(values);
        return Ok((execute(conn, &sql, all)?, unknown));
    }
    if mode == Mode::Part {
        return Ok((Written::Missing, unknown));
    }
    let now = crate::timestamp::Timestamp::now().to_string();
    for column in columns.iter() {
        if column.name == key_column || names.contains(&column.name.as_str()) {
            continue;
        }
        if column.required {
            if column.name.ends_with("_at") {
                names.push(column.name.as_str());
                values.push(Sql::Text(now.clone()));
            } else if column.name == "password_hash" {
                // Someone else's account: it signs in on this laptop only after signing in to head office here.
                names.push(column.name.as_str());
                values.push(Sql::Text("!head-office".into()));
            } else {
                return Ok((
                    Written::Incomplete(format!("it lacks the column {}", column.name)),
                    unknown,
                ));
            }
        }
    }
    let placeholders: Vec<String> = (1..=names.len() + 1).map(|at| format!("?{at}")).collect();
    let sql = format!(
        "INSERT INTO {} ({key_column}, {}) VALUES ({})",
        mirror.table,
        names.join(", "),
        placeholders.join(", ")
    );
    let mut all = vec![key.clone()];
    all.extend(values);
    Ok((execute(conn, &sql, all)?, unknown))
}

fn execute(conn: &Write<'_>, sql: &str, values: Vec<Sql>) -> Result<Written> {
    match conn.prepare_cached(sql)?.execute(params_from_iter(values)) {
        Ok(_) => Ok(Written::Done),
        // Another record here has the same natural key (a code, a SKU): made on two laptops offline.
        Err(error)
            if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
        {
            Ok(Written::Incomplete(format!(
                "it clashes with a record this ledger holds: {error}"
            )))
        }
        Err(error) => Err(error.into()),
    }
}

pub(crate) fn referenced_exists(conn: Reader<'_>, target: &Reference, key: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT 1 FROM {} WHERE {} = ?1",
            target.table, target.column
        ))?
        .query_row([key], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Replaces the rows that belong to a record (a template's lines) with `rows`.
pub(crate) fn replace_children(
    conn: &Write<'_>,
    mirror: &Mirror,
    key: &Sql,
    rows: &[Value],
) -> Result<()> {
    let Some((table, column)) = mirror.children else {
        return Ok(());
    };
    conn.execute(&format!("DELETE FROM {table} WHERE {column} = ?1"), [key])?;
    let child = Mirror {
        table,
        key: Key::Id,
        scope: COMPANY,
        children: None,
    };
    for row in rows {
        let Value::Object(fields) = row else { continue };
        let Some(id) = fields.get("id").map(to_sql) else {
            continue;
        };
        write_row(conn, &child, &id, fields, Mode::Whole)?;
    }
    Ok(())
}
