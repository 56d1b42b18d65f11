//! `salesplan init|demo|settings|audit`: setting up a ledger and reading it.

use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::Result;
use clap::{Args, Subcommand};
use salesplan_core::audit::{self, AuditFilter};
use salesplan_core::ledger::Entity;
use salesplan_core::settings::{self, CompanySettings};
use salesplan_core::{Ledger, demo};

#[derive(Args)]
pub struct InitArgs {
    /// The first administrator's username; the password comes from SALESPLAN_PASSWORD or a prompt.
    #[arg(long)]
    admin: String,
    #[arg(long, default_value = "My Company")]
    company: String,
    /// ISO 4217 currency code.
    #[arg(long, default_value = "EUR")]
    currency: String,
    /// The month (1-12) the fiscal year starts in.
    #[arg(long, default_value_t = 1)]
    fiscal_year_start: u8,
}

pub fn init(context: &Context, args: InitArgs) -> Result<()> {
    if context.db.exists() {
        return Err(salesplan_core::Error::LedgerExists {
            path: context.db.clone(),
        }
        .into());
    }
    let password = session::new_secret("SALESPLAN_PASSWORD", &args.admin)?;
    let company = CompanySettings {
        company_name: args.company,
        currency: args.currency,
        fiscal_year_start_month: args.fiscal_year_start,
        sales_issue_stock: true,
        stock: Default::default(),
    };
    let (ledger, admin) = Ledger::create_with(&context.db, |ledger| {
        settings::initialise(ledger, company, &args.admin, &password)
    })?;
    let summary = serde_json::json!({ "ledger": ledger.path(), "administrator": admin.username });
    output::emit(context, &summary, || {
        format!(
            "created ledger {} with administrator {}",
            ledger.path().display(),
            admin.username
        )
    })
}

pub fn demo(context: &Context) -> Result<()> {
    let (ledger, summary) = demo::create(&context.db)?;
    output::emit(context, &summary, || {
        let mut text = format!(
            "created the demo company {} at {}\n{} products, {} actual sales from {} to {}, {} stock movements, {} suppliers, {} budgets, {} saved reports\nevery account's password: {}\n\n",
            summary.company,
            ledger.path().display(),
            summary.products,
            summary.sales,
            summary.first_period,
            summary.last_period,
            summary.stock_movements,
            summary.suppliers,
            summary.budgets,
            summary.reports,
            summary.password
        );
        let mut table = Table::new(&["username", "role", "sees"]);
        for account in &summary.accounts {
            table.row(vec![
                account.username.clone(),
                account.role.key().into(),
                account.scope.clone(),
            ]);
        }
        text.push_str(&table.render());
        text
    })
}

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Show the company settings.
    Show,
    /// Change the settings given.
    Set {
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        fiscal_year_start: Option<u8>,
        /// Whether a sale posted takes its quantity out of its location's stock
        /// (turn off when stock comes only from the ERP's exports).
        #[arg(long, value_name = "on|off", value_parser = on_off)]
        sales_issue_stock: Option<bool>,
        #[command(flatten)]
        rules: StockRuleArgs,
    },
}

/// The rules stock policies and alerts follow (changing one works every policy out again).
#[derive(Args)]
pub struct StockRuleArgs {
    /// Service level target of class A items, in percent (50–99.9).
    #[arg(long)]
    service_level_a: Option<String>,
    #[arg(long)]
    service_level_b: Option<String>,
    #[arg(long)]
    service_level_c: Option<String>,
    /// What holding a unit a year costs, in percent of its cost (for the EOQ).
    #[arg(long)]
    holding_cost: Option<u8>,
    /// The most months of demand one order may bring.
    #[arg(long)]
    order_cover_months: Option<u8>,
    /// Cover above which an item is overstocked, in months.
    #[arg(long)]
    overstock_months: Option<u8>,
    /// Months without a sale after which stock is dead.
    #[arg(long)]
    dead_stock_months: Option<u8>,
    /// Days stock takes from the warehouse to a branch.
    #[arg(long)]
    branch_lead_time: Option<u16>,
    /// Whether stock may be shipped that the books say is not there: on or off.
    #[arg(long, value_parser = on_off)]
    allow_negative_stock: Option<bool>,
    /// Days a branch plans ahead between deliveries (the replenishment's review period).
    #[arg(long)]
    review_days: Option<u8>,
}

impl StockRuleArgs {
    fn apply(self, rules: &mut settings::StockSettings) -> Result<()> {
        let level = |field: &str, text: Option<String>, current: &mut rust_decimal::Decimal| {
            if let Some(text) = text {
                *current = crate::input::decimal(field, &text)?;
            }
            anyhow::Ok(())
        };
        level(
            "service_level_a",
            self.service_level_a,
            &mut rules.service_level_a,
        )?;
        level(
            "service_level_b",
            self.service_level_b,
            &mut rules.service_level_b,
        )?;
        level(
            "service_level_c",
            self.service_level_c,
            &mut rules.service_level_c,
        )?;
        rules.holding_cost_percent = self.holding_cost.unwrap_or(rules.holding_cost_percent);
        rules.order_cover_months = self.order_cover_months.unwrap_or(rules.order_cover_months);
        rules.overstock_months = self.overstock_months.unwrap_or(rules.overstock_months);
        rules.dead_stock_months = self.dead_stock_months.unwrap_or(rules.dead_stock_months);
        rules.branch_lead_time_days = self.branch_lead_time.unwrap_or(rules.branch_lead_time_days);
        rules.allow_negative_stock = self
            .allow_negative_stock
            .unwrap_or(rules.allow_negative_stock);
        rules.review_days = self.review_days.unwrap_or(rules.review_days);
        Ok(())
    }
}

fn on_off(text: &str) -> std::result::Result<bool, String> {
    match text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("'{text}' is neither on nor off")),
    }
}

pub fn settings(context: &Context, command: SettingsCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let current = settings::get(&ledger, &actor)?;
    let shown = match command {
        SettingsCommand::Show => current,
        SettingsCommand::Set {
            company,
            currency,
            fiscal_year_start,
            sales_issue_stock,
            rules,
        } => {
            let mut changed = current.company.clone();
            changed.company_name = company.unwrap_or(changed.company_name);
            changed.currency = currency.unwrap_or(changed.currency);
            changed.fiscal_year_start_month =
                fiscal_year_start.unwrap_or(changed.fiscal_year_start_month);
            changed.sales_issue_stock = sales_issue_stock.unwrap_or(changed.sales_issue_stock);
            rules.apply(&mut changed.stock)?;
            settings::update(&mut ledger, &actor, Some(current.version), changed)?
        }
    };
    output::emit(context, &shown, || {
        let rules = &shown.company.stock;
        format!(
            "company: {}\ncurrency: {}\nfiscal year starts in month {}\nsales issue stock: {}\n\
             service levels: A {} %, B {} %, C {} %\nholding cost: {} % a year\n\
             an order brings at most {} months of demand\noverstocked above {} months of cover\n\
             dead after {} months without a sale\nwarehouse to branch: {} days\n\
             negative stock: {}\nbranches plan {} days between deliveries",
            shown.company.company_name,
            shown.company.currency,
            shown.company.fiscal_year_start_month,
            if shown.company.sales_issue_stock {
                "on"
            } else {
                "off"
            },
            rules.service_level_a,
            rules.service_level_b,
            rules.service_level_c,
            rules.holding_cost_percent,
            rules.order_cover_months,
            rules.overstock_months,
            rules.dead_stock_months,
            rules.branch_lead_time_days,
            if rules.allow_negative_stock {
                "allowed"
            } else {
                "refused"
            },
            rules.review_days,
        )
    })
}

#[derive(Args)]
pub struct AuditArgs {
    /// Only this kind of record: user, product, location, department, product_category, customer, actual_sale, company_settings.
    #[arg(long)]
    entity: Option<String>,
    /// Only changes since this date (YYYY-MM-DD) or instant (RFC 3339).
    #[arg(long)]
    since: Option<String>,
    /// At most this many, newest first.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

/// An audit filter from the command line's words (an entity key such as `user`, a date).
pub fn audit_filter(
    entity: Option<&str>,
    since: Option<String>,
    limit: u32,
) -> Result<AuditFilter> {
    let entity = match entity {
        None => None,
        Some(key) => Some(Entity::parse(key).ok_or_else(|| {
            let known: Vec<&str> = Entity::ALL.iter().map(|entity| entity.key()).collect();
            anyhow::anyhow!("entity: '{key}' is not one of {}", known.join(", "))
        })?),
    };
    let since = since
        .map(|since| salesplan_core::timestamp::Timestamp::parse("since", &since))
        .transpose()?;
    Ok(AuditFilter {
        entity,
        since,
        user_id: None,
        limit: Some(limit),
    })
}

pub fn audit(context: &Context, args: AuditArgs) -> Result<()> {
    let (ledger, actor) = session::signed_in(context)?;
    let filter = audit_filter(args.entity.as_deref(), args.since, args.limit)?;
    let entries = audit::list(&ledger, &actor, filter)?;
    output::table(context, &entries, || {
        let mut table = Table::new(&["#", "when (UTC)", "who", "what happened"]);
        for entry in &entries {
            table.row(vec![
                entry.mutation_id.to_string(),
                entry.recorded_at.to_string(),
                entry.username.clone().unwrap_or_else(|| "-".into()),
                entry.summary.clone(),
            ]);
        }
        table
    })
}
