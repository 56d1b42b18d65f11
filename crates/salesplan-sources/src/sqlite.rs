//! A SQLite database file, opened read-only. SQLite types each value, not
//! each column: integers and reals are written as numbers, text as it is; a
//! cursor is compared as a number when it reads as one.

use crate::client::{
    Client, DiscoveredColumn, DiscoveredTable, Order, Sink, column_index, wrapped,
};
use crate::error::{Failure, FailureKind};
use rusqlite::types::ValueRef;
use rusqlite::{OpenFlags, ToSql};

pub struct Sqlite {
    conn: rusqlite::Connection,
}

fn failure(error: &rusqlite::Error) -> Failure {
    let kind = match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen) => FailureKind::Setup,
        Some(rusqlite::ErrorCode::NotADatabase) => FailureKind::Data,
        Some(
            rusqlite::ErrorCode::PermissionDenied
            | rusqlite::ErrorCode::AuthorizationForStatementDenied,
        ) => FailureKind::Permission,
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            FailureKind::Timeout
        }
        _ => FailureKind::Query,
    };
    Failure::new(kind, error.to_string())
}

impl Sqlite {
    pub fn open(path: &str) -> Result<Sqlite, Failure> {
        if !std::path::Path::new(path).is_file() {
            return Err(Failure::new(
                FailureKind::Setup,
                format!("there is no file at {path}"),
            ));
        }
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|error| failure(&error))?;
        conn.busy_timeout(crate::client::CONNECT_TIMEOUT)
            .map_err(|error| failure(&error))?;
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .map_err(|error| failure(&error))?;
        Ok(Sqlite { conn })
    }
}

/// A cursor's text as SQLite compares it: an integer, a real, or text.
fn cursor_value(text: &str) -> Box<dyn ToSql> {
    if let Ok(integer) = text.parse::<i64>() {
        Box::new(integer)
    } else if let Ok(real) = text.parse::<f64>() {
        Box::new(real)
    } else {
        Box::new(text.to_owned())
    }
}

impl Client for Sqlite {
    fn server(&mut self) -> Result<String, Failure> {
        Ok(format!("SQLite {}", rusqlite::version()))
    }

    fn discover(&mut self) -> Result<Vec<DiscoveredTable>, Failure> {
        let names: Vec<String> = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')
                 AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .and_then(|mut query| query.query_map([], |row| row.get(0))?.collect())
            .map_err(|error| failure(&error))?;
        names
            .into_iter()
            .map(|name| {
                let columns = self
                    .conn
                    .prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")
                    .and_then(|mut query| {
                        query
                            .query_map([&name], |row| {
                                Ok(DiscoveredColumn {
                                    name: row.get(0)?,
                                    data_type: row.get(1)?,
                                })
                            })?
                            .collect()
                    })
                    .map_err(|error| failure(&error))?;
                Ok(DiscoveredTable {
                    schema: None,
                    name,
                    columns,
                })
            })
            .collect()
    }

    fn read(
        &mut self,
        query: &str,
        order: Option<Order<'_>>,
        limit: Option<usize>,
        sink: &mut dyn Sink,
    ) -> Result<(), Failure> {
        let mut bound: Vec<Box<dyn ToSql>> = Vec::new();
        let column = match order {
            None => None,
            Some(order) => {
                let columns: Vec<String> = self
                    .conn
                    .prepare(&wrapped(query, None, None))
                    .map_err(|error| failure(&error))?
                    .column_names()
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                if let Some(from) = order.from {
                    bound.push(cursor_value(from));
                }
                Some(columns[column_index(&columns, order.column)?].clone())
            }
        };
        let from = (!bound.is_empty()).then_some("?1");
        let sql = wrapped(query, column.as_deref().map(|column| (column, from)), limit);
        let mut statement = self.conn.prepare(&sql).map_err(|error| failure(&error))?;
        let names: Vec<String> = statement
            .column_names()
            .into_iter()
            .map(str::to_owned)
            .collect();
        sink.columns(names.clone())?;
        let params: Vec<&dyn ToSql> = bound.iter().map(AsRef::as_ref).collect();
        let mut rows = statement
            .query(params.as_slice())
            .map_err(|error| failure(&error))?;
        let mut texts: Vec<Option<String>> = Vec::with_capacity(names.len());
        while let Some(row) = rows.next().map_err(|error| failure(&error))? {
            texts.clear();
            for (index, name) in names.iter().enumerate() {
                texts.push(match row.get_ref(index).map_err(|error| failure(&error))? {
                    ValueRef::Null => None,
                    ValueRef::Integer(integer) => Some(integer.to_string()),
                    ValueRef::Real(real) => Some(real.to_string()),
                    ValueRef::Text(bytes) => Some(
                        std::str::from_utf8(bytes)
                            .map_err(|_| {
                                Failure::new(FailureKind::Data, format!("column '{name}' holds text that is not UTF-8"))
                            })?
                            .to_owned(),
                    ),
                    ValueRef::Blob(_) => {
                        return Err(Failure::new(
                            FailureKind::Data,
                            format!("column '{name}' holds binary data; select it as text or leave it out"),
                        ));
                    }
                });
            }
            let cells: Vec<Option<&str>> = texts.iter().map(Option::as_deref).collect();
            if !sink.row(&cells)? {
                break;
            }
        }
        Ok(())
    }
}
