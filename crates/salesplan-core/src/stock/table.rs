//! The stock table as the Inventory screen draws it: every item in the
//! actor's scope with its stock and its policy's figures, in one lean answer.
//! Ten thousand items repeat six locations and a few thousand products, so
//! each location and product is named once and the items are columns that
//! point at them by position (a third of the bytes of one object per item).

use super::policy::{self, PolicyLine};
use super::position::Pipeline;
use super::{Names, OnHand, on_hand_named};
use crate::access::Actor;
use crate::error::Result;
use crate::ledger::Ledger;
use crate::timestamp::Timestamp;
use crate::transfers::replenish::ReorderPoints;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;
use uuid::Uuid;

/// Every item in scope, by location code and SKU: those with stock or
/// something on order, and those with a policy and nothing on hand.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StockTable {
    /// When the policies were last worked out.
    pub policies_computed_at: Option<Timestamp>,
    pub locations: Vec<TableLocation>,
    pub products: Vec<TableProduct>,
    /// One entry per item in each column, in the same order.
    pub items: StockColumns,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TableLocation {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TableProduct {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub unit: String,
}

/// The items, a column per figure; decimals as exact text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StockColumns {
    /// Position in `locations`.
    pub location: Vec<u32>,
    /// Position in `products`.
    pub product: Vec<u32>,
    pub on_hand: Vec<String>,
    /// Shipped to the location and not arrived yet.
    pub in_transit: Vec<String>,
    /// What sent purchase orders still bring.
    pub on_order: Vec<String>,
    /// On hand, in transit and on order.
    pub available: Vec<String>,
    /// On hand at the primary supplier's cost price, when it has one.
    pub value: Vec<Option<String>>,
    /// The policy's ABC class; none without a policy.
    pub class: Vec<Option<String>>,
    /// The override's reorder point, else the computed one.
    pub reorder_point: Vec<Option<String>>,
    pub order_quantity: Vec<Option<String>>,
    /// Whether a person overrode the policy.
    pub overridden: Vec<bool>,
    /// Months the stock on hand lasts at the forecast's demand, to one decimal.
    pub cover: Vec<Option<String>>,
    /// At or below the reorder point counting what is available (the position): time to order.
    pub calls_for_order: Vec<bool>,
}

/// What is known of an item: its stock, its policy (either may be missing).
pub(crate) type Held<'a> = (Option<&'a OnHand>, Option<&'a PolicyLine>);

/// Stock rows and policies joined by item (location, product).
pub(crate) fn held<'a>(
    stock: &'a [OnHand],
    policies: &'a [PolicyLine],
) -> BTreeMap<(Uuid, Uuid), Held<'a>> {
    let mut items: BTreeMap<(Uuid, Uuid), Held<'a>> = BTreeMap::new();
    for row in stock {
        items
            .entry((row.location_id, row.product_id))
            .or_default()
            .0 = Some(row);
    }
    for line in policies {
        let item = (line.computed.location_id, line.computed.product_id);
        items.entry(item).or_default().1 = Some(line);
    }
    items
}

/// The stock table of what the actor may see.
pub fn table(ledger: &Ledger, actor: &Actor) -> Result<StockTable> {
    let names = Names::load(ledger.read())?;
    let pipeline = Pipeline::read(ledger.read(), false)?;
    let stock = on_hand_named(ledger, actor, &names, &pipeline)?;
    let policies = policy::policies(ledger, actor, None, None)?;
    let reorder_points = ReorderPoints::of_lines(ledger.read(), actor, &policies.lines)?;
    let mut items: Vec<Held<'_>> = held(&stock, &policies.lines).into_values().collect();
    items.sort_by_cached_key(|item| {
        let (location_code, sku, _, _) = naming(item);
        (location_code.to_owned(), sku.to_owned())
    });
    let mut table = StockTable {
        policies_computed_at: policies.computed_at,
        locations: Vec::new(),
        products: Vec::new(),
        items: StockColumns::default(),
    };
    let mut locations: HashMap<Uuid, u32> = HashMap::new();
    let mut products: HashMap<Uuid, u32> = HashMap::new();
    for item in &items {
        let (location_code, sku, product_name, unit) = naming(item);
        let (location_id, product_id) = match item {
            (Some(row), _) => (row.location_id, row.product_id),
            (None, Some(line)) => (line.computed.location_id, line.computed.product_id),
            (None, None) => continue,
        };
        let location = *locations.entry(location_id).or_insert_with(|| {
            table.locations.push(TableLocation {
                id: location_id,
                code: location_code.to_owned(),
                name: names
                    .locations
                    .get(&location_id)
                    .map_or_else(|| location_code.to_owned(), |place| place.name.clone()),
            });
            position(&table.locations)
        });
        let product = *products.entry(product_id).or_insert_with(|| {
            table.products.push(TableProduct {
                id: product_id,
                sku: sku.to_owned(),
                name: product_name.to_owned(),
                unit: unit.to_owned(),
            });
            position(&table.products)
        });
        table.items.push(location, product, item, &reorder_points);
    }
    Ok(table)
}

/// (location code, SKU, product name, unit) of an item, from its stock or its policy.
fn naming<'a>(item: &Held<'a>) -> (&'a str, &'a str, &'a str, &'a str) {
    match item {
        (Some(row), _) => (&row.location_code, &row.sku, &row.product_name, &row.unit),
        (None, Some(line)) => (
            &line.computed.location_code,
            &line.computed.sku,
            &line.computed.product_name,
            &line.computed.unit,
        ),
        (None, None) => ("", "", "", ""),
    }
}

/// The position of the last entry of `list`.
fn position<T>(list: &[T]) -> u32 {
    u32::try_from(list.len() - 1).unwrap_or(u32::MAX)
}

impl StockColumns {
    fn push(
        &mut self,
        location: u32,
        product: u32,
        (row, line): &Held<'_>,
        reorder_points: &ReorderPoints,
    ) {
        let on_hand = row.map_or(Decimal::ZERO, |row| row.quantity);
        let in_transit = row.map_or(Decimal::ZERO, |row| row.in_transit);
        let on_order = row.map_or(Decimal::ZERO, |row| row.on_order);
        let available = row.map_or(Decimal::ZERO, |row| row.available);
        self.location.push(location);
        self.product.push(product);
        self.on_hand.push(on_hand.to_string());
        self.in_transit.push(in_transit.to_string());
        self.on_order.push(on_order.to_string());
        self.available.push(available.to_string());
        self.value
            .push(row.and_then(|row| row.value).map(|value| value.to_string()));
        self.class.push(line.map(|line| line.computed.abc.clone()));
        self.reorder_point
            .push(line.map(|line| reorder_points.of(line).0.to_string()));
        self.order_quantity
            .push(line.map(|line| line.order_quantity.to_string()));
        self.overridden
            .push(line.is_some_and(|line| line.overridden.is_some()));
        self.cover.push(
            line.and_then(|line| line.cover(on_hand))
                .map(|cover| crate::money::round(cover, 1).to_string()),
        );
        self.calls_for_order
            .push(line.is_some_and(|line| reorder_points.calls_for_order(line, available)));
    }
}
