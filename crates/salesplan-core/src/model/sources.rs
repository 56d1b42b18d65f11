//! Data sources as the ledger keeps them: where rows are read from (a
//! connection, never its secret), what is read, how it is imported, when, and
//! the rules its rows must meet; and the jobs that ran it.

use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use salesplan_domain::changes::records::{ImportKind, Mapping};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// Where a source's rows live. The password, token or key is the OS keychain's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export, rename = "SourceConnection")]
pub enum Connection {
    /// A PostgreSQL server.
    Postgres(ServerAddress),
    /// A SQLite database file.
    Sqlite(SqliteFile),
}

impl Connection {
    pub fn label(&self) -> &'static str {
        match self {
            Connection::Postgres(_) => "PostgreSQL",
            Connection::Sqlite(_) => "SQLite",
        }
    }

    /// Whether the connection signs in with a secret kept in the keychain.
    pub fn has_secret(&self) -> bool {
        match self {
            Connection::Postgres(address) => address.password,
            Connection::Sqlite(_) => false,
        }
    }

    /// Where it connects to, for people: `host:port/database as user`, a file's path.
    pub fn describe(&self) -> String {
        match self {
            Connection::Postgres(address) => format!(
                "{}:{}/{} as {}",
                address.host,
                address.port.unwrap_or(5432),
                address.database,
                address.user
            ),
            Connection::Sqlite(file) => file.path.clone(),
        }
    }
}

/// A database server: where it is, which database, who signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ServerAddress {
    pub host: String,
    #[serde(default)]
    #[ts(optional)]
    pub port: Option<u16>,
    pub database: String,
    pub user: String,
    /// Whether the user signs in with a password (kept in the keychain).
    #[serde(default)]
    pub password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SqliteFile {
    /// The database file's full path (opened read-only).
    pub path: String,
}

/// What is read from the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SourceQuery {
    /// A query in the database's own SQL; its columns are what the mapping names.
    Sql { text: String },
}

/// How a source's rows come into the ledger: as an import of this kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SourceImport {
    pub kind: ImportKind,
    /// Which column holds each field; suggested from the query's columns when none.
    #[serde(default)]
    #[ts(optional)]
    pub mapping: Option<Mapping>,
}

/// How much a run reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Refresh {
    /// Every row, every run (reference data: products, customers).
    Full,
    /// The rows from where the last run stopped, by a column that only grows
    /// (`updated_at`, an id): rows tied at that point are read again and
    /// brought in only if they are new.
    Incremental { column: String },
}

/// When the app runs a source by itself (while it is open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Schedule {
    /// Only when someone runs it (the app's Run now, `salesplan sources sync`).
    Manual,
    Every {
        minutes: u32,
    },
    /// Daily at a time of day, `HH:MM` on this computer's clock.
    Daily {
        #[ts(type = "string")]
        at: DailyTime,
    },
}

/// A time of day, minutes after midnight; written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DailyTime(pub u16);

impl DailyTime {
    pub fn parse(text: &str) -> Option<DailyTime> {
        let (hours, minutes) = text.trim().split_once(':')?;
        let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
        (hours < 24 && minutes < 60 && text.trim().len() == 5)
            .then_some(DailyTime(hours * 60 + minutes))
    }
}

impl std::fmt::Display for DailyTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for DailyTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DailyTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DailyTime::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("'{text}' is not a time of day (HH:MM, e.g. 06:30)"))
        })
    }
}

/// A check on a run's rows as a whole, beyond each row's own checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct QualityRule {
    pub check: QualityCheck,
    /// Stop the job before anything is written (the default), or only warn.
    #[serde(default)]
    pub on_break: OnBreak,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum QualityCheck {
    /// The rows a run reads (new ones, for an incremental source) lie in this range.
    RowCount {
        #[serde(default)]
        #[ts(optional, type = "number")]
        min: Option<u64>,
        #[serde(default)]
        #[ts(optional, type = "number")]
        max: Option<u64>,
    },
    /// The newest date the source has brought is at most this many days old.
    Freshness { days: u32 },
    /// At most this share of the rows read is rejected by the row checks, in %.
    RejectedShare {
        #[ts(type = "string")]
        max_percent: Decimal,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OnBreak {
    #[default]
    Stop,
    Warn,
}

/// All a source is, but who owns it and how far it has read: what an
/// administrator exports to a file (never with a secret) and adds elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SourceDefinition {
    pub name: String,
    pub connection: Connection,
    pub query: SourceQuery,
    pub import: SourceImport,
    pub refresh: Refresh,
    #[serde(default = "manual")]
    pub schedule: Schedule,
    #[serde(default)]
    pub rules: Vec<QualityRule>,
}

fn manual() -> Schedule {
    Schedule::Manual
}

/// How far an incremental source has read: the cursor column's value in the
/// last row brought, and the rows that had that value (by their content's
/// hash), so a tie read again is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Cursor {
    pub value: String,
    pub ties: Vec<String>,
}

/// A source as kept: its definition, whose it is (its rows are imported as
/// theirs, in their scope), how far it has read, and its last job.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DataSource {
    pub id: Uuid,
    #[serde(flatten)]
    pub definition: SourceDefinition,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub cursor: Option<Cursor>,
    pub newest_date: Option<Day>,
    pub last_job: Option<SourceJob>,
    #[ts(type = "number")]
    pub version: i64,
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum JobOutcome {
    /// Rows were imported (the import is in the history, reversible).
    Imported,
    /// Nothing the ledger does not hold already.
    NothingNew,
    /// A quality rule stopped it before anything was written.
    Stopped,
    /// The source could not be read, or the import failed: nothing was written.
    Failed,
}

impl JobOutcome {
    pub fn key(self) -> &'static str {
        match self {
            JobOutcome::Imported => "imported",
            JobOutcome::NothingNew => "nothing_new",
            JobOutcome::Stopped => "stopped",
            JobOutcome::Failed => "failed",
        }
    }

    pub fn parse(key: &str) -> Option<JobOutcome> {
        [
            JobOutcome::Imported,
            JobOutcome::NothingNew,
            JobOutcome::Stopped,
            JobOutcome::Failed,
        ]
        .into_iter()
        .find(|outcome| outcome.key() == key)
    }
}

/// One run of a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SourceJob {
    pub id: Uuid,
    pub source_id: Uuid,
    pub run_by: String,
    pub started_at: Timestamp,
    pub ended_at: Timestamp,
    pub outcome: JobOutcome,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub rows_imported: u64,
    /// Rows the ledger held already (read again at the cursor, or imported from a file before).
    #[ts(type = "number")]
    pub rows_already: u64,
    /// Rows the row checks refused (the import's report lists them).
    #[ts(type = "number")]
    pub rows_rejected: u64,
    pub cursor_before: Option<String>,
    pub cursor_after: Option<String>,
    pub import_id: Option<Uuid>,
    pub attempts: u32,
    /// What failed, or what the job did, in a sentence.
    pub message: String,
    /// The quality rules broken that only warn.
    pub warnings: Vec<String>,
}
