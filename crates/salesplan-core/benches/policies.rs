//! Stock policy benchmark (issue #14): every product × location policy worked
//! out again from a 12-month forecast and 36 months of history: 2,000 extra
//! products sold at the demo's five branches (10,000 branch items) and planned
//! at its warehouse (2,000 more), with the forecast's snapshots, suppliers and
//! ABC classes read, and the policies stored, in one transaction.
//!
//! cargo bench -p salesplan-core --bench policies
#![allow(clippy::unwrap_used)]

mod common;
#[path = "common/history.rs"]
mod history;

use common::measure;
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::forecast::{self, RunRequest};
use salesplan_core::imports::Silent;
use salesplan_core::month::Month;
use salesplan_core::purchasing;
use salesplan_core::stock::{self, policy};
use salesplan_core::{Ledger, users};

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let products = if smoke { 10 } else { 2_000 };
    let dir = tempfile::tempdir().unwrap();
    let path = history::demo_with_history(dir.path(), products, Month::current().plus(-1));
    let mut ledger = Ledger::open(&path).unwrap();
    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    forecast::run(&mut ledger, &admin, RunRequest::default(), &Silent).unwrap();
    let mut count = 0;
    measure("policies worked out again (every item)", 5, || {
        count = policy::recompute(&mut ledger, &admin).unwrap().policies;
    });
    println!("policies: {count}");
    measure(
        "policies read back (the inventory screen's list)",
        5,
        || {
            policy::policies(&ledger, &admin, None, None).unwrap();
        },
    );
    // What decides by the policies and the positions: the warehouse's reorder
    // points count what the branches will draw (issue #15).
    let sven = users::sign_in(&ledger, "sven", DEMO_PASSWORD).unwrap();
    measure("the stock table (Supply Chain, every item)", 5, || {
        stock::table(&ledger, &sven).unwrap();
    });
    measure("the stock alerts (Supply Chain)", 5, || {
        stock::alerts::alerts(&ledger, &sven).unwrap();
    });
    measure("the purchase proposal (Supply Chain)", 5, || {
        purchasing::proposal::propose(&ledger, &sven, None).unwrap();
    });
}
