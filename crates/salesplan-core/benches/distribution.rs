//! Distribution benchmarks (issue #15): the replenishment proposal with its
//! allocation for 5 branches × 10,000 products, releasing 500 lines into
//! transfers, and receiving a 500-line transfer. The demo company gets
//! 10,000 products, a branch policy for each at each of its five branches
//! (the demo's own policy of a product, copied) and stock at the warehouse
//! that falls short of what the branches need for a third of them.
//!
//! cargo bench -p salesplan-core --bench distribution
#![allow(clippy::unwrap_used)]

mod common;

use common::measure;
use rust_decimal::Decimal;
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::transfers::{
    self, NewTransfer, NewTransferLine, ReleaseLine, ReplenishRequest, Rule,
};
use salesplan_core::{Ledger, stock, users};
use uuid::Uuid;

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let wanted = if smoke { 100 } else { 10_000 };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let (ledger, _) = salesplan_core::demo::create(&path).unwrap();
    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    let sven = users::sign_in(&ledger, "sven", DEMO_PASSWORD).unwrap();
    stock::policy::recompute(&mut Ledger::open(&path).unwrap(), &admin).unwrap();
    let warehouse = reference::find::<Location>(&ledger, &admin, "WH-1")
        .unwrap()
        .id;
    let water = reference::find::<Product>(&ledger, &admin, "BEV-010")
        .unwrap()
        .id;
    drop(ledger);
    let added = fill(&path, water, warehouse, wanted);
    println!("{added} products added, each with a policy at the five branches");

    let mut ledger = Ledger::open(&path).unwrap();
    let mut proposal = None;
    for rule in Rule::ALL {
        let request = ReplenishRequest {
            rule,
            ..ReplenishRequest::default()
        };
        measure(
            &format!("proposal with allocation, {}", rule.key()),
            5,
            || {
                proposal = Some(transfers::propose(&ledger, &sven, &request).unwrap());
            },
        );
    }
    let proposal = proposal.unwrap();
    let short = proposal.items.iter().filter(|item| item.short).count();
    let needs: usize = proposal.items.iter().map(|item| item.branches.len()).sum();
    println!(
        "{} products needed, {needs} branch needs, the warehouse short of {short}",
        proposal.items.len()
    );
    let lines: Vec<ReleaseLine> = proposal
        .items
        .iter()
        .flat_map(|item| {
            item.branches.iter().map(|branch| ReleaseLine {
                location_id: branch.location_id,
                product_id: item.product_id,
                quantity: branch.allocated.max(Decimal::ONE),
            })
        })
        .take(500)
        .collect();
    measure(
        &format!("release {} lines into transfers", lines.len()),
        5,
        || {
            transfers::release(&mut ledger, &sven, &lines).unwrap();
        },
    );

    // Receiving: 500 products shipped to one branch, a transfer per run.
    let north = reference::find::<Location>(&ledger, &admin, "BR-N")
        .unwrap()
        .id;
    let products: Vec<Uuid> = proposal
        .items
        .iter()
        .map(|item| item.product_id)
        .take(500)
        .collect();
    let runs = if smoke { 1 } else { 5 };
    let mut shipped = Vec::new();
    for _ in 0..runs {
        let new = NewTransfer {
            from_location_id: warehouse,
            to_location_id: north,
            note: String::new(),
            lines: products
                .iter()
                .map(|product| NewTransferLine {
                    product_id: *product,
                    quantity: Decimal::ONE,
                })
                .collect(),
        };
        let asked = transfers::request(&mut ledger, &sven, new).unwrap();
        transfers::approve(&mut ledger, &sven, asked.id).unwrap();
        shipped.push(
            transfers::ship(&mut ledger, &sven, asked.id, &[])
                .unwrap()
                .id,
        );
    }
    let mut next = shipped.into_iter();
    measure(
        &format!("receive a transfer of {} lines", products.len()),
        runs,
        || {
            let id = next.next().unwrap();
            transfers::receive_all(&mut ledger, &sven, id, None).unwrap();
        },
    );
}

/// Adds products up to `wanted` (copies of `model`), a policy for each at
/// every branch (the model's, copied), and warehouse stock that is short of
/// the branches' needs for every third product; returns how many were added.
fn fill(path: &std::path::Path, model: Uuid, warehouse: Uuid, wanted: usize) -> usize {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    // The balances' triggers add with the ledger's exact decimal functions.
    salesplan_core::ledger::register_functions(&conn).unwrap();
    let existing: usize = conn
        .query_row("SELECT count(*) FROM products", [], |row| row.get(0))
        .unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('products')")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let copied: Vec<String> = columns
        .iter()
        .map(|column| match column.as_str() {
            "id" => "?1".to_owned(),
            "sku" => "?2".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    let policies: Vec<(String, String)> = conn
        .prepare("SELECT location_id, policy FROM stock_policies WHERE product_id = ?1")
        .unwrap()
        .query_map([model.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let admin: String = conn
        .query_row("SELECT id FROM users WHERE username = 'admin'", [], |row| {
            row.get(0)
        })
        .unwrap();
    let tx = conn.transaction().unwrap();
    let added = wanted.saturating_sub(existing);
    for n in 0..added {
        let id = Uuid::now_v7().to_string();
        let sku = format!("BEN-{n:05}");
        tx.execute(
            &format!(
                "INSERT INTO products ({}) SELECT {} FROM products WHERE id = ?3",
                columns.join(", "),
                copied.join(", ")
            ),
            rusqlite::params![id, sku, model.to_string()],
        )
        .unwrap();
        for (location, policy) in &policies {
            if *location == warehouse.to_string() {
                continue;
            }
            let policy = policy
                .replace(&model.to_string(), &id)
                .replace("BEV-010", &sku);
            tx.execute(
                "INSERT INTO stock_policies (location_id, product_id, policy, computed_at)
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ'))",
                rusqlite::params![location, id, policy],
            )
            .unwrap();
        }
        // Plenty at the warehouse, but for every third product a little.
        let held = if n % 3 == 0 { 40 } else { 100_000 };
        tx.execute(
            "INSERT INTO stock_movements (id, moved_on, location_id, product_id, quantity, reason, note,
                                          created_by, created_at)
             VALUES (?1, date('now'), ?2, ?3, ?4, 'receipt', 'bench', ?5, strftime('%Y-%m-%dT%H:%M:%fZ'))",
            rusqlite::params![Uuid::now_v7().to_string(), warehouse.to_string(), id, held.to_string(), admin],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    added
}
