//! The alert centre: stock alerts derived from the stock, the policies and the
//! forecast, each role seeing its scope's, marked read per user; and a watched
//! file's failure beside them.

use crate::support::TestLedger;
use rust_decimal::Decimal;
use salesplan_core::alert_centre;
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::stock::alerts::{self, StockAlertKind};
use salesplan_core::stock::{self, NewAdjustment};

#[test]
fn sven_meets_the_demos_alerts_and_each_role_sees_its_scopes() {
    let demo = TestLedger::demo();
    let sven = demo.user("sven");
    let centre = alert_centre::centre(&demo.ledger, &sven).unwrap();
    let kinds: Vec<StockAlertKind> = centre.stock.iter().map(|alert| alert.kind).collect();
    for kind in [
        StockAlertKind::BelowReorderPoint,
        StockAlertKind::StockOutWithinLeadTime,
        StockAlertKind::Overstock,
        StockAlertKind::DeadStock,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
    assert!(
        (4..=20).contains(&centre.unread),
        "a few, not a flood: {}",
        centre.unread
    );
    // Every below-reorder-point alert is true of the item's stock and policy.
    for alert in centre
        .stock
        .iter()
        .filter(|alert| alert.kind == StockAlertKind::BelowReorderPoint)
    {
        let line = stock::policy::policy(&demo.ledger, &sven, alert.location_id, alert.product_id)
            .unwrap();
        let held = stock::movements(&demo.ledger, &sven, alert.location_id, alert.product_id)
            .unwrap()
            .on_hand;
        assert!(
            held <= line.reorder_point,
            "{}: {held} > {}",
            alert.key,
            line.reorder_point
        );
    }
    // The branch manager sees her branch's, the salesman none.
    let bella = demo.user("bella");
    let hers = alert_centre::centre(&demo.ledger, &bella).unwrap();
    let north = reference::find::<Location>(&demo.ledger, &bella, "BR-N")
        .unwrap()
        .id;
    assert!(hers.stock.iter().all(|alert| alert.location_id == north));
    let sam = demo.user("sam");
    assert!(
        alert_centre::centre(&demo.ledger, &sam)
            .unwrap()
            .stock
            .is_empty()
    );
}

#[test]
fn an_alert_marked_read_stays_read_while_it_holds_and_is_new_when_it_returns() {
    let mut demo = TestLedger::demo();
    let bella = demo.user("bella");
    let north = reference::find::<Location>(&demo.ledger, &bella, "BR-N")
        .unwrap()
        .id;
    let product = reference::find::<Product>(&demo.ledger, &bella, "HOU-020")
        .unwrap()
        .id;
    let held = stock::movements(&demo.ledger, &bella, north, product)
        .unwrap()
        .on_hand;
    let adjust = |demo: &mut TestLedger, quantity: Decimal, reason: &str| {
        stock::adjust(
            &mut demo.ledger,
            &bella,
            NewAdjustment {
                location_id: north,
                product_id: product,
                quantity,
                reason: reason.into(),
                day: None,
            },
        )
        .unwrap();
    };
    // More goes out than the books hold: negative stock, and below the reorder point.
    adjust(&mut demo, -(held + Decimal::from(3)), "a pallet fell");
    let negative = |demo: &TestLedger| {
        alerts::alerts(&demo.ledger, &bella)
            .unwrap()
            .into_iter()
            .find(|alert| {
                alert.kind == StockAlertKind::NegativeOnHand && alert.product_id == product
            })
    };
    let alert = negative(&demo).unwrap();
    assert!(alert.message.starts_with("-3 on hand"), "{}", alert.message);
    assert!(!alert.read);
    let before = alert_centre::centre(&demo.ledger, &bella).unwrap().unread;
    alert_centre::mark_read(&mut demo.ledger, &bella, alert.id).unwrap();
    assert!(negative(&demo).unwrap().read);
    assert_eq!(
        alert_centre::centre(&demo.ledger, &bella).unwrap().unread,
        before - 1
    );
    // Counted back up it clears; once another alert is marked read, the old read is forgotten…
    adjust(&mut demo, Decimal::from(103), "found them");
    assert!(negative(&demo).is_none());
    let soap = reference::find::<Product>(&demo.ledger, &bella, "HOU-010")
        .unwrap()
        .id;
    let soap_held = stock::movements(&demo.ledger, &bella, north, soap)
        .unwrap()
        .on_hand;
    stock::adjust(
        &mut demo.ledger,
        &bella,
        NewAdjustment {
            location_id: north,
            product_id: soap,
            quantity: -(soap_held + Decimal::ONE),
            reason: "spilt".into(),
            day: None,
        },
    )
    .unwrap();
    let other = alerts::alerts(&demo.ledger, &bella)
        .unwrap()
        .into_iter()
        .find(|alert| alert.kind == StockAlertKind::NegativeOnHand && alert.product_id == soap)
        .unwrap();
    alert_centre::mark_read(&mut demo.ledger, &bella, other.id).unwrap();
    // …so when it comes back it is new.
    adjust(&mut demo, Decimal::from(-200), "a pallet fell again");
    assert!(!negative(&demo).unwrap().read);
    // Someone else's read is not hers; an alert of no one is not found.
    let sven = demo.user("sven");
    assert!(
        !alerts::alerts(&demo.ledger, &sven)
            .unwrap()
            .iter()
            .find(|alert| alert.id == other.id)
            .unwrap()
            .read
    );
    assert!(alert_centre::mark_read(&mut demo.ledger, &bella, uuid::Uuid::now_v7()).is_err());
}

#[test]
fn the_alert_centre_is_kept_until_the_ledger_changes() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let memo = alert_centre::Memo::default();
    let first = memo.centre(&demo.ledger, &sven).unwrap();
    let stamp = demo.ledger.stamp().unwrap();
    assert_eq!(memo.centre(&demo.ledger, &sven).unwrap(), first);
    assert_eq!(
        demo.ledger.stamp().unwrap(),
        stamp,
        "reading changes nothing"
    );

    // Marking one read is a write: the next answer is worked out again and says so.
    let alert = first.stock.iter().find(|alert| !alert.read).unwrap();
    alert_centre::mark_read(&mut demo.ledger, &sven, alert.id).unwrap();
    assert_ne!(demo.ledger.stamp().unwrap(), stamp);
    let after = memo.centre(&demo.ledger, &sven).unwrap();
    assert_eq!(after.unread, first.unread - 1);
    assert_eq!(after, alert_centre::centre(&demo.ledger, &sven).unwrap());

    // Another user gets their own.
    let bella = demo.user("bella");
    assert_eq!(
        memo.centre(&demo.ledger, &bella).unwrap(),
        alert_centre::centre(&demo.ledger, &bella).unwrap()
    );

    // A write by another process (the CLI on the same file) shows too.
    let before = demo.ledger.stamp().unwrap();
    let mut other = salesplan_core::Ledger::open(&demo.path()).unwrap();
    let count = stock::NewCount {
        location_id: alert.location_id,
        product_id: alert.product_id,
        counted: Decimal::from(1),
        day: None,
        note: String::new(),
    };
    stock::count(&mut other, &sven, count).unwrap();
    drop(other);
    assert_ne!(
        demo.ledger.stamp().unwrap(),
        before,
        "another connection's write is seen"
    );
}
