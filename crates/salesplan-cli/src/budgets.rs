//! `salesplan budgets …`: build, edit, spread, move through approval, and compare with actuals.
//! A budget is named by its id or its last characters (`budgets list` shows the last 8):
//! ids are UUID v7, whose start is a timestamp shared by budgets made in the same minute,
//! while the end is random.

use crate::input::decimal;
use crate::output::{self, Table, optional};
use crate::reference::Codes;
use crate::{Context, session};
use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use salesplan_core::budgets::distribute::{self, Distribution, Shares};
use salesplan_core::budgets::expenses::{self, NewExpense, NewSpending, Receipt};
use salesplan_core::budgets::variance::{self, VarianceLevel, VarianceQuery};
use salesplan_core::budgets::{
    self, Budget, BudgetSheet, BudgetSummary, LineEdit, NewBudget, OwnerKind, OwnerRef,
    SpreadMeasure, SpreadProfile, SpreadRequest, Transition,
};
use salesplan_core::month::Month;
use salesplan_core::reference::{self, BudgetCategory, Product};
use salesplan_core::{Actor, Ledger, Role};
use uuid::Uuid;

#[derive(Subcommand)]
pub enum BudgetsCommand {
    /// The budgets you may see.
    List {
        #[arg(long)]
        year: Option<i32>,
    },
    /// One budget: lines by product and month, totals and history.
    Show {
        budget: String,
    },
    /// A new budget: empty, from last year's actuals ± a percentage, or from a template.
    Create(CreateArgs),
    /// A new version (scenario) of a budget, optionally changed by a percentage.
    Copy {
        budget: String,
        #[arg(long)]
        scenario: String,
        #[arg(long, allow_hyphen_values = true)]
        percent: Option<String>,
    },
    /// Set one cell: a product in a month.
    EditLine(EditLineArgs),
    /// Share a yearly quantity or amount of a product over the months.
    Spread(SpreadArgs),
    /// Change a budget's lines by a percentage: one product's (--sku), or all of them.
    Adjust {
        budget: String,
        #[arg(long, allow_hyphen_values = true)]
        percent: String,
        #[arg(long)]
        sku: Option<String>,
    },
    /// Send a budget for approval.
    Submit {
        budget: String,
    },
    Approve {
        budget: String,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Send it back to its owner; a comment is required.
    Reject {
        budget: String,
        #[arg(long)]
        comment: String,
    },
    Lock {
        budget: String,
    },
    /// Reopen an approved or locked budget (administrators); a comment is required.
    Unlock {
        budget: String,
        #[arg(long)]
        comment: String,
    },
    /// Budgets waiting for your approval.
    Inbox,
    /// Budget against actual by month, quarter, year to date and full year.
    Variance(VarianceArgs),
    /// Share a total among branches or salesmen (a preview; --apply makes the budgets).
    Distribute(DistributeArgs),
    /// A budget's expense lines: allocated, spent, remaining.
    Expenses {
        budget: String,
    },
    /// Add an expense line: money allocated to a budget category.
    ExpenseAdd {
        budget: String,
        /// Budget category code, e.g. TRV.
        #[arg(long)]
        category: String,
        #[arg(long)]
        allocated: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Record money spent against an expense line (negative for a refund).
    Spend {
        budget: String,
        #[arg(long)]
        category: String,
        /// Which line of that category, when there are several.
        #[arg(long)]
        description: Option<String>,
        /// The day spent, YYYY-MM-DD.
        #[arg(long)]
        day: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long, default_value = "")]
        note: String,
        /// A receipt file to keep with it (at most 5 MB).
        #[arg(long)]
        receipt: Option<std::path::PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Recipients {
    Branches,
    Salesmen,
}

#[derive(Args)]
pub struct DistributeArgs {
    #[arg(long)]
    year: i32,
    #[arg(long, default_value = "Base")]
    scenario: String,
    #[arg(long)]
    total: String,
    #[arg(long, value_enum)]
    to: Recipients,
    /// Only the salesmen of this branch (code), with --to salesmen.
    #[arg(long)]
    within: Option<String>,
    /// Shares by weight instead of last year's sales: "BR-N=3,BR-S=2" or "sam=2,nina=1".
    #[arg(long)]
    weights: Option<String>,
    /// Equal shares instead of last year's sales.
    #[arg(long, conflicts_with = "weights")]
    equal: bool,
    /// Make a budget for each share.
    #[arg(long)]
    apply: bool,
}

#[derive(Args)]
pub struct CreateArgs {
    #[arg(long)]
    year: i32,
    #[arg(long, default_value = "Base")]
    scenario: String,
    /// A salesman's username (default: yourself, if you are one).
    #[arg(long)]
    salesman: Option<String>,
    /// A department code, for a department budget.
    #[arg(long)]
    department: Option<String>,
    /// A branch code, for a branch budget.
    #[arg(long)]
    location: Option<String>,
    /// Start from last year's actuals changed by this percentage, e.g. 5 or -3.
    #[arg(long, allow_hyphen_values = true)]
    from_last_year: Option<String>,
    /// Or start from a template (its name): its lines spread by its seasonality.
    #[arg(long, conflicts_with = "from_last_year")]
    template: Option<String>,
}

#[derive(Args)]
pub struct EditLineArgs {
    budget: String,
    #[arg(long)]
    sku: String,
    /// The month, YYYY-MM.
    #[arg(long)]
    month: String,
    #[arg(long, allow_hyphen_values = true)]
    quantity: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    price: Option<String>,
    /// Type the amount directly instead of quantity × price.
    #[arg(long, allow_hyphen_values = true)]
    amount: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Profile {
    Flat,
    LastYear,
    Weights,
}

#[derive(Clone, Copy, ValueEnum)]
enum Measure {
    Quantity,
    Amount,
}

impl From<Measure> for SpreadMeasure {
    fn from(measure: Measure) -> SpreadMeasure {
        match measure {
            Measure::Quantity => SpreadMeasure::Quantity,
            Measure::Amount => SpreadMeasure::Amount,
        }
    }
}

#[derive(Args)]
pub struct SpreadArgs {
    budget: String,
    #[arg(long)]
    sku: String,
    /// The yearly total: a quantity, or an amount with --of amount.
    #[arg(long, allow_hyphen_values = true)]
    total: String,
    /// What the total counts: units (whole), or money (to the cent, entered as each month's amount).
    #[arg(long, value_enum, default_value = "quantity")]
    of: Measure,
    #[arg(long, value_enum, default_value = "flat")]
    profile: Profile,
    /// With --profile weights: 12 comma-separated weights, first fiscal month first.
    #[arg(long)]
    weights: Option<String>,
}

#[derive(Args)]
pub struct VarianceArgs {
    #[arg(long)]
    year: i32,
    #[arg(long, default_value = "Base")]
    scenario: String,
    #[arg(long, value_enum, default_value = "company")]
    level: Level,
    /// The last month counted in year to date (default: the last month with actuals).
    #[arg(long)]
    through: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Level {
    Company,
    Department,
    Branch,
    Salesman,
    Category,
    Product,
}

impl From<Level> for VarianceLevel {
    fn from(level: Level) -> VarianceLevel {
        match level {
            Level::Company => VarianceLevel::Company,
            Level::Department => VarianceLevel::Department,
            Level::Branch => VarianceLevel::Branch,
            Level::Salesman => VarianceLevel::Salesman,
            Level::Category => VarianceLevel::Category,
            Level::Product => VarianceLevel::Product,
        }
    }
}

fn optional_decimal(field: &str, text: Option<&str>) -> Result<Option<Decimal>> {
    text.map(|text| decimal(field, text)).transpose()
}

/// The budget whose id is `text` or ends with it (at least 4 characters).
pub fn find_budget(ledger: &Ledger, actor: &Actor, text: &str) -> Result<Uuid> {
    let text = text.trim().to_lowercase();
    if let Ok(id) = Uuid::parse_str(&text) {
        return Ok(id);
    }
    if text.len() < 4 {
        bail!("budget: give at least 4 characters of its id (see `salesplan budgets list`)");
    }
    let matches: Vec<Uuid> = budgets::list(ledger, actor, None)?
        .into_iter()
        .map(|summary| summary.budget.id)
        .filter(|id| id.to_string().ends_with(&text))
        .collect();
    match matches.as_slice() {
        [id] => Ok(*id),
        [] => bail!("no budget '{text}' that you may see"),
        _ => bail!(
            "budget: '{text}' matches {} budgets; give more of the id",
            matches.len()
        ),
    }
}

fn product_id(ledger: &Ledger, actor: &Actor, sku: &str) -> Result<Uuid> {
    Ok(reference::find::<Product>(ledger, actor, sku)?.id)
}

/// The last 8 characters of an id: its random part, unique in practice.
fn short(id: Uuid) -> String {
    let text = id.to_string();
    text[text.len() - 8..].to_owned()
}

pub fn run(context: &Context, command: BudgetsCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    match command {
        BudgetsCommand::List { year } => summaries(context, &budgets::list(&ledger, &actor, year)?),
        BudgetsCommand::Inbox => summaries(context, &budgets::inbox(&ledger, &actor)?),
        BudgetsCommand::Show { budget } => {
            let sheet = budgets::show(&ledger, &actor, find_budget(&ledger, &actor, &budget)?)?;
            show_sheet(context, &ledger, &actor, &sheet)
        }
        BudgetsCommand::Create(args) => {
            let owner = owner_of(&ledger, &actor, &args)?;
            let new_budget = NewBudget {
                fiscal_year: args.year,
                scenario: args.scenario,
                owner,
                from_last_year_percent: optional_decimal(
                    "from_last_year",
                    args.from_last_year.as_deref(),
                )?,
                template_id: args
                    .template
                    .as_deref()
                    .map(|name| crate::templates::find(&ledger, &actor, name))
                    .transpose()?,
            };
            let sheet = budgets::create(&mut ledger, &actor, new_budget)?;
            done(context, &sheet.budget, "created")
        }
        BudgetsCommand::Copy {
            budget,
            scenario,
            percent,
        } => {
            let from = find_budget(&ledger, &actor, &budget)?;
            let percent = optional_decimal("percent", percent.as_deref())?;
            let sheet = budgets::copy(&mut ledger, &actor, from, &scenario, percent)?;
            done(context, &sheet.budget, "created")
        }
        BudgetsCommand::EditLine(args) => {
            let id = find_budget(&ledger, &actor, &args.budget)?;
            let edit = LineEdit {
                product_id: product_id(&ledger, &actor, &args.sku)?,
                period: Month::parse("month", &args.month)?,
                quantity: optional_decimal("quantity", args.quantity.as_deref())?,
                unit_price: optional_decimal("price", args.price.as_deref())?,
                amount: optional_decimal("amount", args.amount.as_deref())?,
                base_version: None,
            };
            let line = budgets::set_line(&mut ledger, &actor, id, edit)?;
            output::emit(context, &line, || {
                format!(
                    "{} {}: {} × {} = {}",
                    args.sku, line.period, line.quantity, line.unit_price, line.amount
                )
            })
        }
        BudgetsCommand::Adjust {
            budget,
            percent,
            sku,
        } => {
            let id = find_budget(&ledger, &actor, &budget)?;
            let product = sku
                .as_deref()
                .map(|sku| product_id(&ledger, &actor, sku))
                .transpose()?;
            let percent = decimal("percent", &percent)?;
            let lines = budgets::adjust(&mut ledger, &actor, id, product, percent)?;
            output::emit(context, &lines, || {
                format!("changed {} lines by {percent} %", lines.len())
            })
        }
        BudgetsCommand::Spread(args) => {
            let id = find_budget(&ledger, &actor, &args.budget)?;
            let profile = match (args.profile, args.weights.as_deref()) {
                (Profile::Flat, _) => SpreadProfile::Flat,
                (Profile::LastYear, _) => SpreadProfile::LastYear,
                (Profile::Weights, None) => bail!("weights: give --weights with 12 numbers"),
                (Profile::Weights, Some(text)) => SpreadProfile::Custom {
                    weights: text
                        .split(',')
                        .map(|weight| decimal("weights", weight))
                        .collect::<Result<_>>()?,
                },
            };
            let product = product_id(&ledger, &actor, &args.sku)?;
            let total = decimal("total", &args.total)?;
            let request = SpreadRequest {
                product_id: product,
                total,
                measure: args.of.into(),
                profile,
            };
            let lines = budgets::spread_total(&mut ledger, &actor, id, request)?;
            output::table(context, &lines, || {
                let mut table = Table::new(&["month", "quantity", "unit price", "amount"]);
                for line in &lines {
                    table.row(vec![
                        line.period.to_string(),
                        line.quantity.to_string(),
                        line.unit_price.to_string(),
                        line.amount.to_string(),
                    ]);
                }
                table
            })
        }
        BudgetsCommand::Submit { budget } => step(
            context,
            &mut ledger,
            &actor,
            &budget,
            Transition::Submit,
            "",
        ),
        BudgetsCommand::Approve { budget, comment } => step(
            context,
            &mut ledger,
            &actor,
            &budget,
            Transition::Approve,
            &comment,
        ),
        BudgetsCommand::Reject { budget, comment } => step(
            context,
            &mut ledger,
            &actor,
            &budget,
            Transition::Reject,
            &comment,
        ),
        BudgetsCommand::Lock { budget } => {
            step(context, &mut ledger, &actor, &budget, Transition::Lock, "")
        }
        BudgetsCommand::Unlock { budget, comment } => step(
            context,
            &mut ledger,
            &actor,
            &budget,
            Transition::Unlock,
            &comment,
        ),
        BudgetsCommand::Distribute(args) => distribute(context, &mut ledger, &actor, args),
        BudgetsCommand::Expenses { budget } => {
            let id = find_budget(&ledger, &actor, &budget)?;
            let lines = expenses::list(&ledger, &actor, id)?;
            output::table(context, &lines, || {
                let mut table =
                    Table::new(&["category", "description", "allocated", "spent", "remaining"]);
                for line in &lines {
                    table.row(vec![
                        line.category_name.clone(),
                        line.description.clone(),
                        line.allocated.to_string(),
                        line.spent.to_string(),
                        line.remaining.to_string(),
                    ]);
                }
                table
            })
        }
        BudgetsCommand::ExpenseAdd {
            budget,
            category,
            allocated,
            description,
        } => {
            let id = find_budget(&ledger, &actor, &budget)?;
            let category_id = reference::find::<BudgetCategory>(&ledger, &actor, &category)?.id;
            let line = NewExpense {
                category_id,
                description,
                allocated: decimal("allocated", &allocated)?,
            };
            let added = expenses::add(&mut ledger, &actor, id, line)?;
            output::emit(context, &added, || {
                format!(
                    "added {} {}: {} allocated",
                    added.category_name, added.description, added.allocated
                )
            })
        }
        BudgetsCommand::Spend {
            budget,
            category,
            description,
            day,
            amount,
            note,
            receipt,
        } => {
            let id = find_budget(&ledger, &actor, &budget)?;
            let category_id = reference::find::<BudgetCategory>(&ledger, &actor, &category)?.id;
            let lines: Vec<_> = expenses::list(&ledger, &actor, id)?
                .into_iter()
                .filter(|line| line.category_id == category_id)
                .filter(|line| {
                    description
                        .as_deref()
                        .is_none_or(|d| line.description.eq_ignore_ascii_case(d.trim()))
                })
                .collect();
            let line = match lines.as_slice() {
                [line] => line.clone(),
                [] => bail!(
                    "no expense line for {category} in this budget (add one with `budgets expense-add`)"
                ),
                _ => bail!(
                    "{} expense lines for {category}: say which with --description",
                    lines.len()
                ),
            };
            let receipt = match receipt {
                None => None,
                Some(path) => {
                    let bytes = std::fs::read(&path).map_err(|error| {
                        anyhow::anyhow!("receipt: cannot read {}: {error}", path.display())
                    })?;
                    let name = path
                        .file_name()
                        .map(|name| name.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    Some(Receipt { name, bytes })
                }
            };
            let spent = NewSpending {
                expense_id: line.id,
                spent_on: day,
                amount: decimal("amount", &amount)?,
                note,
                receipt,
            };
            let spending = expenses::spend(&mut ledger, &actor, spent)?;
            output::emit(context, &spending, || {
                format!(
                    "spent {} on {} against {}",
                    spending.amount, spending.spent_on, line.category_name
                )
            })
        }
        BudgetsCommand::Variance(args) => {
            let query = VarianceQuery {
                fiscal_year: args.year,
                scenario: Some(args.scenario),
                level: args.level.into(),
                basis: None,
                through: args
                    .through
                    .as_deref()
                    .map(|through| Month::parse("through", through))
                    .transpose()?,
                within: None,
            };
            let report = variance::report(&ledger, &actor, query)?;
            output::emit(context, &report, || {
                let through = report
                    .year_to_date_through
                    .map_or_else(|| "no month yet".to_owned(), |month| month.to_string());
                let mut table = Table::new(&[
                    "",
                    "budget YTD",
                    "actual YTD",
                    "variance",
                    "%",
                    "budget year",
                    "actual year",
                ]);
                for row in report.rows.iter().chain(std::iter::once(&report.total)) {
                    let ytd = &row.year_to_date;
                    table.row(vec![
                        row.label.clone(),
                        optional(ytd.budget),
                        ytd.actual.to_string(),
                        optional(ytd.variance),
                        optional(ytd.variance_percent),
                        optional(row.full_year.budget),
                        row.full_year.actual.to_string(),
                    ]);
                }
                let missing = report
                    .plan
                    .missing(report.fiscal_year, &report.scenario)
                    .map(|missing| format!("{missing}.\n"))
                    .unwrap_or_default();
                format!(
                    "{missing}{} {}, year to date through {through}:\n{}",
                    report.scenario,
                    report.fiscal_year,
                    table.render()
                )
            })
        }
    }
}

fn distribute(
    context: &Context,
    ledger: &mut Ledger,
    actor: &Actor,
    args: DistributeArgs,
) -> Result<()> {
    let codes = Codes::load(ledger, actor)?;
    let within_location = args
        .within
        .as_deref()
        .map(|code| Codes::id(&codes.locations, "location", code))
        .transpose()?
        .flatten();
    let shares = match args.weights.as_deref() {
        None if args.equal => Shares::Equal,
        None => Shares::LastYear,
        Some(text) => {
            let salesmen = users_by_name(ledger, actor)?;
            let mut weights = Vec::new();
            for pair in text.split(',') {
                let Some((name, weight)) = pair.split_once('=') else {
                    bail!("weights: write name=weight, e.g. BR-N=3")
                };
                let id = match args.to {
                    Recipients::Branches => Codes::id(&codes.locations, "location", name)?,
                    Recipients::Salesmen => salesmen
                        .iter()
                        .find(|(username, _)| username.eq_ignore_ascii_case(name.trim()))
                        .map(|(_, id)| *id),
                };
                let Some(id) = id else {
                    bail!(
                        "weights: no {} '{name}'",
                        if matches!(args.to, Recipients::Branches) {
                            "branch"
                        } else {
                            "salesman"
                        }
                    )
                };
                weights.push((id, decimal("weights", weight)?));
            }
            Shares::Weights { weights }
        }
    };
    let plan = Distribution {
        fiscal_year: args.year,
        scenario: args.scenario,
        total: decimal("total", &args.total)?,
        to: match args.to {
            Recipients::Branches => OwnerKind::Location,
            Recipients::Salesmen => OwnerKind::Salesman,
        },
        within_location,
        shares,
    };
    let targets = if args.apply {
        distribute::apply(ledger, actor, plan)?
    } else {
        distribute::targets(ledger, actor, &plan)?
    };
    output::table(context, &targets, || {
        let mut table = Table::new(&["to", "amount", "budget"]);
        for target in &targets {
            table.row(vec![
                target.name.clone(),
                target.amount.to_string(),
                target.budget_id.map_or_else(|| "(preview)".into(), short),
            ]);
        }
        table
    })
}

/// A salesman in the actor's scope, by username; none when there is no such one.
pub fn salesman_named(ledger: &Ledger, actor: &Actor, username: &str) -> Result<Option<Uuid>> {
    Ok(budgets::salesmen(ledger, actor)?
        .into_iter()
        .find(|salesman| salesman.username.eq_ignore_ascii_case(username.trim()))
        .map(|salesman| salesman.id))
}

fn users_by_name(ledger: &Ledger, actor: &Actor) -> Result<Vec<(String, Uuid)>> {
    Ok(budgets::salesmen(ledger, actor)?
        .into_iter()
        .map(|salesman| (salesman.username, salesman.id))
        .collect())
}

fn owner_of(ledger: &Ledger, actor: &Actor, args: &CreateArgs) -> Result<OwnerRef> {
    let codes = Codes::load(ledger, actor)?;
    match (&args.salesman, &args.department, &args.location) {
        (Some(username), None, None) => match salesman_named(ledger, actor, username)? {
            Some(id) => Ok(OwnerRef {
                kind: OwnerKind::Salesman,
                id,
            }),
            None => bail!("salesman: no salesman '{username}' whose budget you may build"),
        },
        (None, Some(code), None) => match Codes::id(&codes.departments, "department", code)? {
            Some(id) => Ok(OwnerRef {
                kind: OwnerKind::Department,
                id,
            }),
            None => bail!("department: give a department code"),
        },
        (None, None, Some(code)) => match Codes::id(&codes.locations, "location", code)? {
            Some(id) => Ok(OwnerRef {
                kind: OwnerKind::Location,
                id,
            }),
            None => bail!("location: give a branch code"),
        },
        (None, None, None) if actor.role == Role::Salesman => Ok(OwnerRef {
            kind: OwnerKind::Salesman,
            id: actor.id,
        }),
        (None, None, None) => {
            bail!("owner: give --salesman NAME, --department CODE or --location CODE")
        }
        _ => bail!("owner: give only one of --salesman, --department and --location"),
    }
}

fn step(
    context: &Context,
    ledger: &mut Ledger,
    actor: &Actor,
    budget: &str,
    transition: Transition,
    comment: &str,
) -> Result<()> {
    let id = find_budget(ledger, actor, budget)?;
    let budget = budgets::transition(ledger, actor, id, transition, comment)?;
    done(context, &budget, budget.status.key())
}

fn done(context: &Context, budget: &Budget, what: &str) -> Result<()> {
    output::emit(context, budget, || {
        format!(
            "{what}: budget {} ({} {} {}, {})",
            short(budget.id),
            budget.fiscal_year,
            budget.scenario,
            budget.owner_name,
            budget.status.key()
        )
    })
}

fn summaries(context: &Context, list: &[BudgetSummary]) -> Result<()> {
    output::table(context, &list, || {
        let mut table = Table::new(&["id", "year", "scenario", "owner", "status", "total"]);
        for summary in list {
            let budget = &summary.budget;
            table.row(vec![
                short(budget.id),
                budget.fiscal_year.to_string(),
                budget.scenario.clone(),
                budget.owner_name.clone(),
                budget.status.key().into(),
                format!("{} {}", summary.total_amount, budget.currency),
            ]);
        }
        table
    })
}

/// Quantities by product (rows) and month (columns), with totals.
fn show_sheet(
    context: &Context,
    ledger: &Ledger,
    actor: &Actor,
    sheet: &BudgetSheet,
) -> Result<()> {
    let skus: std::collections::HashMap<Uuid, String> =
        reference::list::<Product>(ledger, actor, true)?
            .into_iter()
            .map(|product| (product.id, product.fields.sku))
            .collect();
    output::emit(context, sheet, || {
        let budget = &sheet.budget;
        let mut text = format!(
            "budget {} · {} {} · {} · {} · total {} {}\n\n",
            short(budget.id),
            budget.fiscal_year,
            budget.scenario,
            budget.owner_name,
            budget.status.key(),
            sheet.total_amount,
            budget.currency
        );
        let short: Vec<String> = sheet
            .periods
            .iter()
            .map(|period| period.to_string()[2..].to_owned())
            .collect();
        let mut headers = vec!["sku"];
        headers.extend(short.iter().map(String::as_str));
        headers.push("amount");
        let mut table = Table::new(&headers);
        let mut products: Vec<Uuid> = sheet.lines.iter().map(|line| line.product_id).collect();
        products.dedup();
        for product in products {
            let mut cells = vec![skus.get(&product).cloned().unwrap_or_default()];
            let mut amount = Decimal::ZERO;
            for period in &sheet.periods {
                let line = sheet
                    .lines
                    .iter()
                    .find(|line| line.product_id == product && &line.period == period);
                cells.push(line.map_or_else(String::new, |line| line.quantity.to_string()));
                amount += line.map_or(Decimal::ZERO, |line| line.amount);
            }
            cells.push(amount.to_string());
            table.row(cells);
        }
        text.push_str(&table.render());
        for step in &sheet.history {
            text.push_str(&format!(
                "\n{} {} → {} by {} {}",
                step.recorded_at,
                step.from_status.key(),
                step.to_status.key(),
                step.username,
                step.comment
            ));
        }
        text
    })
}
