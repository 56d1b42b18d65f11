//! A copy of the demo ledger per test, its users by name, and what a source brought.

use rust_decimal::Decimal;
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::imports::{ImportKind, Progress, Silent};
use salesplan_core::month::Month;
use salesplan_core::sources::{
    self, Connection, DataSource, Refresh, SourceDefinition, SourceImport, SourceQuery,
};
use salesplan_core::{Actor, Ledger, users};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;
use tempfile::TempDir;

pub struct TestLedger {
    pub ledger: Ledger,
    pub dir: TempDir,
}

struct Template {
    _dir: TempDir,
    path: PathBuf,
    last_month: Month,
}

fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("demo.db");
        let (_, summary) = salesplan_core::demo::create(&path).expect("demo company");
        Template {
            _dir: dir,
            path,
            last_month: summary.last_period,
        }
    })
}

/// A day of the open month (the one after the demo's last sales), `YYYY-MM-DD`.
pub fn open_day(day: u8) -> String {
    format!("{}-{day:02}", template().last_month.plus(1))
}

impl TestLedger {
    pub fn demo() -> TestLedger {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ledger.db");
        std::fs::copy(&template().path, &path).expect("copy the demo ledger");
        TestLedger {
            ledger: Ledger::open(&path).expect("open the demo copy"),
            dir,
        }
    }

    pub fn user(&self, username: &str) -> Actor {
        users::sign_in(&self.ledger, username, DEMO_PASSWORD)
            .unwrap_or_else(|error| panic!("{username} cannot sign in: {error}"))
    }

    pub fn path(&self) -> &Path {
        self.ledger.path()
    }

    /// The source as it is kept now (cursor, last job).
    pub fn source(&self, name: &str) -> DataSource {
        sources::find(&self.ledger, &self.user("admin"), name).unwrap()
    }

    /// Adds a source of sales as the administrator, its rows imported as `owner`'s.
    pub fn add_sales_source(
        &mut self,
        name: &str,
        connection: Connection,
        query: &str,
        refresh: Refresh,
        owner: Option<&str>,
    ) -> DataSource {
        let admin = self.user("admin");
        let definition = SourceDefinition {
            name: name.into(),
            connection,
            query: SourceQuery::Sql { text: query.into() },
            import: SourceImport {
                kind: ImportKind::Actuals,
                mapping: None,
            },
            refresh,
            schedule: sources::Schedule::Manual,
            rules: Vec::new(),
        };
        sources::add(&mut self.ledger, &admin, definition, owner).unwrap()
    }

    /// Runs a source now as `username`, with its secret, trying once.
    pub fn run(&mut self, name: &str, username: &str, secret: Option<&str>) -> sources::SourceJob {
        self.run_with(name, username, secret, &Silent).unwrap()
    }

    pub fn run_with(
        &mut self,
        name: &str,
        username: &str,
        secret: Option<&str>,
        progress: &dyn Progress,
    ) -> salesplan_core::error::Result<sources::SourceJob> {
        let actor = self.user(username);
        let source = self.source(name);
        let retry = salesplan_sources::Retry {
            attempts: 1,
            first_wait: std::time::Duration::ZERO,
        };
        salesplan_sources::run(&mut self.ledger, &actor, &source, secret, retry, progress)
    }

    /// The sales the source's jobs imported: how many, and their quantities and amounts summed.
    pub fn brought(&self, name: &str) -> (usize, Decimal, Decimal) {
        let id = self.source(name).id.to_string();
        let conn = rusqlite::Connection::open(self.path()).unwrap();
        let mut query = conn
            .prepare(
                "SELECT quantity, amount FROM actual_sales
                 WHERE import_id IN (SELECT import_id FROM source_jobs WHERE source_id = ?1)",
            )
            .unwrap();
        let rows: Vec<(String, String)> = query
            .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let sum = |texts: &mut dyn Iterator<Item = &String>| -> Decimal {
            texts.map(|text| Decimal::from_str(text).unwrap()).sum()
        };
        (
            rows.len(),
            sum(&mut rows.iter().map(|(quantity, _)| quantity)),
            sum(&mut rows.iter().map(|(_, amount)| amount)),
        )
    }

    /// The unread alerts of a user, by subject.
    pub fn alerts(&self, username: &str) -> Vec<String> {
        salesplan_core::watch::alerts(&self.ledger, &self.user(username))
            .unwrap()
            .into_iter()
            .map(|alert| format!("{}: {}", alert.subject, alert.message))
            .collect()
    }
}

/// A progress that asks to stop once the rows are being written (the second
/// half of an import's progress): a crash between reading and committing.
pub struct CancelInWrite(pub std::cell::Cell<bool>);

impl Progress for CancelInWrite {
    fn update(&self, done: usize, total: usize) {
        if total > 0 && done * 2 >= total {
            self.0.set(true);
        }
    }
    fn cancelled(&self) -> bool {
        self.0.get()
    }
}
