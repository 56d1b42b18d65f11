//! Stock typed by a person: counts and adjustments, each one movement that is
//! recorded, travels, and reads back in the item's history.

use crate::support::{TestLedger, count};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use salesplan_core::ErrorCode;
use salesplan_core::imports::{self, ImportKind, MemoryTable};
use salesplan_core::ledger::{ChangeKind, Entity};
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::stock::{self, NewAdjustment, NewCount, StockReason};
use salesplan_core::timestamp::Day;
use std::path::Path;
use uuid::Uuid;

/// The warehouse and its soap.
fn item(demo: &TestLedger) -> (Uuid, Uuid) {
    let sven = demo.user("sven");
    (
        reference::find::<Location>(&demo.ledger, &sven, "WH-1")
            .unwrap()
            .id,
        reference::find::<Product>(&demo.ledger, &sven, "HOU-020")
            .unwrap()
            .id,
    )
}

fn counted(demo: &TestLedger, quantity: i64, day: Option<String>) -> NewCount {
    let (location_id, product_id) = item(demo);
    NewCount {
        location_id,
        product_id,
        counted: Decimal::from(quantity),
        day,
        note: String::new(),
    }
}

fn adjusted(demo: &TestLedger, quantity: i64, reason: &str) -> NewAdjustment {
    let (location_id, product_id) = item(demo);
    NewAdjustment {
        location_id,
        product_id,
        quantity: Decimal::from(quantity),
        reason: reason.into(),
        day: None,
    }
}

#[test]
fn a_count_sets_the_stock_found_and_an_adjustment_moves_it_with_its_reason() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let (location_id, product_id) = item(&demo);
    let before = stock::movements(&demo.ledger, &sven, location_id, product_id).unwrap();
    let first = counted(&demo, 12, None);
    let found = stock::count(&mut demo.ledger, &sven, first).unwrap();
    assert_eq!(found.quantity, Decimal::from(12) - before.on_hand);
    let again = counted(&demo, 10, None);
    assert_eq!(
        stock::count(&mut demo.ledger, &sven, again)
            .unwrap()
            .quantity,
        Decimal::from(-2),
        "a second count records the difference"
    );
    let same = counted(&demo, 10, None);
    assert_eq!(
        stock::count(&mut demo.ledger, &sven, same)
            .unwrap()
            .quantity,
        Decimal::ZERO,
        "a count that finds what was expected is still recorded"
    );
    let broken = adjusted(&demo, -3, "  Dropped pallet ");
    let adjustment = stock::adjust(&mut demo.ledger, &sven, broken).unwrap();
    assert_eq!(adjustment.note, "Dropped pallet");

    let history = stock::movements(&demo.ledger, &sven, location_id, product_id).unwrap();
    assert_eq!(history.on_hand, Decimal::from(7));
    assert_eq!(history.location, "WH-1 Central Warehouse");
    let mine: Vec<_> = history.movements[before.movements.len()..]
        .iter()
        .map(|line| {
            (
                line.movement.reason,
                line.balance,
                line.recorded_by.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        mine,
        [
            (StockReason::Count, Decimal::from(12), Some("sven")),
            (StockReason::Count, Decimal::from(10), Some("sven")),
            (StockReason::Count, Decimal::from(10), Some("sven")),
            (StockReason::Adjustment, Decimal::from(7), Some("sven")),
        ]
    );
    let on_hand = stock::on_hand(&demo.ledger, &sven).unwrap();
    let row = on_hand
        .iter()
        .find(|row| row.location_id == location_id && row.product_id == product_id)
        .unwrap();
    assert_eq!(row.quantity, Decimal::from(7));

    // Each is one change that travels, and head office's rules take it as it is.
    let changes = texts(
        &demo.path(),
        "SELECT entity, kind, payload FROM outbox ORDER BY mutation_id DESC LIMIT 4",
    );
    for (entity, kind, payload) in changes {
        assert_eq!(
            (entity.as_str(), kind.as_str()),
            ("stock_movement", "appended")
        );
        let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
        let id = Uuid::parse_str(payload["id"].as_str().unwrap()).unwrap();
        salesplan_domain::changes::parse(Entity::StockMovement, ChangeKind::Appended, id, &payload)
            .unwrap_or_else(|error| panic!("head office refuses {payload}: {error}"));
    }
}

#[test]
fn a_count_on_an_earlier_day_counts_what_had_moved_by_then() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let (location_id, product_id) = item(&demo);
    let today = Day::today();
    let earlier = Day::parse("day", "2020-01-15").unwrap();
    let start = stock::movements(&demo.ledger, &sven, location_id, product_id)
        .unwrap()
        .movements
        .iter()
        .filter(|line| line.movement.moved_on <= earlier)
        .map(|line| line.movement.quantity)
        .sum::<Decimal>();
    let then = counted(&demo, 5, Some(earlier.to_string()));
    let movement = stock::count(&mut demo.ledger, &sven, then).unwrap();
    assert_eq!(movement.moved_on, earlier);
    assert_eq!(movement.quantity, Decimal::from(5) - start);
    assert!(movement.moved_on < today);
}

enum Entry {
    Count(NewCount),
    Adjust(NewAdjustment),
}

#[test]
fn bad_stock_entries_are_refused_naming_the_field_and_write_nothing() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let tomorrow = Day::today().plus_days(1).unwrap();
    let mut huge = adjusted(&demo, 1, "Found");
    huge.quantity = Decimal::from(10_000_000_000_000_i64);
    let mut nowhere = counted(&demo, 1, None);
    nowhere.location_id = Uuid::now_v7();
    let cases = [
        ("counted", Entry::Count(counted(&demo, -1, None))),
        (
            "day",
            Entry::Count(counted(&demo, 1, Some("31/12/2026".into()))),
        ),
        (
            "day",
            Entry::Count(counted(&demo, 1, Some(tomorrow.to_string()))),
        ),
        ("reason", Entry::Adjust(adjusted(&demo, -1, "  "))),
        ("quantity", Entry::Adjust(adjusted(&demo, 0, "Found"))),
        ("quantity", Entry::Adjust(huge)),
        ("location_id", Entry::Count(nowhere)),
    ];
    let before = demo.outbox_len();
    let movements = |demo: &TestLedger| count(&demo.path(), "SELECT count(*) FROM stock_movements");
    let stored = movements(&demo);
    for (field, entry) in cases {
        let error = match entry {
            Entry::Count(new) => stock::count(&mut demo.ledger, &sven, new).map(drop),
            Entry::Adjust(new) => stock::adjust(&mut demo.ledger, &sven, new).map(drop),
        }
        .expect_err(field);
        assert_eq!(error.code(), ErrorCode::Invalid, "{field}: {error}");
        assert_eq!(error.field(), Some(field), "{error}");
    }
    assert_eq!(demo.outbox_len(), before);
    assert_eq!(movements(&demo), stored);
}

/// Three text columns of each row `sql` reads (the ledger's SQL functions registered).
fn texts(path: &Path, sql: &str) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    let mut query = conn.prepare(sql).unwrap();
    query
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Each item's balance as the ledger keeps it.
pub fn balances(path: &Path) -> Vec<(String, String, String)> {
    texts(
        path,
        "SELECT location_id, product_id, quantity FROM stock_balances ORDER BY 1, 2",
    )
}

/// Each item's sum of movements.
pub fn sums_of_movements(path: &Path) -> Vec<(String, String, String)> {
    texts(
        path,
        "SELECT location_id, product_id, decimal_sum(quantity) FROM stock_movements
         GROUP BY location_id, product_id ORDER BY 1, 2",
    )
}

/// The kept balances (V16) are the sum of the movements after random counts
/// and adjustments, an import and its reversal: the sum is what on-hand means.
#[test]
fn the_kept_balances_are_the_sum_of_the_movements_after_random_writes_and_reversals() {
    let mut demo = TestLedger::demo();
    let path = demo.path();
    assert_eq!(balances(&path), sums_of_movements(&path), "the demo's");
    let sven = demo.user("sven");
    let locations: Vec<Uuid> = reference::list::<Location>(&demo.ledger, &sven, false)
        .unwrap()
        .iter()
        .map(|location| location.id)
        .collect();
    let products: Vec<Product> = reference::list::<Product>(&demo.ledger, &sven, false)
        .unwrap()
        .into_iter()
        .map(|product| product.fields)
        .collect();
    let product_ids: Vec<Uuid> = reference::list::<Product>(&demo.ledger, &sven, false)
        .unwrap()
        .iter()
        .map(|product| product.id)
        .collect();
    let mut rng = StdRng::seed_from_u64(14);
    for _ in 0..60 {
        let location_id = locations[rng.random_range(0..locations.len())];
        let product_id = product_ids[rng.random_range(0..product_ids.len())];
        let day = Day::today()
            .plus_days(-rng.random_range(0..400))
            .unwrap()
            .to_string();
        if rng.random_bool(0.5) {
            let count = NewCount {
                location_id,
                product_id,
                counted: Decimal::new(rng.random_range(0..100_000), 2),
                day: Some(day),
                note: String::new(),
            };
            stock::count(&mut demo.ledger, &sven, count).unwrap();
        } else {
            let adjustment = NewAdjustment {
                location_id,
                product_id,
                quantity: Decimal::new(rng.random_range(1..5_000), 3)
                    * if rng.random_bool(0.5) {
                        Decimal::ONE
                    } else {
                        -Decimal::ONE
                    },
                reason: "random".into(),
                day: Some(day),
            };
            stock::adjust(&mut demo.ledger, &sven, adjustment).unwrap();
        }
    }
    assert_eq!(
        balances(&path),
        sums_of_movements(&path),
        "after counts and adjustments"
    );

    let day = Day::today().plus_days(-3).unwrap().to_string();
    let rows: Vec<Vec<String>> = products[..5]
        .iter()
        .map(|product| {
            vec![
                day.clone(),
                "WH-1".into(),
                product.sku.clone(),
                "7.25".into(),
                "receipt".into(),
            ]
        })
        .collect();
    let header = ["Date", "Location", "SKU", "Qty", "Type"]
        .map(String::from)
        .to_vec();
    let file = MemoryTable::new("stock.csv", [vec![header], rows].concat());
    let imported = crate::support::import_all(&mut demo.ledger, &sven, ImportKind::Stock, &file);
    assert_eq!(balances(&path), sums_of_movements(&path), "after an import");
    imports::reverse(&mut demo.ledger, &sven, imported.import.id).unwrap();
    assert_eq!(
        balances(&path),
        sums_of_movements(&path),
        "after its reversal"
    );
}
