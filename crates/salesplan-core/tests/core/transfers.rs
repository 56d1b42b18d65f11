//! Transfers on the laptop: requested → approved → shipped (in transit at
//! both ends) → received with what did not arrive → closed, or cancelled;
//! who may take each step; every refusal naming its field with nothing
//! written; and stock conserved by every step on random sequences.

use crate::support::TestLedger;
use rust_decimal::Decimal;
use salesplan_core::purchasing::proposal;
use salesplan_core::reference::{self, Location};
use salesplan_core::stock::{self, NewAdjustment, OnHand, StockReason, StockTable};
use salesplan_core::timestamp::Day;
use salesplan_core::transfers::{
    self, ArrivedLine, NewTransfer, NewTransferLine, ReleaseLine, ReplenishRequest, ShippedLine,
    Transfer, TransferReceipt, TransferState,
};
use salesplan_core::{Actor, Error, Ledger, settings};
use uuid::Uuid;

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

fn field(error: &Error) -> String {
    error.field().unwrap_or_default().to_owned()
}

fn location(demo: &TestLedger, code: &str) -> Uuid {
    let admin = demo.user("admin");
    reference::find::<Location>(&demo.ledger, &admin, code)
        .unwrap()
        .id
}

/// An item's stock row as `actor` sees it (zeros when it has none).
fn item(ledger: &Ledger, actor: &Actor, location: Uuid, product: Uuid) -> (Decimal, Decimal) {
    stock::on_hand(ledger, actor)
        .unwrap()
        .into_iter()
        .find(|row| row.location_id == location && row.product_id == product)
        .map_or((d(0), d(0)), |row: OnHand| (row.quantity, row.in_transit))
}

/// Products the warehouse holds at least `least` of, most first.
fn held_at_warehouse(demo: &TestLedger, least: i64) -> Vec<Uuid> {
    let admin = demo.user("admin");
    let warehouse = location(demo, "WH-1");
    let mut rows: Vec<OnHand> = stock::on_hand(&demo.ledger, &admin)
        .unwrap()
        .into_iter()
        .filter(|row| row.location_id == warehouse && row.quantity >= d(least))
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.quantity));
    rows.into_iter().map(|row| row.product_id).collect()
}

fn request(demo: &mut TestLedger, by: &Actor, to: &str, lines: &[(Uuid, i64)]) -> Transfer {
    let new = NewTransfer {
        from_location_id: location(demo, "WH-1"),
        to_location_id: location(demo, to),
        note: String::new(),
        lines: lines
            .iter()
            .map(|(product_id, quantity)| NewTransferLine {
                product_id: *product_id,
                quantity: d(*quantity),
            })
            .collect(),
    };
    transfers::request(&mut demo.ledger, by, new).unwrap()
}

#[test]
fn bella_asks_sven_approves_and_ships_and_bella_receives_two_short() {
    let mut demo = TestLedger::demo();
    let (bella, sven) = (demo.user("bella"), demo.user("sven"));
    let (warehouse, north) = (location(&demo, "WH-1"), location(&demo, "BR-N"));
    let product = held_at_warehouse(&demo, 30)[0];
    let (north_before, _) = item(&demo.ledger, &bella, north, product);
    let (warehouse_before, _) = item(&demo.ledger, &sven, warehouse, product);

    let asked = request(&mut demo, &bella, "BR-N", &[(product, 24)]);
    assert_eq!(asked.state, TransferState::Requested);
    assert!(asked.number.starts_with("TR-"), "{}", asked.number);
    let refused = transfers::approve(&mut demo.ledger, &bella, asked.id).unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused}");

    transfers::approve(&mut demo.ledger, &sven, asked.id).unwrap();
    let shipped = transfers::ship(&mut demo.ledger, &sven, asked.id, &[]).unwrap();
    assert_eq!(shipped.state, TransferState::InTransit);
    assert_eq!(shipped.lines[0].shipped, Some(d(24)));
    // In transit at both ends: gone from the warehouse, on its way to the branch.
    assert_eq!(
        item(&demo.ledger, &sven, warehouse, product).0,
        warehouse_before - d(24)
    );
    assert_eq!(
        item(&demo.ledger, &bella, north, product),
        (north_before, d(24))
    );
    let lanes = transfers::lanes(&demo.ledger, &bella).unwrap();
    let lane = lanes
        .iter()
        .find(|lane| lane.transfers.contains(&shipped.number))
        .expect("the lane carrying it");
    assert_eq!(
        (lane.from_code.as_str(), lane.to_code.as_str()),
        ("WH-1", "BR-N")
    );
    assert!(
        lanes
            .iter()
            .all(|lane| lane.to_code == "BR-N" || lane.from_code == "BR-N"),
        "hers only"
    );
    let others: Decimal = transfers::transfers(&demo.ledger, &bella, None)
        .unwrap()
        .iter()
        .filter(|transfer| transfer.id != asked.id && transfer.to_code == "BR-N")
        .map(Transfer::in_transit)
        .sum();
    assert_eq!(lane.in_transit, d(24) + others);

    let line = shipped.lines[0].id;
    let no_reason = TransferReceipt {
        lines: vec![ArrivedLine {
            line_id: line,
            received: d(22),
            short: d(2),
            ..ArrivedLine::default()
        }],
        day: None,
    };
    let refused =
        transfers::receive(&mut demo.ledger, &bella, asked.id, no_reason.clone()).unwrap_err();
    assert_eq!(field(&refused), "lines[0].reason", "{refused}");
    let mut with_reason = no_reason;
    with_reason.lines[0].reason = "two cases missing from the pallet".into();
    let received = transfers::receive(&mut demo.ledger, &bella, asked.id, with_reason).unwrap();
    assert_eq!(
        received.state,
        TransferState::Closed,
        "nothing left on its way: closed"
    );
    assert_eq!(
        (received.lines[0].received, received.lines[0].short),
        (d(22), d(2))
    );
    assert_eq!(
        item(&demo.ledger, &bella, north, product),
        (north_before + d(22), d(0))
    );
    let steps: Vec<(&str, &str)> = received
        .events
        .iter()
        .map(|event| (event.what.as_str(), event.by.as_str()))
        .collect();
    let (asker, shipper) = (bella.display_name.as_str(), sven.display_name.as_str());
    assert_eq!(
        steps,
        [
            ("requested", asker),
            ("approved", shipper),
            ("shipped", shipper),
            ("received 22, 2 short", asker),
            ("closed", asker),
        ]
    );
    // The shortfall is its own movement, with its reason, at the branch.
    let history = stock::movements(&demo.ledger, &bella, north, product).unwrap();
    let written_off: Vec<_> = history
        .movements
        .iter()
        .map(|line| &line.movement)
        .filter(|movement| movement.transfer_line_id == Some(received.lines[0].id))
        .map(|movement| (movement.reason, movement.quantity, movement.note.as_str()))
        .collect();
    let why = "two cases missing from the pallet";
    assert_eq!(
        written_off,
        [
            (StockReason::TransferIn, d(22), received.number.as_str()),
            (StockReason::TransferIn, d(2), why),
            (StockReason::Adjustment, d(-2), why),
        ]
    );
}

#[test]
fn bad_steps_are_refused_with_their_field_and_write_nothing() {
    let mut demo = TestLedger::demo();
    let (bella, sven, admin) = (demo.user("bella"), demo.user("sven"), demo.user("admin"));
    let (warehouse, north) = (location(&demo, "WH-1"), location(&demo, "BR-N"));
    let products = held_at_warehouse(&demo, 5);
    let product = products[0];
    let before = demo.outbox_len();

    // To the same place, or to another branch than hers.
    let same = NewTransfer {
        from_location_id: north,
        to_location_id: north,
        note: String::new(),
        lines: vec![NewTransferLine {
            product_id: product,
            quantity: d(1),
        }],
    };
    let refused = transfers::request(&mut demo.ledger, &sven, same.clone()).unwrap_err();
    assert_eq!(field(&refused), "to_location_id", "{refused}");
    let elsewhere = NewTransfer {
        from_location_id: warehouse,
        to_location_id: location(&demo, "BR-S"),
        ..same.clone()
    };
    let refused = transfers::request(&mut demo.ledger, &bella, elsewhere).unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused}");
    let nothing = NewTransfer {
        from_location_id: warehouse,
        lines: Vec::new(),
        ..same
    };
    let refused = transfers::request(&mut demo.ledger, &bella, nothing).unwrap_err();
    assert_eq!(field(&refused), "lines", "{refused}");
    assert_eq!(demo.outbox_len(), before, "nothing written");

    // Shipping more than the warehouse holds: refused unless the company allows it.
    let (held, _) = item(&demo.ledger, &sven, warehouse, product);
    let asked = request(&mut demo, &bella, "BR-N", &[(product, 1)]);
    let refused = transfers::ship(&mut demo.ledger, &sven, asked.id, &[]).unwrap_err();
    assert_eq!(
        field(&refused),
        "status",
        "a request is approved first: {refused}"
    );
    transfers::set_line(
        &mut demo.ledger,
        &bella,
        asked.id,
        NewTransferLine {
            product_id: product,
            quantity: held + d(10),
        },
        None,
    )
    .unwrap();
    transfers::approve(&mut demo.ledger, &sven, asked.id).unwrap();
    let refused = transfers::set_line(
        &mut demo.ledger,
        &bella,
        asked.id,
        NewTransferLine {
            product_id: product,
            quantity: d(3),
        },
        None,
    )
    .unwrap_err();
    assert!(
        matches!(refused, Error::Forbidden { .. }),
        "approved: Supply Chain's now: {refused}"
    );
    let written = demo.outbox_len();
    let refused = transfers::ship(&mut demo.ledger, &sven, asked.id, &[]).unwrap_err();
    assert_eq!(field(&refused), "lines[0].shipped", "{refused}");
    assert!(refused.to_string().contains("below zero"), "{refused}");
    assert_eq!(demo.outbox_len(), written, "nothing written");
    let over = [ShippedLine {
        product_id: product,
        quantity: held + d(11),
    }];
    let refused = transfers::ship(&mut demo.ledger, &sven, asked.id, &over).unwrap_err();
    assert_eq!(
        field(&refused),
        "lines[0].shipped",
        "more than approved: {refused}"
    );
    let mut company = settings::get(&demo.ledger, &admin).unwrap();
    company.company.stock.allow_negative_stock = true;
    settings::update(
        &mut demo.ledger,
        &admin,
        Some(company.version),
        company.company,
    )
    .unwrap();
    let shipped = transfers::ship(&mut demo.ledger, &sven, asked.id, &[]).unwrap();
    assert_eq!(item(&demo.ledger, &sven, warehouse, product).0, d(-10));

    // A shipped transfer is not cancelled; more than shipped arrives only as a surplus.
    let refused = transfers::cancel(&mut demo.ledger, &sven, asked.id, "late").unwrap_err();
    assert_eq!(field(&refused), "status", "{refused}");
    let over = TransferReceipt {
        lines: vec![ArrivedLine {
            line_id: shipped.lines[0].id,
            received: held + d(11),
            ..ArrivedLine::default()
        }],
        day: None,
    };
    let refused = transfers::receive(&mut demo.ledger, &bella, asked.id, over).unwrap_err();
    assert_eq!(field(&refused), "lines[0].received", "{refused}");
    assert!(refused.to_string().contains("surplus"), "{refused}");

    // A cancelled transfer receives nothing.
    let other = request(&mut demo, &bella, "BR-N", &[(products[1], 2)]);
    transfers::approve(&mut demo.ledger, &sven, other.id).unwrap();
    let refused = transfers::cancel(&mut demo.ledger, &sven, other.id, " ").unwrap_err();
    assert_eq!(
        field(&refused),
        "reason",
        "an approved transfer says why: {refused}"
    );
    let cancelled = transfers::cancel(&mut demo.ledger, &sven, other.id, "found at BR-S").unwrap();
    assert_eq!(cancelled.state, TransferState::Cancelled);
    let refused = transfers::receive(
        &mut demo.ledger,
        &bella,
        other.id,
        TransferReceipt {
            lines: vec![ArrivedLine {
                line_id: other.lines[0].id,
                received: d(2),
                ..ArrivedLine::default()
            }],
            day: None,
        },
    )
    .unwrap_err();
    assert_eq!(field(&refused), "transfer", "{refused}");
    assert!(refused.to_string().contains("cancelled"), "{refused}");
}

/// A tiny deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Σ on hand over every location + Σ in transit − what discrepancies added
/// or wrote off: what no transfer step changes.
fn conserved(ledger: &Ledger, admin: &Actor, product: Uuid) -> Decimal {
    let stock: Decimal = stock::on_hand(ledger, admin)
        .unwrap()
        .iter()
        .filter(|row| row.product_id == product)
        .map(|row| row.quantity + row.in_transit)
        .sum();
    let found: Decimal = transfers::transfers(ledger, admin, None)
        .unwrap()
        .iter()
        .flat_map(|transfer| transfer.lines.iter())
        .filter(|line| line.product_id == product)
        .map(|line| line.surplus - line.short - line.damaged)
        .sum();
    stock - found
}

#[test]
fn no_sequence_of_steps_creates_or_loses_stock_in_transit() {
    let mut demo = TestLedger::demo();
    let (admin, sven, bella) = (demo.user("admin"), demo.user("sven"), demo.user("bella"));
    let product = held_at_warehouse(&demo, 200)[0];
    let start = conserved(&demo.ledger, &admin, product);
    let mut rng = Rng(0x5eed_cafe);
    let mut open: Vec<Uuid> = Vec::new();
    for step in 0..60 {
        let pick = |rng: &mut Rng, open: &[Uuid]| {
            open.get(rng.below(open.len().max(1) as u64) as usize)
                .copied()
        };
        let taken = match rng.below(6) {
            0 => {
                let to = ["BR-N", "BR-S"][rng.below(2) as usize];
                let by = if to == "BR-N" { &bella } else { &sven };
                let quantity = 1 + rng.below(12) as i64;
                let asked = request(&mut demo, by, to, &[(product, quantity)]);
                open.push(asked.id);
                Ok(())
            }
            1 => pick(&mut rng, &open).map_or(Ok(()), |id| {
                transfers::approve(&mut demo.ledger, &sven, id).map(drop)
            }),
            2 => pick(&mut rng, &open).map_or(Ok(()), |id| {
                let shipped =
                    transfers::transfer(&demo.ledger, &sven, id).map(|t| t.lines[0].quantity);
                let part = shipped
                    .map(|q| (q - Decimal::from(rng.below(3))).max(d(1)))
                    .unwrap_or(d(1));
                transfers::ship(
                    &mut demo.ledger,
                    &sven,
                    id,
                    &[ShippedLine {
                        product_id: product,
                        quantity: part,
                    }],
                )
                .map(drop)
            }),
            3 => pick(&mut rng, &open).map_or(Ok(()), |id| {
                let transfer = transfers::transfer(&demo.ledger, &sven, id).unwrap();
                let moving = transfer.lines[0].in_transit;
                let arrived = Decimal::from(rng.below(4)).min(moving);
                let short = (moving - arrived).min(Decimal::from(rng.below(2)));
                let receipt = TransferReceipt {
                    lines: vec![ArrivedLine {
                        line_id: transfer.lines[0].id,
                        received: arrived,
                        short,
                        surplus: Decimal::from(rng.below(2)),
                        reason: "counted on arrival".into(),
                        ..ArrivedLine::default()
                    }],
                    day: None,
                };
                transfers::receive(&mut demo.ledger, &sven, id, receipt).map(drop)
            }),
            4 => pick(&mut rng, &open).map_or(Ok(()), |id| {
                transfers::cancel(&mut demo.ledger, &sven, id, "no longer needed").map(drop)
            }),
            _ => pick(&mut rng, &open).map_or(Ok(()), |id| {
                transfers::receive_all(&mut demo.ledger, &sven, id, None).map(drop)
            }),
        };
        // A step out of order is refused (and writes nothing); either way stock is whole.
        if let Err(refused) = taken {
            assert!(
                matches!(refused, Error::Invalid { .. }),
                "step {step}: only a rule refuses here, got {refused}"
            );
        }
        assert_eq!(
            conserved(&demo.ledger, &admin, product),
            start,
            "step {step}: stock + in transit changed by more than what arrived short or over"
        );
    }
    let states: std::collections::HashSet<TransferState> =
        transfers::transfers(&demo.ledger, &admin, None)
            .unwrap()
            .iter()
            .map(|transfer| transfer.state)
            .collect();
    assert!(states.len() >= 4, "the walk reached few states: {states:?}");
}

/// The demand of a policy over `days` from `today`, worked out here day by
/// day from its monthly forecast (each month's demand spread evenly over its
/// days; past the forecast's end, its last month's rate).
fn demand_by_hand(
    policy: &salesplan_core::stock::policy::Policy,
    today: Day,
    days: i64,
) -> Decimal {
    let mut total = Decimal::ZERO;
    let mut rate = Decimal::ZERO;
    for n in 0..days {
        let day = today.plus_days(n).unwrap();
        let month = day.month();
        let at = month.since(policy.first_month);
        if let Some(monthly) = usize::try_from(at)
            .ok()
            .and_then(|at| policy.demand.get(at))
        {
            rate = *monthly / Decimal::from(Day::days_in(month));
        }
        total += rate;
    }
    total
}

#[test]
fn each_branchs_need_is_its_target_less_what_it_holds_and_has_coming_in_whole_packs() {
    let mut demo = TestLedger::demo();
    let (sven, admin) = (demo.user("sven"), demo.user("admin"));
    stock::policy::recompute(&mut demo.ledger, &admin).unwrap();
    let rules = settings::get(&demo.ledger, &admin).unwrap().company.stock;
    let horizon = i64::from(rules.branch_lead_time_days) + i64::from(rules.review_days);
    let proposal = transfers::propose(&demo.ledger, &sven, &ReplenishRequest::default()).unwrap();
    assert_eq!(proposal.warehouse_code, "WH-1");
    let coming: Vec<Transfer> = transfers::transfers(&demo.ledger, &sven, None).unwrap();
    let mut checked = 0;
    for item in &proposal.items {
        for branch in &item.branches {
            let policy =
                stock::policy::policy(&demo.ledger, &sven, branch.location_id, item.product_id)
                    .unwrap()
                    .computed;
            let demand = demand_by_hand(&policy, Day::today(), horizon);
            let target = demand + policy.safety_stock;
            let (on_hand, _) = self::item(&demo.ledger, &sven, branch.location_id, item.product_id);
            // In transit to it, and approved to come (not shipped yet).
            let on_its_way: Decimal = coming
                .iter()
                .filter(|transfer| transfer.to_location_id == branch.location_id)
                .flat_map(|transfer| {
                    transfer
                        .lines
                        .iter()
                        .filter(|line| line.product_id == item.product_id)
                        .map(move |line| match transfer.state {
                            TransferState::Approved => line.quantity,
                            _ => line.in_transit,
                        })
                })
                .sum();
            let position = on_hand + on_its_way;
            assert_eq!(
                branch.position, position,
                "{} at {}",
                item.sku, branch.location_code
            );
            let lacking = (target - position).max(Decimal::ZERO);
            let need = (lacking / item.pack).ceil() * item.pack;
            assert_eq!(
                branch.need, need,
                "{} at {}",
                item.sku, branch.location_code
            );
            assert!(
                (branch.target - target).abs() < Decimal::new(1, 2),
                "{}",
                item.sku
            );
            checked += 1;
        }
        // What is shared out is what the warehouse may give, or all that is needed.
        let given: Decimal = item.branches.iter().map(|branch| branch.allocated).sum();
        assert_eq!(given, item.needed.min(item.available), "{}", item.sku);
    }
    assert!(
        checked > 0,
        "the demo's water-damaged branch needs something"
    );
    // The demo's warehouse is short of the water North Branch asked for.
    let short = proposal
        .items
        .iter()
        .find(|item| item.sku == salesplan_core::demo::SHORT_AT_WAREHOUSE)
        .expect("the water the warehouse is short of");
    assert!(short.short, "{short:?}");
    // With its safety stock shared out too, more is given.
    let below = ReplenishRequest {
        below_safety: true,
        ..ReplenishRequest::default()
    };
    let deeper = transfers::propose(&demo.ledger, &sven, &below).unwrap();
    let deeper = deeper
        .items
        .iter()
        .find(|item| item.sku == short.sku)
        .unwrap();
    assert!(deeper.available >= short.available, "{deeper:?}");

    // Released as proposed: one approved transfer per branch, in one write.
    let lines: Vec<ReleaseLine> = proposal
        .items
        .iter()
        .flat_map(|item| {
            item.branches.iter().map(|branch| ReleaseLine {
                location_id: branch.location_id,
                product_id: item.product_id,
                quantity: branch.allocated,
            })
        })
        .collect();
    let made = transfers::release(&mut demo.ledger, &sven, &lines).unwrap();
    assert!(!made.is_empty());
    assert!(
        made.iter()
            .all(|transfer| transfer.state == TransferState::Approved)
    );
    // What is approved now counts as coming: nothing more is needed of it.
    let again = transfers::propose(&demo.ledger, &sven, &ReplenishRequest::default()).unwrap();
    for transfer in &made {
        for line in &transfer.lines {
            let still = again
                .items
                .iter()
                .filter(|item| item.product_id == line.product_id)
                .flat_map(|item| item.branches.iter())
                .find(|branch| branch.location_id == transfer.to_location_id)
                .map_or(Decimal::ZERO, |branch| branch.need);
            let before = proposal
                .items
                .iter()
                .filter(|item| item.product_id == line.product_id)
                .flat_map(|item| item.branches.iter())
                .find(|branch| branch.location_id == transfer.to_location_id)
                .map_or(Decimal::ZERO, |branch| branch.need);
            assert!(still <= before, "{}", line.sku);
            if line.quantity == before {
                assert_eq!(still, Decimal::ZERO, "{}: given all it needed", line.sku);
            }
        }
    }
}

/// The reorder point the stock table shows for an item.
fn reorder_point_shown(table: &StockTable, location: Uuid, product: Uuid) -> Option<Decimal> {
    let columns = &table.items;
    (0..columns.location.len())
        .find(|&i| {
            table.locations[columns.location[i] as usize].id == location
                && table.products[columns.product[i] as usize].id == product
        })
        .and_then(|i| columns.reorder_point[i].as_deref())
        .map(|text| text.parse().unwrap())
}

/// What the branches will draw from the warehouse within `days`, worked out
/// here: each branch's need now (its target less its position, in whole
/// packs) unless it is at or below its own reorder point (then ordered
/// straight to it), then its demand from the end of its lead time and
/// review period to `days`.
fn drawn_by_hand(demo: &TestLedger, product: Uuid, days: i64) -> Decimal {
    let sven = demo.user("sven");
    let rules = settings::get(&demo.ledger, &sven).unwrap().company.stock;
    let covered = i64::from(rules.branch_lead_time_days) + i64::from(rules.review_days);
    let pack = salesplan_core::suppliers::products(&demo.ledger, &sven, None, Some(product), false)
        .unwrap()
        .into_iter()
        .find(|line| line.terms.is_primary)
        .map_or(d(1), |line| line.terms.pack_size);
    let rows = stock::on_hand(&demo.ledger, &sven).unwrap();
    let today = Day::today();
    let mut drawn = Decimal::ZERO;
    for line in stock::policy::policies(&demo.ledger, &sven, None, Some(product))
        .unwrap()
        .lines
    {
        let policy = &line.computed;
        if !policy.location_code.starts_with("BR-") {
            continue;
        }
        // The table's "available": on hand, in transit, on order, approved in less approved out.
        let position = rows
            .iter()
            .find(|row| row.location_id == policy.location_id && row.product_id == product)
            .map_or(Decimal::ZERO, |row| row.available);
        let target = demand_by_hand(policy, today, covered) + policy.safety_stock;
        let direct = position <= line.reorder_point && line.order_quantity > Decimal::ZERO;
        let need = if direct {
            Decimal::ZERO
        } else {
            ((target - position).max(Decimal::ZERO) / pack).ceil() * pack
        };
        let later = demand_by_hand(policy, today, days) - demand_by_hand(policy, today, covered);
        drawn += need + later.max(Decimal::ZERO);
    }
    drawn
}

#[test]
fn the_warehouse_reorders_for_what_its_branches_will_draw_and_a_short_branch_raises_it() {
    let mut demo = TestLedger::demo();
    let (sven, admin) = (demo.user("sven"), demo.user("admin"));
    stock::policy::recompute(&mut demo.ledger, &admin).unwrap();
    let warehouse = location(&demo, "WH-1");
    // A reorder point is whole units, up (past a millionth, as the policies' are).
    let up = |quantity: Decimal| quantity.round_dp(6).ceil();
    let lead_days =
        |policy: &stock::policy::Policy| policy.lead_time_days.ceil().try_into().unwrap();
    let table = stock::table(&demo.ledger, &sven).unwrap();
    let lines = stock::policy::policies(&demo.ledger, &sven, Some(warehouse), None)
        .unwrap()
        .lines;
    for line in &lines {
        let policy = &line.computed;
        let expected =
            drawn_by_hand(&demo, policy.product_id, lead_days(policy)) + policy.safety_stock;
        let shown = reorder_point_shown(&table, warehouse, policy.product_id).unwrap();
        assert_eq!(shown, up(expected), "{}: {expected}", policy.sku);
    }
    assert!(!lines.is_empty(), "the warehouse has policies");
    // The purchase proposal orders the warehouse by the same reorder point and position.
    let proposal = proposal::propose(&demo.ledger, &sven, Some(warehouse)).unwrap();
    let proposed: Vec<_> = proposal
        .groups
        .iter()
        .flat_map(|group| &group.lines)
        .collect();
    assert!(!proposed.is_empty(), "the warehouse short of water orders");
    for line in &proposed {
        assert_eq!(
            Some(line.reorder_point),
            reorder_point_shown(&table, warehouse, line.product_id),
            "{}",
            line.sku
        );
        let draw = line
            .branch_draw
            .expect("a warehouse line says what its branches draw");
        let policy = lines
            .iter()
            .find(|p| p.computed.product_id == line.product_id)
            .unwrap();
        // The draw is shown to the cent; the reorder point is the whole unit above it.
        let over = line.reorder_point - (draw + policy.computed.safety_stock);
        assert!(
            over > Decimal::new(-1, 2) && over < d(1),
            "{}: {over}",
            line.sku
        );
        assert_eq!(line.position, line.on_hand + line.on_order + line.transfers);
        assert!(
            line.position <= line.reorder_point
                && line.position + line.proposed > line.reorder_point
        );
    }

    // North Branch loses stock to just above its reorder point: below its
    // target, its need rises, and the warehouse's reorder point by as much.
    let north = location(&demo, "BR-N");
    let rules = settings::get(&demo.ledger, &sven).unwrap().company.stock;
    let covered = i64::from(rules.branch_lead_time_days) + i64::from(rules.review_days);
    let at_north = |demo: &TestLedger, product| {
        stock::policy::policy(&demo.ledger, &sven, north, product).ok()
    };
    let (line, north_line) = lines
        .iter()
        .find_map(|line| {
            let branch = at_north(&demo, line.computed.product_id)?;
            let target = demand_by_hand(&branch.computed, Day::today(), covered)
                + branch.computed.safety_stock;
            let just_above = branch.reorder_point.floor() + d(1);
            let held = available(&demo, north, line.computed.product_id);
            (held >= target && target > just_above).then_some((line, branch))
        })
        .expect("a product North Branch holds enough of and the warehouse supplies");
    let product = line.computed.product_id;
    let days = lead_days(&line.computed);
    let write_off = |demo: &mut TestLedger, to: Decimal| {
        let quantity = to - available(demo, north, product);
        stock::adjust(
            &mut demo.ledger,
            &admin,
            NewAdjustment {
                location_id: north,
                product_id: product,
                quantity,
                reason: "water damage".into(),
                day: None,
            },
        )
        .unwrap();
    };
    let shown = |demo: &TestLedger| {
        reorder_point_shown(
            &stock::table(&demo.ledger, &sven).unwrap(),
            warehouse,
            product,
        )
        .unwrap()
    };
    let before = shown(&demo);
    let drawn_before = drawn_by_hand(&demo, product, days);
    write_off(&mut demo, north_line.reorder_point.floor() + d(1));
    let after = shown(&demo);
    let drawn_after = drawn_by_hand(&demo, product, days);
    assert!(drawn_after > drawn_before, "North Branch now needs more");
    let safety = line.computed.safety_stock;
    assert_eq!(before, up(drawn_before + safety));
    assert_eq!(after, up(drawn_after + safety), "{before} → {after}");
    // Down to its reorder point: ordered straight to the branch, and the
    // warehouse no longer counts its need, so nothing is ordered twice.
    write_off(&mut demo, north_line.reorder_point.floor());
    let direct = proposal::propose(&demo.ledger, &sven, Some(north)).unwrap();
    assert!(
        direct
            .groups
            .iter()
            .flat_map(|group| &group.lines)
            .any(|line| line.product_id == product),
        "proposed straight to North Branch"
    );
    let drawn_direct = drawn_by_hand(&demo, product, days);
    assert!(drawn_direct < drawn_after, "{drawn_direct} ≥ {drawn_after}");
    assert_eq!(shown(&demo), up(drawn_direct + safety));
    write_off(&mut demo, north_line.reorder_point.floor() + d(1));
    let drawn_after = drawn_by_hand(&demo, product, days);

    // Approved to North Branch: promised at the warehouse, coming at the branch; its need falls.
    let (at_warehouse, at_north) = (
        available(&demo, warehouse, product),
        available(&demo, north, product),
    );
    let transfer = request(&mut demo, &sven, "BR-N", &[(product, 30)]);
    transfers::approve(&mut demo.ledger, &sven, transfer.id).unwrap();
    assert_eq!(available(&demo, warehouse, product), at_warehouse - d(30));
    assert_eq!(available(&demo, north, product), at_north + d(30));
    let drawn_approved = drawn_by_hand(&demo, product, days);
    assert!(
        drawn_approved < drawn_after,
        "what is coming lowers North Branch's need"
    );
    let shown = reorder_point_shown(
        &stock::table(&demo.ledger, &sven).unwrap(),
        warehouse,
        product,
    )
    .unwrap();
    assert_eq!(shown, up(drawn_approved + safety));
}

/// An item's inventory position as the stock list shows it ("available").
fn available(demo: &TestLedger, location: Uuid, product: Uuid) -> Decimal {
    let sven = demo.user("sven");
    stock::on_hand(&demo.ledger, &sven)
        .unwrap()
        .into_iter()
        .find(|row| row.location_id == location && row.product_id == product)
        .map_or(Decimal::ZERO, |row| row.available)
}
