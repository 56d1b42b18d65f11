//! `salesplan supplier-products [set|remove]`: what each supplier sells and on
//! what terms (cost, pack, minimum order, lead time, primary source).

use crate::input::decimal;
use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use salesplan_core::reference::{self, Product, Supplier};
use salesplan_core::suppliers::{self, SupplierProduct, SupplierTerms};
use salesplan_core::{Actor, Ledger};
use uuid::Uuid;

#[derive(Args)]
pub struct SupplierProductsArgs {
    #[command(subcommand)]
    command: Option<LineCommand>,
    /// Only this supplier's (code).
    #[arg(long)]
    supplier: Option<String>,
    /// Only this product's suppliers (SKU).
    #[arg(long)]
    sku: Option<String>,
    /// Also lines no longer bought.
    #[arg(long)]
    all: bool,
}

#[derive(Subcommand)]
enum LineCommand {
    /// Set the terms a supplier sells a product on (a new line, or the flags given changed).
    Set(SetArgs),
    /// The product is no longer bought from the supplier (the line is kept for history).
    Remove(LineArgs),
}

#[derive(Args)]
struct LineArgs {
    /// The supplier (code).
    supplier: String,
    /// The product (SKU).
    sku: String,
}

#[derive(Args)]
struct SetArgs {
    #[command(flatten)]
    line: LineArgs,
    /// What one unit costs, in the supplier's currency (required for a new line).
    #[arg(long, allow_hyphen_values = true)]
    cost: Option<String>,
    /// Orders are whole packs of this many units (default 1).
    #[arg(long, allow_hyphen_values = true)]
    pack: Option<String>,
    /// The fewest units an order may hold (default 0).
    #[arg(long, allow_hyphen_values = true)]
    min_order: Option<String>,
    /// The supplier's own article number.
    #[arg(long)]
    supplier_sku: Option<String>,
    /// Days to arrive when they differ from the supplier's, or "none".
    #[arg(long, allow_hyphen_values = true)]
    lead_time: Option<String>,
    /// Whether this supplier is the product's primary source (the other steps back).
    #[arg(long, value_name = "true|false")]
    primary: Option<bool>,
}

pub fn run(context: &Context, args: SupplierProductsArgs) -> Result<()> {
    match args.command {
        None => list(context, &args),
        Some(LineCommand::Set(set)) => put(context, set),
        Some(LineCommand::Remove(line)) => remove(context, &line),
    }
}

fn ids(ledger: &Ledger, actor: &Actor, line: &LineArgs) -> Result<(Uuid, Uuid)> {
    Ok((
        reference::find::<Supplier>(ledger, actor, &line.supplier)?.id,
        reference::find::<Product>(ledger, actor, &line.sku)?.id,
    ))
}

fn list(context: &Context, args: &SupplierProductsArgs) -> Result<()> {
    let (ledger, actor) = session::signed_in(context)?;
    let supplier = match &args.supplier {
        Some(code) => Some(reference::find::<Supplier>(&ledger, &actor, code)?.id),
        None => None,
    };
    let product = match &args.sku {
        Some(sku) => Some(reference::find::<Product>(&ledger, &actor, sku)?.id),
        None => None,
    };
    let lines = suppliers::products(&ledger, &actor, supplier, product, args.all)?;
    output::table(context, &lines, || {
        let mut table = Table::new(&[
            "supplier",
            "sku",
            "supplier sku",
            "cost",
            "pack",
            "min order",
            "lead time",
            "primary",
        ]);
        for line in &lines {
            table.row(vec![
                line.supplier_code.clone(),
                line.sku.clone(),
                line.terms.supplier_sku.clone(),
                line.terms.cost_price.to_string(),
                line.terms.pack_size.normalize().to_string(),
                line.terms.min_order.normalize().to_string(),
                line.lead_time_days.to_string(),
                if line.archived_at.is_some() {
                    "no longer bought".into()
                } else if line.terms.is_primary {
                    "yes".into()
                } else {
                    String::new()
                },
            ]);
        }
        table
    })
}

fn put(context: &Context, args: SetArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let (supplier_id, product_id) = ids(&ledger, &actor, &args.line)?;
    let current = suppliers::products(&ledger, &actor, Some(supplier_id), Some(product_id), true)?
        .into_iter()
        .next();
    let mut terms = match &current {
        Some(current) => current.terms.clone(),
        None => {
            if args.cost.is_none() {
                bail!("cost_price: required for a new line; give --cost PRICE");
            }
            SupplierTerms {
                supplier_id,
                product_id,
                supplier_sku: String::new(),
                cost_price: Decimal::ZERO,
                pack_size: Decimal::ONE,
                min_order: Decimal::ZERO,
                lead_time_days: None,
                is_primary: false,
            }
        }
    };
    if let Some(cost) = &args.cost {
        terms.cost_price = decimal("cost_price", cost)?;
    }
    if let Some(pack) = &args.pack {
        terms.pack_size = decimal("pack_size", pack)?;
    }
    if let Some(min_order) = &args.min_order {
        terms.min_order = decimal("min_order", min_order)?;
    }
    if let Some(sku) = args.supplier_sku {
        terms.supplier_sku = sku;
    }
    if let Some(days) = &args.lead_time {
        terms.lead_time_days = match days.trim() {
            "none" => None,
            days => match days.parse::<i64>() {
                Ok(days) => Some(crate::input::lead_time(days)?),
                Err(_) => bail!("lead_time_days: must be from 1 to 365, or none (got {days})"),
            },
        };
    }
    if let Some(primary) = args.primary {
        terms.is_primary = primary;
    }
    let line = suppliers::put(
        &mut ledger,
        &actor,
        terms,
        current.as_ref().map(|current| current.version),
    )?;
    done(context, &line, "set")
}

fn remove(context: &Context, args: &LineArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let (supplier_id, product_id) = ids(&ledger, &actor, args)?;
    let line = suppliers::remove(&mut ledger, &actor, supplier_id, product_id)?;
    done(context, &line, "removed")
}

fn done(context: &Context, line: &SupplierProduct, what: &str) -> Result<()> {
    output::emit(context, line, || {
        format!(
            "{what} {} from {}: {} a unit, packs of {}, at least {}, {} days{}",
            line.sku,
            line.supplier_code,
            line.terms.cost_price,
            line.terms.pack_size.normalize(),
            line.terms.min_order.normalize(),
            line.lead_time_days,
            if line.terms.is_primary {
                ", primary"
            } else {
                ""
            }
        )
    })
}
