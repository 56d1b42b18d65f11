//! The demo company's saved reports: what head office and a manager look at
//! every month, shared with everyone (each reader sees their own scope), and
//! one the administrator keeps to himself.

use crate::access::Actor;
use crate::error::Result;
use crate::ledger::Ledger;
use crate::reports::saved::{self, ReportToSave};
use crate::reports::{
    ChartSettings, Comparison, Dimension as D, Measure as M, Period, ReportDefinition, RowOrder,
    Visual,
};

struct Demo {
    name: &'static str,
    measures: &'static [M],
    rows: &'static [D],
    columns: &'static [D],
    period: Period,
    comparison: Comparison,
    visual: Visual,
    chart: ChartSettings,
    shared: bool,
}

const THIS_YEAR: Period = Period::FiscalYear { year: None };

/// Rows by name, every row, no labels on the chart.
const BY_NAME: ChartSettings = ChartSettings {
    order: RowOrder::Label,
    top: None,
    labels: false,
};

const ADMINISTRATORS: [Demo; 5] = [
    Demo {
        name: "Sales by branch against last year",
        measures: &[M::SalesAmount],
        rows: &[D::Branch],
        columns: &[],
        period: Period::YearToDate,
        comparison: Comparison::LastYear,
        visual: Visual::Bar,
        chart: ChartSettings {
            order: RowOrder::Largest,
            top: None,
            labels: false,
        },
        shared: true,
    },
    Demo {
        name: "Plan against actual by salesman",
        measures: &[M::Budget, M::SalesAmount, M::Variance, M::VariancePercent],
        rows: &[D::Salesman],
        columns: &[],
        period: THIS_YEAR,
        comparison: Comparison::None,
        visual: Visual::Table,
        chart: BY_NAME,
        shared: true,
    },
    Demo {
        name: "Monthly sales by branch",
        measures: &[M::SalesAmount],
        rows: &[D::Month],
        columns: &[D::Branch],
        period: Period::LastMonths { months: 12 },
        comparison: Comparison::None,
        visual: Visual::StackedBar,
        chart: BY_NAME,
        shared: true,
    },
    Demo {
        name: "Categories month by month",
        measures: &[M::SalesAmount],
        rows: &[D::Category],
        columns: &[D::Month],
        period: Period::LastMonths { months: 12 },
        comparison: Comparison::None,
        visual: Visual::Heatmap,
        chart: BY_NAME,
        shared: true,
    },
    Demo {
        name: "Margin by category",
        measures: &[M::SalesAmount, M::Margin],
        rows: &[D::Category],
        columns: &[D::Quarter],
        period: THIS_YEAR,
        comparison: Comparison::None,
        visual: Visual::Pivot,
        chart: BY_NAME,
        shared: false,
    },
];

const MANAGERS: [Demo; 1] = [Demo {
    name: "Top products against budget",
    measures: &[M::SalesAmount],
    rows: &[D::Product],
    columns: &[],
    period: Period::YearToDate,
    comparison: Comparison::Budget,
    visual: Visual::Bar,
    chart: ChartSettings {
        order: RowOrder::Largest,
        top: Some(10),
        labels: true,
    },
    shared: true,
}];

/// Saves the administrator's and the retail manager's reports.
pub(super) fn create(ledger: &mut Ledger, admin: &Actor, manager: &Actor) -> Result<usize> {
    let mut saved = 0;
    for (owner, reports) in [(admin, &ADMINISTRATORS[..]), (manager, &MANAGERS[..])] {
        for report in reports {
            let definition = ReportDefinition {
                measures: report.measures.to_vec(),
                rows: report.rows.to_vec(),
                columns: report.columns.to_vec(),
                filters: Vec::new(),
                period: report.period,
                comparison: report.comparison,
                visual: report.visual,
                chart: report.chart,
            };
            let to_save = ReportToSave {
                id: None,
                name: report.name.to_owned(),
                definition,
                shared: report.shared,
            };
            saved::save(ledger, owner, to_save)?;
            saved += 1;
        }
    }
    Ok(saved)
}
