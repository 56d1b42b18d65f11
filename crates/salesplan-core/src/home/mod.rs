//! The home screen the app opens on: for each role the figures its work needs,
//! within the user's scope, as widgets the user may remove and reorder. A
//! user's arrangement is kept on this laptop (`home_layouts`, never synced);
//! without one the role's default applies.

mod digest;
mod sales;

pub use crate::model::home::Widget;
pub use digest::{DigestStamp, Refresh};
pub use sales::{Comparison, MonthProgress, Mover, Movers, Ranking, SalesFigures, TrendMonth};

use crate::access::{Action, Actor, Role};
use crate::budgets::{self, BudgetSummary};
use crate::error::{Error, Result};
use crate::forecast::{self, AccuracyQuery, AccuracyRow, Landing};
use crate::insights::{self, Insight};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::reports::{ReportResult, saved};
use crate::stock::alerts::{self as stock_alerts, StockAlert, StockAlertKind};
use crate::timestamp::{Day, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;
use uuid::Uuid;

/// The right a widget's figures need (a saved report: that of keeping
/// reports, and each of its measures its own when it runs).
fn right(widget: Widget) -> Action {
    match widget {
        Widget::Sales | Widget::Trend | Widget::Movers | Widget::Insights => Action::ViewActuals,
        Widget::Landing | Widget::Accuracy => Action::ViewForecasts,
        Widget::Approvals => Action::ApproveBudgets,
        Widget::Stock => Action::ViewStock,
        Widget::Report(_) => Action::KeepReports,
    }
}

/// What each role's home shows first, before its user arranges it (the
/// screen puts the narrow ones — approvals, stock, accuracy — two to a row).
fn role_default(role: Role) -> &'static [Widget] {
    use Widget::*;
    match role {
        Role::Administrator => &[
            Sales, Insights, Landing, Approvals, Stock, Trend, Movers, Accuracy,
        ],
        Role::Salesman => &[Sales, Insights, Landing, Trend, Movers, Accuracy],
        Role::Manager => &[Approvals, Accuracy, Sales, Insights, Landing, Trend, Movers],
        Role::SupplyChain => &[Stock, Accuracy, Insights, Trend, Movers],
        Role::BranchManager => &[Sales, Approvals, Stock, Insights, Landing, Trend, Movers],
    }
}

/// The widgets the actor's rights allow, in the order of `Widget::ALL`, then
/// the saved reports they may run (their own and the shared ones), by name.
pub fn available(ledger: &Ledger, actor: &Actor) -> Result<Vec<AvailableWidget>> {
    let mut widgets: Vec<AvailableWidget> = Widget::ALL
        .into_iter()
        .filter(|widget| actor.scope_for(right(*widget)).is_ok())
        .map(|widget| AvailableWidget { widget, name: None })
        .collect();
    if actor.scope_for(Action::KeepReports).is_ok() {
        widgets.extend(
            saved::list(ledger, actor)?
                .into_iter()
                .map(|report| AvailableWidget {
                    widget: Widget::Report(report.id),
                    name: Some(report.name),
                }),
        );
    }
    Ok(widgets)
}

/// A widget the user may show, with the saved report's name for a report.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AvailableWidget {
    pub widget: Widget,
    pub name: Option<String>,
}

/// Stock alerts in a sentence each, counted by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StockSummary {
    pub by_kind: Vec<KindCount>,
    #[ts(type = "number")]
    pub unread: usize,
    /// The first unread ones, most urgent kind first.
    pub newest: Vec<StockAlert>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KindCount {
    pub kind: StockAlertKind,
    #[ts(type = "number")]
    pub count: usize,
}

/// How close the forecast came in the closed months, in the actor's scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccuracySummary {
    pub total: AccuracyRow,
    /// One row per snapshot, oldest first.
    pub by_snapshot: Vec<AccuracyRow>,
}

/// A saved report pinned to the home, as it runs for its reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PinnedReport {
    pub id: Uuid,
    pub result: ReportResult,
}

/// A widget whose figures could not be worked out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WidgetProblem {
    pub widget: Widget,
    pub message: String,
}

/// The home screen: the widgets in the user's order, each with its figures
/// (none for a widget not shown, or one that has nothing to show yet).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Home {
    pub layout: Vec<Widget>,
    /// Every widget the user's rights allow, shown or not, and the saved
    /// reports they may pin, with their names.
    pub available: Vec<AvailableWidget>,
    /// Whether the user arranged it (otherwise it is the role's default).
    pub arranged: bool,
    pub sales: Option<SalesFigures>,
    pub trend: Option<Vec<TrendMonth>>,
    pub movers: Option<Movers>,
    pub landing: Option<Landing>,
    pub approvals: Option<Vec<BudgetSummary>>,
    pub stock: Option<StockSummary>,
    pub accuracy: Option<AccuracySummary>,
    /// The first ones, ranked by the money at stake.
    pub insights: Option<Vec<Insight>>,
    /// The saved reports pinned to it, run in the user's scope, in the layout's order.
    pub reports: Vec<PinnedReport>,
    /// When the movers, the landing, the accuracy, the stock alerts and the
    /// insights were worked out (they are kept between openings; the sales,
    /// the trend and the approvals never are); none when none of them is shown.
    pub digest: Option<DigestStamp>,
    pub problems: Vec<WidgetProblem>,
}

/// The actor's home screen today, its digest worked out again if the ledger
/// changed since it was kept.
pub fn home(ledger: &mut Ledger, actor: &Actor) -> Result<Home> {
    home_on(ledger, actor, Day::today(), Refresh::IfStale)
}

/// The actor's home screen as it reads on `today` (a month still running
/// compares pro rata to its day), the digest kept or worked out as `refresh` says.
pub fn home_on(ledger: &mut Ledger, actor: &Actor, today: Day, refresh: Refresh) -> Result<Home> {
    actor.scope_for(Action::ArrangeHome)?;
    let available = available(ledger, actor)?;
    let (layout, arranged) = layout_of(ledger, actor, &available)?;
    let shows = |widget: Widget| layout.contains(&widget);
    let wanted: Vec<Widget> = layout
        .iter()
        .copied()
        .filter(|w| digest::digested(*w))
        .collect();
    let kept = digest::digest(ledger, actor, today, &wanted, refresh, |ledger, wanted| {
        work_out_digest(ledger, actor, today, wanted)
    })?;
    let (digest, stamp, mut problems) = match kept {
        Some((digest, stamp, problems)) => (digest, Some(stamp), problems),
        None => (digest::Digest::default(), None, Vec::new()),
    };
    let mut problem = |widget: Widget, error: Error| {
        problems.push(WidgetProblem {
            widget,
            message: error.to_string(),
        })
    };
    let ledger = &*ledger;
    let (sales, trend) = if shows(Widget::Sales) || shows(Widget::Trend) {
        match sales::sales_widgets(ledger, actor, today) {
            Ok(Some((figures, trend))) => (
                shows(Widget::Sales).then_some(figures),
                shows(Widget::Trend).then_some(trend),
            ),
            Ok(None) => (None, None),
            Err(error) => {
                problem(Widget::Sales, error);
                (None, None)
            }
        }
    } else {
        (None, None)
    };
    let approvals = shows(Widget::Approvals)
        .then(|| budgets::inbox(ledger, actor))
        .transpose()
        .unwrap_or_else(|error| {
            problem(Widget::Approvals, error);
            None
        });
    let reports = digest
        .reports
        .into_iter()
        .filter(|pinned| shows(Widget::Report(pinned.id)))
        .collect();
    Ok(Home {
        layout,
        available,
        arranged,
        sales,
        trend,
        movers: digest.movers,
        landing: digest.landing,
        approvals,
        stock: digest.stock,
        accuracy: digest.accuracy,
        insights: digest.insights,
        reports,
        digest: stamp,
        problems,
    })
}

/// The digest's widgets among `wanted`, worked out now; those that cannot be
/// are left out of it, with the reason.
fn work_out_digest(
    ledger: &Ledger,
    actor: &Actor,
    today: Day,
    wanted: &[Widget],
) -> (digest::Digest, Vec<WidgetProblem>) {
    let mut digest = digest::Digest::default();
    let mut problems = Vec::new();
    for &widget in wanted {
        let worked_out = match widget {
            Widget::Movers => {
                sales::movers(ledger, actor, today).map(|movers| digest.movers = movers)
            }
            Widget::Landing => {
                forecast::landing(ledger, actor, None).map(|landing| digest.landing = Some(landing))
            }
            Widget::Stock => stock_alerts::alerts(ledger, actor)
                .map(|alerts| digest.stock = Some(stock_summary(alerts))),
            Widget::Report(id) => saved::run_saved(ledger, actor, &id.to_string())
                .map(|result| digest.reports.push(PinnedReport { id, result })),
            Widget::Accuracy => {
                accuracy_summary(ledger, actor).map(|accuracy| digest.accuracy = accuracy)
            }
            Widget::Insights => insights::list_on(ledger, actor, today).map(|found| {
                digest.insights = Some(found.items.into_iter().take(INSIGHTS).collect())
            }),
            _ => continue,
        };
        match worked_out {
            Ok(()) => digest.widgets.push(widget),
            Err(error) => problems.push(WidgetProblem {
                widget,
                message: error.to_string(),
            }),
        }
    }
    (digest, problems)
}

/// Shows these widgets, in this order: each at most once, each one the
/// actor's rights allow.
pub fn arrange(ledger: &mut Ledger, actor: &Actor, widgets: Vec<Widget>) -> Result<Home> {
    actor.scope_for(Action::ArrangeHome)?;
    let allowed = available(ledger, actor)?;
    let mut seen = HashSet::new();
    for widget in &widgets {
        if !seen.insert(*widget) {
            return Err(Error::invalid(
                "widgets",
                format!("{} is listed twice", describe(*widget)),
            ));
        }
        if !allowed.iter().any(|pin| pin.widget == *widget) {
            return Err(Error::invalid(
                "widgets",
                match widget {
                    Widget::Report(id) => format!("no saved report {id} is yours or shared"),
                    _ => format!(
                        "the {} widget needs a right a {} does not have",
                        widget.key(),
                        actor.role.label()
                    ),
                },
            ));
        }
    }
    ledger.write(Some(actor), |write| {
        write.leaves_figures();
        ledger::home::put_layout(write, actor.id, &widgets, Timestamp::now())?;
        write.record(Change {
            entity: Entity::HomeLayout,
            entity_id: actor.id,
            kind: ChangeKind::Updated,
            payload: serde_json::json!({ "widgets": widgets }),
            base_version: None,
        })
    })?;
    home(ledger, actor)
}

/// Pins a saved report the actor may run to the end of their home (where
/// it already is, it stays).
pub fn pin(ledger: &mut Ledger, actor: &Actor, report: &str) -> Result<Home> {
    actor.scope_for(Action::ArrangeHome)?;
    let report = saved::find(ledger, actor, report)?;
    let available = available(ledger, actor)?;
    let (mut layout, _) = layout_of(ledger, actor, &available)?;
    if !layout.contains(&Widget::Report(report.id)) {
        layout.push(Widget::Report(report.id));
    }
    arrange(ledger, actor, layout)
}

/// The user's layout (or their role's default: then not arranged), without
/// the widgets they may no longer show (a right taken away, a report deleted
/// or no longer shared).
fn layout_of(
    ledger: &Ledger,
    actor: &Actor,
    available: &[AvailableWidget],
) -> Result<(Vec<Widget>, bool)> {
    let stored = ledger::home::layout(ledger.read(), actor.id)?;
    let arranged = stored.is_some();
    let layout = stored
        .unwrap_or_else(|| role_default(actor.role).to_vec())
        .into_iter()
        .filter(|widget| available.iter().any(|pin| pin.widget == *widget))
        .collect();
    Ok((layout, arranged))
}

/// A widget as a message names it.
fn describe(widget: Widget) -> String {
    match widget {
        Widget::Report(id) => format!("the saved report {id}"),
        _ => widget.key().to_owned(),
    }
}

/// Back to the role's default.
pub fn reset(ledger: &mut Ledger, actor: &Actor) -> Result<Home> {
    actor.scope_for(Action::ArrangeHome)?;
    ledger.write(Some(actor), |write| {
        write.leaves_figures();
        ledger::home::remove_layout(write, actor.id)?;
        write.record(Change {
            entity: Entity::HomeLayout,
            entity_id: actor.id,
            kind: ChangeKind::Updated,
            payload: serde_json::json!({ "widgets": null }),
            base_version: None,
        })
    })?;
    home(ledger, actor)
}

const NEWEST: usize = 5;
/// How many insights the home screen shows.
const INSIGHTS: usize = 5;

fn stock_summary(alerts: Vec<StockAlert>) -> StockSummary {
    let mut by_kind: Vec<KindCount> = Vec::new();
    for alert in &alerts {
        match by_kind.iter_mut().find(|count| count.kind == alert.kind) {
            Some(count) => count.count += 1,
            None => by_kind.push(KindCount {
                kind: alert.kind,
                count: 1,
            }),
        }
    }
    by_kind.sort_by_key(|count| count.kind);
    let mut unread: Vec<StockAlert> = alerts.into_iter().filter(|alert| !alert.read).collect();
    unread.sort_by_key(|alert| alert.kind);
    StockSummary {
        by_kind,
        unread: unread.len(),
        newest: unread.into_iter().take(NEWEST).collect(),
    }
}

fn accuracy_summary(ledger: &Ledger, actor: &Actor) -> Result<Option<AccuracySummary>> {
    let report = forecast::accuracy(
        ledger,
        actor,
        AccuracyQuery {
            level: budgets::variance::VarianceLevel::Company,
            within: None,
        },
    )?;
    Ok((report.total.points > 0).then_some(AccuracySummary {
        total: report.total,
        by_snapshot: report.by_snapshot,
    }))
}
