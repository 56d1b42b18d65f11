//! The demo's stock history, consistent with its sales: opening balances when
//! the history starts, supplier deliveries into the central warehouse,
//! transfers out to the branches at the start of each month (each branch's
//! sales issue its stock as they are posted), and a stocktake at the end of
//! every quarter that finds a little less than the books (shrinkage). This
//! month has had its deliveries too, but the first branch (Bella's) had water
//! damage in its store room (a few items there are below their reorder point,
//! about to run out: the replenishment proposal orders them) and a mistaken
//! delivery (one item overstocked).

use crate::access::Actor;
use crate::error::Result;
use crate::ledger::Write;
use crate::model::sales::ActualSale;
use crate::model::stock::StockMovement;
use crate::month::Month;
use crate::timestamp::{Day, Timestamp};
use rand::Rng;
use rand::rngs::StdRng;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use salesplan_domain::changes::records::StockReason;
use std::collections::HashMap;
use uuid::Uuid;

/// Deliveries come in cases of this many.
const CASE: i64 = 12;
/// A branch is stocked to this many months of its expected sales.
const BRANCH_COVER: f64 = 1.5;
/// The warehouse orders when it holds less than this many months of all branches' sales…
const WAREHOUSE_REORDER: f64 = 2.0;
/// …and orders this many months' worth.
const WAREHOUSE_ORDER: f64 = 3.0;
/// The products (by place in the catalogue) the last branch lost most of this month.
const WATER_DAMAGE: std::ops::Range<usize> = 0..3;
/// The product (by place) the first branch received ten times what it ordered this month.
const MISTAKEN_DELIVERY: usize = 7;

pub(super) struct Places<'a> {
    pub branches: &'a [(Uuid, String)],
    pub warehouse: (Uuid, String),
    pub products: &'a [Uuid],
}

/// Writes the history of `months` months up to the month before `this_month`,
/// around the sales posted (which issued their stock); returns how many movements it wrote.
pub(super) fn history(
    write: &mut Write<'_>,
    admin: &Actor,
    places: &Places<'_>,
    sales: &[ActualSale],
    first: Month,
    months: i32,
    rng: &mut StdRng,
) -> Result<usize> {
    let mut sold: HashMap<(Uuid, Uuid, i32), i64> = HashMap::new();
    for sale in sales {
        let quantity = sale.quantity.trunc().to_i64().unwrap_or(0);
        *sold
            .entry((sale.location_id, sale.product_id, sale.period.since(first)))
            .or_default() += quantity;
    }
    let mut book = Book {
        write,
        admin,
        written: 0,
    };
    let today = Day::today();
    for (place, product) in places.products.iter().enumerate() {
        let demand =
            |branch: Uuid, month: i32| sold.get(&(branch, *product, month)).copied().unwrap_or(0);
        let average = |branch: Uuid| {
            (0..months).map(|month| demand(branch, month)).sum::<i64>() as f64 / f64::from(months)
        };
        // What each branch expects to sell: the average of its last two months (its first: the average).
        let expected = |branch: Uuid, month: i32| match month {
            0 | 1 => average(branch),
            _ => (demand(branch, month - 1) + demand(branch, month - 2)) as f64 / 2.0,
        };
        let (warehouse, _) = places.warehouse;
        let mut stock: HashMap<Uuid, i64> = HashMap::new();
        let opening = day(first, 1);
        for (branch, _) in places.branches {
            let level = (average(*branch) * BRANCH_COVER).round() as i64;
            book.counted(opening, *branch, *product, level, 0, "opening balance")?;
            stock.insert(*branch, level);
        }
        let all: f64 = places
            .branches
            .iter()
            .map(|(branch, _)| average(*branch))
            .sum();
        let level = cases(all * WAREHOUSE_REORDER);
        book.counted(opening, warehouse, *product, level, 0, "opening balance")?;
        stock.insert(warehouse, level);

        // Every month of the history, and this one's deliveries so far (its sales are still to come).
        for month in 0..=months {
            let period = first.plus(month);
            let this_month = month == months;
            let on = |number: u8| day(period, number).min(today);
            // The branches' orders for the month: up to their cover, and at least what they will sell.
            let orders: Vec<(Uuid, &str, i64)> = places
                .branches
                .iter()
                .enumerate()
                .map(|(at, (branch, code))| {
                    let held = stock[branch];
                    let target = (expected(*branch, month) * BRANCH_COVER).round() as i64;
                    let mut wanted = (target - held).max(demand(*branch, month) - held).max(0);
                    if this_month && at == 0 && place == MISTAKEN_DELIVERY {
                        wanted = wanted.max(1) * 10;
                    }
                    (*branch, code.as_str(), wanted)
                })
                .collect();
            let wanted: i64 = orders.iter().map(|(_, _, quantity)| quantity).sum();
            let total: f64 = places
                .branches
                .iter()
                .map(|(branch, _)| expected(*branch, month))
                .sum();
            let held = stock[&warehouse];
            let after_orders = (held - wanted) as f64;
            if after_orders < total * WAREHOUSE_REORDER {
                let delivered = cases(total * WAREHOUSE_ORDER).max(wanted - held);
                book.moved(
                    on(1),
                    warehouse,
                    *product,
                    StockReason::Receipt,
                    delivered,
                    "supplier delivery",
                )?;
                *stock.entry(warehouse).or_default() += delivered;
            }
            for (branch, code, quantity) in orders.into_iter().filter(|order| order.2 > 0) {
                let (_, warehouse_code) = &places.warehouse;
                book.moved(
                    on(2),
                    warehouse,
                    *product,
                    StockReason::TransferOut,
                    -quantity,
                    &format!("to {code}"),
                )?;
                book.moved(
                    on(3),
                    branch,
                    *product,
                    StockReason::TransferIn,
                    quantity,
                    &format!("from {warehouse_code}"),
                )?;
                *stock.entry(warehouse).or_default() -= quantity;
                *stock.entry(branch).or_default() += quantity;
            }
            if let (true, Some((branch, _))) = (
                this_month && WATER_DAMAGE.contains(&place),
                places.branches.first(),
            ) {
                let lost = stock[branch] * 9 / 10;
                book.moved(
                    on(4),
                    *branch,
                    *product,
                    StockReason::Adjustment,
                    -lost,
                    "water damage in the store room",
                )?;
                *stock.entry(*branch).or_default() -= lost;
            }
            // Posting the sales issued them from the branches' stock (on the month's last day).
            for (branch, _) in places.branches {
                *stock.entry(*branch).or_default() -= demand(*branch, month);
            }
            let closing = last_day(period);
            if !this_month && period.number().is_multiple_of(3) {
                let locations = places
                    .branches
                    .iter()
                    .map(|(branch, _)| *branch)
                    .chain([warehouse]);
                for location in locations {
                    let books = stock[&location];
                    let shrink = (books as f64 * rng.random_range(0.0..0.015)).round() as i64;
                    book.counted(
                        closing,
                        location,
                        *product,
                        books - shrink,
                        books,
                        "quarterly stocktake",
                    )?;
                    stock.insert(location, books - shrink);
                }
            }
        }
    }
    Ok(book.written)
}

/// Rounded up to whole cases.
fn cases(quantity: f64) -> i64 {
    ((quantity / CASE as f64).ceil() as i64).max(1) * CASE
}

/// A day of a month; the demo uses days 1 to 28, which every month has.
fn day(month: Month, day: u8) -> Day {
    Day::new(month.year(), month.number(), day).unwrap_or_else(Day::today)
}

/// A month's last day: its stocktake comes after the month's sales.
fn last_day(month: Month) -> Day {
    day(month.plus(1), 1)
        .plus_days(-1)
        .unwrap_or_else(Day::today)
}

struct Book<'w, 'c> {
    write: &'w mut Write<'c>,
    admin: &'w Actor,
    written: usize,
}

impl Book<'_, '_> {
    fn moved(
        &mut self,
        moved_on: Day,
        location_id: Uuid,
        product_id: Uuid,
        reason: StockReason,
        quantity: i64,
        note: &str,
    ) -> Result<()> {
        let movement = StockMovement {
            id: Uuid::now_v7(),
            moved_on,
            location_id,
            product_id,
            quantity: Decimal::from(quantity),
            reason,
            note: note.to_owned(),
            import_id: None,
            fingerprint: None,
            order_line_id: None,
            transfer_line_id: None,
            discrepancy: None,
            created_by: self.admin.id,
            created_at: Timestamp::now(),
        };
        crate::stock::record(self.write, &movement)?;
        self.written += 1;
        Ok(())
    }

    /// A count that found `level` where the books said `books`.
    fn counted(
        &mut self,
        moved_on: Day,
        location_id: Uuid,
        product_id: Uuid,
        level: i64,
        books: i64,
        note: &str,
    ) -> Result<()> {
        self.moved(
            moved_on,
            location_id,
            product_id,
            StockReason::Count,
            level - books,
            note,
        )
    }
}
