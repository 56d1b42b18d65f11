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
    let fill = Instant::now();
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO stock_movements (id, moved_on, location_id, product_id, quantity, reason, note,
                                              created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7, '2026-01-01T00:00:00.000Z')",
            )
            .unwrap();
        let admin_id = admin.id.to_string();
        let mut written = 0_u64;
        for product in &products {
            for location in &locations {
                let (product_id, location_id) = (product.id.to_string(), location.id.to_string());
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
                            admin_id,
                        ])
                        .unwrap();
                    written += 1;
                }
            }
        }
        println!(
            "{written} movements for {} items written in {:.1} s",
            products.len() * locations.len(),
            fill.elapsed().as_secs_f64()
        );
    }
    tx.commit().unwrap();

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
