//! The kept sales summary (V25) is the sales summed by month, product,
//! location, salesman and customer, whatever writes them: hand entries and
//! their reversing entries, an import and its reversal, and the changes and
//! removals only sync makes (its append-only guards lifted).

use crate::support::{TestLedger, open_day};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use salesplan_core::imports::{self, ImportKind, MemoryTable};
use salesplan_core::reference::{self, Customer, Product};
use salesplan_core::sales::{self, NewSale};
use std::path::Path;

type Cell = (String, String, String, String, String, String, String, i64);

fn cells(path: &Path, sql: &str) -> Vec<Cell> {
    let conn = rusqlite::Connection::open(path).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    let mut query = conn.prepare(sql).unwrap();
    query
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
                row.get(7)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The summary as the ledger keeps it.
pub fn kept(path: &Path) -> Vec<Cell> {
    cells(
        path,
        "SELECT period, product_id, location_id, coalesce(salesman_id, ''), coalesce(customer_id, ''),
                quantity, amount, sales
         FROM sales_summary ORDER BY 1, 2, 3, 4, 5",
    )
}

/// The sales summed the slow way.
pub fn summed(path: &Path) -> Vec<Cell> {
    cells(
        path,
        "SELECT period, product_id, location_id, coalesce(salesman_id, ''), coalesce(customer_id, ''),
                decimal_sum(quantity), decimal_sum(amount), count(*)
         FROM actual_sales GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
    )
}

/// The kept summary equals the sums; on failure, says the first cell that differs.
pub fn assert_kept(path: &Path, when: &str) {
    let (kept, summed) = (kept(path), summed(path));
    if let Some((have, want)) = kept.iter().zip(&summed).find(|(have, want)| have != want) {
        panic!("{when}: the summary holds {have:?}, the sales sum to {want:?}");
    }
    assert_eq!(
        kept.len(),
        summed.len(),
        "{when}: cells kept vs cells with sales"
    );
}

#[test]
fn the_kept_summary_is_the_sales_summed_after_hand_entries_imports_reversals_and_sync() {
    let mut demo = TestLedger::demo();
    let path = demo.path();
    let demo_cells = kept(&path);
    assert!(demo_cells.len() > 1000, "{}", demo_cells.len());
    assert_kept(&path, "the demo's");

    // Random sales by hand, some into cells the demo has, some with a customer
    // or none, each now and then taken back by its reversing entry.
    let admin = demo.user("admin");
    let sam = demo.user("sam");
    let products: Vec<_> = reference::list::<Product>(&demo.ledger, &admin, false)
        .unwrap()
        .into_iter()
        .map(|product| product.id)
        .collect();
    let customer = reference::find::<Customer>(&demo.ledger, &admin, "C-N1")
        .unwrap()
        .id;
    let mut rng = StdRng::seed_from_u64(16);
    for _ in 0..40 {
        let sale = NewSale {
            period: crate::support::open_month(),
            product_id: products[rng.random_range(0..products.len())],
            location_id: sam.location_id.unwrap(),
            salesman_id: Some(sam.id),
            customer_id: rng.random_bool(0.5).then_some(customer),
            quantity: Decimal::from(rng.random_range(1..40)),
            unit_price: Decimal::new(rng.random_range(100..5_000), 2),
        };
        let posted = sales::post(&mut demo.ledger, &sam, vec![sale.clone()]).unwrap();
        if rng.random_bool(0.3) {
            let reversing = NewSale {
                quantity: -sale.quantity,
                ..sale
            };
            sales::post(&mut demo.ledger, &sam, vec![reversing]).unwrap();
        }
        assert_eq!(posted.len(), 1);
    }
    assert_kept(&path, "after hand entries");

    let headers: Vec<String> = [
        "Date",
        "SKU",
        "Branch",
        "Salesman",
        "Quantity",
        "Unit price",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = ["DRY-010", "BEV-010", "DRY-010"]
        .iter()
        .enumerate()
        .map(|(n, sku)| {
            vec![
                open_day(),
                (*sku).into(),
                "BR-N".into(),
                "sam".into(),
                format!("{}.5", n + 2),
                "3.10".into(),
            ]
        })
        .collect();
    let file = MemoryTable::new("till.csv", [vec![headers], rows].concat());
    let imported = crate::support::import_all(&mut demo.ledger, &admin, ImportKind::Actuals, &file);
    assert_kept(&path, "after an import");
    imports::reverse(&mut demo.ledger, &admin, imported.import.id).unwrap();
    assert_kept(&path, "after its reversal");

    // What only sync does: change a sale (moved to another salesman and
    // month, its amount changed) and remove others, the guards lifted.
    let conn = rusqlite::Connection::open(&path).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    conn.execute_batch(
        "DROP TRIGGER actual_sales_append_only_update; DROP TRIGGER actual_sales_append_only_delete;
         DROP TRIGGER stock_movements_append_only_delete;",
    )
    .unwrap();
    conn.execute(
        "UPDATE actual_sales SET salesman_id = NULL, period = '2000-01', amount = '1.01'
         WHERE id = (SELECT min(id) FROM actual_sales WHERE salesman_id IS NOT NULL)",
        [],
    )
    .unwrap();
    conn.execute(
        "DELETE FROM actual_sales WHERE id IN (SELECT id FROM actual_sales ORDER BY id DESC LIMIT 25)",
        [],
    )
    .unwrap();
    drop(conn);
    assert_kept(&path, "after sync's changes and removals");
    assert!(
        kept(&path)
            .iter()
            .any(|cell| cell.0 == "2000-01" && cell.3.is_empty())
    );
}
