//! `salesplan replenish propose` (what to order from whom) and `salesplan po
//! list|show|create|line|remove-line|send|receive|cancel|export`: purchase
//! orders from draft to received.

use crate::export::Format;
use crate::input::decimal;
use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use salesplan_core::purchasing::proposal::{self, Proposal};
use salesplan_core::purchasing::{
    self, GoodsReceipt, NewLine, NewOrder, PurchaseOrder, ReceivedLine,
};
use salesplan_core::reference::{self, Location, Product, Supplier};
use salesplan_core::{Actor, Ledger};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ReplenishCommand {
    /// What to order from each supplier: items at or below their reorder point, counting what is on order.
    Propose(ProposeArgs),
    /// What each branch needs from the warehouse, shared out by a rule when it is short; `--release` makes the transfers.
    Branches(crate::transfers::BranchesArgs),
}

#[derive(Args)]
pub struct ProposeArgs {
    /// Only for this location (code).
    #[arg(long)]
    location: Option<String>,
}

#[derive(Subcommand)]
pub enum PoCommand {
    /// Purchase orders of the locations you see stock of, newest first.
    List,
    /// One order with its lines and what they received.
    Show(OrderArg),
    /// Make a draft order: `--supplier S --location L --line SKU=QTY …`, or every group of the proposal with `--from-proposal`.
    Create(CreateArgs),
    /// Set a line of an order: a draft's quantity or cost, a sent order's expected date.
    Line(LineArgs),
    /// Take a product off a draft order.
    RemoveLine(RemoveLineArgs),
    /// Send a draft to its supplier.
    Send(OrderArg),
    /// Post what arrived: `--all` outstanding, or `--line SKU=QTY …`.
    Receive(ReceiveArgs),
    /// Cancel a draft, or what a sent order has still to bring (`--reason` required then).
    Cancel(CancelArgs),
    /// Write an order to an xlsx or csv file for its supplier.
    Export(ExportArgs),
}

#[derive(Args)]
pub struct OrderArg {
    /// The order's number (PO-20261206-3F2A), its last four characters or its id.
    order: String,
}

#[derive(Args)]
pub struct CreateArgs {
    /// Supplier code.
    #[arg(long, required_unless_present = "from_proposal")]
    supplier: Option<String>,
    /// Where the goods go (location code).
    #[arg(long, required_unless_present = "from_proposal")]
    location: Option<String>,
    /// SKU=QUANTITY, or SKU=QUANTITY@UNIT_COST when the supplier has no terms for it.
    #[arg(long = "line")]
    lines: Vec<String>,
    #[arg(long, default_value = "")]
    note: String,
    /// Make one draft per supplier and location of `replenish propose` (of --location only, if given).
    #[arg(long, conflicts_with_all = ["supplier", "lines"])]
    from_proposal: bool,
}

#[derive(Args)]
pub struct LineArgs {
    #[command(flatten)]
    order: OrderArg,
    #[arg(long)]
    sku: String,
    #[arg(long)]
    quantity: Option<String>,
    #[arg(long)]
    unit_cost: Option<String>,
    /// YYYY-MM-DD: when the supplier now expects to deliver.
    #[arg(long)]
    expected_on: Option<String>,
}

#[derive(Args)]
pub struct RemoveLineArgs {
    #[command(flatten)]
    order: OrderArg,
    #[arg(long)]
    sku: String,
}

#[derive(Args)]
pub struct ReceiveArgs {
    #[command(flatten)]
    order: OrderArg,
    /// Everything still outstanding, as ordered.
    #[arg(long, conflicts_with = "lines")]
    all: bool,
    /// SKU=QUANTITY received.
    #[arg(long = "line", required_unless_present = "all")]
    lines: Vec<String>,
    /// Why more arrived than the order allows (needed past the tolerance).
    #[arg(long, default_value = "")]
    reason: String,
    /// YYYY-MM-DD the goods arrived (today when left out).
    #[arg(long)]
    day: Option<String>,
}

#[derive(Args)]
pub struct CancelArgs {
    #[command(flatten)]
    order: OrderArg,
    #[arg(long, default_value = "")]
    reason: String,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    order: OrderArg,
    #[arg(long, value_enum)]
    format: Format,
    #[arg(long)]
    out: PathBuf,
}

pub fn replenish(context: &Context, command: ReplenishCommand) -> Result<()> {
    let args = match command {
        ReplenishCommand::Propose(args) => args,
        ReplenishCommand::Branches(args) => return crate::transfers::branches(context, args),
    };
    let (ledger, actor) = session::signed_in(context)?;
    let proposal = propose(&ledger, &actor, args.location.as_deref())?;
    output::table(context, &proposal, || {
        let mut table = Table::new(&[
            "supplier",
            "deliver to",
            "sku",
            "on hand",
            "on order",
            "transfers",
            "reorder point",
            "order qty",
            "propose",
            "unit cost",
            "expected",
        ]);
        let rows = proposal
            .groups
            .iter()
            .flat_map(|group| {
                group
                    .lines
                    .iter()
                    .map(move |line| (group.supplier_code.as_str(), line))
            })
            .chain(
                proposal
                    .unsourced
                    .iter()
                    .map(|line| ("(no primary supplier)", line)),
            );
        for (supplier, line) in rows {
            table.row(vec![
                supplier.to_owned(),
                line.location_code.clone(),
                line.sku.clone(),
                line.on_hand.normalize().to_string(),
                line.on_order.normalize().to_string(),
                line.transfers.normalize().to_string(),
                line.reorder_point.normalize().to_string(),
                line.order_quantity.normalize().to_string(),
                line.proposed.normalize().to_string(),
                output::optional(line.unit_cost),
                line.expected_on.to_string(),
            ]);
        }
        table
    })
}

fn propose(ledger: &Ledger, actor: &Actor, location: Option<&str>) -> Result<Proposal> {
    let location = match location {
        Some(code) => Some(reference::find::<Location>(ledger, actor, code)?.id),
        None => None,
    };
    Ok(proposal::propose(ledger, actor, location)?)
}

pub fn run(context: &Context, command: PoCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let ledger = &mut ledger;
    let order = |ledger: &Ledger, named: &OrderArg| purchasing::find(ledger, &actor, &named.order);
    match command {
        PoCommand::List => {
            let orders = purchasing::orders(ledger, &actor)?;
            output::table(context, &orders, || {
                let mut table = Table::new(&[
                    "order",
                    "supplier",
                    "deliver to",
                    "state",
                    "lines",
                    "total",
                    "created",
                ]);
                for order in &orders {
                    table.row(vec![
                        order.number.clone(),
                        order.supplier_code.clone(),
                        order.location_code.clone(),
                        order.state.key().to_owned(),
                        order.lines.len().to_string(),
                        format!("{} {}", order.total.round_dp(2), order.currency),
                        order.created_at.to_string()[..10].to_owned(),
                    ]);
                }
                table
            })
        }
        PoCommand::Show(named) => shown(context, &order(ledger, &named)?),
        PoCommand::Create(args) => create(context, ledger, &actor, args),
        PoCommand::Line(args) => {
            let found = order(ledger, &args.order)?;
            let product = reference::find::<Product>(ledger, &actor, &args.sku)?.id;
            let current = found.lines.iter().find(|line| line.product_id == product);
            let quantity = match (&args.quantity, current) {
                (Some(text), _) => decimal("quantity", text)?,
                (None, Some(line)) => line.quantity,
                (None, None) => bail!("quantity: a new line needs --quantity"),
            };
            let line = NewLine {
                product_id: product,
                quantity,
                unit_cost: args
                    .unit_cost
                    .as_deref()
                    .map(|text| decimal("unit_cost", text))
                    .transpose()?,
                expected_on: args.expected_on,
            };
            let changed = purchasing::set_line(ledger, &actor, found.id, line, None)?;
            shown(context, &changed)
        }
        PoCommand::RemoveLine(args) => {
            let found = order(ledger, &args.order)?;
            let product = reference::find::<Product>(ledger, &actor, &args.sku)?.id;
            shown(
                context,
                &purchasing::remove_line(ledger, &actor, found.id, product)?,
            )
        }
        PoCommand::Send(named) => {
            let found = order(ledger, &named)?;
            shown(context, &purchasing::send(ledger, &actor, found.id)?)
        }
        PoCommand::Cancel(args) => {
            let found = order(ledger, &args.order)?;
            shown(
                context,
                &purchasing::cancel(ledger, &actor, found.id, &args.reason)?,
            )
        }
        PoCommand::Receive(args) => {
            let found = order(ledger, &args.order)?;
            let received = if args.all {
                purchasing::receive_outstanding(ledger, &actor, found.id, args.day)?
            } else {
                let mut lines = Vec::new();
                for text in &args.lines {
                    let (sku, quantity) = sku_and(text, "--line")?;
                    let line = found
                        .lines
                        .iter()
                        .find(|line| line.sku.eq_ignore_ascii_case(sku))
                        .with_context(|| format!("line: {} has no line of {sku}", found.number))?;
                    lines.push(ReceivedLine {
                        line_id: line.id,
                        quantity: decimal("quantity", quantity)?,
                        reason: args.reason.clone(),
                    });
                }
                purchasing::receive(
                    ledger,
                    &actor,
                    found.id,
                    GoodsReceipt {
                        lines,
                        day: args.day,
                    },
                )?
            };
            shown(context, &received)
        }
        PoCommand::Export(args) => {
            let found = order(ledger, &args.order)?;
            let what = salesplan_core::exports::ExportWhat::PurchaseOrder { id: found.id };
            crate::export::export(context, ledger, &actor, &what, args.format, &args.out)
        }
    }
}

fn create(context: &Context, ledger: &mut Ledger, actor: &Actor, args: CreateArgs) -> Result<()> {
    let orders: Vec<NewOrder> = if args.from_proposal {
        let proposal = propose(ledger, actor, args.location.as_deref())?;
        if proposal.groups.is_empty() {
            bail!(
                "nothing to order: no item with a primary supplier is at or below its reorder point"
            );
        }
        proposal
            .groups
            .iter()
            .map(|group| NewOrder {
                note: args.note.clone(),
                ..group.order()
            })
            .collect()
    } else {
        let (Some(supplier), Some(location)) = (&args.supplier, &args.location) else {
            bail!("supplier: give --supplier and --location, or --from-proposal");
        };
        let mut lines = Vec::new();
        for text in &args.lines {
            let (sku, rest) = sku_and(text, "--line")?;
            let (quantity, cost) = match rest.split_once('@') {
                Some((quantity, cost)) => (quantity, Some(decimal("unit_cost", cost)?)),
                None => (rest, None),
            };
            lines.push(NewLine {
                product_id: reference::find::<Product>(ledger, actor, sku)?.id,
                quantity: decimal("quantity", quantity)?,
                unit_cost: cost,
                expected_on: None,
            });
        }
        vec![NewOrder {
            supplier_id: reference::find::<Supplier>(ledger, actor, supplier)?.id,
            location_id: reference::find::<Location>(ledger, actor, location)?.id,
            note: args.note,
            lines,
        }]
    };
    let mut made = Vec::new();
    for new in orders {
        made.push(purchasing::create(ledger, actor, new)?);
    }
    output::emit(context, &made, || {
        made.iter()
            .map(|order| {
                format!(
                    "{}: draft to {} for {}, {} lines, {} {}",
                    order.number,
                    order.supplier_code,
                    order.location_code,
                    order.lines.len(),
                    order.total.round_dp(2),
                    order.currency
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// `SKU=VALUE`, split.
pub(crate) fn sku_and<'a>(text: &'a str, option: &str) -> Result<(&'a str, &'a str)> {
    text.split_once('=')
        .map(|(sku, value)| (sku.trim(), value.trim()))
        .with_context(|| format!("line: {option} takes SKU=QUANTITY, got '{text}'"))
}

fn shown(context: &Context, order: &PurchaseOrder) -> Result<()> {
    output::emit(context, order, || {
        let mut text = format!(
            "{}  {}  {} {} → {} {}\n",
            order.number,
            order.state.key(),
            order.supplier_code,
            order.supplier_name,
            order.location_code,
            order.location_name
        );
        if let Some(reason) = &order.cancel_reason {
            text.push_str(&format!("cancelled: {reason}\n"));
        }
        let mut table = Table::new(&[
            "sku",
            "product",
            "ordered",
            "received",
            "unit cost",
            "expected",
        ]);
        for line in &order.lines {
            table.row(vec![
                line.sku.clone(),
                line.product_name.clone(),
                line.quantity.normalize().to_string(),
                line.received.normalize().to_string(),
                line.unit_cost.to_string(),
                line.expected_on.to_string(),
            ]);
        }
        text.push_str(&table.render());
        text.push_str(&format!(
            "\ntotal {} {}",
            order.total.round_dp(2),
            order.currency
        ));
        text
    })
}
