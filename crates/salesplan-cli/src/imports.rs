//! `salesplan import FILE --kind …` and `salesplan imports list|show|reverse`:
//! the data-quality report first, then all rows, the valid rows (--valid-only),
//! or nothing (--dry-run); a progress bar on a terminal, plain lines otherwise.
//! A budget exported by Salesplan needs no --kind: it goes back into its budget.

use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use salesplan_core::imports::mappings;
use salesplan_core::imports::{
    self, Accept, DateOrder, DecimalSeparator, FieldSource, ImportKind, ImportReport,
    ImportRequest, Progress,
};
use salesplan_core::{Actor, Ledger};
use salesplan_files::{ReadOptions, read};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Actuals,
    Budget,
    Products,
    Customers,
    Stock,
    Locations,
    Departments,
    Categories,
    BudgetCategories,
    Suppliers,
    /// What each supplier sells and on what terms.
    SupplierProducts,
}

impl From<Kind> for ImportKind {
    fn from(kind: Kind) -> ImportKind {
        match kind {
            Kind::Actuals => ImportKind::Actuals,
            Kind::Budget => ImportKind::Budget,
            Kind::Products => ImportKind::Products,
            Kind::Customers => ImportKind::Customers,
            Kind::Stock => ImportKind::Stock,
            Kind::Locations => ImportKind::Locations,
            Kind::Departments => ImportKind::Departments,
            Kind::Categories => ImportKind::ProductCategories,
            Kind::BudgetCategories => ImportKind::BudgetCategories,
            Kind::Suppliers => ImportKind::Suppliers,
            Kind::SupplierProducts => ImportKind::SupplierProducts,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Decimals {
    Point,
    Comma,
}

#[derive(Clone, Copy, ValueEnum)]
enum Dates {
    /// 31/12/2026
    Dmy,
    /// 12/31/2026
    Mdy,
}

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// What the file holds; not needed for a budget exported by Salesplan (it says so itself).
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// The sheet to read (spreadsheets); the first sheet with a table otherwise.
    #[arg(long)]
    sheet: Option<String>,
    /// The budget that budget lines go into (its id or last characters), with --kind budget.
    #[arg(long)]
    budget: Option<String>,
    /// The row holding the column names, when the guess is wrong.
    #[arg(long)]
    header_row: Option<usize>,
    /// A saved mapping to use instead of the suggested one.
    #[arg(long)]
    mapping: Option<String>,
    /// Map a field to a column: --map quantity=Menge (repeatable).
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// The same value for every row: --set branch=BR-N (repeatable).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// The value for a field where its cell is empty: --default unit_price=1.00 (repeatable).
    #[arg(long = "default", value_name = "FIELD=VALUE")]
    defaults: Vec<String>,
    /// Save the mapping used under this name.
    #[arg(long)]
    save_mapping: Option<String>,
    #[arg(long, value_enum)]
    decimals: Option<Decimals>,
    #[arg(long, value_enum)]
    dates: Option<Dates>,
    /// Only check the file and show the report.
    #[arg(long)]
    dry_run: bool,
    /// Import the valid rows and skip the others (otherwise any problem imports nothing).
    #[arg(long)]
    valid_only: bool,
    /// Import even though the same file was imported before.
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand)]
pub enum ImportsCommand {
    /// Imports you may see, newest first.
    List,
    /// One import: file, counts, mapping.
    Show { id: String },
    /// Undo an import as a whole (its sales get reversing entries).
    Reverse { id: String },
}

fn pair(text: &str, what: &str) -> Result<(String, String)> {
    match text.split_once('=') {
        Some((field, value)) if !field.trim().is_empty() => {
            Ok((field.trim().to_owned(), value.trim().to_owned()))
        }
        _ => bail!("{what}: write FIELD=VALUE, e.g. quantity=Menge"),
    }
}

/// Rows done, to a bar on a terminal or a line per tenth otherwise.
pub struct Shown {
    bar: Option<ProgressBar>,
    /// Imports count each row twice (checked, then written); exports once.
    two_phases: bool,
    last_tenth: AtomicUsize,
}

impl Shown {
    /// Progress of an import: checking, then writing.
    pub fn new(quiet: bool) -> Shown {
        Shown {
            two_phases: true,
            ..Shown::single(quiet)
        }
    }

    /// Progress of one pass (an export).
    pub fn single(quiet: bool) -> Shown {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Shown {
            bar,
            two_phases: false,
            last_tenth: AtomicUsize::new(if quiet { usize::MAX } else { 0 }),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Shown {
    fn update(&self, done: usize, total: usize) {
        let half = if self.two_phases { total / 2 } else { total };
        let (phase, done) = if !self.two_phases {
            ("writing", done)
        } else if done <= half {
            ("checking", done)
        } else {
            ("writing", done - half)
        };
        match &self.bar {
            Some(bar) => {
                bar.set_length(half as u64);
                bar.set_position(done as u64);
                bar.set_message(phase);
            }
            None => {
                let tenth = (done * 10 / half.max(1)).min(10);
                let last = self.last_tenth.load(Ordering::Relaxed);
                if last != usize::MAX && tenth != last {
                    self.last_tenth.store(tenth, Ordering::Relaxed);
                    eprintln!("{phase}: {done}/{half} rows");
                }
            }
        }
    }

    fn cancelled(&self) -> bool {
        false
    }
}

fn request(
    ledger: &Ledger,
    actor: &Actor,
    args: &ImportArgs,
    kind: ImportKind,
    headers: &[String],
) -> Result<ImportRequest> {
    let mut mapping = match &args.mapping {
        Some(name) => mappings::find(ledger, actor, kind, name)?.mapping,
        None => imports::suggest(kind, headers),
    };
    for text in &args.map {
        let (field, column) = pair(text, "map")?;
        mapping.fields.insert(field, FieldSource::Column { column });
    }
    for text in &args.set {
        let (field, value) = pair(text, "set")?;
        mapping
            .fields
            .insert(field, FieldSource::Constant { value });
    }
    for text in &args.defaults {
        let (field, value) = pair(text, "default")?;
        mapping.defaults.insert(field, value);
    }
    Ok(ImportRequest {
        kind,
        mapping,
        decimal_separator: match args.decimals {
            None => DecimalSeparator::Auto,
            Some(Decimals::Point) => DecimalSeparator::Point,
            Some(Decimals::Comma) => DecimalSeparator::Comma,
        },
        date_order: match args.dates {
            None => DateOrder::Auto,
            Some(Dates::Dmy) => DateOrder::DayFirst,
            Some(Dates::Mdy) => DateOrder::MonthFirst,
        },
        budget_id: args
            .budget
            .as_deref()
            .map(|budget| crate::budgets::find_budget(ledger, actor, budget))
            .transpose()?,
        force: args.force,
    })
}

/// The report as people read it.
fn describe(report: &ImportReport) -> String {
    let mut text = format!(
        "{}{}: headers in row {}, {} rows read, {} valid",
        report.file_name,
        report
            .sheet
            .as_ref()
            .map_or(String::new(), |sheet| format!(" (sheet {sheet})")),
        report.header_row,
        report.rows_read,
        report.rows_valid
    );
    for count in &report.counts {
        let plural = if count.rows == 1 { "" } else { "s" };
        text.push_str(&format!(
            "\n  {}: {} row{plural}",
            count.kind.label(),
            count.rows
        ));
    }
    for problem in report.problems.iter().take(20) {
        text.push_str(&format!("\n  {}", problem.describe()));
    }
    if report.problems_total > 20 {
        text.push_str(&format!("\n  … and {} more", report.problems_total - 20));
    }
    if let Some(earlier) = &report.already_imported {
        text.push_str(&format!(
            "\n  the same file was imported {} by {} ({})",
            earlier.imported_at, earlier.imported_by, earlier.file_name
        ));
    }
    text
}

pub fn import(context: &Context, args: ImportArgs) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let options = ReadOptions {
        sheet: args.sheet.clone(),
        header_row: args.header_row,
    };
    let table = read(&args.file, &options)?;
    let info = salesplan_core::imports::Source::info(&table);
    let kind = match (args.kind, &info.stamp) {
        (None | Some(Kind::Budget), Some(_)) if args.budget.is_none() => {
            return crate::round_trip::run(
                context,
                &mut ledger,
                &actor,
                &table,
                args.dry_run,
                args.valid_only,
            );
        }
        (Some(kind), _) => ImportKind::from(kind),
        (None, _) => bail!(
            "{}: say what the file holds with --kind (actuals, budget, products, customers, stock, locations, departments, categories, budget-categories); only a budget exported by Salesplan is recognised by itself",
            info.file_name
        ),
    };
    let request = request(&ledger, &actor, &args, kind, &info.headers)?;
    let shown = Shown::new(context.json);
    if args.dry_run {
        let report = imports::preview(&ledger, &actor, &table, &request, &shown);
        shown.finish();
        let report = report?;
        return output::emit(context, &report, || describe(&report));
    }
    let accept = if args.valid_only {
        Accept::ValidRows
    } else {
        Accept::AllOrNothing
    };
    let outcome = imports::commit(&mut ledger, &actor, &table, &request, accept, &shown);
    shown.finish();
    let outcome = outcome?;
    if let Some(name) = &args.save_mapping {
        mappings::save(&mut ledger, &actor, request.kind, name, &request.mapping)?;
    }
    output::emit(context, &outcome, || {
        format!(
            "{}\nimported {} rows as import {} ({} skipped)",
            describe(&outcome.report),
            outcome.import.rows_imported,
            short(outcome.import.id),
            outcome.import.rows_skipped
        )
    })
}

fn short(id: uuid::Uuid) -> String {
    let text = id.to_string();
    text[text.len() - 8..].to_owned()
}

fn find(ledger: &Ledger, actor: &Actor, text: &str) -> Result<uuid::Uuid> {
    let text = text.trim().to_lowercase();
    let matches: Vec<uuid::Uuid> = imports::list(ledger, actor)?
        .into_iter()
        .map(|record| record.id)
        .filter(|id| id.to_string().ends_with(&text) && text.len() >= 4)
        .collect();
    match matches.as_slice() {
        [id] => Ok(*id),
        [] => bail!("no import '{text}' that you may see (see `salesplan imports list`)"),
        _ => bail!(
            "import: '{text}' matches {} imports; give more of the id",
            matches.len()
        ),
    }
}

pub fn run(context: &Context, command: ImportsCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    match command {
        ImportsCommand::List => {
            let list = imports::list(&ledger, &actor)?;
            output::table(context, &list, || {
                let mut table = Table::new(&[
                    "id", "when", "kind", "file", "rows", "skipped", "by", "state",
                ]);
                for record in &list {
                    let state = match (&record.reverses, &record.reversed_at) {
                        (Some(original), _) => format!("reverses {}", short(*original)),
                        (None, Some(_)) => "reversed".to_owned(),
                        (None, None) => "imported".to_owned(),
                    };
                    table.row(vec![
                        short(record.id),
                        record.imported_at.to_string(),
                        record.kind.key().to_owned(),
                        record.file_name.clone(),
                        record.rows_imported.to_string(),
                        record.rows_skipped.to_string(),
                        record.imported_by_name.clone(),
                        state,
                    ]);
                }
                table
            })
        }
        ImportsCommand::Show { id } => {
            let record = imports::show(&ledger, &actor, find(&ledger, &actor, &id)?)?;
            output::emit(context, &record, || {
                let fields: Vec<String> = record
                    .mapping
                    .fields
                    .iter()
                    .map(|(field, source)| match source {
                        FieldSource::Column { column } => format!("{field} ← column {column}"),
                        FieldSource::Constant { value } => format!("{field} = {value}"),
                    })
                    .collect();
                format!(
                    "{} import {} of {} by {} at {}\n{} rows read, {} imported, {} skipped\ncontent hash {}\nmapping: {}",
                    record.kind.key(),
                    short(record.id),
                    record.file_name,
                    record.imported_by_name,
                    record.imported_at,
                    record.rows_read,
                    record.rows_imported,
                    record.rows_skipped,
                    record.content_hash,
                    fields.join(", ")
                )
            })
        }
        ImportsCommand::Reverse { id } => {
            let id = find(&ledger, &actor, &id)?;
            let reversal = imports::reverse(&mut ledger, &actor, id)?;
            output::emit(context, &reversal, || {
                format!(
                    "reversed: {} rows got reversing entries (import {})",
                    reversal.rows_imported,
                    short(reversal.id)
                )
            })
        }
    }
}
