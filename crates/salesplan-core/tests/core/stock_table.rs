//! The Inventory screen's table: every item in scope once, its stock and its
//! policy's figures in columns, each location and product named once.

use crate::support::TestLedger;
use rust_decimal::Decimal;
use salesplan_core::reference::{self, Location};
use salesplan_core::stock::alerts::{self, StockAlertKind};
use salesplan_core::stock::{self, NewCount, StockTable};
use salesplan_core::transfers::{self, TransferState};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::str::FromStr;
use uuid::Uuid;

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// (location id, product id) of each item, in the table's order.
fn items(table: &StockTable) -> Vec<(Uuid, Uuid)> {
    let columns = &table.items;
    columns
        .location
        .iter()
        .zip(&columns.product)
        .map(|(&location, &product)| {
            (
                table.locations[location as usize].id,
                table.products[product as usize].id,
            )
        })
        .collect()
}

#[test]
fn the_stock_table_holds_each_item_once_with_its_stock_its_policy_and_whether_to_order() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    // A new product counted at the warehouse: stock and no policy yet.
    let admin = demo.user("admin");
    let product = crate::reference::new_product(&demo, "BEV-900");
    let product = reference::create(&mut demo.ledger, &admin, product).unwrap();
    let warehouse = reference::find::<Location>(&demo.ledger, &sven, "WH-1").unwrap();
    let count = NewCount {
        location_id: warehouse.id,
        product_id: product.id,
        counted: Decimal::from(7),
        day: None,
        note: String::new(),
    };
    stock::count(&mut demo.ledger, &sven, count).unwrap();
    // 3 of it approved to South Branch, which holds none: listed there, coming.
    let south = reference::find::<Location>(&demo.ledger, &sven, "BR-S").unwrap();
    let asked = transfers::NewTransfer {
        from_location_id: warehouse.id,
        to_location_id: south.id,
        note: String::new(),
        lines: vec![transfers::NewTransferLine {
            product_id: product.id,
            quantity: Decimal::from(3),
        }],
    };
    let asked = transfers::request(&mut demo.ledger, &sven, asked).unwrap();
    transfers::approve(&mut demo.ledger, &sven, asked.id).unwrap();
    let table = stock::table(&demo.ledger, &sven).unwrap();
    let columns = &table.items;
    let n = columns.location.len();
    for length in [
        columns.product.len(),
        columns.on_hand.len(),
        columns.on_order.len(),
        columns.available.len(),
        columns.value.len(),
        columns.class.len(),
        columns.reorder_point.len(),
        columns.order_quantity.len(),
        columns.overridden.len(),
        columns.cover.len(),
        columns.calls_for_order.len(),
    ] {
        assert_eq!(length, n, "every column holds every item");
    }
    let keys = items(&table);
    assert_eq!(
        keys.iter().collect::<HashSet<_>>().len(),
        n,
        "each item once"
    );
    let ids: HashSet<Uuid> = table.locations.iter().map(|place| place.id).collect();
    assert_eq!(ids.len(), table.locations.len(), "each location named once");
    let ids: HashSet<Uuid> = table.products.iter().map(|product| product.id).collect();
    assert_eq!(ids.len(), table.products.len(), "each product named once");
    // By location code, then SKU.
    let order: Vec<(&str, &str)> = columns
        .location
        .iter()
        .zip(&columns.product)
        .map(|(&l, &p)| {
            (
                table.locations[l as usize].code.as_str(),
                table.products[p as usize].sku.as_str(),
            )
        })
        .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "sorted");

    // Every stock row and every policy, with the same figures.
    let at: HashMap<(Uuid, Uuid), usize> =
        keys.iter().enumerate().map(|(i, key)| (*key, i)).collect();
    let on_hand = stock::on_hand(&demo.ledger, &sven).unwrap();
    // Approved transfers count in what is available: coming at one end, promised at the other.
    let mut approved: HashMap<(Uuid, Uuid), Decimal> = HashMap::new();
    for transfer in
        transfers::transfers(&demo.ledger, &sven, Some(TransferState::Approved)).unwrap()
    {
        for line in &transfer.lines {
            *approved
                .entry((transfer.to_location_id, line.product_id))
                .or_default() += line.quantity;
            *approved
                .entry((transfer.from_location_id, line.product_id))
                .or_default() -= line.quantity;
        }
    }
    assert!(!approved.is_empty(), "the demo has an approved transfer");
    for row in &on_hand {
        let i = at[&(row.location_id, row.product_id)];
        assert_eq!(decimal(&columns.on_hand[i]), row.quantity, "{}", row.sku);
        assert_eq!(decimal(&columns.on_order[i]), row.on_order);
        assert_eq!(decimal(&columns.in_transit[i]), row.in_transit);
        let approved = approved
            .get(&(row.location_id, row.product_id))
            .copied()
            .unwrap_or_default();
        assert_eq!(
            decimal(&columns.available[i]),
            row.quantity + row.in_transit + row.on_order + approved,
            "{} at {}",
            row.sku,
            row.location_code
        );
        assert_eq!(columns.value[i].as_deref().map(decimal), row.value);
    }
    assert!(
        on_hand.iter().any(|row| !row.in_transit.is_zero()),
        "the demo's shipped transfers are on their way"
    );
    let policies = stock::policy::policies(&demo.ledger, &sven, None, None).unwrap();
    assert_eq!(table.policies_computed_at, policies.computed_at);
    let mut covered = 0;
    for line in &policies.lines {
        let p = &line.computed;
        let i = at[&(p.location_id, p.product_id)];
        assert_eq!(columns.class[i].as_deref(), Some(p.abc.as_str()));
        // The warehouse's reorder point counts what its branches will draw (`purchasing`'s test).
        if p.location_id != warehouse.id {
            assert_eq!(
                columns.reorder_point[i].as_deref().map(decimal),
                Some(line.reorder_point)
            );
        }
        assert_eq!(
            columns.order_quantity[i].as_deref().map(decimal),
            Some(line.order_quantity)
        );
        if let Some(cover) = &columns.cover[i] {
            let expected = decimal(&columns.on_hand[i]) / p.demand_per_month;
            assert!(
                (decimal(cover) - expected).abs() <= decimal("0.05"),
                "{}: {cover}",
                p.sku
            );
            covered += 1;
        }
    }
    assert!(covered > 0, "cover shown where the forecast has demand");
    let either: BTreeSet<(Uuid, Uuid)> = on_hand
        .iter()
        .map(|row| (row.location_id, row.product_id))
        .chain(
            policies
                .lines
                .iter()
                .map(|line| (line.computed.location_id, line.computed.product_id)),
        )
        .collect();
    assert_eq!(n, either.len(), "nothing else");
    assert!(
        policies.lines.len() < n,
        "the new product is listed without a policy"
    );
    let new = at[&(warehouse.id, product.id)];
    assert_eq!(
        (columns.on_hand[new].as_str(), &columns.class[new]),
        ("7", &None)
    );
    assert_eq!(
        decimal(&columns.available[new]),
        Decimal::from(4),
        "3 promised"
    );
    let coming = at[&(south.id, product.id)];
    assert_eq!(
        (
            decimal(&columns.on_hand[coming]),
            decimal(&columns.available[coming])
        ),
        (Decimal::ZERO, Decimal::from(3)),
        "held nowhere at South Branch, 3 approved to come"
    );

    // "Time to order" is exactly what the alert centre says is at or below its reorder point.
    let ordering: BTreeSet<(Uuid, Uuid)> = keys
        .iter()
        .zip(&columns.calls_for_order)
        .filter(|(_, calls)| **calls)
        .map(|(key, _)| *key)
        .collect();
    let alerted: BTreeSet<(Uuid, Uuid)> = alerts::alerts(&demo.ledger, &sven)
        .unwrap()
        .into_iter()
        .filter(|alert| alert.kind == StockAlertKind::BelowReorderPoint)
        .map(|alert| (alert.location_id, alert.product_id))
        .collect();
    assert!(!ordering.is_empty());
    assert_eq!(ordering, alerted);

    // A branch manager's table holds her branch only, named with its name.
    let bella = demo.user("bella");
    let hers = stock::table(&demo.ledger, &bella).unwrap();
    let north = reference::find::<Location>(&demo.ledger, &bella, "BR-N").unwrap();
    assert_eq!(hers.locations.len(), 1);
    assert_eq!(hers.locations[0].id, north.id);
    assert_eq!(hers.locations[0].name, north.fields.name);
    assert!(!hers.items.location.is_empty());
}

#[test]
fn every_role_sees_what_each_location_holds_summed_here_when_the_ledger_does_not_sync() {
    let demo = TestLedger::demo();
    let sven = demo.user("sven");
    let everything: Vec<(Uuid, Uuid, Decimal)> = stock::on_hand(&demo.ledger, &sven)
        .unwrap()
        .into_iter()
        .map(|row| (row.location_id, row.product_id, row.quantity))
        .collect();
    for name in ["sam", "maria", "bella", "sven", "admin"] {
        let available = stock::availability(&demo.ledger, &demo.user(name)).unwrap();
        assert!(
            !available.from_head_office && available.as_of.is_none(),
            "{name}"
        );
        let levels: Vec<(Uuid, Uuid, Decimal)> = available
            .items
            .iter()
            .map(|item| (item.location_id, item.product_id, item.on_hand))
            .collect();
        assert_eq!(levels, everything, "{name} sees every location's stock");
    }
}
