//! PostgreSQL through tokio-postgres. Rows come over the simple-query
//! protocol, so every value arrives as PostgreSQL's own text (any type, no
//! conversion of ours), streamed as the server sends it; the session is
//! read-only, in UTC with ISO dates, so a cursor's text reads back the same.

use crate::client::{
    CONNECT_TIMEOUT, Client, DiscoveredColumn, DiscoveredTable, Order, Sink, column_index, literal,
    quoted, wrapped,
};
use crate::error::{Failure, FailureKind, io_kind};
use futures_util::StreamExt;
use salesplan_core::sources::ServerAddress;
use tokio_postgres::SimpleQueryMessage;

pub struct Postgres {
    runtime: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

/// What a PostgreSQL error says, sorted by the step that failed.
fn failure(error: &tokio_postgres::Error) -> Failure {
    if let Some(db) = error.as_db_error() {
        let code = db.code().code();
        let kind = match code {
            "28P01" | "28000" => FailureKind::Authentication,
            "42501" => FailureKind::Permission,
            "3D000" => FailureKind::Setup,
            _ if code.starts_with("08") => FailureKind::Refused,
            "57014" => FailureKind::Timeout,
            _ => FailureKind::Query,
        };
        let mut message = db.message().to_owned();
        if let Some(detail) = db.detail() {
            message.push_str(&format!(" ({detail})"));
        }
        if let Some(hint) = db.hint() {
            message.push_str(&format!("; hint: {hint}"));
        }
        return Failure::new(kind, message);
    }
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        text.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    if text.contains("password missing") {
        return Failure::new(
            FailureKind::Authentication,
            "the server asks for a password and none is kept for this source",
        );
    }
    if let Some(kind) = io_kind(error) {
        return Failure::new(kind, text);
    }
    if error.is_closed() {
        return Failure::new(FailureKind::Refused, "the server closed the connection");
    }
    Failure::new(FailureKind::Query, text)
}

impl Postgres {
    pub fn connect(address: &ServerAddress, secret: Option<&str>) -> Result<Postgres, Failure> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| Failure::new(FailureKind::Setup, error.to_string()))?;
        let mut config = tokio_postgres::Config::new();
        config
            .host(&address.host)
            .port(address.port.unwrap_or(5432))
            .dbname(&address.database)
            .user(&address.user)
            .application_name("salesplan")
            .connect_timeout(CONNECT_TIMEOUT);
        if let Some(secret) = secret {
            config.password(secret);
        }
        let client = runtime.block_on(async {
            let connecting = config.connect(tokio_postgres::NoTls);
            let (client, connection) = tokio::time::timeout(CONNECT_TIMEOUT, connecting)
                .await
                .map_err(|_| {
                    Failure::new(
                        FailureKind::Timeout,
                        format!(
                            "no answer from {}:{} within {} s",
                            address.host,
                            address.port.unwrap_or(5432),
                            CONNECT_TIMEOUT.as_secs()
                        ),
                    )
                })?
                .map_err(|error| failure(&error))?;
            tokio::spawn(connection);
            client
                .batch_execute(
                    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1;
                     SET default_transaction_read_only = on",
                )
                .await
                .map_err(|error| failure(&error))?;
            Ok::<_, Failure>(client)
        })?;
        Ok(Postgres { runtime, client })
    }

    /// The query's columns and their types' full names, without running it.
    fn described(&self, query: &str) -> Result<Vec<(String, String)>, Failure> {
        let statement = self
            .runtime
            .block_on(
                self.client
                    .prepare(&format!("SELECT * FROM ({query}) AS salesplan_q")),
            )
            .map_err(|error| failure(&error))?;
        Ok(statement
            .columns()
            .iter()
            .map(|column| {
                let kind = column.type_();
                (
                    column.name().to_owned(),
                    format!("{}.{}", quoted(kind.schema()), quoted(kind.name())),
                )
            })
            .collect())
    }
}

impl Client for Postgres {
    fn server(&mut self) -> Result<String, Failure> {
        let version = self
            .runtime
            .block_on(
                self.client
                    .query_one("SELECT current_setting('server_version')", &[]),
            )
            .map_err(|error| failure(&error))?;
        Ok(format!("PostgreSQL {}", version.get::<_, String>(0)))
    }

    fn discover(&mut self) -> Result<Vec<DiscoveredTable>, Failure> {
        let rows = self
            .runtime
            .block_on(self.client.query(
                "SELECT table_schema::text, table_name::text, column_name::text, data_type::text
                 FROM information_schema.columns
                 WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
                 ORDER BY table_schema, table_name, ordinal_position",
                &[],
            ))
            .map_err(|error| failure(&error))?;
        let mut tables: Vec<DiscoveredTable> = Vec::new();
        for row in rows {
            let (schema, name): (String, String) = (row.get(0), row.get(1));
            let column = DiscoveredColumn {
                name: row.get(2),
                data_type: row.get(3),
            };
            match tables.last_mut() {
                Some(table) if table.schema.as_deref() == Some(&schema) && table.name == name => {
                    table.columns.push(column);
                }
                _ => tables.push(DiscoveredTable {
                    schema: Some(schema),
                    name,
                    columns: vec![column],
                }),
            }
        }
        Ok(tables)
    }

    fn read(
        &mut self,
        query: &str,
        order: Option<Order<'_>>,
        limit: Option<usize>,
        sink: &mut dyn Sink,
    ) -> Result<(), Failure> {
        let order = match order {
            None => None,
            Some(order) => {
                let columns = self.described(query)?;
                let names: Vec<String> = columns.iter().map(|(name, _)| name.clone()).collect();
                let (name, kind) = columns[column_index(&names, order.column)?].clone();
                let from = order
                    .from
                    .map(|from| format!("CAST({} AS {kind})", literal(from)));
                Some((name, from))
            }
        };
        let sql = wrapped(
            query,
            order
                .as_ref()
                .map(|(name, from)| (name.as_str(), from.as_deref())),
            limit,
        );
        self.runtime.block_on(async {
            let stream = self
                .client
                .simple_query_raw(&sql)
                .await
                .map_err(|error| failure(&error))?;
            let mut stream = std::pin::pin!(stream);
            let mut described = false;
            while let Some(message) = stream.next().await {
                match message.map_err(|error| failure(&error))? {
                    SimpleQueryMessage::RowDescription(columns) => {
                        sink.columns(
                            columns
                                .iter()
                                .map(|column| column.name().to_owned())
                                .collect(),
                        )?;
                        described = true;
                    }
                    SimpleQueryMessage::Row(row) => {
                        let mut cells = Vec::with_capacity(row.len());
                        for index in 0..row.len() {
                            cells.push(row.try_get(index).map_err(|error| {
                                Failure::new(FailureKind::Data, error.to_string())
                            })?);
                        }
                        if !sink.row(&cells)? {
                            break;
                        }
                    }
                    SimpleQueryMessage::CommandComplete(_) => {}
                    _ => {}
                }
            }
            if !described {
                return Err(Failure::new(
                    FailureKind::Query,
                    "the query returned no columns",
                ));
            }
            Ok(())
        })
    }
}
