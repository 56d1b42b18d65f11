//! `salesplan export WHAT --format xlsx|csv --out FILE`: any table or report
//! the app shows, as a spreadsheet or csv file.

use crate::budgets::{Level, find_budget};
use crate::{Context, admin, output, session};
use anyhow::Result;
use clap::{Args, ValueEnum};
use salesplan_core::budgets::variance::VarianceQuery;
use salesplan_core::exports::{self, ExportWhat};
use salesplan_core::reference::ReferenceKind;
use salesplan_files::export::{ExportFormat, write};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
enum What {
    /// Sales by month.
    Sales,
    /// Every sale, one row each, in the layout `import --kind actuals` reads.
    SalesLines,
    /// An empty file with the columns `import --kind KIND` reads.
    Template,
    Budgets,
    Budget,
    Variance,
    Audit,
    Products,
    Customers,
    Locations,
    Departments,
    Categories,
    BudgetCategories,
    Suppliers,
    /// What each supplier sells, in the layout `import --kind supplier-products` reads.
    SupplierProducts,
    Users,
    Imports,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Xlsx,
    Csv,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    what: What,
    #[arg(long, value_enum)]
    format: Format,
    #[arg(long)]
    out: PathBuf,
    /// The fiscal year (budgets, variance).
    #[arg(long)]
    year: Option<i32>,
    /// The budget (its id or last characters), for `export budget`.
    #[arg(long)]
    budget: Option<String>,
    #[arg(long, default_value = "Base")]
    scenario: String,
    #[arg(long, value_enum, default_value = "company")]
    level: Level,
    /// Audit: only this kind of record, e.g. user, budget_line.
    #[arg(long)]
    entity: Option<String>,
    /// Audit: only changes since this date.
    #[arg(long)]
    since: Option<String>,
    /// Template: the import kind whose columns to write.
    #[arg(long, value_enum)]
    kind: Option<crate::imports::Kind>,
}

fn what(
    context_ledger: &salesplan_core::Ledger,
    actor: &salesplan_core::Actor,
    args: &ExportArgs,
) -> Result<ExportWhat> {
    let reference = |kind| ExportWhat::Reference { kind };
    Ok(match args.what {
        What::Sales => ExportWhat::Sales,
        What::SalesLines => ExportWhat::SalesLines,
        What::Template => {
            let Some(kind) = args.kind else {
                anyhow::bail!(
                    "kind: say which import's template with --kind (actuals, budget, products, …)"
                );
            };
            ExportWhat::Template { kind: kind.into() }
        }
        What::Budgets => ExportWhat::Budgets {
            fiscal_year: args.year,
        },
        What::Budget => {
            let Some(budget) = &args.budget else {
                anyhow::bail!("budget: say which with --budget ID (see `salesplan budgets list`)");
            };
            ExportWhat::Budget {
                id: find_budget(context_ledger, actor, budget)?,
            }
        }
        What::Variance => {
            let Some(year) = args.year else {
                anyhow::bail!("year: say which fiscal year with --year");
            };
            ExportWhat::Variance {
                query: VarianceQuery {
                    fiscal_year: year,
                    scenario: Some(args.scenario.clone()),
                    level: args.level.into(),
                    basis: None,
                    through: None,
                    within: None,
                },
            }
        }
        What::Audit => ExportWhat::Audit {
            filter: admin::audit_filter(args.entity.as_deref(), args.since.clone(), u32::MAX)?,
        },
        What::Products => reference(ReferenceKind::Product),
        What::Customers => reference(ReferenceKind::Customer),
        What::Locations => reference(ReferenceKind::Location),
        What::Departments => reference(ReferenceKind::Department),
        What::Categories => reference(ReferenceKind::ProductCategory),
        What::BudgetCategories => reference(ReferenceKind::BudgetCategory),
        What::Suppliers => reference(ReferenceKind::Supplier),
        What::SupplierProducts => ExportWhat::SupplierProducts,
        What::Users => ExportWhat::Users,
        What::Imports => ExportWhat::Imports,
    })
}

pub fn run(context: &Context, args: ExportArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let what = what(&ledger, &actor, &args)?;
    export(context, &mut ledger, &actor, &what, args.format, &args.out)
}

/// Builds the table for `what` and writes it to `out`.
pub fn export(
    context: &Context,
    ledger: &mut salesplan_core::Ledger,
    actor: &salesplan_core::Actor,
    what: &ExportWhat,
    format: Format,
    out: &std::path::Path,
) -> Result<()> {
    let table = exports::table(ledger, actor, what)?;
    let format = match format {
        Format::Xlsx => ExportFormat::Xlsx,
        Format::Csv => ExportFormat::Csv,
    };
    let shown = crate::imports::Shown::single(context.json);
    let written = write(&table, format, out, &shown);
    shown.finish();
    written?;
    let summary =
        serde_json::json!({ "file": out, "rows": table.rows.len(), "title": table.title });
    output::emit(context, &summary, || {
        format!(
            "wrote {} rows of {} to {}",
            table.rows.len(),
            table.title,
            out.display()
        )
    })
}
