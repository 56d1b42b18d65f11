//! One way into every test: a fresh copy of the demo ledger, and its users by name.

use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::{Actor, Ledger, users};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tempfile::TempDir;

pub struct TestLedger {
    pub ledger: Ledger,
    /// Keeps the temp dir (and the ledger file in it) alive for the test.
    _dir: TempDir,
}

/// The demo company is built once per test run; each test gets its own copy of the file.
fn demo_template() -> &'static Path {
    static TEMPLATE: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("demo-template.db");
        salesplan_core::demo::create(&path).expect("demo company");
        (dir, path)
    });
    path
}

impl TestLedger {
    pub fn demo() -> TestLedger {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ledger.db");
        std::fs::copy(demo_template(), &path).expect("copy demo ledger");
        TestLedger {
            ledger: Ledger::open(&path).expect("open demo copy"),
            _dir: dir,
        }
    }

    /// Signs in as a demo user (they all share the demo password).
    pub fn user(&self, username: &str) -> Actor {
        users::sign_in(&self.ledger, username, DEMO_PASSWORD)
            .unwrap_or_else(|error| panic!("demo user {username} cannot sign in: {error}"))
    }

    pub fn path(&self) -> PathBuf {
        self.ledger.path().to_path_buf()
    }

    /// How many change records the outbox holds.
    pub fn outbox_len(&self) -> i64 {
        count(&self.path(), "SELECT count(*) FROM outbox")
    }
}

/// Runs a counting query on a second, independent connection to the file.
pub fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open for counting");
    conn.query_row(sql, [], |row| row.get(0)).expect(sql)
}

/// The demo closes every month before this one: sales go into this month.
pub fn open_month() -> String {
    salesplan_core::month::Month::current().to_string()
}

/// The first day of the open month, `YYYY-MM-01`.
pub fn open_day() -> String {
    format!("{}-01", open_month())
}
