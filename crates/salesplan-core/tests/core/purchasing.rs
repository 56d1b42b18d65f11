//! Purchase orders on the laptop: the proposal, the steps (draft → sent →
//! partially received → received, or cancelled), receipts with the
//! over-receipt tolerance, and every refusal naming its field with nothing
//! written.

use crate::support::TestLedger;
use rust_decimal::Decimal;
use salesplan_core::purchasing::proposal;
use salesplan_core::purchasing::{
    self, GoodsReceipt, NewLine, NewOrder, OrderState, PurchaseOrder, ReceivedLine,
};
use salesplan_core::reference::{self, Location, Product, Supplier};
use salesplan_core::stock::alerts::{self, StockAlertKind};
use salesplan_core::stock::{self};
use salesplan_core::{Actor, Error};
use uuid::Uuid;

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

/// The field an error names.
fn field(error: &Error) -> String {
    error.field().unwrap_or_default().to_owned()
}

/// Sven's drafts from the demo's proposal, one per supplier and location.
fn drafts(demo: &mut TestLedger, sven: &Actor) -> Vec<PurchaseOrder> {
    let proposal = proposal::propose(&demo.ledger, sven, None).unwrap();
    proposal
        .groups
        .into_iter()
        .map(|group| {
            let new = group.order();
            purchasing::create(&mut demo.ledger, sven, new).unwrap()
        })
        .collect()
}

fn receipt(order: &PurchaseOrder, sku: &str, quantity: Decimal, reason: &str) -> GoodsReceipt {
    let line = order.lines.iter().find(|line| line.sku == sku).unwrap();
    GoodsReceipt {
        lines: vec![ReceivedLine {
            line_id: line.id,
            quantity,
            reason: reason.to_owned(),
        }],
        day: None,
    }
}

#[test]
fn sven_orders_what_the_proposal_says_and_bella_receives_it_in_parts() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let bella = demo.user("bella");
    let north = reference::find::<Location>(&demo.ledger, &bella, "BR-N")
        .unwrap()
        .id;
    let proposal = proposal::propose(&demo.ledger, &sven, None).unwrap();
    let ours = proposal
        .groups
        .iter()
        .find(|group| group.location_id == north)
        .expect("the water damage at Bella's branch is proposed");
    // Each line is at or below its reorder point, and what it proposes lifts it above.
    for line in &ours.lines {
        let policy = stock::policy::policy(&demo.ledger, &sven, north, line.product_id).unwrap();
        assert_eq!(line.reorder_point, policy.reorder_point);
        assert!(line.position <= policy.reorder_point, "{}", line.sku);
        assert!(
            line.position + line.proposed > policy.reorder_point,
            "{}",
            line.sku
        );
        assert!(
            (line.proposed / line.pack_size).fract().is_zero(),
            "whole packs"
        );
    }
    let orders = drafts(&mut demo, &sven);
    let order = orders
        .iter()
        .find(|order| order.location_id == north)
        .unwrap()
        .clone();
    assert_eq!(order.state, OrderState::Draft);
    // Ordered (drafts count): nothing more is proposed for the branch.
    let again = proposal::propose(&demo.ledger, &sven, Some(north)).unwrap();
    assert!(again.groups.is_empty(), "{:?}", again.groups);
    // A branch manager neither makes nor sends an order, nor receives a draft.
    assert!(matches!(
        purchasing::send(&mut demo.ledger, &bella, order.id),
        Err(Error::Forbidden { .. })
    ));
    let first = &order.lines[0];
    let early = purchasing::receive(
        &mut demo.ledger,
        &bella,
        order.id,
        receipt(&order, &first.sku, d(1), ""),
    );
    assert_eq!(field(&early.unwrap_err()), "order");
    let order = purchasing::send(&mut demo.ledger, &sven, order.id).unwrap();
    assert_eq!(order.state, OrderState::Sent);
    // The alert counts what is on order.
    let below = |demo: &TestLedger| {
        alerts::alerts(&demo.ledger, &bella)
            .unwrap()
            .into_iter()
            .find(|alert| {
                alert.kind == StockAlertKind::BelowReorderPoint
                    && alert.product_id == first.product_id
            })
    };
    assert!(
        below(&demo).is_none(),
        "on hand and on order are above the reorder point"
    );
    // The stock list says what is on order, what that makes available, and the value at cost.
    let row = stock::on_hand(&demo.ledger, &bella)
        .unwrap()
        .into_iter()
        .find(|row| row.location_id == north && row.product_id == first.product_id)
        .unwrap();
    assert_eq!(row.on_order, first.quantity);
    assert_eq!(row.available, row.quantity + first.quantity);
    let cost = salesplan_core::suppliers::products(
        &demo.ledger,
        &sven,
        None,
        Some(first.product_id),
        false,
    )
    .unwrap()
    .into_iter()
    .find(|line| line.terms.is_primary)
    .unwrap()
    .terms
    .cost_price;
    assert_eq!(row.value, Some((row.quantity * cost).round_dp(2)));
    // Bella receives part of one line: stock rises by exactly that much.
    let before = stock::movements(&demo.ledger, &bella, north, first.product_id)
        .unwrap()
        .on_hand;
    let part = first.quantity / d(3);
    let order = purchasing::receive(
        &mut demo.ledger,
        &bella,
        order.id,
        receipt(&order, &first.sku, part, ""),
    )
    .unwrap();
    assert_eq!(order.state, OrderState::PartiallyReceived);
    let after = stock::movements(&demo.ledger, &bella, north, first.product_id).unwrap();
    assert_eq!(after.on_hand, before + part);
    let movement = after.movements.last().unwrap();
    assert_eq!(movement.movement.reason, stock::StockReason::Receipt);
    assert_eq!(movement.movement.order_line_id, Some(first.id));
    // More than the tolerance allows needs a reason; nothing is written without one.
    let outbox = demo.outbox_len();
    let over = first.quantity; // part + quantity > quantity × 1.05
    let refused = purchasing::receive(
        &mut demo.ledger,
        &bella,
        order.id,
        receipt(&order, &first.sku, over, " "),
    );
    let refused = refused.unwrap_err();
    assert_eq!(field(&refused), "lines[0].quantity", "{refused}");
    assert!(
        refused.to_string().contains("confirm with a reason"),
        "{refused}"
    );
    assert_eq!(demo.outbox_len(), outbox);
    let order = purchasing::receive(
        &mut demo.ledger,
        &bella,
        order.id,
        receipt(&order, &first.sku, over, "the driver left a full pallet"),
    )
    .unwrap();
    let line = order.lines.iter().find(|line| line.id == first.id).unwrap();
    assert_eq!(line.received, part + over);
    // The rest arrives: received in full; then nothing more is taken, nor cancelled.
    let order = purchasing::receive_outstanding(&mut demo.ledger, &bella, order.id, None).unwrap();
    assert_eq!(order.state, OrderState::Received);
    assert!(
        order
            .lines
            .iter()
            .all(|line| line.received >= line.quantity)
    );
    let late = purchasing::receive(
        &mut demo.ledger,
        &bella,
        order.id,
        receipt(&order, &first.sku, d(1), "extra"),
    );
    assert!(
        late.unwrap_err()
            .to_string()
            .contains("received: nothing more")
    );
    assert_eq!(
        field(&purchasing::cancel(&mut demo.ledger, &sven, order.id, "too late").unwrap_err()),
        "status"
    );
}

#[test]
fn a_cancelled_order_takes_no_receipt_and_a_sent_one_is_cancelled_only_with_a_reason() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let order = drafts(&mut demo, &sven).remove(0);
    let order = purchasing::send(&mut demo.ledger, &sven, order.id).unwrap();
    let sku = order.lines[0].sku.clone();
    assert_eq!(
        field(&purchasing::cancel(&mut demo.ledger, &sven, order.id, "  ").unwrap_err()),
        "reason"
    );
    let order = purchasing::cancel(
        &mut demo.ledger,
        &sven,
        order.id,
        "the supplier cannot deliver before March",
    )
    .unwrap();
    assert_eq!(order.state, OrderState::Cancelled);
    assert_eq!(
        order.cancel_reason.as_deref(),
        Some("the supplier cannot deliver before March")
    );
    let outbox = demo.outbox_len();
    let refused = purchasing::receive(
        &mut demo.ledger,
        &sven,
        order.id,
        receipt(&order, &sku, d(1), ""),
    )
    .unwrap_err();
    assert!(refused.to_string().contains("cancelled"), "{refused}");
    assert_eq!(demo.outbox_len(), outbox, "nothing written");
    // What a cancelled order would have brought is no longer on order.
    let again = proposal::propose(&demo.ledger, &sven, Some(order.location_id)).unwrap();
    assert!(
        again
            .groups
            .iter()
            .any(|group| group.supplier_id == order.supplier_id),
        "proposed again once cancelled"
    );
}

#[test]
fn bad_orders_are_refused_naming_the_field_and_nothing_is_written() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let bella = demo.user("bella");
    let warehouse = reference::find::<Location>(&demo.ledger, &sven, "WH-1")
        .unwrap()
        .id;
    let supplier = reference::find::<Supplier>(&demo.ledger, &sven, "SUP-BEV")
        .unwrap()
        .id;
    let water = reference::find::<Product>(&demo.ledger, &sven, "BEV-010")
        .unwrap()
        .id;
    let terms = salesplan_core::suppliers::products(
        &demo.ledger,
        &sven,
        Some(supplier),
        Some(water),
        false,
    )
    .unwrap()
    .remove(0);
    // The fewest the supplier takes: its minimum, in whole packs.
    let pack = (terms.terms.min_order.max(terms.terms.pack_size) / terms.terms.pack_size).ceil()
        * terms.terms.pack_size;
    let line = |quantity: Decimal| NewLine {
        product_id: water,
        quantity,
        unit_cost: None,
        expected_on: None,
    };
    let order = |supplier_id, lines| NewOrder {
        supplier_id,
        location_id: warehouse,
        note: String::new(),
        lines,
    };
    let outbox = demo.outbox_len();
    let cases: Vec<(NewOrder, &str)> = vec![
        (order(Uuid::now_v7(), vec![line(pack)]), "supplier_id"),
        (order(supplier, vec![line(d(0))]), "quantity"),
        (order(supplier, vec![line(pack + Decimal::ONE)]), "quantity"),
        (
            order(supplier, vec![line(pack), line(pack * d(2))]),
            "lines",
        ),
        (
            order(
                supplier,
                vec![NewLine {
                    product_id: Uuid::now_v7(),
                    ..line(pack)
                }],
            ),
            "product_id",
        ),
        (
            order(
                supplier,
                vec![NewLine {
                    expected_on: Some("next week".into()),
                    ..line(pack)
                }],
            ),
            "expected_on",
        ),
    ];
    for (new, named) in cases {
        let refused = purchasing::create(&mut demo.ledger, &sven, new).unwrap_err();
        assert_eq!(field(&refused), named, "{refused}");
    }
    assert!(matches!(
        purchasing::create(&mut demo.ledger, &bella, order(supplier, vec![line(pack)])),
        Err(Error::Forbidden { .. })
    ));
    assert_eq!(demo.outbox_len(), outbox, "nothing written");
    // An order with no lines is not sent; a sent order's quantities stay, its dates move.
    let empty = purchasing::create(&mut demo.ledger, &sven, order(supplier, vec![])).unwrap();
    assert_eq!(
        field(&purchasing::send(&mut demo.ledger, &sven, empty.id).unwrap_err()),
        "lines"
    );
    let sent =
        purchasing::create(&mut demo.ledger, &sven, order(supplier, vec![line(pack)])).unwrap();
    let sent = purchasing::send(&mut demo.ledger, &sven, sent.id).unwrap();
    assert_eq!(
        field(
            &purchasing::set_line(&mut demo.ledger, &sven, sent.id, line(pack * d(2)), None)
                .unwrap_err()
        ),
        "quantity"
    );
    let later = sent.lines[0].expected_on.plus_days(7).unwrap();
    let moved = purchasing::set_line(
        &mut demo.ledger,
        &sven,
        sent.id,
        NewLine {
            expected_on: Some(later.to_string()),
            ..line(pack)
        },
        None,
    )
    .unwrap();
    assert_eq!(moved.lines[0].expected_on, later);
    // Bella receives at her branch only; a receipt dated tomorrow is refused.
    let other = purchasing::receive(
        &mut demo.ledger,
        &bella,
        sent.id,
        receipt(&sent, "BEV-010", pack, ""),
    );
    assert!(matches!(other, Err(Error::Forbidden { .. })));
    let tomorrow = salesplan_core::timestamp::Day::today()
        .plus_days(1)
        .unwrap();
    let future = purchasing::receive(
        &mut demo.ledger,
        &sven,
        sent.id,
        GoodsReceipt {
            day: Some(tomorrow.to_string()),
            ..receipt(&sent, "BEV-010", pack, "")
        },
    );
    assert_eq!(field(&future.unwrap_err()), "day");
}
