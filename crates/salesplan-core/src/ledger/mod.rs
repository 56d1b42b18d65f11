//! The ledger: one SQLite file per company, its schema (refinery migrations
//! embedded from `migrations/`) and the single write path every service uses.

pub(crate) mod budgets;
mod clock;
pub(crate) mod columns;
pub(crate) mod documents;
pub(crate) mod expenses;
pub(crate) mod exports;
pub(crate) mod forecast;
mod functions;
pub(crate) mod home;
pub(crate) mod imports;
pub mod outbox;
pub(crate) mod policies;
pub(crate) mod purchasing;
pub(crate) mod reference;
pub(crate) mod replica;
pub(crate) mod reports;
pub(crate) mod rules;
pub(crate) mod sales;
pub(crate) mod scope;
pub(crate) mod settings;
pub(crate) mod sources;
pub(crate) mod stock;
pub(crate) mod suppliers;
pub(crate) mod templates;
pub(crate) mod transfers;
pub(crate) mod users;
pub(crate) mod watch;

use crate::access::Actor;
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::io::Read;
use std::path::{Path, PathBuf};
use uuid::Uuid;

pub use clock::Hlc;
pub use outbox::{Change, ChangeKind, Entity};

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// Where the ledger lives unless told otherwise: `$SALESPLAN_DB`, else
/// `<OS data dir>/salesplan/ledger.db` (`~/.local/share/salesplan/ledger.db` on Linux).
pub fn default_path() -> PathBuf {
    if let Some(path) = std::env::var_os("SALESPLAN_DB").filter(|path| !path.is_empty()) {
        return PathBuf::from(path);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("salesplan")
        .join("ledger.db")
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

pub use salesplan_domain::ids::derived_id;

/// What a ledger's file holds, as of a moment: see [`Ledger::stamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerStamp(i64, u64);

/// An open ledger file.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    schema_version: i64,
    /// How far this machine's clock is off, in ms (0 but in simulations of laptops whose clocks are wrong).
    clock_skew_ms: i64,
}

impl Ledger {
    /// Opens an existing ledger, upgrading its schema if this version knows newer migrations.
    pub fn open(path: &Path) -> Result<Ledger> {
        check_is_sqlite(path)?;
        let mut conn = connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        if !has_migration_history(&conn).map_err(|error| not_a_ledger_on_corruption(path, error))? {
            return Err(Error::NotALedger { path: path.into() });
        }
        let schema_version = migrate(&mut conn, path)?;
        let mut ledger = Ledger {
            clock_skew_ms: 0,
            conn,
            path: path.into(),
            schema_version,
        };
        ledger.client_id()?;
        ledger.check_home()?;
        Ok(ledger)
    }

    /// A ledger file copied or restored onto another machine, or copied beside
    /// itself, is another installation: it gets a new client id (DESIGN §5), and
    /// its changes not yet sent are numbered for that id. The file's home is the
    /// machine's id and the file's own identity (its inode), which a move keeps
    /// and a copy does not.
    fn check_home(&mut self) -> Result<()> {
        let home = home_of(&self.path);
        let recorded: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM ledger_meta WHERE key = 'home'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        if recorded.as_deref() == Some(home.as_str()) {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if recorded.is_some() {
            tx.execute(
                "UPDATE ledger_meta SET value = ?1 WHERE key = 'client_id'",
                [Uuid::new_v4().to_string()],
            )?;
            replica::queue::renumber(&tx)?;
        }
        tx.execute(
            "INSERT INTO ledger_meta (key, value) VALUES ('home', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [home],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Creates a new, empty ledger (schema applied, a fresh client id); refuses to overwrite.
    fn create(path: &Path) -> Result<Ledger> {
        if path.exists() {
            return Err(Error::LedgerExists { path: path.into() });
        }
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.into(),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let mut conn = connect(path, flags)?;
        let schema_version = migrate(&mut conn, path)?;
        conn.execute(
            "INSERT INTO ledger_meta (key, value) VALUES ('client_id', ?1)",
            [Uuid::new_v4().to_string()],
        )?;
        Ok(Ledger {
            clock_skew_ms: 0,
            conn,
            path: path.into(),
            schema_version,
        })
    }

    /// Creates a ledger and fills it with `setup`, all or nothing: the file is
    /// built under a temporary name and renamed into place only when complete,
    /// so a crash or kill leaves either no ledger or a whole one.
    pub fn create_with<T>(
        path: &Path,
        setup: impl FnOnce(&mut Ledger) -> Result<T>,
    ) -> Result<(Ledger, T)> {
        if path.exists() {
            return Err(Error::LedgerExists { path: path.into() });
        }
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let building = path.with_file_name(format!(".{file_name}.building-{}", Uuid::new_v4()));
        let outcome = Ledger::create(&building).and_then(|mut ledger| {
            let outcome = setup(&mut ledger)?;
            ledger
                .conn
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(outcome)
        });
        let outcome = outcome.and_then(|outcome| {
            // Closed above (dropped): only the main file remains to be moved.
            std::fs::rename(&building, path).map_err(|source| Error::Io {
                path: path.into(),
                source,
            })?;
            Ok(outcome)
        });
        if outcome.is_err() {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", building.display()));
            }
        }
        let outcome = outcome?;
        Ok((Ledger::open(path)?, outcome))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The newest migration this ledger has applied.
    pub fn schema_version(&self) -> i64 {
        self.schema_version
    }

    /// This installation's sync identity (DESIGN §5).
    pub fn client_id(&self) -> Result<Uuid> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM ledger_meta WHERE key = 'client_id'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        text.and_then(|text| Uuid::parse_str(&text).ok())
            .ok_or_else(|| Error::SchemaMismatch("the ledger has no client id".into()))
    }

    /// Whether this ledger holds the demo company.
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT value = 'true' FROM ledger_meta WHERE key = 'demo'",
                [],
                |row| row.get(0),
            )
            .optional()?
            .unwrap_or(false))
    }

    /// What changes whenever the ledger's file does: a write through this
    /// ledger (SQLite's count of rows changed on its connection) or by another
    /// process (SQLite's `data_version`). Equal stamps: nothing was written between.
    pub fn stamp(&self) -> Result<LedgerStamp> {
        let others: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |row| row.get(0))?;
        Ok(LedgerStamp(others, self.conn.total_changes()))
    }

    /// The ledger's revision: one more after every write that changed its
    /// figures, whoever made it (this process, another one, a sync).
    pub(crate) fn revision(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM ledger_meta WHERE key = 'revision'",
                [],
                |row| row.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    /// Read access for queries: what the services hand to the ledger's read
    /// functions. Writes go through [`Ledger::write`] only.
    pub(crate) fn read(&self) -> Reader<'_> {
        Reader(&self.conn)
    }

    /// Runs `body` in one IMMEDIATE transaction; the change records it appends
    /// land in the outbox in the same transaction, or nothing lands at all.
    pub(crate) fn write<T>(
        &mut self,
        actor: Option<&Actor>,
        body: impl FnOnce(&mut Write<'_>) -> Result<T>,
    ) -> Result<T> {
        let client_id = self.client_id()?;
        let schema_version = self.schema_version;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let clock = clock::load(&tx, client_id)?;
        let before = tx.total_changes();
        let mut write = Write {
            tx,
            actor_id: actor.map(|actor| actor.id),
            clock,
            clock_skew_ms: self.clock_skew_ms,
            schema_version,
            leaves_figures: false,
        };
        let outcome = body(&mut write)?;
        if write.tx.total_changes() != before && !write.leaves_figures {
            write.tx.execute(
                "INSERT INTO ledger_meta (key, value) VALUES ('revision', '1')
                 ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                [],
            )?;
        }
        clock::save(&write.tx, &write.clock)?;
        write.tx.commit()?;
        Ok(outcome)
    }

    /// Like [`Ledger::write`], for a bulk write of facts whose references were all
    /// checked against the ledger beforehand (an import): SQLite's per-row foreign
    /// key lookups are switched off for it. Rows of the tables referenced are never
    /// deleted (only archived), so a reference checked stays good.
    pub(crate) fn write_checked_bulk<T>(
        &mut self,
        actor: Option<&Actor>,
        body: impl FnOnce(&mut Write<'_>) -> Result<T>,
    ) -> Result<T> {
        self.conn.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF; PRAGMA cache_size = {BULK_CACHE};"
        ))?;
        let outcome = self.write(actor, body);
        self.conn.execute_batch(&format!(
            "PRAGMA foreign_keys = ON; PRAGMA cache_size = {CACHE};"
        ))?;
        outcome
    }

    /// Runs this ledger's clock `ms` ahead of the machine's (behind when
    /// negative): a laptop whose clock is wrong, as the sync simulation needs.
    pub fn set_clock_skew(&mut self, ms: i64) {
        self.clock_skew_ms = ms;
    }

    /// `PRAGMA integrity_check`: "ok" for a healthy file.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))?)
    }
}

/// Read access to the ledger, from [`Ledger::read`] or [`Write::read`]: the
/// ledger's read functions take it, its write functions take the [`Write`]
/// only [`Ledger::write`] hands out, so a read path cannot write. Its SQL runs
/// in `ledger/` only (`tests/core/tidy.rs`).
#[derive(Clone, Copy)]
pub struct Reader<'a>(&'a Connection);

impl std::ops::Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.0
    }
}

impl std::ops::Deref for Write<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

/// An open write transaction with its change recorder.
pub(crate) struct Write<'a> {
    tx: rusqlite::Transaction<'a>,
    /// Who the change records name; `None` only while bootstrapping the first administrator.
    actor_id: Option<Uuid>,
    clock: Hlc,
    clock_skew_ms: i64,
    schema_version: i64,
    /// Set by a write that changes no figure (a home layout, a digest kept):
    /// the ledger's revision stays.
    leaves_figures: bool,
}

impl Write<'_> {
    /// Says this write changes no figure anything is worked out from: the
    /// ledger's revision stays, and what was worked out still holds.
    pub(crate) fn leaves_figures(&mut self) {
        self.leaves_figures = true;
    }

    /// Read access inside the write (it sees what the write did so far).
    pub(crate) fn read(&self) -> Reader<'_> {
        Reader(&self.tx)
    }

    /// Marks the ledger as holding the demo company.
    pub(crate) fn mark_demo(&self) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO ledger_meta (key, value) VALUES ('demo', 'true')",
            [],
        )?;
        Ok(())
    }

    /// Names the author of the following records when the write has none
    /// (only while bootstrapping: the first administrator authors their own creation).
    pub(crate) fn author_if_none(&mut self, user_id: Uuid) {
        self.actor_id.get_or_insert(user_id);
    }

    /// Moves this ledger's clock past a stamp received from head office.
    pub(crate) fn observe(&mut self, seen: &Hlc) {
        self.clock.observe(seen);
    }

    /// Appends one change record to the outbox.
    pub(crate) fn record(&mut self, change: Change) -> Result<()> {
        let stamp = self.clock.tick(self.clock_skew_ms);
        outbox::append(
            &self.tx,
            &change,
            &stamp,
            self.actor_id,
            self.schema_version,
        )
    }
}

/// SQLite's page cache per connection, in KiB (negative: a size, not a page count).
/// The app keeps its connection open all day, so the everyday cache is SQLite's
/// default; a bulk write gets a larger one for its duration, and shrinking it
/// back frees the pages (docs/BENCHMARKS.md, "Packages").
const CACHE: i64 = -2_000;
const BULK_CACHE: i64 = -32_768;

fn connect(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|error| not_a_ledger_on_corruption(path, error))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        // Statement journals in memory: actual_sales carries a trigger, so each row
        // inserted opens one, and spilling them to temp files made a bulk import
        // 2.7 times slower than the same insert without it (docs/BENCHMARKS.md).
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(|error| not_a_ledger_on_corruption(path, error))?;
    conn.execute_batch(&format!("PRAGMA cache_size = {CACHE};"))?;
    functions::register(&conn)?;
    Ok(conn)
}

/// Registers the ledger's SQL functions on a connection opened without
/// `Ledger` (a test or a bench writing rows directly): the ledger's triggers use them.
pub fn register_functions(conn: &Connection) -> Result<()> {
    Ok(functions::register(conn)?)
}

/// This machine's id and the file's identity.
fn home_of(path: &Path) -> String {
    let machine = ["/etc/machine-id", "/var/lib/dbus/machine-id"]
        .iter()
        .find_map(|file| std::fs::read_to_string(file).ok())
        .map(|id| id.trim().to_owned())
        .or_else(|| dirs::home_dir().map(|home| home.display().to_string()))
        .unwrap_or_default();
    let metadata = std::fs::metadata(path).ok();
    #[cfg(unix)]
    let file = metadata.map(|metadata| std::os::unix::fs::MetadataExt::ino(&metadata).to_string());
    #[cfg(not(unix))]
    let file = metadata
        .and_then(|metadata| metadata.created().ok())
        .and_then(|created| created.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|created| created.as_nanos().to_string());
    format!("{machine}:{}", file.unwrap_or_default())
}

fn check_is_sqlite(path: &Path) -> Result<()> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::LedgerMissing { path: path.into() });
        }
        Err(source) => {
            return Err(Error::Io {
                path: path.into(),
                source,
            });
        }
    };
    let mut header = [0u8; 16];
    match file.read_exact(&mut header) {
        Ok(()) if &header == SQLITE_MAGIC => Ok(()),
        _ => Err(Error::NotALedger { path: path.into() }),
    }
}

fn not_a_ledger_on_corruption(path: &Path, error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            Error::NotALedger { path: path.into() }
        }
        _ => Error::Storage(error),
    }
}

fn has_migration_history(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'refinery_schema_history')",
        [],
        |row| row.get(0),
    )
}

/// Applies pending migrations in one transaction, refusing a ledger from a newer version.
fn migrate(conn: &mut Connection, path: &Path) -> Result<i64> {
    let runner = embedded::migrations::runner().set_grouped(true);
    let known = runner
        .get_migrations()
        .iter()
        .map(|migration| i64::from(migration.version()))
        .max()
        .unwrap_or(0);
    let applied = if has_migration_history(conn)? {
        runner
            .get_last_applied_migration(conn)
            .map_err(|error| Error::SchemaMismatch(error.to_string()))?
            .map(|migration| i64::from(migration.version()))
            .unwrap_or(0)
    } else {
        0
    };
    if applied > known {
        return Err(Error::SchemaTooNew {
            path: path.into(),
            found: applied,
            known,
        });
    }
    if applied == known {
        return Ok(known);
    }
    // A migration may rebuild a table (how SQLite changes a constraint): foreign
    // keys are off while migrations run, then every reference is checked.
    conn.execute_batch("PRAGMA foreign_keys = OFF;")?;
    let ran = runner
        .run(conn)
        .map_err(|error| Error::SchemaMismatch(error.to_string()));
    let dangling: Option<String> = conn
        .query_row(
            "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    ran?;
    if let Some(table) = dangling {
        return Err(Error::SchemaMismatch(format!(
            "after the upgrade, a row of {table} names a row that is not there"
        )));
    }
    Ok(known)
}

/// The documents of `table` (purchase orders, transfers) whose number ends
/// in `tail`, the last four characters of their id (case aside): `(id, made at)`.
pub(crate) fn ids_ending(
    conn: Reader<'_>,
    table: &'static str,
    tail: &str,
) -> Result<Vec<(Uuid, crate::timestamp::Timestamp)>> {
    let mut query = conn.prepare_cached(&format!(
        "SELECT id, created_at FROM {table} WHERE upper(substr(id, -4)) = ?1"
    ))?;
    let rows = query.query_map(rusqlite::params![tail.to_uppercase()], |row| {
        Ok((columns::uuid(row, 0)?, columns::timestamp(row, 1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
