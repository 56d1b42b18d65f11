//! Stock benchmarks (issue #14): on-hand for every item of a ledger holding
//! 5 million movements (10,000 items: 1,667 products at 6 locations, 500
//! movements each), and one item's on-hand and movements. Figures go to
//! docs/BENCHMARKS.md.
#![allow(clippy::unwrap_used)]

mod common;

use common::measure;

use rust_decimal::Decimal;
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::{stock, users};
use std::time::Instant;

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let (new_products, per_item) = if smoke { (10, 50) } else { (1_627, 500) };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let (mut ledger, _) = salesplan_core::demo::create(&path).unwrap();
    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    let sven = users::sign_in(&ledger, "sven", DEMO_PASSWORD).unwrap();
    let water = reference::find::<Product>(&ledger, &admin, "BEV-010").unwrap();
    for n in 0..new_products {
        let product = Product {
            sku: format!("BEN-{n:05}"),
            ..water.fields.clone()
        };
        reference::create(&mut ledger, &admin, product).unwrap();
    }
    let products = reference::list::<Product>(&ledger, &admin, false).unwrap();
    let locations = reference::list::<Location>(&ledger, &admin, false).unwrap();

    // The movements go in as the sync engine or an import would put them: rows
    // of the table, in one transaction (the services would add a change record each).
    let items = items_of(&ledger, &admin);
    let admin_id = admin.id.to_string();
    let fill = Instant::now();
    let written = write_movements(&path, &items, per_item, &admin_id, false);
    println!(
        "{written} movements for {} items written in {:.1} s",
        items.len(),
        fill.elapsed().as_secs_f64()
    );

    // What keeping the balances costs a bulk write: the same 100,000 movements
    // into a fresh demo ledger, with the balances' triggers and without them.
    let sample = if smoke { 10 } else { 200 };
    for without in [false, true] {
        let other = dir.path().join(format!("sample-{without}.db"));
        let (other_ledger, _) = salesplan_core::demo::create(&other).unwrap();
        let other_admin = users::sign_in(&other_ledger, "admin", DEMO_PASSWORD).unwrap();
        let sample_items: Vec<(String, String)> = items_of(&other_ledger, &other_admin)
            .into_iter()
            .take(sample)
            .collect();
        drop(other_ledger);
        let start = Instant::now();
        let written = write_movements(
            &other,
            &sample_items,
            per_item,
            &other_admin.id.to_string(),
            without,
        );
        println!(
            "{written} movements written {} the balances' triggers: {:.2} s",
            if without { "without" } else { "with" },
            start.elapsed().as_secs_f64()
        );
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();

    let all = stock::on_hand(&ledger, &sven).unwrap();
    assert!(all.len() >= products.len() * locations.len());
    measure("on-hand, every item (supply chain)", 5, || {
        stock::on_hand(&ledger, &sven).unwrap();
    });
    // What the balances save: the exact sum of every item's movements, in SQL.
    measure(
        "without the balances: decimal_sum of every item's movements",
        3,
        || {
            let mut query = conn
                .prepare(
                    "SELECT location_id, product_id, decimal_sum(quantity) FROM stock_movements
                 GROUP BY location_id, product_id",
                )
                .unwrap();
            let items = query.query_map([], |_| Ok(())).unwrap().count();
            assert_eq!(items, all.len());
        },
    );
    let bella = users::sign_in(&ledger, "bella", DEMO_PASSWORD).unwrap();
    measure("on-hand, one branch's items (branch manager)", 5, || {
        stock::on_hand(&ledger, &bella).unwrap();
    });
    let (location, product) = (locations[0].id, products[products.len() - 1].id);
    measure("one item's movements with their running stock", 20, || {
        stock::movements(&ledger, &sven, location, product).unwrap();
    });
}

/// Every product at every location, as (location id, product id).
fn items_of(
    ledger: &salesplan_core::Ledger,
    admin: &salesplan_core::Actor,
) -> Vec<(String, String)> {
    let products = reference::list::<Product>(ledger, admin, false).unwrap();
    let locations = reference::list::<Location>(ledger, admin, false).unwrap();
    products
        .iter()
        .flat_map(|product| {
            locations
                .iter()
                .map(|location| (location.id.to_string(), product.id.to_string()))
        })
        .collect()
}

/// Writes `per_item` movements for each item in one transaction (optionally
/// with the balances' insert trigger dropped first); returns how many.
fn write_movements(
    path: &std::path::Path,
    items: &[(String, String)],
    per_item: usize,
    by: &str,
    without_triggers: bool,
) -> usize {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    if without_triggers {
        conn.execute_batch("DROP TRIGGER stock_balances_insert;")
            .unwrap();
    }
    let tx = conn.transaction().unwrap();
    let mut written = 0;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO stock_movements (id, moved_on, location_id, product_id, quantity, reason, note,
                                              created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7, '2026-01-01T00:00:00.000Z')",
            )
            .unwrap();
        for (location_id, product_id) in items {
            for n in 0..per_item {
                let (reason, quantity) = match n % 5 {
                    0 => ("receipt", Decimal::from(40)),
                    4 => ("count", Decimal::from(-1)),
                    _ => ("sale", Decimal::new(-975, 2)),
                };
                let day = format!(
                    "20{:02}-{:02}-{:02}",
                    10 + n / 360,
                    n / 30 % 12 + 1,
                    n % 28 + 1
                );
                insert
                    .execute(rusqlite::params![
                        uuid::Uuid::now_v7().to_string(),
                        day,
                        location_id,
                        product_id,
                        quantity.to_string(),
                        reason,
                        by,
                    ])
                    .unwrap();
                written += 1;
            }
        }
    }
    tx.commit().unwrap();
    written
}
