//! `salesplan transfers list|show|request|line|remove-line|approve|ship|receive|cancel|lanes`:
//! moving stock between locations, from request to closed.

use crate::input::decimal;
use crate::output::{self, Table};
use crate::purchasing::sku_and;
use crate::{Context, session};
use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::transfers::{
    self, ArrivedLine, NewTransfer, NewTransferLine, ReleaseLine, ReplenishRequest, Rule,
    ShippedLine, Transfer, TransferReceipt, TransferState,
};
use salesplan_core::{Actor, Ledger};

#[derive(Subcommand)]
pub enum TransfersCommand {
    /// Transfers touching the locations you see, newest first.
    List(ListArgs),
    /// One transfer: its lines, what shipped and arrived, who took each step.
    Show(TransferArg),
    /// Ask for stock: `--from L --to L --line SKU=QTY …`.
    Request(RequestArgs),
    /// Set how much of a product a transfer that has not shipped moves.
    Line(LineArgs),
    /// Take a product off a transfer that has not shipped.
    RemoveLine(SkuArgs),
    /// Approve a request (Supply Chain).
    Approve(TransferArg),
    /// Ship an approved transfer: everything approved, or `--line SKU=QTY` for what ships of a line.
    Ship(ShipArgs),
    /// Record what arrived: `--all` as shipped, or `--line SKU=QTY` with `--short`, `--damaged`, `--surplus` and `--reason`.
    Receive(ReceiveArgs),
    /// Cancel a transfer that has not shipped (`--reason` required once approved).
    Cancel(CancelArgs),
    /// What is in transit, lane by lane.
    Lanes,
}

#[derive(Args)]
pub struct ListArgs {
    /// Only transfers in this state: requested, approved, in-transit, partially-received, received, closed, cancelled.
    #[arg(long)]
    state: Option<String>,
}

#[derive(Args)]
pub struct TransferArg {
    /// The transfer's number (TR-20261206-3F2A), its last four characters or its id.
    transfer: String,
}

#[derive(Args)]
pub struct RequestArgs {
    /// Where the stock leaves (location code).
    #[arg(long)]
    from: String,
    /// Where it goes (location code).
    #[arg(long)]
    to: String,
    /// SKU=QUANTITY to move.
    #[arg(long = "line", required = true)]
    lines: Vec<String>,
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Args)]
pub struct LineArgs {
    #[command(flatten)]
    transfer: TransferArg,
    #[arg(long)]
    sku: String,
    #[arg(long)]
    quantity: String,
}

#[derive(Args)]
pub struct SkuArgs {
    #[command(flatten)]
    transfer: TransferArg,
    #[arg(long)]
    sku: String,
}

#[derive(Args)]
pub struct ShipArgs {
    #[command(flatten)]
    transfer: TransferArg,
    /// SKU=QUANTITY that ships of a line, when not what was approved (0: none).
    #[arg(long = "line")]
    lines: Vec<String>,
}

#[derive(Args)]
pub struct ReceiveArgs {
    #[command(flatten)]
    transfer: TransferArg,
    /// Everything still on its way, as shipped.
    #[arg(long, conflicts_with_all = ["lines", "short", "damaged", "surplus"])]
    all: bool,
    /// SKU=QUANTITY arrived as shipped.
    #[arg(long = "line")]
    lines: Vec<String>,
    /// SKU=QUANTITY shipped that never arrived (needs --reason).
    #[arg(long)]
    short: Vec<String>,
    /// SKU=QUANTITY that arrived unusable (needs --reason).
    #[arg(long)]
    damaged: Vec<String>,
    /// SKU=QUANTITY that arrived over what shipped (needs --reason).
    #[arg(long)]
    surplus: Vec<String>,
    /// What happened, for what did not arrive as shipped.
    #[arg(long, default_value = "")]
    reason: String,
    /// YYYY-MM-DD it arrived (today when left out).
    #[arg(long)]
    day: Option<String>,
}

#[derive(Args)]
pub struct CancelArgs {
    #[command(flatten)]
    transfer: TransferArg,
    #[arg(long, default_value = "")]
    reason: String,
}

pub fn run(context: &Context, command: TransfersCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let ledger = &mut ledger;
    let named = |ledger: &Ledger, arg: &TransferArg| transfers::find(ledger, &actor, &arg.transfer);
    let done = match command {
        TransfersCommand::List(args) => return list(context, ledger, &actor, args),
        TransfersCommand::Lanes => return lanes(context, ledger, &actor),
        TransfersCommand::Show(arg) => named(ledger, &arg)?,
        TransfersCommand::Request(args) => {
            let mut lines = Vec::new();
            for text in &args.lines {
                let (sku, quantity) = sku_and(text, "--line")?;
                lines.push(NewTransferLine {
                    product_id: reference::find::<Product>(ledger, &actor, sku)?.id,
                    quantity: decimal("quantity", quantity)?,
                });
            }
            let new = NewTransfer {
                from_location_id: reference::find::<Location>(ledger, &actor, &args.from)?.id,
                to_location_id: reference::find::<Location>(ledger, &actor, &args.to)?.id,
                note: args.note,
                lines,
            };
            transfers::request(ledger, &actor, new)?
        }
        TransfersCommand::Line(args) => {
            let found = named(ledger, &args.transfer)?;
            let line = NewTransferLine {
                product_id: reference::find::<Product>(ledger, &actor, &args.sku)?.id,
                quantity: decimal("quantity", &args.quantity)?,
            };
            transfers::set_line(ledger, &actor, found.id, line, None)?
        }
        TransfersCommand::RemoveLine(args) => {
            let found = named(ledger, &args.transfer)?;
            let product = reference::find::<Product>(ledger, &actor, &args.sku)?.id;
            transfers::remove_line(ledger, &actor, found.id, product)?
        }
        TransfersCommand::Approve(arg) => {
            let found = named(ledger, &arg)?;
            transfers::approve(ledger, &actor, found.id)?
        }
        TransfersCommand::Ship(args) => {
            let found = named(ledger, &args.transfer)?;
            let mut lines = Vec::new();
            for text in &args.lines {
                let (sku, quantity) = sku_and(text, "--line")?;
                lines.push(ShippedLine {
                    product_id: line_of(&found, sku)?.product_id,
                    quantity: decimal("quantity", quantity)?,
                });
            }
            transfers::ship(ledger, &actor, found.id, &lines)?
        }
        TransfersCommand::Receive(args) => {
            receive(ledger, &actor, named(ledger, &args.transfer)?, args)?
        }
        TransfersCommand::Cancel(args) => {
            let found = named(ledger, &args.transfer)?;
            transfers::cancel(ledger, &actor, found.id, &args.reason)?
        }
    };
    shown(context, &done)
}

fn list(context: &Context, ledger: &Ledger, actor: &Actor, args: ListArgs) -> Result<()> {
    let state = match args.state.as_deref() {
        Some(text) => Some(TransferState::parse(text).with_context(|| {
            format!("state: '{text}' is not a transfer's state; use requested, approved, in-transit, partially-received, received, closed or cancelled")
        })?),
        None => None,
    };
    let all = transfers::transfers(ledger, actor, state)?;
    output::table(context, &all, || {
        let mut table = Table::new(&[
            "transfer",
            "from",
            "to",
            "state",
            "lines",
            "in transit",
            "requested",
        ]);
        for transfer in &all {
            table.row(vec![
                transfer.number.clone(),
                transfer.from_code.clone(),
                transfer.to_code.clone(),
                transfer.state.key().to_owned(),
                transfer.lines.len().to_string(),
                transfer.in_transit().normalize().to_string(),
                transfer
                    .events
                    .first()
                    .map(|event| event.at.to_string()[..10].to_owned())
                    .unwrap_or_default(),
            ]);
        }
        table
    })
}

fn lanes(context: &Context, ledger: &Ledger, actor: &Actor) -> Result<()> {
    let lanes = transfers::lanes(ledger, actor)?;
    output::table(context, &lanes, || {
        let mut table = Table::new(&["from", "to", "in transit", "products", "transfers"]);
        for lane in &lanes {
            table.row(vec![
                lane.from_code.clone(),
                lane.to_code.clone(),
                lane.in_transit.normalize().to_string(),
                lane.products.to_string(),
                lane.transfers.join(" "),
            ]);
        }
        table
    })
}

fn line_of<'a>(transfer: &'a Transfer, sku: &str) -> Result<&'a transfers::TransferLine> {
    transfer
        .lines
        .iter()
        .find(|line| line.sku.eq_ignore_ascii_case(sku))
        .with_context(|| format!("line: {} has no line of {sku}", transfer.number))
}

fn receive(
    ledger: &mut Ledger,
    actor: &Actor,
    found: Transfer,
    args: ReceiveArgs,
) -> Result<Transfer> {
    if args.all {
        return Ok(transfers::receive_all(ledger, actor, found.id, args.day)?);
    }
    let mut lines: Vec<ArrivedLine> = Vec::new();
    type Amount = fn(&mut ArrivedLine) -> &mut Decimal;
    let kinds: [(&[String], &str, Amount); 4] = [
        (&args.lines, "--line", |line| &mut line.received),
        (&args.short, "--short", |line| &mut line.short),
        (&args.damaged, "--damaged", |line| &mut line.damaged),
        (&args.surplus, "--surplus", |line| &mut line.surplus),
    ];
    for (texts, option, amount) in kinds {
        for text in texts {
            let (sku, quantity) = sku_and(text, option)?;
            let line_id = line_of(&found, sku)?.id;
            let at = match lines.iter().position(|line| line.line_id == line_id) {
                Some(at) => at,
                None => {
                    lines.push(ArrivedLine {
                        line_id,
                        reason: args.reason.clone(),
                        ..ArrivedLine::default()
                    });
                    lines.len() - 1
                }
            };
            *amount(&mut lines[at]) += decimal("quantity", quantity)?;
        }
    }
    if lines.is_empty() {
        bail!(
            "lines: give --all, or what arrived with --line SKU=QTY (and --short, --damaged, --surplus)"
        );
    }
    let receipt = TransferReceipt {
        lines,
        day: args.day,
    };
    Ok(transfers::receive(ledger, actor, found.id, receipt)?)
}

fn shown(context: &Context, transfer: &Transfer) -> Result<()> {
    output::emit(context, transfer, || {
        let mut text = format!(
            "{}  {}  {} {} → {} {}\n",
            transfer.number,
            transfer.state.key(),
            transfer.from_code,
            transfer.from_name,
            transfer.to_code,
            transfer.to_name
        );
        if !transfer.note.is_empty() {
            text.push_str(&format!("note: {}\n", transfer.note));
        }
        if let Some(reason) = transfer
            .cancel_reason
            .as_deref()
            .filter(|reason| !reason.is_empty())
        {
            text.push_str(&format!("cancelled: {reason}\n"));
        }
        let mut table = Table::new(&[
            "sku",
            "product",
            "quantity",
            "shipped",
            "received",
            "short",
            "damaged",
            "surplus",
            "in transit",
        ]);
        let shown = |value: Decimal| value.normalize().to_string();
        for line in &transfer.lines {
            table.row(vec![
                line.sku.clone(),
                line.product_name.clone(),
                shown(line.quantity),
                line.shipped.map(shown).unwrap_or_default(),
                shown(line.received),
                shown(line.short),
                shown(line.damaged),
                shown(line.surplus),
                shown(line.in_transit),
            ]);
        }
        text.push_str(&table.render());
        for event in &transfer.events {
            text.push_str(&format!("\n{} by {} at {}", event.what, event.by, event.at));
        }
        text
    })
}

#[derive(Args)]
pub struct BranchesArgs {
    /// How a short warehouse is shared out: fair-share (by need), equal-cover, priority.
    #[arg(long, default_value = "fair-share")]
    rule: String,
    /// Branch codes in priority order, for the priority rule (those not named come after, as equals).
    #[arg(long, value_delimiter = ',')]
    priority: Vec<String>,
    /// Share out the warehouse's safety stock too.
    #[arg(long)]
    below_safety: bool,
    /// Make the transfers, approved, one per branch, as proposed.
    #[arg(long)]
    release: bool,
}

pub fn branches(context: &Context, args: BranchesArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let rule = Rule::parse(&args.rule).with_context(|| {
        format!(
            "rule: '{}' is not a rule; use fair-share, equal-cover or priority",
            args.rule
        )
    })?;
    let mut priority = Vec::new();
    for code in &args.priority {
        priority.push(reference::find::<Location>(&ledger, &actor, code)?.id);
    }
    let request = ReplenishRequest {
        rule,
        priority,
        below_safety: args.below_safety,
    };
    let proposal = transfers::propose(&ledger, &actor, &request)?;
    if args.release {
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
        let made = transfers::release(&mut ledger, &actor, &lines)?;
        return output::emit(context, &made, || {
            made.iter()
                .map(|transfer| {
                    format!(
                        "{}: approved, {} → {}, {} lines",
                        transfer.number,
                        transfer.from_code,
                        transfer.to_code,
                        transfer.lines.len()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        });
    }
    output::emit(context, &proposal, || {
        let mut table = Table::new(&[
            "sku",
            "warehouse has",
            "branch",
            "target",
            "position",
            "need",
            "gets",
            "cover after",
        ]);
        let shown = |value: Decimal| value.normalize().to_string();
        for item in &proposal.items {
            for (at, branch) in item.branches.iter().enumerate() {
                let first = at == 0;
                table.row(vec![
                    if first {
                        item.sku.clone()
                    } else {
                        String::new()
                    },
                    if first {
                        format!(
                            "{}{}",
                            shown(item.available),
                            if item.short { " (short)" } else { "" }
                        )
                    } else {
                        String::new()
                    },
                    branch.location_code.clone(),
                    shown(branch.target),
                    shown(branch.position),
                    shown(branch.need),
                    shown(branch.allocated),
                    branch
                        .cover_after
                        .map(|cover| format!("{cover} months"))
                        .unwrap_or_default(),
                ]);
            }
        }
        format!(
            "from {} ({} days to a branch + {} days between deliveries), rule {}\n{}",
            proposal.warehouse_code,
            proposal.lead_time_days,
            proposal.review_days,
            proposal.rule.key(),
            table.render()
        )
    })
}

pub fn rebalance(context: &Context) -> Result<()> {
    let (ledger, actor) = session::signed_in(context)?;
    let suggestions = transfers::rebalance(&ledger, &actor)?;
    output::table(context, &suggestions, || {
        let mut table = Table::new(&["sku", "from", "cover there", "to", "runs out in", "move"]);
        for suggestion in &suggestions {
            table.row(vec![
                suggestion.sku.clone(),
                suggestion.from_code.clone(),
                format!("{} months", suggestion.from_cover),
                suggestion.to_code.clone(),
                format!("{} days", suggestion.to_runs_out_in_days),
                suggestion.quantity.normalize().to_string(),
            ]);
        }
        table
    })
}
