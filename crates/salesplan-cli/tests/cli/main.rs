//! The `salesplan` binary run as a user would: real processes, real ledger files.
#![allow(clippy::unwrap_used, clippy::panic)]

mod budgets;
mod contract;
mod crash;
mod forecast;
mod home;
mod hostile;
mod imports;
mod purchasing;
mod reports;
mod sources;
mod stock;
mod sync;
mod transfers;

use salesplan_core::month::Month;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn salesplan() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_salesplan"));
    command
        .env_remove("SALESPLAN_PASSWORD")
        .env_remove("SALESPLAN_NEW_PASSWORD")
        .env_remove("SALESPLAN_DB");
    command
}

/// A temp dir holding a fresh demo ledger, and the months its sales run over
/// (as `salesplan demo` reported them): tests take their dates from these.
pub struct Demo {
    pub dir: tempfile::TempDir,
    pub first_month: Month,
    pub last_month: Month,
}

impl Demo {
    pub fn create() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let created = json(
            &salesplan()
                .args(["--json", "demo", "--db"])
                .arg(dir.path().join("d.db"))
                .output()
                .unwrap(),
        );
        let month = |key: &str| Month::parse(key, created[key].as_str().unwrap()).unwrap();
        Demo {
            first_month: month("first_period"),
            last_month: month("last_period"),
            dir,
        }
    }

    /// The demo's open month (its last month of sales: ended, not closed yet): sales go there.
    pub fn open_month(&self) -> String {
        self.last_month.to_string()
    }

    /// A fiscal year `years` after the year of the demo's last sales.
    pub fn year_after(&self, years: i32) -> String {
        (self.last_month.year() + years).to_string()
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("d.db")
    }

    /// Runs `salesplan --db <demo> --user <user> <args>` with the demo password.
    pub fn run_as(&self, user: &str, args: &[&str]) -> Output {
        salesplan()
            .arg("--db")
            .arg(self.db())
            .args(["--user", user])
            .args(args)
            .env("SALESPLAN_PASSWORD", salesplan_core::demo::DEMO_PASSWORD)
            .env("SALESPLAN_NEW_PASSWORD", "brand-new-pass")
            .output()
            .unwrap()
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "command failed: {}",
        stderr(output)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", stdout(output)))
}

pub fn integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}
