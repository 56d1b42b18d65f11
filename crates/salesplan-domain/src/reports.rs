//! What a report asks for: measures, the dimensions its rows and columns are
//! cut by, filters, a period, a comparison and how it is drawn. A saved
//! report travels as this definition's JSON, and head office reads it by the
//! same rules as the laptop that runs it (`ReportDefinition::check`).
//!
//! A definition holds no figures: whoever runs it sees only their own scope.

use crate::error::{Error, Result};
use crate::month::Month;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// What a report sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Measure {
    /// Sales in money.
    SalesAmount,
    /// Units sold.
    SalesQuantity,
    /// The approved plan in money.
    Budget,
    /// The approved plan in units.
    BudgetQuantity,
    /// Sales the plan covers less the plan (as the variance screen counts it).
    Variance,
    /// The variance in % of the plan.
    VariancePercent,
    /// Sales less their cost, over the products whose cost is known.
    Margin,
    /// The final forecast in money (the baseline with its overrides, at list
    /// price), for the months the current forecast covers.
    Forecast,
    /// The final forecast in units.
    ForecastQuantity,
    /// Where the months land: the sales of the closed months and the final
    /// forecast of the open ones.
    Landing,
    /// Units on hand today (in the current month; by product, category, branch).
    StockOnHand,
    /// What is on hand today is worth at cost, over the products whose cost is known.
    StockValue,
    /// Months the stock on hand lasts at the forecast's monthly demand of the
    /// same items (as the stock policies hold it).
    StockCover,
    /// How far past forecasts of closed months missed, in %: every snapshot's
    /// forecast of each closed month in the period against the units sold,
    /// both added up to the cell first: Σ|sold − forecast| ÷ Σ|sold|, as the
    /// forecast accuracy screen scores a level.
    ForecastWape,
}

impl Measure {
    pub const ALL: [Measure; 14] = [
        Measure::SalesAmount,
        Measure::SalesQuantity,
        Measure::Budget,
        Measure::BudgetQuantity,
        Measure::Variance,
        Measure::VariancePercent,
        Measure::Margin,
        Measure::Forecast,
        Measure::ForecastQuantity,
        Measure::Landing,
        Measure::StockOnHand,
        Measure::StockValue,
        Measure::StockCover,
        Measure::ForecastWape,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Measure::SalesAmount => "sales_amount",
            Measure::SalesQuantity => "sales_quantity",
            Measure::Budget => "budget",
            Measure::BudgetQuantity => "budget_quantity",
            Measure::Variance => "variance",
            Measure::VariancePercent => "variance_percent",
            Measure::Margin => "margin",
            Measure::Forecast => "forecast",
            Measure::ForecastQuantity => "forecast_quantity",
            Measure::Landing => "landing",
            Measure::StockOnHand => "stock_on_hand",
            Measure::StockValue => "stock_value",
            Measure::StockCover => "stock_cover",
            Measure::ForecastWape => "forecast_wape",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::SalesAmount => "Sales",
            Measure::SalesQuantity => "Units sold",
            Measure::Budget => "Budget",
            Measure::BudgetQuantity => "Budgeted units",
            Measure::Variance => "Variance",
            Measure::VariancePercent => "Variance %",
            Measure::Margin => "Margin",
            Measure::Forecast => "Forecast",
            Measure::ForecastQuantity => "Forecast units",
            Measure::Landing => "Landing",
            Measure::StockOnHand => "On hand",
            Measure::StockValue => "Stock value",
            Measure::StockCover => "Cover (months)",
            Measure::ForecastWape => "Forecast WAPE %",
        }
    }

    /// Whether the plan is read for it.
    pub fn reads_plan(self) -> bool {
        matches!(
            self,
            Measure::Budget
                | Measure::BudgetQuantity
                | Measure::Variance
                | Measure::VariancePercent
        )
    }

    /// Whether the current forecast is read for it.
    pub fn reads_forecast(self) -> bool {
        matches!(
            self,
            Measure::Forecast | Measure::ForecastQuantity | Measure::Landing
        )
    }

    /// Whether stock is read for it.
    pub fn reads_stock(self) -> bool {
        matches!(
            self,
            Measure::StockOnHand | Measure::StockValue | Measure::StockCover
        )
    }

    /// Why it cannot be cut by customer, for a measure made without them.
    pub fn made_without_customers(self) -> Option<&'static str> {
        if self.reads_plan() {
            Some("budgets are planned by product, person and branch")
        } else if self == Measure::ForecastWape {
            Some("the forecast is made by product, person and branch")
        } else {
            None
        }
    }

    /// Whether it is a ratio (its total is worked out from the totals, not added).
    pub fn is_percent(self) -> bool {
        matches!(self, Measure::VariancePercent | Measure::ForecastWape)
    }

    /// Whether it counts units (or months of them), not money.
    pub fn is_units(self) -> bool {
        matches!(
            self,
            Measure::SalesQuantity
                | Measure::BudgetQuantity
                | Measure::ForecastQuantity
                | Measure::StockOnHand
                | Measure::StockCover
        )
    }

    /// What it is compared with under `comparison`; none where that means nothing.
    pub fn compared_with(self, comparison: Comparison) -> Option<Compared> {
        match (comparison, self) {
            (Comparison::None, _) => None,
            // A score of past forecasts is compared with nothing.
            (_, Measure::ForecastWape) => None,
            (Comparison::LastYear, _) => Some(Compared::LastYear),
            (Comparison::Budget, Measure::SalesAmount | Measure::SalesQuantity) => {
                Some(Compared::Budget)
            }
            (Comparison::Budget, _) => None,
            (Comparison::Forecast, Measure::SalesAmount | Measure::SalesQuantity) => {
                Some(Compared::Forecast)
            }
            (Comparison::Forecast, _) => None,
        }
    }

    pub fn parse(key: &str) -> Option<Measure> {
        let key = key.trim().replace('-', "_").to_lowercase();
        Measure::ALL
            .into_iter()
            .find(|measure| measure.key() == key)
    }
}

/// What rows and columns are cut by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Dimension {
    Product,
    Category,
    Branch,
    Department,
    Salesman,
    Customer,
    Month,
    Quarter,
    FiscalYear,
}

impl Dimension {
    pub const ALL: [Dimension; 9] = [
        Dimension::Product,
        Dimension::Category,
        Dimension::Branch,
        Dimension::Department,
        Dimension::Salesman,
        Dimension::Customer,
        Dimension::Month,
        Dimension::Quarter,
        Dimension::FiscalYear,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Dimension::Product => "product",
            Dimension::Category => "category",
            Dimension::Branch => "branch",
            Dimension::Department => "department",
            Dimension::Salesman => "salesman",
            Dimension::Customer => "customer",
            Dimension::Month => "month",
            Dimension::Quarter => "quarter",
            Dimension::FiscalYear => "fiscal_year",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Product => "Product",
            Dimension::Category => "Category",
            Dimension::Branch => "Branch",
            Dimension::Department => "Department",
            Dimension::Salesman => "Salesman",
            Dimension::Customer => "Customer",
            Dimension::Month => "Month",
            Dimension::Quarter => "Quarter",
            Dimension::FiscalYear => "Fiscal year",
        }
    }

    /// A month, quarter or year: cut from the sale's month, never filtered by id.
    pub fn is_time(self) -> bool {
        matches!(
            self,
            Dimension::Month | Dimension::Quarter | Dimension::FiscalYear
        )
    }

    pub fn parse(key: &str) -> Option<Dimension> {
        let key = key.trim().replace(['-', ' '], "_").to_lowercase();
        Dimension::ALL
            .into_iter()
            .find(|dimension| dimension.key() == key)
    }
}

/// The months a report covers, as its reader's calendar says on the day it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[ts(export)]
pub enum Period {
    /// A fiscal year (named by the calendar year it starts in); none: the current one.
    FiscalYear { year: Option<i32> },
    /// The current fiscal year through the month before this one.
    YearToDate,
    /// The last `months` whole months.
    LastMonths { months: u8 },
    /// From one month through another.
    Months { from: Month, to: Month },
}

/// What each measure is set against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ReportComparison")]
pub enum Comparison {
    #[default]
    None,
    /// The same months a year before.
    LastYear,
    /// The approved plan of the same months (sales and units).
    Budget,
    /// The current final forecast of the same months (sales and units).
    Forecast,
}

impl Comparison {
    pub fn parse(key: &str) -> Option<Comparison> {
        match key.trim().replace('-', "_").to_lowercase().as_str() {
            "none" | "" => Some(Comparison::None),
            "last_year" | "ly" => Some(Comparison::LastYear),
            "budget" => Some(Comparison::Budget),
            "forecast" => Some(Comparison::Forecast),
            _ => None,
        }
    }
}

/// What a measure's value is set against, once compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Compared {
    LastYear,
    Budget,
    Forecast,
}

/// How the result is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Visual {
    #[default]
    Table,
    Pivot,
    Bar,
    StackedBar,
    Line,
    Area,
    Heatmap,
}

impl Visual {
    pub const ALL: [Visual; 7] = [
        Visual::Table,
        Visual::Pivot,
        Visual::Bar,
        Visual::StackedBar,
        Visual::Line,
        Visual::Area,
        Visual::Heatmap,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Visual::Table => "table",
            Visual::Pivot => "pivot",
            Visual::Bar => "bar",
            Visual::StackedBar => "stacked_bar",
            Visual::Line => "line",
            Visual::Area => "area",
            Visual::Heatmap => "heatmap",
        }
    }

    pub fn parse(key: &str) -> Option<Visual> {
        let key = key.trim().replace(['-', ' '], "_").to_lowercase();
        Visual::ALL.into_iter().find(|visual| visual.key() == key)
    }
}

/// How rows are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RowOrder {
    /// By their names (months in order).
    #[default]
    Label,
    /// By the first measure's total, largest first.
    Largest,
    /// By the first measure's total, smallest first.
    Smallest,
}

/// The chart's settings, kept with the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct ChartSettings {
    pub order: RowOrder,
    /// Only the first rows (after ordering); none: every row.
    pub top: Option<u16>,
    /// Show the values on the chart.
    pub labels: bool,
}

/// Keeps the rows whose member of a dimension is one of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Filter {
    pub dimension: Dimension,
    pub members: Vec<Uuid>,
}

/// A report as saved, run and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReportDefinition {
    pub measures: Vec<Measure>,
    #[serde(default)]
    pub rows: Vec<Dimension>,
    #[serde(default)]
    pub columns: Vec<Dimension>,
    #[serde(default)]
    pub filters: Vec<Filter>,
    pub period: Period,
    #[serde(default)]
    pub comparison: Comparison,
    #[serde(default)]
    pub visual: Visual,
    #[serde(default)]
    pub chart: ChartSettings,
}

/// At most this many measures, row and column dimensions, filter members.
pub const MAX_MEASURES: usize = 6;
pub const MAX_ROW_DIMENSIONS: usize = 3;
pub const MAX_COLUMN_DIMENSIONS: usize = 2;
pub const MAX_FILTER_MEMBERS: usize = 500;
/// A period reaches back at most this many months.
pub const MAX_MONTHS: u8 = 60;

impl ReportDefinition {
    /// Whether it reads the approved plan: for a measure or its comparison.
    pub fn reads_plan(&self) -> bool {
        self.measures.iter().any(|measure| measure.reads_plan())
            || self.comparison == Comparison::Budget
    }

    /// Whether it reads the current forecast: for a measure or its comparison.
    pub fn reads_forecast(&self) -> bool {
        self.measures.iter().any(|measure| measure.reads_forecast())
            || self.comparison == Comparison::Forecast
    }

    /// Whether it reads today's stock.
    pub fn reads_stock(&self) -> bool {
        self.measures.iter().any(|measure| measure.reads_stock())
    }

    /// The rules every definition keeps, wherever it arrives: a measure at
    /// least, each dimension once, nothing a measure cannot be cut by.
    pub fn check(&self) -> Result<()> {
        if self.measures.is_empty() {
            return Err(Error::invalid(
                "measures",
                "pick at least one measure (sales, units, budget, variance…)",
            ));
        }
        if self.measures.len() > MAX_MEASURES {
            return Err(Error::invalid(
                "measures",
                format!("at most {MAX_MEASURES} measures in one report"),
            ));
        }
        if let Some(twice) = first_repeated(&self.measures) {
            return Err(Error::invalid(
                "measures",
                format!("'{}' is picked twice", twice.label()),
            ));
        }
        if self.rows.len() > MAX_ROW_DIMENSIONS {
            return Err(Error::invalid(
                "rows",
                format!("at most {MAX_ROW_DIMENSIONS} dimensions in the rows"),
            ));
        }
        if self.columns.len() > MAX_COLUMN_DIMENSIONS {
            return Err(Error::invalid(
                "columns",
                format!("at most {MAX_COLUMN_DIMENSIONS} dimensions in the columns"),
            ));
        }
        let cut: Vec<Dimension> = self.rows.iter().chain(&self.columns).copied().collect();
        if let Some(twice) = first_repeated(&cut) {
            return Err(Error::invalid(
                "rows",
                format!(
                    "'{}' is both a row and a column, or picked twice",
                    twice.label()
                ),
            ));
        }
        let filtered: Vec<Dimension> = self.filters.iter().map(|f| f.dimension).collect();
        if let Some(twice) = first_repeated(&filtered) {
            return Err(Error::invalid(
                "filters",
                format!("'{}' is filtered twice", twice.label()),
            ));
        }
        for filter in &self.filters {
            if filter.dimension.is_time() {
                return Err(Error::invalid(
                    "filters",
                    format!(
                        "'{}' is chosen by the period, not by a filter",
                        filter.dimension.label()
                    ),
                ));
            }
            if filter.members.is_empty() || filter.members.len() > MAX_FILTER_MEMBERS {
                return Err(Error::invalid(
                    "filters",
                    format!(
                        "a filter on '{}' keeps 1 to {MAX_FILTER_MEMBERS} members",
                        filter.dimension.label()
                    ),
                ));
            }
        }
        if cut.contains(&Dimension::Customer) || filtered.contains(&Dimension::Customer) {
            // The plan's reason first, as it was checked first.
            let uncut = self
                .measures
                .iter()
                .find(|measure| measure.reads_plan())
                .or_else(|| {
                    self.measures
                        .iter()
                        .find(|measure| measure.made_without_customers().is_some())
                });
            if let Some(measure) = uncut {
                return Err(Error::invalid(
                    "rows",
                    format!(
                        "'{}' cannot be cut by customer: {}",
                        measure.label(),
                        measure.made_without_customers().unwrap_or_default()
                    ),
                ));
            }
        }
        if self.comparison == Comparison::Budget
            && self
                .measures
                .iter()
                .all(|m| m.compared_with(Comparison::Budget).is_none())
        {
            return Err(Error::invalid(
                "comparison",
                "only sales and units are compared with the budget; pick one of them or another comparison",
            ));
        }
        if self.comparison == Comparison::Budget
            && (cut.contains(&Dimension::Customer) || filtered.contains(&Dimension::Customer))
        {
            return Err(Error::invalid(
                "comparison",
                "the budget has no customers: compare with last year, or cut by something else",
            ));
        }
        self.check_period()?;
        if self.visual == Visual::Heatmap && (self.rows.len() != 1 || self.columns.len() != 1) {
            return Err(Error::invalid(
                "visual",
                "a heatmap needs one dimension in the rows and one in the columns",
            ));
        }
        if self.chart.top == Some(0) {
            return Err(Error::invalid(
                "chart.top",
                "shows at least one row (or leave it empty for all)",
            ));
        }
        Ok(())
    }

    fn check_period(&self) -> Result<()> {
        match self.period {
            Period::FiscalYear { year: Some(year) } if !(1900..=2999).contains(&year) => Err(
                Error::invalid("period", format!("{year} is not a fiscal year")),
            ),
            Period::LastMonths { months } if months == 0 || months > MAX_MONTHS => {
                Err(Error::invalid(
                    "period",
                    format!("the last 1 to {MAX_MONTHS} months, not {months}"),
                ))
            }
            Period::Months { from, to } if to < from => Err(Error::invalid(
                "period",
                format!("{to} comes before {from}"),
            )),
            Period::Months { from, to } if to.since(from) >= i32::from(MAX_MONTHS) => {
                Err(Error::invalid(
                    "period",
                    format!("at most {MAX_MONTHS} months in one report"),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Reads and checks a definition's JSON, saying where it is wrong.
    pub fn from_json(text: &str) -> Result<ReportDefinition> {
        let mut reader = serde_json::Deserializer::from_str(text);
        let definition: ReportDefinition =
            serde_path_to_error::deserialize(&mut reader).map_err(|error| {
                let path = error.path().to_string();
                Error::invalid("definition", format!("{path}: {}", error.into_inner()))
            })?;
        definition.check()?;
        Ok(definition)
    }
}

fn first_repeated<T: PartialEq + Copy>(items: &[T]) -> Option<T> {
    items
        .iter()
        .enumerate()
        .find(|(at, item)| items[..*at].contains(item))
        .map(|(_, item)| *item)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sales_by(rows: Vec<Dimension>) -> ReportDefinition {
        ReportDefinition {
            measures: vec![Measure::SalesAmount],
            rows,
            columns: vec![],
            filters: vec![],
            period: Period::YearToDate,
            comparison: Comparison::None,
            visual: Visual::Table,
            chart: ChartSettings::default(),
        }
    }

    fn refusal(definition: &ReportDefinition) -> String {
        definition.check().unwrap_err().to_string()
    }

    #[test]
    fn a_report_needs_a_measure_and_each_dimension_once() {
        assert!(
            sales_by(vec![Dimension::Branch, Dimension::Month])
                .check()
                .is_ok()
        );
        let mut none = sales_by(vec![]);
        none.measures.clear();
        assert!(refusal(&none).contains("at least one measure"));
        let mut twice = sales_by(vec![Dimension::Branch]);
        twice.columns = vec![Dimension::Branch];
        assert!(refusal(&twice).contains("both a row and a column"));
        let mut repeated = sales_by(vec![]);
        repeated.measures = vec![Measure::Budget, Measure::Budget];
        assert!(refusal(&repeated).contains("picked twice"));
    }

    #[test]
    fn the_plan_is_not_cut_by_customer_nor_compared_with_itself() {
        let mut budget = sales_by(vec![Dimension::Customer]);
        budget.measures = vec![Measure::Variance];
        assert!(refusal(&budget).contains("cannot be cut by customer"));
        let mut itself = sales_by(vec![Dimension::Branch]);
        itself.measures = vec![Measure::Budget];
        itself.comparison = Comparison::Budget;
        assert!(refusal(&itself).contains("only sales and units"));
        let mut customers = sales_by(vec![Dimension::Customer]);
        customers.comparison = Comparison::Budget;
        assert!(refusal(&customers).contains("has no customers"));
        let mut scored = sales_by(vec![Dimension::Branch]);
        scored.measures = vec![Measure::ForecastWape];
        assert!(scored.check().is_ok());
        scored.filters = vec![Filter {
            dimension: Dimension::Customer,
            members: vec![uuid::Uuid::nil()],
        }];
        assert!(refusal(&scored).contains("cannot be cut by customer"));
    }

    #[test]
    fn periods_filters_and_heatmaps_are_checked() {
        let mut backwards = sales_by(vec![]);
        backwards.period = Period::Months {
            from: Month::new(2026, 5),
            to: Month::new(2026, 2),
        };
        assert!(refusal(&backwards).contains("comes before"));
        let mut long = sales_by(vec![]);
        long.period = Period::LastMonths { months: 61 };
        assert!(refusal(&long).contains("1 to 60"));
        let mut by_time = sales_by(vec![]);
        by_time.filters = vec![Filter {
            dimension: Dimension::Month,
            members: vec![Uuid::nil()],
        }];
        assert!(refusal(&by_time).contains("chosen by the period"));
        let mut heat = sales_by(vec![Dimension::Branch]);
        heat.visual = Visual::Heatmap;
        assert!(refusal(&heat).contains("heatmap needs"));
    }

    #[test]
    fn json_that_is_not_a_definition_says_where() {
        let unknown = r#"{"measures":["sales_amount","profit"],"period":{"kind":"year_to_date"}}"#;
        let error = ReportDefinition::from_json(unknown)
            .unwrap_err()
            .to_string();
        assert!(error.contains("measures[1]"), "{error}");
        let extra = r#"{"measures":["sales_amount"],"period":{"kind":"year_to_date"},"sql":"x"}"#;
        assert!(ReportDefinition::from_json(extra).is_err());
        let ok = r#"{"measures":["sales_amount"],"rows":["branch"],"period":{"kind":"fiscal_year","year":2026},"comparison":"last_year"}"#;
        let definition = ReportDefinition::from_json(ok).unwrap();
        assert_eq!(definition.comparison, Comparison::LastYear);
        let again = serde_json::to_string(&definition).unwrap();
        assert_eq!(ReportDefinition::from_json(&again).unwrap(), definition);
    }
}
