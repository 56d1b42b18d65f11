//! The `salesplan` binary run as a user would: real processes, real ledger files.
#![allow(clippy::unwrap_used, clippy::panic)]

mod budgets;
mod contract;
mod crash;
mod forecast;
mod imports;
mod sync;

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

/// The demo's open month (last month: ended, not closed yet): sales go there.
pub fn open_month() -> String {
    salesplan_core::month::Month::current().plus(-1).to_string()
}

/// A temp dir holding a fresh demo ledger.
pub struct Demo {
    pub dir: tempfile::TempDir,
}

impl Demo {
    pub fn create() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let demo = Demo { dir };
        let output = salesplan()
            .args(["demo", "--db"])
            .arg(demo.db())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "demo failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        demo
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
