//! `salesplan home`: the home screen's figures in a terminal; `arrange` and
//! `reset` change which widgets it shows, as the app's "Arrange" does.
//! `salesplan insights`: the whole list of insights its widget starts.

use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::{Result, bail};
use clap::Subcommand;
use salesplan_core::home::{self, Comparison, Home, Ranking, Widget};

#[derive(Subcommand)]
pub enum HomeCommand {
    /// Show these widgets, in this order (comma-separated: sales, landing,
    /// trend, movers, approvals, stock, accuracy).
    Arrange { widgets: String },
    /// Pin a saved report (yours or a shared one, by name or id) to the end of your home.
    Pin { report: String },
    /// Back to your role's default.
    Reset,
}

pub fn run(context: &Context, command: Option<HomeCommand>) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let home = match command {
        None => home::home(&mut ledger, &actor)?,
        Some(HomeCommand::Arrange { widgets }) => {
            let mut parsed = Vec::new();
            for key in widgets.split(',').filter(|key| !key.trim().is_empty()) {
                let Some(widget) = Widget::parse(key) else {
                    let known: Vec<&str> = Widget::ALL.iter().map(|widget| widget.key()).collect();
                    bail!(
                        "widgets: '{}' is no widget (one of {})",
                        key.trim(),
                        known.join(", ")
                    );
                };
                parsed.push(widget);
            }
            home::arrange(&mut ledger, &actor, parsed)?
        }
        Some(HomeCommand::Pin { report }) => home::pin(&mut ledger, &actor, &report)?,
        Some(HomeCommand::Reset) => home::reset(&mut ledger, &actor)?,
    };
    output::emit(context, &home, || render(&home))
}

fn render(home: &Home) -> String {
    let mut parts = Vec::new();
    for widget in &home.layout {
        let part = match widget {
            Widget::Sales => home.sales.as_ref().map(|sales| {
                let mut table =
                    Table::new(&["", "actual", "last year", "change", "budget", "variance"]);
                let row = |label: String, figures: &Comparison| {
                    vec![
                        label,
                        figures.actual.round_dp(0).to_string(),
                        figures.last_year.round_dp(0).to_string(),
                        percent(figures.change_percent),
                        output::optional(figures.budget.map(|budget| budget.round_dp(0))),
                        percent(figures.variance_percent),
                    ]
                };
                let month = match sales.month_in_progress {
                    Some(progress) => format!(
                        "{} (to day {} of {})",
                        sales.month, progress.day, progress.days
                    ),
                    None => sales.month.to_string(),
                };
                table.row(row(month, &sales.month_to_date));
                table.row(row(
                    format!("{} to date", sales.fiscal_year),
                    &sales.year_to_date,
                ));
                format!("Sales: {}\n{}", sales.scope_label, table.render())
            }),
            Widget::Landing => home.landing.as_ref().map(|landing| {
                let budget = landing
                    .budget
                    .map(|budget| {
                        format!(
                            ", budget {}, gap {}",
                            budget.round_dp(0),
                            output::optional(landing.gap.map(|gap| gap.round_dp(0)))
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "Landing {}: {}{budget}",
                    landing.fiscal_year,
                    landing.landing.round_dp(0)
                )
            }),
            Widget::Trend => home.trend.as_ref().map(|months| {
                let mut table = Table::new(&["month", "actual", "last year", "budget"]);
                for month in months {
                    table.row(vec![
                        month.month.to_string(),
                        output::optional(month.actual.map(|actual| actual.round_dp(0))),
                        month.last_year.round_dp(0).to_string(),
                        output::optional(month.budget.map(|budget| budget.round_dp(0))),
                    ]);
                }
                format!("The year month by month\n{}", table.render())
            }),
            Widget::Movers => home.movers.as_ref().map(|movers| {
                let mut text = format!("Products\n{}", ranking(&movers.products));
                if let Some(people) = &movers.people {
                    text.push_str(&format!("\nPeople\n{}", ranking(people)));
                }
                text
            }),
            Widget::Approvals => home.approvals.as_ref().map(|waiting| {
                let mut table = Table::new(&["budget", "owner", "scenario", "total"]);
                for summary in waiting {
                    table.row(vec![
                        summary.budget.fiscal_year.to_string(),
                        summary.budget.owner_name.clone(),
                        summary.budget.scenario.clone(),
                        summary.total_amount.round_dp(0).to_string(),
                    ]);
                }
                format!(
                    "Waiting for your approval: {}\n{}",
                    waiting.len(),
                    table.render()
                )
            }),
            Widget::Report(id) => {
                home.reports
                    .iter()
                    .find(|pinned| pinned.id == *id)
                    .map(|pinned| {
                        let name = home
                            .available
                            .iter()
                            .find(|pin| pin.widget == *widget)
                            .and_then(|pin| pin.name.as_deref());
                        crate::reports::render(name, &pinned.result)
                    })
            }
            Widget::Stock => home.stock.as_ref().map(|stock| {
                let kinds: Vec<String> = stock
                    .by_kind
                    .iter()
                    .map(|kind| format!("{} {}", kind.count, kind.kind.key().replace('_', " ")))
                    .collect();
                format!(
                    "Stock alerts: {} unread ({})",
                    stock.unread,
                    kinds.join(", ")
                )
            }),
            Widget::Accuracy => home.accuracy.as_ref().map(|accuracy| {
                format!(
                    "Forecast accuracy over {} month forecasts: WAPE {} %, bias {} %",
                    accuracy.total.points,
                    output::optional(accuracy.total.wape),
                    output::optional(accuracy.total.bias)
                )
            }),
            Widget::Insights => home.insights.as_ref().map(|found| {
                let lines: Vec<String> = found
                    .iter()
                    .map(|insight| format!("- {}", insight.sentence))
                    .collect();
                format!("What stands out\n{}", lines.join("\n"))
            }),
        };
        parts.push(part.unwrap_or_else(|| format!("{}: nothing yet", widget.key())));
    }
    for problem in &home.problems {
        parts.push(format!("{}: {}", problem.widget.key(), problem.message));
    }
    if parts.is_empty() {
        parts.push("No widgets: `salesplan home arrange sales,trend` shows some.".into());
    }
    parts.join("\n\n")
}

fn percent(value: Option<rust_decimal::Decimal>) -> String {
    value.map_or_else(|| "-".into(), |value| format!("{value:+} %"))
}

fn ranking(ranking: &Ranking) -> String {
    let mut table = Table::new(&["", "name", "to date", "last year", "change"]);
    for (word, movers) in [("up", &ranking.rising), ("down", &ranking.falling)] {
        for mover in movers {
            table.row(vec![
                word.into(),
                mover.label.clone(),
                mover.actual.round_dp(0).to_string(),
                mover.last_year.round_dp(0).to_string(),
                format!("{:+}", mover.change.round_dp(0)),
            ]);
        }
    }
    table.render()
}

/// `salesplan insights`: what stands out in your scope, ranked by the money at stake.
pub fn insights(context: &Context) -> Result<()> {
    let (ledger, actor) = session::signed_in(context)?;
    let found = salesplan_core::insights::list(&ledger, &actor)?;
    output::emit(context, &found, || {
        let Some(through) = found.through else {
            return "No sales in your scope yet: nothing to compare.".into();
        };
        let mut lines = vec![format!("Through {through}, ranked by the money at stake:")];
        lines.extend(
            found
                .items
                .iter()
                .enumerate()
                .map(|(at, insight)| format!("{:>2}. {}", at + 1, insight.sentence)),
        );
        lines.join("\n")
    })
}
