//! The benchmarks' big ledger: the demo company plus `products` extra products
//! sold by its 10 salesmen for 36 months, a deterministic mix of seasonal,
//! flat, trending and sparse series, written straight into the file (set-up
//! only; the code measured is the service).

use salesplan_core::month::Month;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub const MONTHS: i32 = 36;

/// A deterministic mix, as in the forecast crate's benchmark: seasonal with
/// growth, flat with noise, trending, sparse.
fn quantity(series: usize, t: usize) -> i64 {
    let mut seed = (series * 36 + t) as u64 * 2_654_435_761 + 1;
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    let noise = (seed % 1000) as f64 / 1000.0 - 0.5;
    let shape = [0.6, 0.7, 0.9, 1.0, 1.1, 1.3, 1.5, 1.4, 1.1, 0.9, 0.8, 0.7];
    let value = match series % 4 {
        0 => (100.0 + 2.0 * t as f64) * shape[t % 12] + 10.0 * noise,
        1 => 50.0 + 20.0 * noise,
        2 => 20.0 + 1.5 * t as f64 + 5.0 * noise,
        _ => {
            if noise > 0.3 {
                5.0
            } else {
                0.0
            }
        }
    };
    value.round().max(0.0) as i64
}

/// The demo company in `dir` with `products` extra products' sales up to the month before `open`.
pub fn demo_with_history(dir: &Path, products: usize, open: Month) -> PathBuf {
    let path = dir.join("history.db");
    salesplan_core::demo::create(&path).unwrap();
    let setup = Instant::now();
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        salesplan_core::ledger::register_functions(&conn).unwrap();
        let tx = conn.transaction().unwrap();
        // The history goes into months the demo has closed, which the ledger
        // refuses: its guard is lifted for the set-up and put back unchanged.
        let guard: String = tx
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'actual_sales_closed_month'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        tx.execute_batch("DROP TRIGGER actual_sales_closed_month")
            .unwrap();
        let category: String = tx
            .query_row("SELECT id FROM product_categories LIMIT 1", [], |row| {
                row.get(0)
            })
            .unwrap();
        let admin: String = tx
            .query_row("SELECT id FROM users WHERE username = 'admin'", [], |row| {
                row.get(0)
            })
            .unwrap();
        let salesmen: Vec<(String, String)> = tx
            .prepare("SELECT id, location_id FROM users WHERE role = 2 ORDER BY username")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut product = tx
            .prepare(
                "INSERT INTO products (id, sku, name, category_id, unit, list_price, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'pcs', '2.50', '2026-01-01', '2026-01-01')",
            )
            .unwrap();
        let mut sale = tx
            .prepare(
                "INSERT INTO actual_sales (id, period, product_id, location_id, salesman_id, quantity, unit_price,
                                           amount, created_by, created_at, fingerprint)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, '2.50', ?7, ?8, '2026-01-01', ?9)",
            )
            .unwrap();
        let mut fingerprint: i64 = 1;
        for p in 0..products {
            let id = uuid::Uuid::now_v7().to_string();
            product
                .execute(rusqlite::params![
                    id,
                    format!("BENCH-{p:04}"),
                    format!("Bench product {p}"),
                    category
                ])
                .unwrap();
            for (s, (salesman, location)) in salesmen.iter().enumerate() {
                let series = p * salesmen.len() + s;
                for t in 0..MONTHS as usize {
                    let q = quantity(series, t);
                    if q == 0 {
                        continue;
                    }
                    let period = open.plus(t as i32 - MONTHS).to_string();
                    fingerprint += 1;
                    sale.execute(rusqlite::params![
                        uuid::Uuid::now_v7().to_string(),
                        period,
                        id,
                        location,
                        salesman,
                        q.to_string(),
                        format!("{:.2}", q as f64 * 2.5),
                        admin,
                        fingerprint
                    ])
                    .unwrap();
                }
            }
        }
        drop((product, sale));
        tx.execute_batch(&guard).unwrap();
        tx.commit().unwrap();
    }
    println!(
        "set-up: {products} products × 10 salesmen × {MONTHS} months of sales in {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    path
}
