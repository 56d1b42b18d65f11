//! Forecast benchmarks (issue #5): the baseline with automatic selection for
//! 10,000 series × 36 months of history and a 12-month horizon, in the ledger
//! (history read, every series forecast on both cores, 120,000 values stored),
//! then reading the forecast back at company level with overrides applied.
//!
//! The 10,000 series are 1,000 extra products sold by the demo's 10 salesmen:
//! their 36 months of sales are written straight into the ledger file (set-up
//! only; the code measured is the service).
//!
//! cargo bench -p salesplan-core --bench forecast
#![allow(clippy::unwrap_used)]

mod common;
#[path = "common/history.rs"]
mod history;

use common::measure;
use salesplan_core::budgets::variance::VarianceLevel;
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::forecast::{self, ForecastQuery, RunRequest};
use salesplan_core::imports::Silent;
use salesplan_core::month::Month;
use salesplan_core::{Ledger, users};

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let products = if smoke { 10 } else { 1_000 };
    let dir = tempfile::tempdir().unwrap();
    let path = history::demo_with_history(dir.path(), products, Month::current().plus(-1));
    let mut ledger = Ledger::open(&path).unwrap();
    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    let mut series = 0;
    measure("baseline run, auto, 12 months (10,400 series)", 3, || {
        let summary = forecast::run(&mut ledger, &admin, RunRequest::default(), &Silent).unwrap();
        series = summary.series;
    });
    println!("series forecast: {series}");
    measure("forecast at company level, overrides applied", 5, || {
        let query = ForecastQuery {
            level: VarianceLevel::Company,
            within: None,
            history_months: Some(24),
        };
        forecast::show(&ledger, &admin, query).unwrap();
    });
}
