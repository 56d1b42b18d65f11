//! `salesplan`: the core's services from a terminal, for scripting and head-office
//! batch jobs. Each subcommand parses its arguments and calls one core function.

mod admin;
mod alert_rules;
mod budgets;
mod export;
mod forecast;
mod home;
mod imports;
mod input;
mod output;
mod policy;
mod purchasing;
mod reference;
mod reports;
mod round_trip;
mod sales;
mod session;
mod sources;
mod stock;
mod supplier_products;
mod sync;
mod templates;
mod transfers;
mod users;
mod watch;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "salesplan",
    version,
    about = "Sales budgeting and rolling forecasts: the command line"
)]
struct Cli {
    /// The ledger file (default: $SALESPLAN_DB, else the app's ledger in the OS data dir).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// Sign in as this user; the password comes from SALESPLAN_PASSWORD or a prompt.
    #[arg(long, global = true)]
    user: Option<String>,
    /// Print machine-readable JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, empty ledger with its first administrator.
    Init(admin::InitArgs),
    /// Create a ledger holding the demo company.
    Demo,
    /// User accounts.
    #[command(subcommand)]
    Users(users::UsersCommand),
    /// Products.
    #[command(subcommand)]
    Products(reference::ReferenceCommand<reference::ProductArgs>),
    /// Branches and warehouses.
    #[command(subcommand)]
    Locations(reference::ReferenceCommand<reference::LocationArgs>),
    /// Departments.
    #[command(subcommand)]
    Departments(reference::ReferenceCommand<reference::DepartmentArgs>),
    /// Product categories.
    #[command(subcommand)]
    Categories(reference::ReferenceCommand<reference::CategoryArgs>),
    /// Budget categories: what expense money is for.
    #[command(subcommand)]
    BudgetCategories(reference::ReferenceCommand<reference::BudgetCategoryArgs>),
    /// Customers and channels.
    #[command(subcommand)]
    Customers(reference::ReferenceCommand<reference::CustomerArgs>),
    /// Suppliers: lead times, their variability, order costs (Supply Chain keeps them).
    #[command(subcommand)]
    Suppliers(reference::ReferenceCommand<reference::SupplierArgs>),
    /// What each supplier sells and on what terms; `set` and `remove` change a line.
    SupplierProducts(supplier_products::SupplierProductsArgs),
    /// Company name, currency and fiscal calendar.
    #[command(subcommand)]
    Settings(admin::SettingsCommand),
    /// Who changed what, when.
    Audit(admin::AuditArgs),
    /// Your home screen: sales against last year and the budget, the landing,
    /// what moved, what waits for you; `home arrange|reset` changes its widgets.
    Home {
        #[command(subcommand)]
        command: Option<home::HomeCommand>,
    },
    /// Reports: measures by rows and columns, with totals and a comparison;
    /// `report run NAME` runs a saved one.
    #[command(subcommand)]
    Report(reports::ReportCommand),
    /// Saved reports: list, save (optionally shared with everyone), delete.
    #[command(subcommand)]
    Reports(reports::ReportsCommand),
    /// What stands out in your scope: movers, trend breaks, sales outside the
    /// forecast's 80 % interval, the budget gap split into volume, price and mix,
    /// who explains it, the pace the year needs, concentration, stock at risk.
    Insights,
    /// Actual sales in your scope, by month; `sales add` records one.
    Sales {
        #[command(subcommand)]
        command: Option<sales::SalesCommand>,
    },
    /// On-hand stock per location and product; `stock moves|count|adjust` (files: `import --kind stock`).
    Stock(stock::StockArgs),
    /// Stock policies from the forecast: safety stock, reorder point, order quantity.
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    /// What to order from each supplier, from the stock policies and what is on order.
    #[command(subcommand)]
    Replenish(purchasing::ReplenishCommand),
    /// Purchase orders: create, send, receive, cancel, export.
    #[command(subcommand)]
    Po(purchasing::PoCommand),
    /// Transfers between locations: request, approve, ship, receive, cancel, close; what is in transit.
    #[command(subcommand)]
    Transfers(transfers::TransfersCommand),
    /// Lateral transfers worth making: a branch overstocked of what another is about to run out of.
    Rebalance,
    /// Sales budgets: build, approve, compare with actuals.
    #[command(subcommand)]
    Budgets(budgets::BudgetsCommand),
    /// Import a file (xlsx, xlsm, xlsb, xls, ods, csv, tsv): check it, then commit.
    Import(imports::ImportArgs),
    /// Write a table or report to an xlsx or csv file.
    Export(export::ExportArgs),
    /// Imports done: list, show, reverse.
    #[command(subcommand)]
    Imports(imports::ImportsCommand),
    /// Watched folders: their new files are imported while the app runs.
    #[command(subcommand)]
    Watch(watch::WatchCommand),
    /// Data sources: databases read into the ledger (test, discover, preview, sync, jobs).
    #[command(subcommand)]
    Sources(sources::SourcesCommand),
    /// Your alerts: stock below its reorder point, running out, overstocked or dead; a watched file that could not be imported.
    Alerts {
        #[command(subcommand)]
        command: Option<watch::AlertsCommand>,
    },
    /// Reusable budget templates.
    #[command(subcommand)]
    Templates(templates::TemplatesCommand),
    /// The rolling forecast: baseline, overrides, closing a month, accuracy.
    #[command(subcommand)]
    Forecast(forecast::ForecastCommand),
    /// Sync with head office: send this laptop's changes, receive everyone else's.
    Sync(sync::SyncArgs),
}

pub struct Context {
    pub db: PathBuf,
    pub user: Option<String>,
    pub json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let context = Context {
        db: cli.db.unwrap_or_else(salesplan_core::ledger::default_path),
        user: cli.user,
        json: cli.json,
    };
    let outcome = match cli.command {
        Command::Init(args) => admin::init(&context, args),
        Command::Demo => admin::demo(&context),
        Command::Users(command) => users::run(&context, command),
        Command::Products(command) => reference::run(&context, command),
        Command::Locations(command) => reference::run(&context, command),
        Command::Departments(command) => reference::run(&context, command),
        Command::Categories(command) => reference::run(&context, command),
        Command::Customers(command) => reference::run(&context, command),
        Command::Suppliers(command) => reference::run(&context, command),
        Command::SupplierProducts(args) => supplier_products::run(&context, args),
        Command::Policy(command) => policy::run(&context, command),
        Command::Replenish(command) => purchasing::replenish(&context, command),
        Command::Po(command) => purchasing::run(&context, command),
        Command::Transfers(command) => transfers::run(&context, command),
        Command::Rebalance => transfers::rebalance(&context),
        Command::BudgetCategories(command) => reference::run(&context, command),
        Command::Settings(command) => admin::settings(&context, command),
        Command::Audit(args) => admin::audit(&context, args),
        Command::Home { command } => home::run(&context, command),
        Command::Insights => home::insights(&context),
        Command::Report(command) => reports::run(&context, command),
        Command::Reports(command) => reports::saved_reports(&context, command),
        Command::Sales { command } => sales::run(&context, command),
        Command::Stock(args) => stock::run(&context, args),
        Command::Budgets(command) => budgets::run(&context, command),
        Command::Templates(command) => templates::run(&context, command),
        Command::Import(args) => imports::import(&context, args),
        Command::Export(args) => export::run(&context, args),
        Command::Watch(command) => watch::run(&context, command),
        Command::Sources(command) => sources::run(&context, command),
        Command::Alerts { command } => watch::alerts(&context, command),
        Command::Imports(command) => imports::run(&context, command),
        Command::Forecast(command) => forecast::run(&context, command),
        Command::Sync(args) => sync::run(&context, args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", one_line(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}

/// An error as one line a person can read: control characters (a newline or
/// an escape sequence in a file name, a reader's echo of the file) are shown
/// escaped, and a long message is cut short.
fn one_line(message: &str) -> String {
    salesplan_core::values::one_line(message, 400)
}
