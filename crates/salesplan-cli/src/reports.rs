//! `salesplan report run NAME | --measure … --rows …`: a report in a terminal,
//! as a table, JSON, csv or xlsx, or the sales behind one of its cells;
//! `salesplan reports list|save|delete`: the reports saved under a name.

use crate::export::{Format as FileFormat, export};
use crate::output::{self, Table};
use crate::{Context, budgets, session};
use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use salesplan_core::exports::ExportWhat;
use salesplan_core::ledger::Ledger;
use salesplan_core::month::Month;
use salesplan_core::reference::{self, Customer, Department, Location, Product, ProductCategory};
use salesplan_core::reports::drill::{self, CellMember};
use salesplan_core::reports::saved::{self, ReportToSave, SavedReport};
use salesplan_core::reports::{
    ChartSettings, Comparison, Dimension, Filter, Measure, Period, ReportDefinition, ReportResult,
    RowOrder, Visual,
};
use salesplan_core::{Actor, reports};
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Run a saved report (its name) or one described by the options.
    Run(RunArgs),
}

#[derive(Subcommand)]
pub enum ReportsCommand {
    /// Your reports and those shared with everyone.
    List,
    /// Save the report the options describe under a name (one of yours of that name is replaced).
    Save {
        name: String,
        #[command(flatten)]
        definition: DefinitionArgs,
        /// Everyone may run it (each sees their own scope).
        #[arg(long)]
        shared: bool,
    },
    /// Delete one of your reports (everyone it was shared with loses it).
    Delete { name: String },
}

/// What a report asks, from options.
#[derive(Args, Default)]
pub struct DefinitionArgs {
    /// Measures, comma-separated: sales_amount, sales_quantity, budget,
    /// budget_quantity, variance, variance_percent, margin, forecast,
    /// forecast_quantity, landing, stock_on_hand, stock_value, stock_cover.
    #[arg(long)]
    measure: Option<String>,
    /// Row dimensions, comma-separated: product, category, branch,
    /// department, salesman, customer, month, quarter, fiscal_year.
    #[arg(long)]
    rows: Option<String>,
    /// Column dimensions, comma-separated (as --rows).
    #[arg(long)]
    columns: Option<String>,
    /// Keep only these: `branch=BR-N,BR-S`, `salesman=sam`, `product=BEV-001`
    /// (codes, SKUs and usernames); may be given for several dimensions.
    #[arg(long)]
    filter: Vec<String>,
    /// The months: a fiscal year (`2026`), `year` (the current one), `ytd`,
    /// `last12` (the last N whole months) or `2026-01..2026-06`.
    #[arg(long, default_value = "ytd")]
    period: String,
    /// Set beside: `ly` (last year), `budget` or `forecast`.
    #[arg(long)]
    compare: Option<String>,
    /// How the app draws it: table, pivot, bar, stacked_bar, line, area, heatmap.
    #[arg(long, default_value = "table")]
    visual: String,
    /// Order rows by name, or by the first measure's total.
    #[arg(long, value_enum, default_value = "name")]
    order: Order,
    /// Only the first N rows (the total stays that of all).
    #[arg(long)]
    top: Option<u16>,
}

#[derive(Clone, Copy, Default, ValueEnum)]
enum Order {
    #[default]
    Name,
    Largest,
    Smallest,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Xlsx,
}

#[derive(Args)]
pub struct RunArgs {
    /// A saved report's name (or id); without it, the options describe the report.
    name: Option<String>,
    #[command(flatten)]
    definition: DefinitionArgs,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// The file csv and xlsx are written to.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The sales behind one cell: its members, `branch=BR-N,month=2026-03`.
    #[arg(long)]
    drill: Option<String>,
}

pub fn run(context: &Context, command: ReportCommand) -> Result<()> {
    let ReportCommand::Run(args) = command;
    let (mut ledger, actor) = session::signed_in(context)?;
    let (name, definition) = match &args.name {
        Some(name) => {
            let report = saved::find(&ledger, &actor, name)?;
            (Some(report.name), report.definition)
        }
        None => (None, definition(&ledger, &actor, &args.definition)?),
    };
    if let Some(cell) = &args.drill {
        let members = cell_members(&ledger, &actor, cell)?;
        let rows = drill::drill(&ledger, &actor, &definition, &members)?;
        return output::emit(context, &rows, || {
            let mut table = Table::new(&[
                "sold", "sku", "product", "branch", "salesman", "customer", "quantity", "price",
                "amount",
            ]);
            for sale in &rows.sales {
                table.row(vec![
                    sale.sold.clone(),
                    sale.sku.clone(),
                    sale.product.clone(),
                    sale.branch.clone(),
                    output::optional(sale.salesman.as_ref()),
                    output::optional(sale.customer.as_ref()),
                    sale.quantity.to_string(),
                    sale.unit_price.to_string(),
                    sale.amount.to_string(),
                ]);
            }
            format!(
                "{} sales ({} to {}), the newest {} shown\n{}",
                rows.count,
                rows.first,
                rows.last,
                rows.sales.len(),
                table.render()
            )
        });
    }
    let file = match args.format {
        Format::Csv => Some(FileFormat::Csv),
        Format::Xlsx => Some(FileFormat::Xlsx),
        Format::Json | Format::Table => None,
    };
    if let Some(format) = file {
        let Some(out) = &args.out else {
            bail!("out: say where to write the file with --out FILE");
        };
        let what = ExportWhat::Report { name, definition };
        return export(context, &mut ledger, &actor, &what, format, out);
    }
    let result = reports::run(&ledger, &actor, &definition)?;
    if matches!(args.format, Format::Json) || context.json {
        output::say(&serde_json::to_string_pretty(&result)?)
    } else {
        output::say(&render(name.as_deref(), &result))
    }
}

pub fn saved_reports(context: &Context, command: ReportsCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    match command {
        ReportsCommand::List => {
            let reports = saved::list(&ledger, &actor)?;
            output::emit(context, &reports, || list(&actor, &reports))
        }
        ReportsCommand::Save {
            name,
            definition: args,
            shared,
        } => {
            let report = ReportToSave {
                id: None,
                name,
                definition: definition(&ledger, &actor, &args)?,
                shared,
            };
            let report = saved::save(&mut ledger, &actor, report)?;
            output::emit(context, &report, || {
                format!(
                    "saved '{}'{}",
                    report.name,
                    if report.shared {
                        ", shared with everyone"
                    } else {
                        ""
                    }
                )
            })
        }
        ReportsCommand::Delete { name } => {
            saved::delete(&mut ledger, &actor, &name)?;
            output::emit(context, &serde_json::json!({ "deleted": name }), || {
                format!("deleted '{name}'")
            })
        }
    }
}

fn list(actor: &Actor, reports: &[SavedReport]) -> String {
    let mut table = Table::new(&["name", "measures", "rows", "columns", "owner", "shared"]);
    let keys = |dimensions: &[Dimension]| -> String {
        let keys: Vec<&str> = dimensions.iter().map(|d| d.key()).collect();
        keys.join(",")
    };
    for report in reports {
        let measures: Vec<&str> = report.definition.measures.iter().map(|m| m.key()).collect();
        table.row(vec![
            report.name.clone(),
            measures.join(","),
            keys(&report.definition.rows),
            keys(&report.definition.columns),
            if report.created_by == actor.id {
                "you".into()
            } else {
                output::optional(report.owner_name.as_ref())
            },
            if report.shared { "yes" } else { "no" }.into(),
        ]);
    }
    table.render()
}

/// The report as a table: a column per row dimension and per report column, the total last.
pub(crate) fn render(name: Option<&str>, result: &ReportResult) -> String {
    let mut heads: Vec<&str> = result
        .definition
        .rows
        .iter()
        .map(|dimension| dimension.label())
        .collect();
    heads.extend(result.columns.iter().map(|column| column.label.as_str()));
    let mut table = Table::new(&heads);
    let cells = |members: Vec<String>, values: &[reports::ReportValue]| -> Vec<String> {
        let mut cells = members;
        cells.extend(
            values
                .iter()
                .map(|value| output::optional(value.0.map(|v| v.round_dp(2).normalize()))),
        );
        cells
    };
    for row in &result.rows {
        table.row(cells(
            row.members.iter().map(|m| m.label.clone()).collect(),
            &row.values,
        ));
    }
    let mut total: Vec<String> = vec![String::new(); result.definition.rows.len()];
    if let Some(first) = total.first_mut() {
        *first = "Total".into();
    }
    table.row(cells(total, &result.total.values));
    let mut text = format!(
        "{}{} to {}{}\n{}",
        name.map(|name| format!("{name}: ")).unwrap_or_default(),
        result.first,
        result.last,
        match (result.compared_first, result.compared_last) {
            (Some(first), Some(last)) => format!(" against {first} to {last}"),
            _ => String::new(),
        },
        table.render()
    );
    if result.hidden_rows > 0 {
        text.push_str(&format!("\n({} more rows)", result.hidden_rows));
    }
    for note in &result.notes {
        text.push_str(&format!("\n{note}"));
    }
    text
}

fn list_of<T>(
    field: &str,
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
    known: &[&str],
) -> Result<Vec<T>> {
    text.split(',')
        .map(str::trim)
        .filter(|key| !key.is_empty())
        .map(|key| {
            parse(key)
                .with_context(|| format!("{field}: '{key}' is not one of {}", known.join(", ")))
        })
        .collect()
}

fn dimensions(field: &str, text: Option<&str>) -> Result<Vec<Dimension>> {
    let known: Vec<&str> = Dimension::ALL.iter().map(|d| d.key()).collect();
    list_of(field, text.unwrap_or_default(), Dimension::parse, &known)
}

/// The definition the options describe, with codes turned into ids.
fn definition(ledger: &Ledger, actor: &Actor, args: &DefinitionArgs) -> Result<ReportDefinition> {
    let known: Vec<&str> = Measure::ALL.iter().map(|m| m.key()).collect();
    let measures = list_of(
        "measure",
        args.measure.as_deref().unwrap_or_default(),
        Measure::parse,
        &known,
    )?;
    let mut filters = Vec::new();
    for filter in &args.filter {
        let Some((dimension, members)) = filter.split_once('=') else {
            bail!("filter: write it as dimension=code,code (e.g. branch=BR-N), not '{filter}'");
        };
        let dimension = dimensions("filter", Some(dimension))?
            .pop()
            .context("filter: name a dimension before '='")?;
        let mut ids = Vec::new();
        for member in members.split(',').map(str::trim).filter(|m| !m.is_empty()) {
            ids.push(member_id(ledger, actor, dimension, member)?);
        }
        filters.push(Filter {
            dimension,
            members: ids,
        });
    }
    let comparison = match &args.compare {
        None => Comparison::None,
        Some(text) => Comparison::parse(text)
            .with_context(|| format!("compare: '{text}' is not ly or budget"))?,
    };
    let visual_keys: Vec<&str> = Visual::ALL.iter().map(|v| v.key()).collect();
    let visual = Visual::parse(&args.visual).with_context(|| {
        format!(
            "visual: '{}' is not one of {}",
            args.visual,
            visual_keys.join(", ")
        )
    })?;
    let definition = ReportDefinition {
        measures,
        rows: dimensions("rows", args.rows.as_deref())?,
        columns: dimensions("columns", args.columns.as_deref())?,
        filters,
        period: period(&args.period)?,
        comparison,
        visual,
        chart: ChartSettings {
            order: match args.order {
                Order::Name => RowOrder::Label,
                Order::Largest => RowOrder::Largest,
                Order::Smallest => RowOrder::Smallest,
            },
            top: args.top,
            labels: false,
        },
    };
    definition.check()?;
    Ok(definition)
}

fn period(text: &str) -> Result<Period> {
    let text = text.trim().to_lowercase();
    if let Some((from, to)) = text.split_once("..") {
        return Ok(Period::Months {
            from: Month::parse("period", from)?,
            to: Month::parse("period", to)?,
        });
    }
    if let Some(months) = text.strip_prefix("last") {
        let months = months.trim_start_matches('-');
        return Ok(Period::LastMonths {
            months: months
                .parse()
                .with_context(|| format!("period: '{text}' is not lastN (e.g. last12)"))?,
        });
    }
    Ok(match text.as_str() {
        "ytd" => Period::YearToDate,
        "year" => Period::FiscalYear { year: None },
        year => Period::FiscalYear {
            year: Some(year.parse().with_context(|| {
                format!("period: '{text}' is not a fiscal year, year, ytd, lastN or FROM..TO")
            })?),
        },
    })
}

/// A member of a dimension by its code, SKU or username.
fn member_id(ledger: &Ledger, actor: &Actor, dimension: Dimension, code: &str) -> Result<Uuid> {
    Ok(match dimension {
        Dimension::Product => reference::find::<Product>(ledger, actor, code)?.id,
        Dimension::Category => reference::find::<ProductCategory>(ledger, actor, code)?.id,
        Dimension::Branch => reference::find::<Location>(ledger, actor, code)?.id,
        Dimension::Department => reference::find::<Department>(ledger, actor, code)?.id,
        Dimension::Customer => reference::find::<Customer>(ledger, actor, code)?.id,
        Dimension::Salesman => match budgets::salesman_named(ledger, actor, code)? {
            Some(id) => id,
            None => bail!("salesman: no salesman '{code}' in your scope"),
        },
        Dimension::Month | Dimension::Quarter | Dimension::FiscalYear => {
            bail!("filter: the months are chosen with --period, not a filter")
        }
    })
}

/// A cell's members: `branch=BR-N,month=2026-03`.
fn cell_members(ledger: &Ledger, actor: &Actor, text: &str) -> Result<Vec<CellMember>> {
    let mut members = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((dimension, key)) = part.split_once('=') else {
            bail!("drill: write the cell as dimension=code,… (e.g. branch=BR-N,month=2026-03)");
        };
        let dimension = dimensions("drill", Some(dimension))?
            .pop()
            .context("drill: name a dimension before '='")?;
        let key = match (dimension.is_time(), key.trim()) {
            (true, key) => key.to_owned(),
            (false, "-" | "none") => String::new(),
            (false, code) => member_id(ledger, actor, dimension, code)?.to_string(),
        };
        members.push(CellMember { dimension, key });
    }
    Ok(members)
}
