//! Sales issue stock: posting a sale takes its quantity out of its branch's
//! stock in the same write, reversing it puts it back, and a company whose
//! stock comes only from its ERP turns it off.

use crate::stock::{balances, sums_of_movements};
use crate::support::{TestLedger, count, open_day, open_month};
use rust_decimal::Decimal;
use salesplan_core::imports::{self, ImportKind, MemoryTable};
use salesplan_core::reference::{self, Product};
use salesplan_core::sales::{self, ActualSale, NewSale};
use salesplan_core::settings;
use salesplan_core::stock::{self, StockReason};
use salesplan_core::timestamp::Day;
use uuid::Uuid;

const SKU: &str = "DRY-010";

fn product(demo: &TestLedger) -> Uuid {
    let sam = demo.user("sam");
    reference::find::<Product>(&demo.ledger, &sam, SKU)
        .unwrap()
        .id
}

/// What sam's branch holds of the product.
fn on_hand(demo: &TestLedger) -> Decimal {
    let sam = demo.user("sam");
    stock::movements(
        &demo.ledger,
        &demo.user("admin"),
        sam.location_id.unwrap(),
        product(demo),
    )
    .unwrap()
    .on_hand
}

fn sam_sells(demo: &mut TestLedger, quantity: i64) -> ActualSale {
    let sam = demo.user("sam");
    let sale = NewSale {
        period: open_month(),
        product_id: product(demo),
        location_id: sam.location_id.unwrap(),
        salesman_id: Some(sam.id),
        customer_id: None,
        quantity: Decimal::from(quantity),
        unit_price: Decimal::from(3),
    };
    sales::post(&mut demo.ledger, &sam, vec![sale])
        .unwrap()
        .remove(0)
}

fn stock_changes(demo: &TestLedger) -> i64 {
    count(
        &demo.path(),
        "SELECT count(*) FROM outbox WHERE entity = 'stock_movement'",
    )
}

#[test]
fn a_sale_takes_its_quantity_out_of_its_branch_and_its_reversing_entry_puts_it_back() {
    let mut demo = TestLedger::demo();
    let (before, changes) = (on_hand(&demo), stock_changes(&demo));
    let sale = sam_sells(&mut demo, 4);
    assert!(sale.issues_stock, "the demo company's sales issue stock");
    assert_eq!(on_hand(&demo), before - Decimal::from(4));

    let sam = demo.user("sam");
    let history = stock::movements(
        &demo.ledger,
        &demo.user("admin"),
        sam.location_id.unwrap(),
        product(&demo),
    )
    .unwrap();
    let issue = history
        .movements
        .iter()
        .find(|line| line.movement.id == sale.id)
        .expect("the sale's issue, under the sale's id");
    assert_eq!(issue.movement.reason, StockReason::Sale);
    assert_eq!(issue.movement.quantity, Decimal::from(-4));
    assert_eq!(issue.recorded_by.as_deref(), Some("sam"));
    // Posted today into this month (the open month): it left today.
    assert_eq!(issue.movement.moved_on, Day::today());
    assert_eq!(
        stock_changes(&demo),
        changes,
        "the issue is the sale's: it is not a change of its own, each ledger derives it"
    );

    let reversing = sam_sells(&mut demo, -4);
    assert!(reversing.issues_stock);
    assert_eq!(on_hand(&demo), before, "the reversing entry put it back");
    assert_eq!(balances(&demo.path()), sums_of_movements(&demo.path()));
}

#[test]
fn imported_sales_issue_stock_and_reversing_the_import_puts_it_back() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let before = on_hand(&demo);
    let headers: Vec<String> = ["Date", "SKU", "Branch", "Quantity", "Price"]
        .map(String::from)
        .to_vec();
    let sam = demo.user("sam");
    let code: String = rusqlite::Connection::open(demo.path())
        .unwrap()
        .query_row(
            "SELECT code FROM locations WHERE id = ?1",
            [sam.location_id.unwrap().to_string()],
            |row| row.get(0),
        )
        .unwrap();
    let row = |quantity: &str| {
        vec![
            open_day(),
            SKU.into(),
            code.clone(),
            quantity.into(),
            "2.5".into(),
        ]
    };
    let file = MemoryTable::new("till.csv", vec![headers.clone(), row("5"), row("2")]);
    let imported = crate::support::import_all(&mut demo.ledger, &admin, ImportKind::Actuals, &file);
    assert_eq!(on_hand(&demo), before - Decimal::from(7));
    assert_eq!(
        count(
            &demo.path(),
            &format!(
                "SELECT count(*) FROM stock_movements WHERE reason = 'sale' AND moved_on = '{}'
                 AND id IN (SELECT id FROM actual_sales WHERE import_id = '{}')",
                open_day(),
                imported.import.id
            ),
        ),
        2,
        "each imported sale issued on the day the file gives"
    );
    imports::reverse(&mut demo.ledger, &admin, imported.import.id).unwrap();
    assert_eq!(
        on_hand(&demo),
        before,
        "reversing the import put the stock back"
    );
    assert_eq!(balances(&demo.path()), sums_of_movements(&demo.path()));
}

#[test]
fn with_the_setting_off_sales_leave_stock_alone_and_those_posted_before_keep_their_issue() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let before = on_hand(&demo);
    sam_sells(&mut demo, 3);
    let current = settings::get(&demo.ledger, &admin).unwrap();
    let mut company = current.company.clone();
    company.sales_issue_stock = false;
    let changed =
        settings::update(&mut demo.ledger, &admin, Some(current.version), company).unwrap();
    assert!(!changed.company.sales_issue_stock);
    let sale = sam_sells(&mut demo, 5);
    assert!(!sale.issues_stock);
    assert_eq!(
        on_hand(&demo),
        before - Decimal::from(3),
        "only the sale posted while the setting was on took stock"
    );
    assert_eq!(
        count(
            &demo.path(),
            &format!(
                "SELECT count(*) FROM stock_movements WHERE id = '{}'",
                sale.id
            )
        ),
        0
    );
    // A reversing entry of the earlier sale follows the setting of its own time.
    let reversing = sam_sells(&mut demo, -3);
    assert!(!reversing.issues_stock);
    assert_eq!(on_hand(&demo), before - Decimal::from(3));
}

#[test]
fn a_sale_removed_takes_its_issue_with_it() {
    // Sync removes a sale head office refused or no longer holds (with the
    // append-only guards lifted); its issue must not stay behind.
    let mut demo = TestLedger::demo();
    let before = on_hand(&demo);
    let sale = sam_sells(&mut demo, 6);
    let conn = rusqlite::Connection::open(demo.path()).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    conn.execute_batch(
        "DROP TRIGGER actual_sales_append_only_delete; DROP TRIGGER stock_movements_append_only_delete;",
    )
    .unwrap();
    conn.execute(
        "DELETE FROM actual_sales WHERE id = ?1",
        [sale.id.to_string()],
    )
    .unwrap();
    drop(conn);
    assert_eq!(on_hand(&demo), before);
    assert_eq!(balances(&demo.path()), sums_of_movements(&demo.path()));
}
