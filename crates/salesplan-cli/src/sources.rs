//! `salesplan sources list|add|edit|remove|export|test|discover|preview|sync|jobs`:
//! data sources (databases a company's sales and stock live in), read into
//! the ledger through the import pipeline. A source's password comes from
//! `SALESPLAN_SOURCE_SECRET` or a prompt, never a flag, and is kept in the OS
//! keychain; the ledger keeps the source without it.

use crate::imports::Kind;
use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::{Context as _, Result, bail};
use clap::Subcommand;
use salesplan_core::imports::Silent;
use salesplan_core::sources::{
    self, Connection, DailyTime, DataSource, Refresh, Schedule, ServerAddress, SourceDefinition,
    SourceImport, SourceQuery, SqliteFile,
};
use std::path::PathBuf;

/// Where a source's secret may come from besides the keychain.
const SECRET_VARIABLE: &str = "SALESPLAN_SOURCE_SECRET";

#[derive(clap::Args)]
pub struct Define {
    /// The source's name.
    name: String,
    /// A PostgreSQL server: HOST[:PORT]/DATABASE.
    #[arg(long, conflicts_with = "sqlite")]
    postgres: Option<String>,
    /// A SQLite database file.
    #[arg(long)]
    sqlite: Option<PathBuf>,
    /// Who signs in to the server (`--user` is who you are in Salesplan).
    #[arg(long)]
    login: Option<String>,
    /// The server asks for a password: read from SALESPLAN_SOURCE_SECRET or asked for, kept in the keychain.
    #[arg(long)]
    password: bool,
    /// The SQL query whose rows are imported.
    #[arg(long)]
    query: String,
    #[arg(long, value_enum)]
    kind: Kind,
    /// Read only the rows from where the last run stopped, by this column (updated_at, an id).
    #[arg(long)]
    incremental: Option<String>,
    /// Run every N minutes while the app is open.
    #[arg(long, conflicts_with = "daily")]
    every: Option<u32>,
    /// Run daily at HH:MM while the app is open.
    #[arg(long)]
    daily: Option<String>,
    /// A saved mapping to import with (see `import --save-mapping`); else suggested from the columns.
    #[arg(long)]
    mapping: Option<String>,
}

#[derive(Subcommand)]
pub enum SourcesCommand {
    /// The data sources, with their last job.
    List,
    /// Add a source from options, or from a definition file (`sources export`).
    Add {
        #[command(flatten)]
        define: Option<Define>,
        #[arg(long)]
        file: Option<PathBuf>,
        /// Whose imports its rows become (their scope applies); you, if not given.
        #[arg(long)]
        owner: Option<String>,
    },
    /// Replace a source's definition with a definition file's.
    Edit {
        source: String,
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        owner: Option<String>,
    },
    Remove {
        source: String,
    },
    /// A source's definition as JSON, without its secret (administrators).
    Export {
        source: String,
    },
    /// Connect and say exactly what failed, if anything.
    Test {
        source: String,
    },
    /// The tables the source holds, with their columns.
    Discover {
        source: String,
    },
    /// The first 100 rows of the source's query, as the source sends them.
    Preview {
        source: String,
    },
    /// Run a source now (or every one you may run): read, check, import.
    Sync {
        source: Option<String>,
        #[arg(long, conflicts_with = "source")]
        all: bool,
    },
    /// A source's jobs, newest first.
    Jobs {
        source: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

pub fn run(context: &Context, command: SourcesCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    match command {
        SourcesCommand::List => {
            let list = sources::list(&ledger, &actor)?;
            output::table(context, &list, || {
                let mut table =
                    Table::new(&["name", "kind", "where", "imports", "owner", "last job"]);
                for source in &list {
                    table.row(vec![
                        source.definition.name.clone(),
                        source.definition.connection.label().to_owned(),
                        source.definition.connection.describe(),
                        source.definition.import.kind.key().to_owned(),
                        source.owner_name.clone(),
                        source
                            .last_job
                            .as_ref()
                            .map(|job| {
                                format!("{} {}: {}", job.ended_at, job.outcome.key(), job.message)
                            })
                            .unwrap_or_else(|| "never run".into()),
                    ]);
                }
                table
            })
        }
        SourcesCommand::Add {
            define,
            file,
            owner,
        } => {
            let definition = match (define, file) {
                (Some(define), None) => defined(&ledger, &actor, define)?,
                (None, Some(file)) => read_definition(&file)?,
                _ => bail!(
                    "give the source's options (NAME --postgres … --login … --query … --kind …) or --file"
                ),
            };
            let secret = if definition.connection.has_secret() {
                Some(ask_secret(&definition.name)?)
            } else {
                None
            };
            let source = sources::add(&mut ledger, &actor, definition, owner.as_deref())?;
            let kept = secret.map(|secret| keep_secret(&source, &secret));
            output::emit(context, &source, || {
                let mut said = format!(
                    "added data source '{}' ({})",
                    source.definition.name,
                    source.definition.connection.describe()
                );
                if let Some(Err(warning)) = &kept {
                    said.push_str(&format!("\nwarning: {warning}"));
                }
                said
            })
        }
        SourcesCommand::Edit {
            source,
            file,
            owner,
        } => {
            let definition = read_definition(&file)?;
            let edited = sources::edit(&mut ledger, &actor, &source, definition, owner.as_deref())?;
            output::emit(context, &edited, || {
                format!("changed data source '{}'", edited.definition.name)
            })
        }
        SourcesCommand::Remove { source } => {
            let found = sources::find(&ledger, &actor, &source)?;
            sources::remove(&mut ledger, &actor, &source)?;
            // The secret goes with the source; a keychain that is not there holds none.
            let _ = salesplan_sync::token::forget_secret(&account(&found));
            output::emit(
                context,
                &serde_json::json!({ "removed": found.definition.name }),
                || format!("removed data source '{}'", found.definition.name),
            )
        }
        SourcesCommand::Export { source } => {
            let definition = sources::export(&ledger, &actor, &source)?;
            println!("{}", serde_json::to_string_pretty(&definition)?);
            Ok(())
        }
        SourcesCommand::Test { source } => {
            let source = sources::find(&ledger, &actor, &source)?;
            let secret = secret_of(&source)?;
            let checked =
                salesplan_sources::test(&source.definition.connection, secret.as_deref())?;
            output::emit(context, &checked, || {
                format!("connected to {} in {} ms", checked.server, checked.millis)
            })
        }
        SourcesCommand::Discover { source } => {
            let source = sources::find(&ledger, &actor, &source)?;
            let secret = secret_of(&source)?;
            let tables =
                salesplan_sources::discover(&source.definition.connection, secret.as_deref())?;
            output::table(context, &tables, || {
                let mut table = Table::new(&["table", "columns"]);
                for found in &tables {
                    let name = match &found.schema {
                        Some(schema) => format!("{schema}.{}", found.name),
                        None => found.name.clone(),
                    };
                    let columns: Vec<String> = found
                        .columns
                        .iter()
                        .map(|column| format!("{} {}", column.name, column.data_type))
                        .collect();
                    table.row(vec![name, columns.join(", ")]);
                }
                table
            })
        }
        SourcesCommand::Preview { source } => {
            let source = sources::find(&ledger, &actor, &source)?;
            let secret = secret_of(&source)?;
            let preview = salesplan_sources::preview(
                &source.definition.connection,
                secret.as_deref(),
                &source.definition.query,
            )?;
            output::emit(context, &preview, || {
                let headers: Vec<&str> = preview.columns.iter().map(String::as_str).collect();
                let mut table = Table::new(&headers);
                for row in &preview.rows {
                    table.row(
                        row.iter()
                            .map(|cell| cell.clone().unwrap_or_else(|| "NULL".into()))
                            .collect(),
                    );
                }
                table.render()
            })
        }
        SourcesCommand::Sync { source, all } => {
            let chosen = match (source, all) {
                (Some(source), false) => vec![sources::find(&ledger, &actor, &source)?],
                (None, true) => sources::list(&ledger, &actor)?,
                _ => bail!("name a source, or give --all"),
            };
            let mut jobs = Vec::new();
            for source in &chosen {
                let secret = secret_of(source)?;
                let job = salesplan_sources::run(
                    &mut ledger,
                    &actor,
                    source,
                    secret.as_deref(),
                    salesplan_sources::Retry::default(),
                    &Silent,
                )?;
                jobs.push((source.definition.name.clone(), job));
            }
            let failed = jobs.iter().any(|(_, job)| {
                matches!(
                    job.outcome,
                    sources::JobOutcome::Failed | sources::JobOutcome::Stopped
                )
            });
            let shown: Vec<&sources::SourceJob> = jobs.iter().map(|(_, job)| job).collect();
            output::emit(context, &shown, || {
                jobs.iter()
                    .map(|(name, job)| format!("{name}: {} — {}", job.outcome.key(), job.message))
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
            if failed {
                bail!(
                    "a source did not import (see `salesplan sources jobs NAME` and `salesplan alerts`)"
                );
            }
            Ok(())
        }
        SourcesCommand::Jobs { source, limit } => {
            let jobs = sources::jobs(&ledger, &actor, &source, limit)?;
            output::table(context, &jobs, || {
                let mut table = Table::new(&[
                    "started",
                    "outcome",
                    "read",
                    "imported",
                    "already",
                    "refused",
                    "cursor after",
                    "message",
                ]);
                for job in &jobs {
                    table.row(vec![
                        job.started_at.to_string(),
                        job.outcome.key().to_owned(),
                        job.rows_read.to_string(),
                        job.rows_imported.to_string(),
                        job.rows_already.to_string(),
                        job.rows_rejected.to_string(),
                        job.cursor_after.clone().unwrap_or_default(),
                        job.message.clone(),
                    ]);
                }
                table
            })
        }
    }
}

/// A definition from the options of `sources add`.
fn defined(
    ledger: &salesplan_core::Ledger,
    actor: &salesplan_core::Actor,
    define: Define,
) -> Result<SourceDefinition> {
    let connection = match (define.postgres, define.sqlite) {
        (Some(server), None) => {
            let (place, database) = server
                .split_once('/')
                .context("--postgres takes HOST[:PORT]/DATABASE")?;
            let (host, port) = match place.rsplit_once(':') {
                Some((host, port)) => (
                    host,
                    Some(port.parse().context("the port is not a number")?),
                ),
                None => (place, None),
            };
            Connection::Postgres(ServerAddress {
                host: host.into(),
                port,
                database: database.into(),
                user: define
                    .login
                    .context("--login: who signs in to the server")?,
                password: define.password,
            })
        }
        (None, Some(path)) => Connection::Sqlite(SqliteFile {
            path: std::path::absolute(&path)
                .unwrap_or(path)
                .display()
                .to_string(),
        }),
        _ => bail!("say where the rows are: --postgres HOST[:PORT]/DATABASE or --sqlite FILE"),
    };
    let kind = define.kind.into();
    let mapping = match define.mapping {
        None => None,
        Some(name) => {
            Some(salesplan_core::imports::mappings::find(ledger, actor, kind, &name)?.mapping)
        }
    };
    let schedule = match (define.every, define.daily) {
        (Some(minutes), None) => Schedule::Every { minutes },
        (None, Some(at)) => Schedule::Daily {
            at: DailyTime::parse(&at)
                .with_context(|| format!("--daily '{at}': give a time of day as HH:MM"))?,
        },
        _ => Schedule::Manual,
    };
    Ok(SourceDefinition {
        name: define.name,
        connection,
        query: SourceQuery::Sql { text: define.query },
        import: SourceImport { kind, mapping },
        refresh: match define.incremental {
            Some(column) => Refresh::Incremental { column },
            None => Refresh::Full,
        },
        schedule,
        rules: Vec::new(),
    })
}

fn read_definition(file: &PathBuf) -> Result<SourceDefinition> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    Ok(sources::parse_definition(&text)?)
}

/// The keychain's name for a source's secret.
fn account(source: &DataSource) -> String {
    format!("source:{}", source.id)
}

/// The secret to add a source with: from the environment, or asked for.
fn ask_secret(name: &str) -> Result<String> {
    if let Ok(secret) = std::env::var(SECRET_VARIABLE) {
        return Ok(secret);
    }
    rpassword::prompt_password(format!("Password for data source '{name}': "))
        .with_context(|| format!("no password: set {SECRET_VARIABLE} or run this in a terminal"))
}

fn keep_secret(source: &DataSource, secret: &str) -> Result<(), String> {
    salesplan_sync::token::save_secret(&account(source), secret)
        .map_err(|error| format!("{error}; set {SECRET_VARIABLE} whenever this source runs"))
}

/// A source's secret: from the environment, else the keychain; none when it needs none.
fn secret_of(source: &DataSource) -> Result<Option<String>> {
    if !source.definition.connection.has_secret() {
        return Ok(None);
    }
    if let Ok(secret) = std::env::var(SECRET_VARIABLE) {
        return Ok(Some(secret));
    }
    match salesplan_sync::token::load_secret(&account(source)) {
        Ok(Some(secret)) => Ok(Some(secret)),
        Ok(None) => bail!(
            "no password is kept for data source '{}': set {SECRET_VARIABLE}, or add the source again",
            source.definition.name
        ),
        Err(error) => bail!(
            "{error}; set {SECRET_VARIABLE} to run data source '{}'",
            source.definition.name
        ),
    }
}
