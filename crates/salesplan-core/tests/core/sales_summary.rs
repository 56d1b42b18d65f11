//! The kept sales summaries (V25, V30) are the sales summed by their keys,
//! whatever writes them: hand entries and their reversing entries, an import
//! and its reversal, the changes and removals only sync makes (its
//! append-only guards lifted), and a product or a salesman moved to another
//! category or department.

use crate::support::{TestLedger, open_day};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use salesplan_core::imports::{self, ImportKind, MemoryTable};
use salesplan_core::reference::{self, Customer, Department, Product, ProductCategory};
use salesplan_core::sales::{self, NewSale};
use salesplan_core::users::{self, UserProfile};
use std::path::Path;

/// Five keys, then the quantity and the amount (compared as decimals: a
/// cell may hold "12.50" where a sum says "12.5") and the count of sales.
type Cell = (
    String,
    String,
    String,
    String,
    String,
    Decimal,
    Decimal,
    i64,
);

fn decimal(text: String) -> Decimal {
    text.parse()
        .unwrap_or_else(|_| panic!("'{text}' is not a decimal"))
}

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
                decimal(row.get(5)?),
                decimal(row.get(6)?),
                row.get(7)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Each summary as the ledger keeps it, and the sales summed the slow way by
/// the same keys (a product's category and a salesman's department as they
/// are now), five keys each ('' pads a coarser one).
const SUMMARIES: [(&str, &str, &str); 4] = [
    (
        "month × product × branch × salesman × customer (V25)",
        "SELECT period, product_id, location_id, coalesce(salesman_id, ''), coalesce(customer_id, ''),
                quantity, amount, sales
         FROM sales_summary ORDER BY 1, 2, 3, 4, 5",
        "SELECT period, product_id, location_id, coalesce(salesman_id, ''), coalesce(customer_id, ''),
                decimal_sum(quantity), decimal_sum(amount), count(*)
         FROM actual_sales GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
    ),
    (
        "month × branch × salesman × category",
        "SELECT period, location_id, salesman_id, category_id, '', quantity, amount, sales
         FROM sales_by_seller ORDER BY 1, 2, 3, 4",
        "SELECT s.period, s.location_id, coalesce(s.salesman_id, ''), p.category_id, '',
                decimal_sum(s.quantity), decimal_sum(s.amount), count(*)
         FROM actual_sales s JOIN products p ON p.id = s.product_id
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    ),
    (
        "month × product × department",
        "SELECT period, product_id, department_id, '', '', quantity, amount, sales
         FROM sales_by_product ORDER BY 1, 2, 3",
        "SELECT s.period, s.product_id, coalesce(u.department_id, ''), '', '',
                decimal_sum(s.quantity), decimal_sum(s.amount), count(*)
         FROM actual_sales s LEFT JOIN users u ON u.id = s.salesman_id
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    ),
    (
        "month × customer × department",
        "SELECT period, customer_id, department_id, '', '', quantity, amount, sales
         FROM sales_by_customer ORDER BY 1, 2, 3",
        "SELECT s.period, coalesce(s.customer_id, ''), coalesce(u.department_id, ''), '', '',
                decimal_sum(s.quantity), decimal_sum(s.amount), count(*)
         FROM actual_sales s LEFT JOIN users u ON u.id = s.salesman_id
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    ),
];

/// The finest summary as the ledger keeps it.
pub fn kept(path: &Path) -> Vec<Cell> {
    cells(path, SUMMARIES[0].1)
}

/// Every kept summary equals the sums; on failure, says which summary and
/// the first cell that differs.
pub fn assert_kept(path: &Path, when: &str) {
    for (name, kept, summed) in SUMMARIES {
        let (kept, summed) = (cells(path, kept), cells(path, summed));
        if let Some((have, want)) = kept.iter().zip(&summed).find(|(have, want)| have != want) {
            panic!("{when}, {name}: the summary holds {have:?}, the sales sum to {want:?}");
        }
        assert_eq!(
            kept.len(),
            summed.len(),
            "{when}, {name}: cells kept vs cells with sales"
        );
    }
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

    // A product moved to another category and a salesman to another
    // department: their sums move with them.
    let product = reference::find::<Product>(&demo.ledger, &admin, "DRY-010").unwrap();
    let other = reference::list::<ProductCategory>(&demo.ledger, &admin, false)
        .unwrap()
        .into_iter()
        .find(|category| category.id != product.fields.category_id)
        .unwrap();
    reference::update::<Product>(
        &mut demo.ledger,
        &admin,
        product.id,
        None,
        Product {
            category_id: other.id,
            ..product.fields
        },
    )
    .unwrap();
    assert_kept(&path, "after a product moved to another category");
    let sam_now = users::find(&demo.ledger, &admin, "sam").unwrap();
    let department = reference::list::<Department>(&demo.ledger, &admin, false)
        .unwrap()
        .into_iter()
        .find(|department| Some(department.id) != sam_now.profile.department_id)
        .unwrap();
    let moved = UserProfile {
        department_id: Some(department.id),
        ..sam_now.profile
    };
    users::update(&mut demo.ledger, &admin, sam_now.id, None, moved).unwrap();
    assert_kept(&path, "after a salesman moved to another department");

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
