//! Data sources (issue #17): connecting to where a company's rows live,
//! testing the connection, discovering what it holds, previewing a query, and
//! running a source: its rows read (from its cursor on), tied rows it brought
//! before left out, and the rest handed to the core, which judges the quality
//! rules and imports them with the new cursor in one transaction.

mod client;
pub mod error;
mod postgres;
mod sqlite;
pub mod table;

pub use client::{CONNECT_TIMEOUT, DiscoveredColumn, DiscoveredTable};
pub use error::{Failure, FailureKind};

use client::{Order, Sink};
use salesplan_core::access::Actor;
use salesplan_core::error::{Error, Result};
use salesplan_core::imports::Progress;
use salesplan_core::ledger::Ledger;
use salesplan_core::sources::{
    self, Connection, Cursor, DataSource, Fetched, Refresh, SourceJob, SourceQuery,
};
use salesplan_core::timestamp::Timestamp;
use serde::Serialize;
use std::time::{Duration, Instant};
use table::Table;
use ts_rs::TS;

/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 100;

/// A connection that answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Checked {
    /// The server's name and version.
    pub server: String,
    #[ts(type = "number")]
    pub millis: u64,
}

/// Connects and asks the server who it is: what failed, exactly, if anything.
pub fn test(
    connection: &Connection,
    secret: Option<&str>,
) -> std::result::Result<Checked, Failure> {
    let started = Instant::now();
    let server = client::connect(connection, secret)?.server()?;
    Ok(Checked {
        server,
        millis: started.elapsed().as_millis() as u64,
    })
}

/// The tables (or views) the source holds, with their columns and types.
pub fn discover(
    connection: &Connection,
    secret: Option<&str>,
) -> std::result::Result<Vec<DiscoveredTable>, Failure> {
    client::connect(connection, secret)?.discover()
}

/// A query's first rows, before anything is mapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Preview {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// The first `PREVIEW_ROWS` rows of a query, as the source sends them.
pub fn preview(
    connection: &Connection,
    secret: Option<&str>,
    query: &SourceQuery,
) -> std::result::Result<Preview, Failure> {
    let SourceQuery::Sql { text } = query;
    let mut preview = Preview {
        columns: Vec::new(),
        rows: Vec::new(),
    };
    struct Rows<'p>(&'p mut Preview);
    impl Sink for Rows<'_> {
        fn columns(&mut self, names: Vec<String>) -> std::result::Result<(), Failure> {
            self.0.columns = names;
            Ok(())
        }
        fn row(&mut self, cells: &[Option<&str>]) -> std::result::Result<bool, Failure> {
            self.0
                .rows
                .push(cells.iter().map(|cell| cell.map(str::to_owned)).collect());
            Ok(self.0.rows.len() < PREVIEW_ROWS)
        }
    }
    client::connect(connection, secret)?.read(
        text,
        None,
        Some(PREVIEW_ROWS),
        &mut Rows(&mut preview),
    )?;
    Ok(preview)
}

/// Collects a run's rows into a table, leaving out the rows tied at the
/// cursor that the source brought before.
struct Collect<'s> {
    name: &'s str,
    table: Option<Table>,
    /// The cursor column's index, for an incremental source.
    column: Option<usize>,
    cursor_name: Option<&'s str>,
    before: Option<&'s Cursor>,
}

impl Sink for Collect<'_> {
    fn columns(&mut self, names: Vec<String>) -> std::result::Result<(), Failure> {
        if let Some(name) = self.cursor_name {
            self.column = Some(client::column_index(&names, name)?);
        }
        self.table = Some(Table::new(self.name, names));
        Ok(())
    }

    fn row(&mut self, cells: &[Option<&str>]) -> std::result::Result<bool, Failure> {
        let Some(table) = self.table.as_mut() else {
            return Err(Failure::new(
                FailureKind::Data,
                "a row came before the columns",
            ));
        };
        if let (Some(column), Some(before)) = (self.column, self.before)
            && cells.get(column).copied().flatten() == Some(before.value.as_str())
            && before
                .ties
                .contains(&table::row_hash(cells.iter().copied()))
        {
            return Ok(true);
        }
        table.push(cells.iter().copied()).map_err(|table::TooBig| {
            Failure::new(
                FailureKind::Data,
                format!(
                    "the query returned more than {} MB of text; narrow it, or read it incrementally",
                    table::MAX_BYTES >> 20
                ),
            )
        })?;
        Ok(true)
    }
}

/// A run's rows, and where the cursor stands once they are in.
pub struct Read {
    pub table: Table,
    pub cursor_after: Option<Cursor>,
}

/// Reads a source's rows: all of them, or those from its cursor on.
pub fn read(source: &DataSource, secret: Option<&str>) -> std::result::Result<Read, Failure> {
    let definition = &source.definition;
    let SourceQuery::Sql { text } = &definition.query;
    let column = match &definition.refresh {
        Refresh::Full => None,
        Refresh::Incremental { column } => Some(column.as_str()),
    };
    let before = source.cursor.as_ref();
    let mut collect = Collect {
        name: &definition.name,
        table: None,
        column: None,
        cursor_name: column,
        before,
    };
    let order = column.map(|column| Order {
        column,
        from: before.map(|cursor| cursor.value.as_str()),
    });
    client::connect(&definition.connection, secret)?.read(text, order, None, &mut collect)?;
    let table = collect
        .table
        .ok_or_else(|| Failure::new(FailureKind::Query, "the query returned no columns"))?
        .finish();
    let cursor_after = match collect.column {
        Some(column) if !table.is_empty() => Some(cursor_after(&table, column, before)?),
        _ => before.cloned(),
    };
    Ok(Read {
        table,
        cursor_after,
    })
}

/// The cursor past a run's rows (in the cursor column's order): the last
/// row's value, and every row tied at it (with those tied before, when the
/// value did not move).
fn cursor_after(
    table: &Table,
    column: usize,
    before: Option<&Cursor>,
) -> std::result::Result<Cursor, Failure> {
    let last = table.len() - 1;
    let value = table.cell(last, column).ok_or_else(|| {
        Failure::new(
            FailureKind::Data,
            format!("row {} has no value in the cursor column", last + 1),
        )
    })?;
    let mut ties: Vec<String> = match before {
        Some(before) if before.value == value => before.ties.clone(),
        _ => Vec::new(),
    };
    for index in (0..table.len()).rev() {
        if table.cell(index, column) != Some(value) {
            break;
        }
        let hash = table.row_hash(index);
        if !ties.contains(&hash) {
            ties.push(hash);
        }
    }
    Ok(Cursor {
        value: value.to_owned(),
        ties,
    })
}

/// How often and how patiently a run tries a source that does not answer.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub attempts: u32,
    /// The wait before the second attempt; each later one waits twice as long.
    pub first_wait: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 3,
            first_wait: Duration::from_secs(2),
        }
    }
}

/// Runs a source as `actor`: reads it (trying again, with a growing wait,
/// while it does not answer), then commits what it read through the core.
/// A failure is a job of its own with the error and an alert, the cursor
/// where it was; a cancel leaves no trace.
pub fn run(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &DataSource,
    secret: Option<&str>,
    retry: Retry,
    progress: &dyn Progress,
) -> Result<SourceJob> {
    sources::runner(ledger, actor, source)?;
    let started_at = Timestamp::now();
    let mut attempts = 0;
    let mut wait = retry.first_wait;
    let read = loop {
        attempts += 1;
        match read(source, secret) {
            Ok(read) => break read,
            Err(failure) if failure.kind.transient() && attempts < retry.attempts.max(1) => {
                std::thread::sleep(wait);
                wait *= 2;
            }
            Err(failure) => {
                return sources::record_failure(
                    ledger,
                    actor,
                    source,
                    started_at,
                    attempts,
                    &failure.to_string(),
                );
            }
        }
        if progress.cancelled() {
            return Err(Error::Cancelled);
        }
    };
    let fetched = Fetched {
        table: &read.table,
        cursor_after: read.cursor_after.clone(),
        started_at,
        attempts,
    };
    match sources::commit_run(ledger, actor, source, fetched, progress) {
        Err(Error::Cancelled) => Err(Error::Cancelled),
        Err(error) => sources::record_failure(
            ledger,
            actor,
            source,
            started_at,
            attempts,
            &error.to_string(),
        ),
        Ok(job) => Ok(job),
    }
}
