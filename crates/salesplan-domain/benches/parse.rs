//! The cost of checking what a laptop sends: 100,000 sales (whole records, as
//! pushed) parsed into their type with `changes::parse`, and 100,000 budget
//! line updates. Head office does this once per pushed change.
//!
//! cargo bench -p salesplan-domain --bench parse
#![allow(clippy::unwrap_used, clippy::panic)]

use salesplan_domain::changes;
use salesplan_domain::entity::{ChangeKind, Entity};
use serde_json::json;
use std::time::Instant;
use uuid::Uuid;

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let count = if smoke { 2_000 } else { 100_000 };
    let (product, location, salesman) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let sales: Vec<(Uuid, serde_json::Value)> = (0..count)
        .map(|n| {
            let id = Uuid::now_v7();
            let payload = json!({
                "id": id, "period": "2026-10", "product_id": product, "location_id": location,
                "salesman_id": salesman, "customer_id": null, "quantity": (n % 50 + 1).to_string(),
                "unit_price": "1.49", "amount": "4.47", "created_by": salesman,
                "created_at": "2026-10-05T10:00:00Z", "import_id": null, "sold_on": "2026-10-05",
                "fingerprint": n,
            });
            (id, payload)
        })
        .collect();
    let lines: Vec<(Uuid, serde_json::Value)> = (0..count)
        .map(|n| (Uuid::now_v7(), json!({ "quantity": (n % 90).to_string(), "amount": "12.00", "updated_at": "2026-10-05T10:00:00Z" })))
        .collect();
    for (what, entity, kind, changes) in [
        (
            "100,000 sales (appended, whole)",
            Entity::ActualSale,
            ChangeKind::Appended,
            &sales,
        ),
        (
            "100,000 budget line updates",
            Entity::BudgetLine,
            ChangeKind::Updated,
            &lines,
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            for (id, payload) in changes {
                changes::parse(entity, kind, *id, payload).unwrap();
            }
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "parse and check {what}: median {:.0} ms, min {:.0} ms (5 runs)",
            times[2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3
        );
    }
}
