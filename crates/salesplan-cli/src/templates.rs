//! `salesplan templates list|save|delete`: reusable budget templates (lines and a
//! seasonality profile); `budgets create --template NAME` builds from one.

use crate::output::{self, Table};
use crate::{Context, budgets, session};
use anyhow::{Result, bail};
use clap::Subcommand;
use salesplan_core::budgets::templates::{self, NewTemplate, Template};
use salesplan_core::{Actor, Ledger};
use uuid::Uuid;

#[derive(Subcommand)]
pub enum TemplatesCommand {
    /// The templates, with their lines' yearly totals and seasonality.
    List,
    /// Save a budget's lines and seasonality as a template.
    Save {
        budget: String,
        #[arg(long)]
        name: String,
    },
    /// Remove a template (whoever saved it, or an administrator).
    Delete { name: String },
    /// Let everyone who builds budgets use a template (it copies its maker's budget: sharing is a choice).
    Share { name: String },
    /// Take a shared template back: only its maker (and whoever may see their budgets) sees it again.
    Unshare { name: String },
}

/// The template with this name (without regard to case).
pub fn find(ledger: &Ledger, actor: &Actor, name: &str) -> Result<Uuid> {
    match templates::list(ledger, actor)?
        .into_iter()
        .find(|template| template.name.eq_ignore_ascii_case(name.trim()))
    {
        Some(template) => Ok(template.id),
        None => bail!("template: no template named '{name}' (see `salesplan templates list`)"),
    }
}

fn yearly_amount(template: &Template) -> rust_decimal::Decimal {
    template
        .lines
        .iter()
        .map(|line| line.quantity * line.unit_price)
        .sum()
}

pub fn run(context: &Context, command: TemplatesCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    match command {
        TemplatesCommand::List => {
            let list = templates::list(&ledger, &actor)?;
            output::table(context, &list, || {
                let mut table = Table::new(&[
                    "name",
                    "products",
                    "yearly amount",
                    "seasonality %",
                    "saved by",
                    "shared",
                ]);
                for template in &list {
                    let shares: Vec<String> = template
                        .seasonality
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                    table.row(vec![
                        template.name.clone(),
                        template.lines.len().to_string(),
                        salesplan_core::money::cents(yearly_amount(template)).to_string(),
                        shares.join(" "),
                        template.created_by_name.clone(),
                        if template.shared { "yes" } else { "no" }.to_owned(),
                    ]);
                }
                table
            })
        }
        TemplatesCommand::Save { budget, name } => {
            let from_budget = budgets::find_budget(&ledger, &actor, &budget)?;
            let new_template = NewTemplate {
                name,
                from_budget,
                seasonality: None,
            };
            let template = templates::save(&mut ledger, &actor, new_template)?;
            output::emit(context, &template, || {
                format!(
                    "saved template '{}': {} products",
                    template.name,
                    template.lines.len()
                )
            })
        }
        TemplatesCommand::Share { name } => share(context, &mut ledger, &actor, &name, true),
        TemplatesCommand::Unshare { name } => share(context, &mut ledger, &actor, &name, false),
        TemplatesCommand::Delete { name } => {
            let id = find(&ledger, &actor, &name)?;
            templates::delete(&mut ledger, &actor, id)?;
            output::emit(context, &serde_json::json!({ "deleted": name }), || {
                format!("deleted template '{name}'")
            })
        }
    }
}

fn share(
    context: &Context,
    ledger: &mut Ledger,
    actor: &Actor,
    name: &str,
    shared: bool,
) -> Result<()> {
    let id = find(ledger, actor, name)?;
    let template = templates::share(ledger, actor, id, shared)?;
    output::emit(context, &template, || {
        if shared {
            format!("template '{name}' is shared with everyone who builds budgets")
        } else {
            format!("template '{name}' is no longer shared")
        }
    })
}
