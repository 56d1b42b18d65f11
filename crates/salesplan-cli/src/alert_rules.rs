//! `salesplan alerts rules list|add|remove|snooze|check`: a person's alert
//! rules from a terminal; `check` works them out now, as the app does after an
//! import, a sync or a close and daily while it runs.

use crate::input::decimal;
use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use salesplan_core::Actor;
use salesplan_core::alert_rules::{
    self, AlertRule, Notify, RuleCondition, RuleDefinition, RuleLevel, RuleMeasure, RuleWithin,
};
use salesplan_core::ledger::Ledger;
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::timestamp::Day;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Your rules, with what their last check found.
    List,
    /// A new rule: a measure, where, and when it holds.
    Add(AddArgs),
    /// Remove a rule (its id or last characters).
    Remove { id: String },
    /// Not told before a day (`--until YYYY-MM-DD`), or again at once (no `--until`).
    Snooze {
        id: String,
        #[arg(long)]
        until: Option<String>,
    },
    /// Work every rule out now; those that hold are told.
    Check,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Measure {
    /// Sales of the latest month that has ended.
    SalesMonth,
    /// Sales of the fiscal year to date.
    SalesYearToDate,
    /// The year to date against the same months of last year, in %.
    ChangeVsLastYear,
    /// The latest month against the month before, in %.
    ChangeVsLastMonth,
    /// The year to date against the approved plan, in %.
    VarianceVsBudget,
    /// How many stock alerts there are (of `--stock-kind`, or any).
    StockAlerts,
}

#[derive(Args)]
pub struct AddArgs {
    /// What the alert is called.
    #[arg(long)]
    name: String,
    #[arg(long, value_enum)]
    measure: Measure,
    /// Holds when the value is above this.
    #[arg(long, allow_hyphen_values = true, conflicts_with_all = ["below", "beyond"])]
    above: Option<String>,
    /// Holds when the value is below this.
    #[arg(long, allow_hyphen_values = true, conflicts_with_all = ["above", "beyond"])]
    below: Option<String>,
    /// Holds when the value is further from zero than this, either way (a change of more than x %).
    #[arg(long, conflicts_with_all = ["above", "below"])]
    beyond: Option<String>,
    /// Only this branch (its code).
    #[arg(long, conflicts_with_all = ["salesman", "sku"])]
    branch: Option<String>,
    /// Only this salesman (username).
    #[arg(long, conflicts_with_all = ["branch", "sku"])]
    salesman: Option<String>,
    /// Only this product (SKU).
    #[arg(long, conflicts_with_all = ["branch", "salesman"])]
    sku: Option<String>,
    /// For stock alerts: only this kind (below_reorder_point, stock_out_within_lead_time, overstock, dead_stock, negative_on_hand).
    #[arg(long)]
    stock_kind: Option<String>,
    /// Tell at every check while it holds, not only the first time.
    #[arg(long)]
    every: bool,
}

pub fn run(context: &Context, command: RulesCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    match command {
        RulesCommand::List => {
            let rules = alert_rules::list(&ledger, &actor)?;
            output::emit(context, &rules, || table(&rules))
        }
        RulesCommand::Add(args) => {
            let definition = definition(&ledger, &actor, args)?;
            let rule = alert_rules::add(&mut ledger, &actor, definition)?;
            output::emit(context, &rule, || format!("added rule {}", short(rule.id)))
        }
        RulesCommand::Remove { id } => {
            let id = find(&ledger, &actor, &id)?;
            alert_rules::remove(&mut ledger, &actor, id)?;
            output::emit(context, &serde_json::json!({ "removed": id }), || {
                "removed".into()
            })
        }
        RulesCommand::Snooze { id, until } => {
            let id = find(&ledger, &actor, &id)?;
            let until = until.map(|text| Day::parse("until", &text)).transpose()?;
            let rule = alert_rules::snooze(&mut ledger, &actor, id, until)?;
            output::emit(context, &rule, || match rule.snoozed_until {
                Some(day) => format!("not told before {day}"),
                None => "told again at once".into(),
            })
        }
        RulesCommand::Check => {
            let told = alert_rules::check(&mut ledger, &actor)?;
            let rules = alert_rules::list(&ledger, &actor)?;
            output::emit(
                context,
                &serde_json::json!({ "told": told, "rules": rules }),
                || {
                    let said: Vec<String> = told
                        .iter()
                        .filter_map(|rule| rule.message.clone())
                        .collect();
                    format!(
                        "{} rules checked, {} told\n{}",
                        rules.len(),
                        told.len(),
                        said.join("\n")
                    )
                    .trim_end()
                    .to_owned()
                },
            )
        }
    }
}

fn short(id: Uuid) -> String {
    let id = id.to_string();
    id[id.len() - 8..].to_owned()
}

fn table(rules: &[AlertRule]) -> String {
    let mut table = Table::new(&["id", "name", "state", "read", "snoozed until", "last check"]);
    for rule in rules {
        table.row(vec![
            short(rule.id),
            rule.definition.name.clone(),
            rule.state.key().into(),
            if rule.read { "yes" } else { "no" }.into(),
            output::optional(rule.snoozed_until),
            rule.message
                .clone()
                .unwrap_or_else(|| "not checked yet".into()),
        ]);
    }
    table.render()
}

/// One of the actor's rules by its id or its last characters (four or more).
fn find(ledger: &Ledger, actor: &Actor, named: &str) -> Result<Uuid> {
    let wanted = named.trim().to_lowercase();
    let found: Vec<Uuid> = alert_rules::list(ledger, actor)?
        .into_iter()
        .map(|rule| rule.id)
        .filter(|id| wanted.len() >= 4 && id.to_string().ends_with(&wanted))
        .collect();
    match found[..] {
        [id] => Ok(id),
        [] => bail!("no rule of yours '{wanted}' (see `salesplan alerts rules list`)"),
        _ => bail!("'{wanted}' names more than one rule: give more of its id"),
    }
}

fn definition(ledger: &Ledger, actor: &Actor, args: AddArgs) -> Result<RuleDefinition> {
    let (condition, threshold) = match (&args.above, &args.below, &args.beyond) {
        (Some(value), None, None) => (RuleCondition::Above, decimal("above", value)?),
        (None, Some(value), None) => (RuleCondition::Below, decimal("below", value)?),
        (None, None, Some(value)) => (RuleCondition::Beyond, decimal("beyond", value)?),
        _ => bail!("condition: give one of --above, --below or --beyond"),
    };
    let within = match (&args.branch, &args.salesman, &args.sku) {
        (Some(code), None, None) => Some(RuleWithin {
            level: RuleLevel::Branch,
            key: reference::find::<Location>(ledger, actor, code)?.id,
        }),
        (None, Some(username), None) => {
            match crate::budgets::salesman_named(ledger, actor, username)? {
                Some(id) => Some(RuleWithin {
                    level: RuleLevel::Salesman,
                    key: id,
                }),
                None => bail!("salesman: no salesman '{username}' in your scope"),
            }
        }
        (None, None, Some(sku)) => Some(RuleWithin {
            level: RuleLevel::Product,
            key: reference::find::<Product>(ledger, actor, sku)?.id,
        }),
        _ => None,
    };
    Ok(RuleDefinition {
        name: args.name,
        measure: match args.measure {
            Measure::SalesMonth => RuleMeasure::SalesMonth,
            Measure::SalesYearToDate => RuleMeasure::SalesYearToDate,
            Measure::ChangeVsLastYear => RuleMeasure::ChangeVsLastYear,
            Measure::ChangeVsLastMonth => RuleMeasure::ChangeVsLastMonth,
            Measure::VarianceVsBudget => RuleMeasure::VarianceVsBudget,
            Measure::StockAlerts => RuleMeasure::StockAlerts,
        },
        within,
        condition,
        threshold,
        stock_kind: args.stock_kind,
        notify: if args.every {
            Notify::Every
        } else {
            Notify::First
        },
    })
}
