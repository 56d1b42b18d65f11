//! The widgets a home screen can show.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One widget of the home screen (JSON: `"sales"`, or `{"report": id}` for
/// a saved report pinned to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Widget {
    /// Sales of the latest month and the fiscal year to date, against last year and the budget.
    Sales,
    /// Where the fiscal year will land against the budget.
    Landing,
    /// The fiscal year month by month: actual, last year, budget.
    Trend,
    /// The products and people that rose or fell most.
    Movers,
    /// Budgets waiting for the user's approval.
    Approvals,
    /// Stock alerts by kind.
    Stock,
    /// How close the forecast came in the closed months.
    Accuracy,
    /// What the ledger's figures say first, ranked by the money at stake.
    Insights,
    /// A saved report the user may run, pinned to their home.
    Report(uuid::Uuid),
}

impl Widget {
    /// The widgets every home may show (saved reports come on top of them).
    pub const ALL: [Widget; 8] = [
        Widget::Sales,
        Widget::Landing,
        Widget::Trend,
        Widget::Movers,
        Widget::Approvals,
        Widget::Stock,
        Widget::Accuracy,
        Widget::Insights,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Widget::Sales => "sales",
            Widget::Landing => "landing",
            Widget::Trend => "trend",
            Widget::Movers => "movers",
            Widget::Approvals => "approvals",
            Widget::Stock => "stock",
            Widget::Accuracy => "accuracy",
            Widget::Insights => "insights",
            Widget::Report(_) => "report",
        }
    }

    pub fn parse(key: &str) -> Option<Widget> {
        Widget::ALL
            .into_iter()
            .find(|widget| widget.key() == key.trim())
    }
}
