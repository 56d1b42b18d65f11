//! `salesplan stock [moves|count|adjust|availability]`: on-hand stock in your
//! scope, an item's movements, recording a stocktake count or an adjustment,
//! and what every location holds (for every role).

use crate::input::decimal;
use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::Result;
use clap::{Args, Subcommand};
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::stock::{self, NewAdjustment, NewCount, StockMovement};
use salesplan_core::{Actor, Ledger};
use uuid::Uuid;

#[derive(Args)]
pub struct StockArgs {
    #[command(subcommand)]
    command: Option<StockCommand>,
    /// Only this location (code).
    #[arg(long)]
    location: Option<String>,
    /// Only this product (SKU).
    #[arg(long)]
    sku: Option<String>,
}

#[derive(Subcommand)]
enum StockCommand {
    /// An item's movements, oldest first, with the stock each left.
    Moves(ItemArgs),
    /// Record a stocktake: how many were found.
    Count(CountArgs),
    /// Correct stock by a quantity, saying why.
    Adjust(AdjustArgs),
    /// How much each location holds, for every role (head office's levels on a laptop that syncs).
    Availability(FilterArgs),
}

#[derive(Args)]
struct FilterArgs {
    /// Only this location (code).
    #[arg(long)]
    location: Option<String>,
    /// Only this product (SKU).
    #[arg(long)]
    sku: Option<String>,
}

/// Whether `code` is the one asked for, if one was.
fn wanted(asked: Option<&str>, code: &str) -> bool {
    asked.is_none_or(|asked| asked.trim().eq_ignore_ascii_case(code))
}

#[derive(Args)]
pub(crate) struct ItemArgs {
    /// The location (code).
    #[arg(long)]
    pub location: String,
    /// The product (SKU).
    #[arg(long)]
    pub sku: String,
}

#[derive(Args)]
struct CountArgs {
    #[command(flatten)]
    item: ItemArgs,
    /// How many were counted.
    #[arg(long)]
    counted: String,
    /// The day counted, YYYY-MM-DD (default: today).
    #[arg(long)]
    day: Option<String>,
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Args)]
struct AdjustArgs {
    #[command(flatten)]
    item: ItemArgs,
    /// Negative takes stock away.
    #[arg(long, allow_hyphen_values = true)]
    quantity: String,
    /// Why: damaged, lost, found…
    #[arg(long)]
    reason: String,
    /// The day, YYYY-MM-DD (default: today).
    #[arg(long)]
    day: Option<String>,
}

pub fn run(context: &Context, args: StockArgs) -> Result<()> {
    match args.command {
        None => on_hand(context, args.location.as_deref(), args.sku.as_deref()),
        Some(StockCommand::Moves(item)) => moves(context, &item),
        Some(StockCommand::Count(count)) => record_count(context, count),
        Some(StockCommand::Adjust(adjust)) => record_adjustment(context, adjust),
        Some(StockCommand::Availability(filter)) => availability(context, &filter),
    }
}

/// What each location holds, read-only, and where the figures come from.
fn availability(context: &Context, filter: &FilterArgs) -> Result<()> {
    let (ledger, actor) = session::signed_in(context)?;
    let mut available = stock::availability(&ledger, &actor)?;
    available.items.retain(|item| {
        wanted(filter.location.as_deref(), &item.location_code)
            && wanted(filter.sku.as_deref(), &item.sku)
    });
    output::emit(context, &available, || {
        let source = match (available.from_head_office, available.as_of) {
            (false, _) => "this ledger's own stock (it holds every sale)".to_owned(),
            (true, Some(as_of)) => format!("head office's levels as of {as_of}"),
            (true, None) => {
                "head office's levels: none yet, sync first (`salesplan sync`)".to_owned()
            }
        };
        let mut table = Table::new(&["location", "sku", "product", "on hand"]);
        for item in &available.items {
            table.row(vec![
                item.location_code.clone(),
                item.sku.clone(),
                item.product_name.clone(),
                format!("{} {}", item.on_hand.normalize(), item.unit),
            ]);
        }
        format!("{source}\n{}", table.render())
    })
}

/// On-hand stock per location and product (the sum of movements).
fn on_hand(context: &Context, location: Option<&str>, sku: Option<&str>) -> Result<()> {
    let (ledger, actor) = session::signed_in(context)?;
    let rows: Vec<_> = stock::on_hand(&ledger, &actor)?
        .into_iter()
        .filter(|row| wanted(location, &row.location_code) && wanted(sku, &row.sku))
        .collect();
    output::table(context, &rows, || {
        let mut table = Table::new(&[
            "location",
            "sku",
            "on hand",
            "in transit",
            "on order",
            "available",
            "value",
        ]);
        for row in &rows {
            table.row(vec![
                row.location_code.clone(),
                row.sku.clone(),
                row.quantity.normalize().to_string(),
                row.in_transit.normalize().to_string(),
                row.on_order.normalize().to_string(),
                row.available.normalize().to_string(),
                output::optional(row.value),
            ]);
        }
        table
    })
}

/// The ids of a location and a product named by code and SKU.
pub(crate) fn item(ledger: &Ledger, actor: &Actor, item: &ItemArgs) -> Result<(Uuid, Uuid)> {
    Ok((
        reference::find::<Location>(ledger, actor, &item.location)?.id,
        reference::find::<Product>(ledger, actor, &item.sku)?.id,
    ))
}

fn moves(context: &Context, args: &ItemArgs) -> Result<()> {
    let (ledger, actor) = session::signed_in(context)?;
    let (location_id, product_id) = item(&ledger, &actor, args)?;
    let history = stock::movements(&ledger, &actor, location_id, product_id)?;
    output::table(context, &history, || {
        let mut table = Table::new(&["day", "what", "quantity", "stock after", "note", "by"]);
        for line in &history.movements {
            let movement = &line.movement;
            table.row(vec![
                movement.moved_on.to_string(),
                movement.reason.key().to_owned(),
                movement.quantity.normalize().to_string(),
                line.balance.normalize().to_string(),
                movement.note.clone(),
                line.recorded_by.clone().unwrap_or_else(|| "-".into()),
            ]);
        }
        table
    })
}

fn record_count(context: &Context, args: CountArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let (location_id, product_id) = item(&ledger, &actor, &args.item)?;
    let new = NewCount {
        location_id,
        product_id,
        counted: decimal("counted", &args.counted)?,
        day: args.day,
        note: args.note,
    };
    let movement = stock::count(&mut ledger, &actor, new)?;
    recorded(context, &args.item, &movement)
}

fn record_adjustment(context: &Context, args: AdjustArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let (location_id, product_id) = item(&ledger, &actor, &args.item)?;
    let new = NewAdjustment {
        location_id,
        product_id,
        quantity: decimal("quantity", &args.quantity)?,
        reason: args.reason,
        day: args.day,
    };
    let movement = stock::adjust(&mut ledger, &actor, new)?;
    recorded(context, &args.item, &movement)
}

fn recorded(context: &Context, item: &ItemArgs, movement: &StockMovement) -> Result<()> {
    output::emit(context, movement, || {
        format!(
            "recorded {} of {} at {} on {}: {:+}",
            movement.reason.key(),
            item.sku.trim(),
            item.location.trim(),
            movement.moved_on,
            movement.quantity.normalize()
        )
    })
}
