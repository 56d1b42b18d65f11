//! What is coming to each item (location × product) and what it has
//! promised away, read at once: open purchase orders, transfers on their way
//! and transfers approved but not shipped. An item's inventory position is
//! what it holds plus what is coming less what it has promised: the one
//! figure the purchase proposal, the branches' replenishment (DRP) and the
//! reorder alert decide by, so acting on one of them settles the others.

use crate::error::Result;
use crate::ledger::{self, Reader};
use crate::timestamp::Day;
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

/// A location and a product.
pub(crate) type Item = (Uuid, Uuid);

/// Everything on its way to or promised from each item.
#[derive(Default)]
pub(crate) struct Pipeline {
    /// What open purchase orders still bring.
    pub on_order: HashMap<Item, Decimal>,
    /// Shipped to the item and not arrived.
    pub in_transit: HashMap<Item, Decimal>,
    /// Approved to come to the item, not shipped yet.
    pub approved_in: HashMap<Item, Decimal>,
    /// Approved to leave the item, not shipped yet.
    pub promised: HashMap<Item, Decimal>,
    /// When what is coming is expected: an order line's day; a transfer's
    /// shipping day (today, while only approved) plus the lane's lead time.
    pub arrivals: HashMap<Item, Vec<(Day, Decimal)>>,
}

fn add(map: &mut HashMap<Item, Decimal>, item: Item, quantity: Decimal) {
    *map.entry(item).or_default() += quantity;
}

fn get(map: &HashMap<Item, Decimal>, item: Item) -> Decimal {
    map.get(&item).copied().unwrap_or_default()
}

impl Pipeline {
    /// Reads the pipeline; `drafts` counts draft purchase orders as on order
    /// (the proposal does: they are about to be sent).
    pub(crate) fn read(conn: Reader<'_>, drafts: bool) -> Result<Pipeline> {
        let lead_days = i64::from(ledger::settings::stock_rules(conn)?.branch_lead_time_days);
        let mut pipeline = Pipeline::default();
        for (location, product, expected_on, outstanding) in
            ledger::purchasing::on_order(conn, drafts)?
        {
            add(&mut pipeline.on_order, (location, product), outstanding);
            pipeline
                .arrivals
                .entry((location, product))
                .or_default()
                .push((expected_on, outstanding));
        }
        let today = Day::today();
        for line in ledger::transfers::moving(conn)? {
            let to = (line.to, line.product);
            match line.shipped_on {
                Some(_) => add(&mut pipeline.in_transit, to, line.quantity),
                None => {
                    add(&mut pipeline.approved_in, to, line.quantity);
                    add(
                        &mut pipeline.promised,
                        (line.from, line.product),
                        line.quantity,
                    );
                }
            }
            let leaves = line.shipped_on.unwrap_or(today);
            let due = leaves.plus_days(lead_days).unwrap_or(leaves);
            pipeline
                .arrivals
                .entry(to)
                .or_default()
                .push((due, line.quantity));
        }
        Ok(pipeline)
    }

    pub(crate) fn on_order(&self, item: Item) -> Decimal {
        get(&self.on_order, item)
    }

    pub(crate) fn in_transit(&self, item: Item) -> Decimal {
        get(&self.in_transit, item)
    }

    /// Transfers to the item, shipped or approved, less those approved to leave it.
    pub(crate) fn transfers(&self, item: Item) -> Decimal {
        get(&self.in_transit, item) + get(&self.approved_in, item) - get(&self.promised, item)
    }

    /// Approved to come to the item, not shipped yet.
    pub(crate) fn approved_in(&self, item: Item) -> Decimal {
        get(&self.approved_in, item)
    }

    /// Approved to leave the item, not shipped yet.
    pub(crate) fn promised(&self, item: Item) -> Decimal {
        get(&self.promised, item)
    }

    /// The item's inventory position when it holds `on_hand`.
    pub(crate) fn position(&self, item: Item, on_hand: Decimal) -> Decimal {
        on_hand + self.on_order(item) + self.transfers(item)
    }

    /// What is expected to arrive at the item, and when.
    pub(crate) fn arrivals(&self, item: Item) -> &[(Day, Decimal)] {
        self.arrivals
            .get(&item)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}
