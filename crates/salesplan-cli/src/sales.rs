//! `salesplan sales [add]`: actual sales in your scope by month, and entering one by hand
//! (a negative quantity is a return or a reversing entry: facts are never edited).

use crate::input::decimal;
use crate::output::{self, Table};
use crate::reference::Codes;
use crate::{Context, session};
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use salesplan_core::reference::{self, Customer, Product};
use salesplan_core::sales::{self, NewSale};
use salesplan_core::{Actor, Ledger};
use uuid::Uuid;

#[derive(Subcommand)]
pub enum SalesCommand {
    /// Record an actual sale.
    Add(AddArgs),
}

#[derive(Args)]
pub struct AddArgs {
    /// The month sold, YYYY-MM.
    #[arg(long)]
    month: String,
    #[arg(long)]
    sku: String,
    /// The branch that sold it (code).
    #[arg(long)]
    branch: String,
    /// The salesman (username); default: yourself, if you are one.
    #[arg(long)]
    salesman: Option<String>,
    /// The customer (code).
    #[arg(long)]
    customer: Option<String>,
    /// Negative for a return.
    #[arg(long, allow_hyphen_values = true)]
    quantity: String,
    /// Unit price (default: the product's list price).
    #[arg(long)]
    price: Option<String>,
}

pub fn run(context: &Context, command: Option<SalesCommand>) -> Result<()> {
    match command {
        None => overview(context),
        Some(SalesCommand::Add(args)) => add(context, args),
    }
}

fn overview(context: &Context) -> Result<()> {
    let (ledger, actor) = session::signed_in(context)?;
    let overview = sales::overview(&ledger, &actor)?;
    output::table(context, &overview, || {
        let mut table = Table::new(&["month", "quantity", "amount"]);
        for month in &overview.months {
            table.row(vec![
                month.period.to_string(),
                month.quantity.to_string(),
                month.amount.to_string(),
            ]);
        }
        table
    })
}

/// The salesman a sale is for: one the actor may post for, by username.
fn salesman_id(ledger: &Ledger, actor: &Actor, username: Option<&str>) -> Result<Option<Uuid>> {
    let Some(username) = username else {
        return Ok((actor.role == salesplan_core::Role::Salesman).then_some(actor.id));
    };
    match crate::budgets::salesman_named(ledger, actor, username)? {
        Some(id) => Ok(Some(id)),
        None => bail!("salesman: no salesman '{username}' whose sales you may enter"),
    }
}

fn add(context: &Context, args: AddArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let product = reference::find::<Product>(&ledger, &actor, &args.sku)?;
    let codes = Codes::load(&ledger, &actor)?;
    let Some(location_id) = Codes::id(&codes.locations, "branch", &args.branch)? else {
        bail!("branch: give a branch code");
    };
    let customer_id = match &args.customer {
        None => None,
        Some(code) => Some(reference::find::<Customer>(&ledger, &actor, code)?.id),
    };
    let sale = NewSale {
        period: args.month,
        product_id: product.id,
        location_id,
        salesman_id: salesman_id(&ledger, &actor, args.salesman.as_deref())?,
        customer_id,
        quantity: decimal("quantity", &args.quantity)?,
        unit_price: match &args.price {
            Some(price) => decimal("price", price)?,
            None => product.fields.list_price,
        },
    };
    let posted = sales::post(&mut ledger, &actor, vec![sale])?;
    output::emit(context, &posted, || {
        posted
            .iter()
            .map(|sale| {
                format!(
                    "recorded {} {}: {} × {} = {}",
                    product.fields.sku, sale.period, sale.quantity, sale.unit_price, sale.amount
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}
