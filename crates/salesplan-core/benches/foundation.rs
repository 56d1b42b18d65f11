//! Foundation benchmarks: creating the demo company, signing in, the scoped sales
//! overview, and one audited write. Plain timing over repeated runs (no harness),
//! reported as median and best; figures go to docs/BENCHMARKS.md.
#![allow(clippy::unwrap_used)]

mod common;

use common::measure;

use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::reference::{self, Department};
use salesplan_core::{Ledger, sales, users};

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    measure("demo company (13k sales, one transaction)", 5, || {
        n += 1;
        salesplan_core::demo::create(&dir.path().join(format!("demo-{n}.db"))).unwrap();
    });

    let path = dir.path().join("demo-1.db");
    let mut ledger = Ledger::open(&path).unwrap();
    measure("open ledger (checks + migrations)", 20, || {
        Ledger::open(&path).unwrap();
    });
    measure("sign in (argon2id verify)", 20, || {
        users::sign_in(&ledger, "sam", DEMO_PASSWORD).unwrap();
    });
    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    let sam = users::sign_in(&ledger, "sam", DEMO_PASSWORD).unwrap();
    measure("sales overview, whole company (36 months)", 20, || {
        sales::overview(&ledger, &admin).unwrap();
    });
    measure("sales overview, one salesman", 20, || {
        sales::overview(&ledger, &sam).unwrap();
    });
    let mut m = 0;
    measure("audited write (create a department)", 50, || {
        m += 1;
        let department = Department {
            code: format!("B{m}"),
            name: format!("Bench {m}"),
        };
        reference::create(&mut ledger, &admin, department).unwrap();
    });
}
