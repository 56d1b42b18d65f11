//! One client per kind of source, all answering the same questions: who are
//! you, what do you hold, and the rows of this query (from a cursor on, in
//! its order), handed over row by row as text.

use crate::error::Failure;
use salesplan_core::sources::Connection;
use serde::Serialize;
use std::time::Duration;
use ts_rs::TS;

/// How long connecting (and signing in) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A table or view (a collection, for a document store) and its columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DiscoveredTable {
    /// The schema (PostgreSQL), none where a database has no schemas.
    pub schema: Option<String>,
    pub name: String,
    pub columns: Vec<DiscoveredColumn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DiscoveredColumn {
    pub name: String,
    /// The type as the source names it.
    pub data_type: String,
}

/// Read in the order of a column, from a value on (inclusive: rows tied at
/// the cursor are read again and recognised by the caller).
#[derive(Debug, Clone, Copy)]
pub struct Order<'a> {
    pub column: &'a str,
    pub from: Option<&'a str>,
}

/// Where a client hands over what a query returns.
pub trait Sink {
    /// The query's columns, once, before any row.
    fn columns(&mut self, names: Vec<String>) -> Result<(), Failure>;
    /// A row, one cell per column (`None` for NULL); `false` stops the read.
    fn row(&mut self, cells: &[Option<&str>]) -> Result<bool, Failure>;
}

/// A connected source.
pub trait Client {
    /// The server's name and version.
    fn server(&mut self) -> Result<String, Failure>;
    fn discover(&mut self) -> Result<Vec<DiscoveredTable>, Failure>;
    /// Runs `query` (read-only), in `order` when given, at most `limit` rows.
    fn read(
        &mut self,
        query: &str,
        order: Option<Order<'_>>,
        limit: Option<usize>,
        sink: &mut dyn Sink,
    ) -> Result<(), Failure>;
}

/// Connects to a source, signing in with `secret` where it needs one.
pub fn connect(connection: &Connection, secret: Option<&str>) -> Result<Box<dyn Client>, Failure> {
    Ok(match connection {
        Connection::Postgres(address) => {
            Box::new(crate::postgres::Postgres::connect(address, secret)?)
        }
        Connection::Sqlite(file) => Box::new(crate::sqlite::Sqlite::open(&file.path)?),
    })
}

/// The index of a column by name: exactly, else ignoring case.
pub(crate) fn column_index(columns: &[String], name: &str) -> Result<usize, Failure> {
    columns
        .iter()
        .position(|column| column == name)
        .or_else(|| {
            columns
                .iter()
                .position(|column| column.eq_ignore_ascii_case(name))
        })
        .ok_or_else(|| {
            Failure::new(
                crate::error::FailureKind::Query,
                format!(
                    "the query has no column '{name}' (its columns: {})",
                    columns.join(", ")
                ),
            )
        })
}

/// A query wrapped to be read in a column's order from a value on (`from`:
/// the SQL that stands for the value, a cast literal or a parameter), or with
/// the column's NULLs left out when there is no value yet; at most `limit` rows.
pub(crate) fn wrapped(
    query: &str,
    order: Option<(&str, Option<&str>)>,
    limit: Option<usize>,
) -> String {
    let mut sql = format!("SELECT * FROM ({query}) AS salesplan_q");
    if let Some((column, from)) = order {
        let column = format!("salesplan_q.{}", quoted(column));
        match from {
            Some(from) => sql.push_str(&format!(" WHERE {column} >= {from}")),
            None => sql.push_str(&format!(" WHERE {column} IS NOT NULL")),
        }
        sql.push_str(&format!(" ORDER BY {column}"));
    }
    if let Some(limit) = limit {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    sql
}

/// A name quoted as an SQL identifier ("a ""b""").
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A text quoted as an SQL string literal ('it''s').
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
