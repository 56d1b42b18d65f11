//! `salesplan policy show|override|remove-override|recompute`: each item's
//! stock policy (safety stock, reorder point, order quantity) worked out from
//! the forecast, with its breakdown, and people's overrides of it.

use crate::input::decimal;
use crate::output::{self, Table};
use crate::stock::{ItemArgs, item};
use crate::{Context, session};
use anyhow::Result;
use clap::{Args, Subcommand};
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::stock::policy::{self, NewPolicyOverride, PolicyLine};

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// The policies in your scope; with --location and --sku, one item's breakdown.
    Show(ShowArgs),
    /// Override an item's reorder point or order quantity, saying why (kept until removed).
    Override(OverrideArgs),
    /// Remove an item's override: the computed policy applies again.
    RemoveOverride(ItemArgs),
    /// Work every policy out again now (a forecast run and a month close do it too).
    Recompute,
}

#[derive(Args)]
pub struct ShowArgs {
    /// Only this location (code).
    #[arg(long)]
    location: Option<String>,
    /// Only this product (SKU).
    #[arg(long)]
    sku: Option<String>,
}

#[derive(Args)]
pub struct OverrideArgs {
    #[command(flatten)]
    item: ItemArgs,
    /// Order when stock falls to this.
    #[arg(long)]
    reorder_point: Option<String>,
    /// Order this many at a time.
    #[arg(long)]
    order_quantity: Option<String>,
    /// Why the computed policy does not fit.
    #[arg(long)]
    reason: String,
}

pub fn run(context: &Context, command: PolicyCommand) -> Result<()> {
    match command {
        PolicyCommand::Show(args) => show(context, &args),
        PolicyCommand::Override(args) => set(context, args),
        PolicyCommand::RemoveOverride(args) => remove(context, &args),
        PolicyCommand::Recompute => recompute(context),
    }
}

fn show(context: &Context, args: &ShowArgs) -> Result<()> {
    let (ledger, actor) = session::signed_in(context)?;
    if let (Some(location), Some(sku)) = (&args.location, &args.sku) {
        let item = ItemArgs {
            location: location.clone(),
            sku: sku.clone(),
        };
        let (location_id, product_id) = crate::stock::item(&ledger, &actor, &item)?;
        let line = policy::policy(&ledger, &actor, location_id, product_id)?;
        return output::emit(context, &line, || breakdown(&line));
    }
    let location = match &args.location {
        Some(code) => Some(reference::find::<Location>(&ledger, &actor, code)?.id),
        None => None,
    };
    let product = match &args.sku {
        Some(sku) => Some(reference::find::<Product>(&ledger, &actor, sku)?.id),
        None => None,
    };
    let list = policy::policies(&ledger, &actor, location, product)?;
    output::table(context, &list, || {
        let mut table = Table::new(&[
            "location",
            "sku",
            "abc",
            "demand/month",
            "lead days",
            "σ",
            "method",
            "safety stock",
            "reorder point",
            "order qty",
            "override",
        ]);
        for line in &list.lines {
            let computed = &line.computed;
            table.row(vec![
                computed.location_code.clone(),
                computed.sku.clone(),
                computed.abc.clone(),
                computed.demand_per_month.to_string(),
                computed.lead_time_days.normalize().to_string(),
                format!("{} ({})", computed.sigma, key(&computed.sigma_source)),
                key(&computed.method),
                computed.safety_stock.to_string(),
                line.reorder_point.normalize().to_string(),
                line.order_quantity.normalize().to_string(),
                line.overridden
                    .as_ref()
                    .map(|over| over.reason.clone())
                    .unwrap_or_default(),
            ]);
        }
        table
    })
}

/// A serialised enum's key: `negative_binomial`.
fn key(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One item's policy, number by number.
fn breakdown(line: &PolicyLine) -> String {
    let p = &line.computed;
    let mut text = format!(
        "{} {} at {}: class {}, service level {} %\n\
         demand d = {} {}/month (from {}, months from {})\n\
         lead time L = {} days (σ_L {} days), from {}\n\
         σ_d = {} ({}{})\n\
         method: {}{}\n\
         lead-time demand d·L = {}\n\
         safety stock = {}\n\
         reorder point = {}{}\n\
         order quantity = {} ({}{}){}",
        p.sku,
        p.product_name,
        p.location_code,
        p.abc,
        p.service_level,
        p.demand_per_month,
        p.unit,
        key(&p.demand_source),
        p.first_month,
        p.lead_time_days.normalize(),
        p.lead_time_sd_days.normalize(),
        p.supplied_by,
        p.sigma,
        key(&p.sigma_source),
        if p.sigma_points > 0 {
            format!(", {} one-month-ahead errors", p.sigma_points)
        } else {
            String::new()
        },
        key(&p.method),
        p.z.map(|z| format!(", z = {z}")).unwrap_or_default(),
        p.lead_time_demand,
        p.safety_stock,
        p.reorder_point,
        p.fill_rate
            .map(|fill| format!(" (fill rate {fill} %)"))
            .unwrap_or_default(),
        p.order_quantity.normalize(),
        key(&p.order_basis),
        p.eoq.map(|eoq| format!(", EOQ {eoq}")).unwrap_or_default(),
        p.unit_cost
            .map(|cost| format!(", unit cost {cost}"))
            .unwrap_or_default(),
    );
    for note in &p.notes {
        text.push_str(&format!("\nnote: {note}"));
    }
    if let Some(over) = &line.overridden {
        text.push_str(&format!(
            "\noverridden by {}: reorder point {}, order quantity {} — {}",
            over.created_by_name.as_deref().unwrap_or("someone"),
            line.reorder_point.normalize(),
            line.order_quantity.normalize(),
            over.reason
        ));
    }
    text
}

fn set(context: &Context, args: OverrideArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let (location_id, product_id) = item(&ledger, &actor, &args.item)?;
    let optional = |field: &str, text: &Option<String>| {
        text.as_deref().map(|text| decimal(field, text)).transpose()
    };
    let current = policy::policy(&ledger, &actor, location_id, product_id).ok();
    let over = policy::set_override(
        &mut ledger,
        &actor,
        NewPolicyOverride {
            location_id,
            product_id,
            reorder_point: optional("reorder_point", &args.reorder_point)?,
            order_quantity: optional("order_quantity", &args.order_quantity)?,
            reason: args.reason,
        },
        current
            .and_then(|current| current.overridden)
            .map(|over| over.version),
    )?;
    match policy::policy(&ledger, &actor, location_id, product_id) {
        Ok(line) => output::emit(context, &line, || breakdown(&line)),
        // A product no policy is worked out for yet (no sales, no forecast): the override alone.
        Err(_) => output::emit(context, &over, || {
            format!(
                "overridden (no policy is worked out for it yet): reorder point {}, order quantity {} — {}",
                output::optional(over.reorder_point),
                output::optional(over.order_quantity),
                over.reason
            )
        }),
    }
}

fn remove(context: &Context, args: &ItemArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let (location_id, product_id) = item(&ledger, &actor, args)?;
    policy::remove_override(&mut ledger, &actor, location_id, product_id)?;
    match policy::policy(&ledger, &actor, location_id, product_id) {
        Ok(line) => output::emit(context, &line, || breakdown(&line)),
        Err(_) => output::emit(context, &serde_json::json!({ "removed": true }), || {
            "override removed".into()
        }),
    }
}

fn recompute(context: &Context) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let summary = policy::recompute(&mut ledger, &actor)?;
    output::emit(context, &summary, || {
        format!("worked out {} stock policies", summary.policies)
    })
}
