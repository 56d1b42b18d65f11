//! `salesplan forecast run|show|override|overrides|remove-override|close-month|accuracy|landing|export`:
//! the rolling forecast from a terminal.

use crate::budgets::Level;
use crate::export::{Format, export};
use crate::imports::Shown;
use crate::output::{self, Table, optional};
use crate::{Context, session};
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use salesplan_core::budgets::variance::{DrillStep, VarianceLevel};
use salesplan_core::exports::ExportWhat;
use salesplan_core::forecast::{
    self, AccuracyQuery, AccuracyRow, ForecastQuery, ForecastRow, NewOverride, OverrideKind,
    RunRequest,
};
use salesplan_core::reference::{self, Department, Location, Product, ProductCategory};
use salesplan_core::{Actor, Ledger, budgets};
use std::path::PathBuf;
use std::str::FromStr;

#[derive(Subcommand)]
pub enum ForecastCommand {
    /// Recompute the baseline of every series in your scope from its history.
    Run {
        /// auto, ets, snaive, moving_average, ses, holt, holt_damped,
        /// holt_winters_additive, holt_winters_multiplicative, croston or tsb.
        #[arg(long, default_value = "auto")]
        method: String,
        /// Months forecast, 3 to 24 (default: as last run, else 12).
        #[arg(long)]
        horizon: Option<u32>,
    },
    /// Baseline, override and final by month, at a level.
    Show {
        #[arg(long, value_enum, default_value = "company")]
        level: Level,
        #[command(flatten)]
        within: Target,
        /// Months of history (actuals) shown before the forecast.
        #[arg(long, default_value_t = 12)]
        history: u32,
    },
    /// Override the forecast of a series or any level above, with a reason.
    Override {
        #[command(flatten)]
        target: Target,
        /// The first month overridden (YYYY-MM).
        #[arg(long)]
        month: String,
        /// The last month overridden (default: the first).
        #[arg(long)]
        to: Option<String>,
        /// The quantity for each month (shared by the baseline below a level).
        #[arg(long, conflicts_with = "percent", required_unless_present = "percent")]
        set: Option<String>,
        /// A change in %, e.g. -15.
        #[arg(long, allow_hyphen_values = true)]
        percent: Option<String>,
        #[arg(long)]
        reason: String,
        /// The override stops counting after this day (YYYY-MM-DD).
        #[arg(long)]
        expires: Option<String>,
    },
    /// The overrides in force.
    Overrides,
    /// Remove an override (its id or last characters).
    RemoveOverride { id: String },
    /// Close the open month: freeze its sales, keep the forecast as a snapshot, roll forward.
    CloseMonth {
        /// Must be the open month; default: it.
        #[arg(long)]
        month: Option<String>,
    },
    /// Past snapshots scored against actuals: WAPE, bias, MASE.
    Accuracy {
        #[arg(long, value_enum, default_value = "branch")]
        level: Level,
        #[command(flatten)]
        within: Target,
    },
    /// Where the fiscal year will land: actuals so far + the forecast of the rest, against budget.
    Landing {
        #[command(flatten)]
        within: Target,
    },
    /// Write the forecast (or its accuracy) to an xlsx or csv file.
    Export {
        #[arg(long, value_enum)]
        format: Format,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "company")]
        level: Level,
        #[command(flatten)]
        within: Target,
        /// The accuracy report instead of the forecast.
        #[arg(long)]
        accuracy: bool,
    },
}

/// Which series: every option narrows (a product at a branch…).
#[derive(Args, Default)]
pub struct Target {
    /// A product's SKU.
    #[arg(long)]
    product: Option<String>,
    /// A product category's code.
    #[arg(long)]
    category: Option<String>,
    /// A branch's code.
    #[arg(long)]
    branch: Option<String>,
    /// A salesman's username.
    #[arg(long)]
    salesman: Option<String>,
    /// A department's code.
    #[arg(long)]
    department: Option<String>,
}

impl Target {
    fn steps(&self, ledger: &Ledger, actor: &Actor) -> Result<Vec<DrillStep>> {
        let mut steps = Vec::new();
        let mut add = |level, key| steps.push(DrillStep { level, key });
        if let Some(code) = &self.department {
            add(
                VarianceLevel::Department,
                reference::find::<Department>(ledger, actor, code)?.id,
            );
        }
        if let Some(code) = &self.branch {
            add(
                VarianceLevel::Branch,
                reference::find::<Location>(ledger, actor, code)?.id,
            );
        }
        if let Some(username) = &self.salesman {
            let known = budgets::salesmen(ledger, actor).unwrap_or_default();
            let Some(salesman) = known
                .iter()
                .find(|choice| choice.username.eq_ignore_ascii_case(username.trim()))
            else {
                bail!("salesman: no salesman '{username}' in your scope");
            };
            add(VarianceLevel::Salesman, salesman.id);
        }
        if let Some(code) = &self.category {
            add(
                VarianceLevel::Category,
                reference::find::<ProductCategory>(ledger, actor, code)?.id,
            );
        }
        if let Some(sku) = &self.product {
            add(
                VarianceLevel::Product,
                reference::find::<Product>(ledger, actor, sku)?.id,
            );
        }
        Ok(steps)
    }
}

fn number(field: &str, text: &str) -> Result<Decimal> {
    Decimal::from_str(text.trim().replace(',', ".").as_str())
        .map_err(|_| anyhow::anyhow!("{field}: '{text}' is not a number"))
}

fn shown(value: &Decimal) -> String {
    value.round_dp(1).normalize().to_string()
}

pub fn run(context: &Context, command: ForecastCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    match command {
        ForecastCommand::Run { method, horizon } => {
            let progress = Shown::single(context.json);
            let request = RunRequest {
                method: Some(method),
                horizon,
            };
            let summary = forecast::run(&mut ledger, &actor, request, &progress);
            progress.finish();
            let summary = summary?;
            output::emit(context, &summary, || {
                let methods: Vec<String> = summary
                    .by_method
                    .iter()
                    .map(|count| format!("{} {}", count.method, count.series))
                    .collect();
                format!(
                    "forecast {} series for {} months from {} ({}): {}",
                    summary.series,
                    summary.horizon,
                    summary.first_month,
                    summary.method,
                    methods.join(", ")
                )
            })
        }
        ForecastCommand::Show {
            level,
            within,
            history,
        } => {
            let query = ForecastQuery {
                level: level.into(),
                within: Some(within.steps(&ledger, &actor)?),
                history_months: Some(history),
            };
            let view = forecast::show(&ledger, &actor, query)?;
            output::emit(context, &view, || {
                let months: Vec<String> = view
                    .history
                    .iter()
                    .chain(&view.months)
                    .map(ToString::to_string)
                    .collect();
                let mut headers = vec!["row", ""];
                headers.extend(months.iter().map(String::as_str));
                headers.push("method (holdout MAE)");
                let mut table = Table::new(&headers);
                for row in view.rows.iter().chain(std::iter::once(&view.total)) {
                    shown_rows(&mut table, row, view.history.len());
                }
                format!(
                    "Forecast from {} for {} months; baseline {} ({}); last closed month: {}\n{}",
                    view.open_month,
                    view.horizon,
                    view.run_at
                        .map_or_else(|| "not run yet".to_owned(), |at| at.to_string()),
                    view.run_method.as_deref().unwrap_or("-"),
                    view.last_closed
                        .map_or_else(|| "none".to_owned(), |month| month.to_string()),
                    table.render()
                )
            })
        }
        ForecastCommand::Override {
            target,
            month,
            to,
            set,
            percent,
            reason,
            expires,
        } => {
            let (kind, value) = match (set, percent) {
                (Some(set), _) => (OverrideKind::Absolute, number("set", &set)?),
                (None, Some(percent)) => (OverrideKind::Percent, number("percent", &percent)?),
                (None, None) => bail!("say --set QUANTITY or --percent CHANGE"),
            };
            let new = NewOverride {
                target: target.steps(&ledger, &actor)?,
                first_month: month,
                last_month: to,
                kind,
                value,
                reason,
                expires_on: expires,
            };
            let made = forecast::add_override(&mut ledger, &actor, new)?;
            output::emit(context, &made, || {
                format!(
                    "override {} on {}, {}–{}: {}",
                    short(&made.id),
                    made.target_label,
                    made.first_month,
                    made.last_month,
                    made.reason
                )
            })
        }
        ForecastCommand::Overrides => {
            let all = forecast::overrides(&ledger, &actor)?;
            output::table(context, &all, || {
                let mut table = Table::new(&[
                    "id", "target", "months", "change", "reason", "by", "expires",
                ]);
                for made in &all {
                    let change = match made.kind {
                        OverrideKind::Absolute => format!("= {}", made.value),
                        OverrideKind::Percent => format!("{:+} %", made.value),
                    };
                    table.row(vec![
                        short(&made.id),
                        made.target_label.clone(),
                        format!("{}–{}", made.first_month, made.last_month),
                        change,
                        made.reason.clone(),
                        made.created_by_name.clone(),
                        made.expires_on
                            .map(|day| day.to_string())
                            .unwrap_or_default(),
                    ]);
                }
                table
            })
        }
        ForecastCommand::RemoveOverride { id } => {
            let wanted = id.trim().to_lowercase();
            let all = forecast::overrides(&ledger, &actor)?;
            let matching: Vec<_> = all
                .iter()
                .filter(|made| wanted.len() >= 4 && made.id.to_string().ends_with(&wanted))
                .collect();
            let [found] = matching.as_slice() else {
                bail!(
                    "id: no single override ends with '{id}' (see `salesplan forecast overrides`)"
                );
            };
            forecast::remove_override(&mut ledger, &actor, found.id)?;
            output::emit(context, &found.id, || {
                format!("removed override {}", short(&found.id))
            })
        }
        ForecastCommand::CloseMonth { month } => {
            let progress = Shown::single(context.json);
            let summary = forecast::close_month(&mut ledger, &actor, month, &progress);
            progress.finish();
            let summary = summary?;
            output::emit(context, &summary, || {
                format!(
                    "closed {}: its sales are frozen; snapshot of {} series ({} values) kept; the forecast now starts {}{}",
                    summary.closed_month,
                    summary.snapshot_series,
                    summary.snapshot_values,
                    summary.open_month,
                    if summary.run.is_none() {
                        " (baseline not recomputed: run `forecast run`)"
                    } else {
                        ""
                    }
                )
            })
        }
        ForecastCommand::Accuracy { level, within } => {
            let query = AccuracyQuery {
                level: level.into(),
                within: Some(within.steps(&ledger, &actor)?),
            };
            let report = forecast::accuracy(&ledger, &actor, query)?;
            output::emit(context, &report, || {
                let mut table = Table::new(&[
                    "", "row", "months", "actual", "forecast", "WAPE %", "bias %", "MASE",
                ]);
                let sections = [
                    ("level", &report.rows),
                    ("snapshot", &report.by_snapshot),
                    ("method", &report.by_method),
                ];
                for (by, rows) in sections {
                    for row in rows.iter() {
                        accuracy_row(&mut table, by, row);
                    }
                }
                accuracy_row(&mut table, "total", &report.total);
                format!(
                    "Closed months: {}\n{}",
                    report
                        .closed_months
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    table.render()
                )
            })
        }
        ForecastCommand::Landing { within } => {
            let landing = forecast::landing(&ledger, &actor, Some(within.steps(&ledger, &actor)?))?;
            output::emit(context, &landing, || {
                let mut table = Table::new(&["month", "", "actual", "forecast", "budget", "gap"]);
                for month in &landing.months {
                    table.row(vec![
                        month.month.to_string(),
                        if month.closed { "closed" } else { "forecast" }.into(),
                        month.actual.to_string(),
                        month.forecast.to_string(),
                        optional(month.budget),
                        optional(month.gap),
                    ]);
                }
                let against = match (landing.budget, landing.gap) {
                    (Some(budget), Some(gap)) => format!(
                        "budget {budget}; gap {gap}{}",
                        landing
                            .gap_percent
                            .map(|p| format!(" ({p:+} %)"))
                            .unwrap_or_default()
                    ),
                    _ => landing
                        .plan
                        .missing(landing.fiscal_year, "Base")
                        .unwrap_or_default(),
                };
                format!(
                    "{}\nFiscal year {}: actual to date {} + forecast of the rest {} = landing {}; {against}",
                    table.render(),
                    landing.fiscal_year,
                    landing.actual_to_date,
                    landing.forecast_rest,
                    landing.landing,
                )
            })
        }
        ForecastCommand::Export {
            format,
            out,
            level,
            within,
            accuracy,
        } => {
            let within = Some(within.steps(&ledger, &actor)?);
            let what = if accuracy {
                ExportWhat::ForecastAccuracy {
                    query: AccuracyQuery {
                        level: level.into(),
                        within,
                    },
                }
            } else {
                ExportWhat::Forecast {
                    query: ForecastQuery {
                        level: level.into(),
                        within,
                        history_months: None,
                    },
                }
            };
            export(context, &mut ledger, &actor, &what, format, &out)
        }
    }
}

/// Baseline, override (when any month has one) and final lines of a row.
/// A row's lines: its actual sales under the history months (when asked for),
/// then baseline, override and final under the months forecast.
fn shown_rows(table: &mut Table, row: &ForecastRow, history: usize) {
    let line = |label: &str, kind: &str, values: Vec<String>| {
        let mut cells = vec![label.to_owned(), kind.to_owned()];
        cells.extend(std::iter::repeat_n(String::new(), history));
        cells.extend(values);
        cells
    };
    let mut label = row.label.as_str();
    if history > 0 {
        let mut actual = vec![label.to_owned(), "actual".to_owned()];
        actual.extend(row.actual.iter().map(shown));
        actual.resize(3 + history + row.baseline.len(), String::new());
        table.row(actual);
        label = "";
    }
    let mut baseline = line(label, "baseline", row.baseline.iter().map(shown).collect());
    let methods: Vec<String> = row
        .methods
        .iter()
        .map(|count| format!("{} {}", count.method, count.series))
        .collect();
    let error = row
        .holdout_error
        .map(|error| format!(" ({})", shown(&error)))
        .unwrap_or_default();
    baseline.push(format!("{}{error}", methods.join(", ")));
    table.row(baseline);
    if row.overridden.iter().any(Option::is_some) {
        let values = row
            .overridden
            .iter()
            .map(|value| value.as_ref().map(shown).unwrap_or_default())
            .collect();
        table.row(line("", "override", values));
    }
    table.row(line(
        "",
        "final",
        row.final_quantity.iter().map(shown).collect(),
    ));
}

fn accuracy_row(table: &mut Table, by: &str, row: &AccuracyRow) {
    let optional =
        |value: &Option<Decimal>| value.map(|v| v.to_string()).unwrap_or_else(|| "–".into());
    table.row(vec![
        by.to_owned(),
        row.label.clone(),
        row.points.to_string(),
        shown(&row.actual),
        shown(&row.forecast),
        optional(&row.wape),
        optional(&row.bias),
        optional(&row.mase),
    ]);
}

fn short(id: &uuid::Uuid) -> String {
    let text = id.to_string();
    text[text.len() - 8..].to_owned()
}
