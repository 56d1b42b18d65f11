//! Reports: measures cut by dimensions into rows and columns, with totals,
//! a comparison and the rows behind any cell, in the reader's own scope.
//! A report's definition (`salesplan_domain::reports`) holds no figures: a
//! shared report run by someone with a smaller scope shows only theirs.
//!
//! Sales come from the summary grouped in SQL by the report's dimensions
//! only; the plan is the approved salesmen's budgets (scenario Base), and
//! the variance counts the sales they cover, as the variance screen does.

mod cut;
pub mod drill;
pub mod saved;

use crate::access::{Action, Actor};
use crate::error::Result;
use crate::ledger::{self, Ledger, Reader};
use crate::month::Month;
use crate::reference::{Customer, Department, Location, Product, ProductCategory};
use crate::timestamp::Day;
use cut::{Fact, Sums};
use rust_decimal::Decimal;
pub use salesplan_domain::reports::{
    ChartSettings, Compared, Comparison, Dimension, Filter, Measure, Period, ReportDefinition,
    RowOrder, Visual,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// The months a report covers once its period is read on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub first: Month,
    pub last: Month,
}

impl Window {
    /// `period` as it reads on `today` in a calendar whose fiscal year starts in `fiscal_start`.
    pub(crate) fn of(period: Period, today: Day, fiscal_start: u8) -> Window {
        let last_ended = today.month().plus(-1);
        let year_from = |year: i32| Window {
            first: Month::new(year, fiscal_start),
            last: Month::new(year, fiscal_start).plus(11),
        };
        match period {
            Period::FiscalYear { year } => {
                year_from(year.unwrap_or_else(|| cut::fiscal_year(today.month(), fiscal_start)))
            }
            Period::YearToDate => Window {
                first: year_from(cut::fiscal_year(last_ended, fiscal_start)).first,
                last: last_ended,
            },
            Period::LastMonths { months } => Window {
                first: last_ended.plus(1 - i32::from(months)),
                last: last_ended,
            },
            Period::Months { from, to } => Window {
                first: from,
                last: to,
            },
        }
    }

    fn shifted(self, months: i32) -> Window {
        Window {
            first: self.first.plus(months),
            last: self.last.plus(months),
        }
    }
}

/// One member of a dimension: a record's id, none (a sale to no named
/// customer), or a month, quarter or year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Member {
    Time(String),
    Id(Uuid),
    None,
}

/// A member as a report shows it: its key (an id, `2026-03`, `2026-Q2`,
/// `2026`, or empty for none) and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportMember {
    pub key: String,
    pub label: String,
}

/// Which figure of a measure a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Figure {
    Value,
    /// What it is compared with (last year, the budget).
    Compared,
    /// Value less compared.
    Change,
    /// The change in % of what it is compared with.
    ChangePercent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportColumn {
    /// The column's members (of the column dimensions); empty for the total.
    pub members: Vec<ReportMember>,
    pub total: bool,
    pub measure: Measure,
    pub figure: Figure,
    pub compared: Option<Compared>,
    /// What its head says: `North · Sales`, `Sales LY`, `Δ %`.
    pub label: String,
}

/// A figure; none where there is nothing to show (no plan, no known cost).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, type = "string | null")]
pub struct ReportValue(#[serde(with = "rust_decimal::serde::str_option")] pub Option<Decimal>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportRow {
    /// Its members of the row dimensions (empty for the total).
    pub members: Vec<ReportMember>,
    /// One per column.
    pub values: Vec<ReportValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportResult {
    pub definition: ReportDefinition,
    pub first: Month,
    pub last: Month,
    /// The months compared with, when the comparison is last year.
    pub compared_first: Option<Month>,
    pub compared_last: Option<Month>,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<ReportRow>,
    /// Every fact summed, also those of rows a top-N hides.
    pub total: ReportRow,
    /// Rows left out by the chart's top N.
    pub hidden_rows: usize,
    /// What the reader should know: no plan yet, costs not known for all.
    pub notes: Vec<String>,
    pub currency: String,
    /// The filters as the reader reads them: each dimension's members by name.
    pub filters: Vec<ReportFilterShown>,
}

/// A filter of a report with its members' names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportFilterShown {
    pub dimension: Dimension,
    pub members: Vec<ReportMember>,
}

/// Runs a report for `actor` today.
pub fn run(ledger: &Ledger, actor: &Actor, definition: &ReportDefinition) -> Result<ReportResult> {
    run_on(ledger, actor, definition, Day::today())
}

/// Runs a report as it reads on `today`.
pub fn run_on(
    ledger: &Ledger,
    actor: &Actor,
    definition: &ReportDefinition,
    today: Day,
) -> Result<ReportResult> {
    definition.check()?;
    require_rights(actor, definition)?;
    let conn = ledger.read();
    let settings = ledger::settings::get(conn)?;
    let fiscal_start = settings
        .as_ref()
        .map_or(1, |settings| settings.company.fiscal_year_start_month);
    let currency = settings.map_or_else(String::new, |settings| settings.company.currency);
    let names = Names::load(conn, definition)?;
    cut::check_filters(conn, actor, &definition.filters, &names)?;
    let window = Window::of(definition.period, today, fiscal_start);
    let last_year = (definition.comparison == Comparison::LastYear).then(|| window.shifted(-12));
    let mut notes = Vec::new();
    let mut now = facts(conn, actor, definition, window, 0, fiscal_start, &mut notes)?;
    if definition
        .measures
        .iter()
        .any(|measure| measure.reads_stock())
    {
        let month = today.month();
        if (window.first..=window.last).contains(&month) {
            let demand = if definition.measures.contains(&Measure::StockCover) {
                crate::stock::policy::policies(ledger, actor, None, None)?
                    .lines
                    .into_iter()
                    .map(|line| {
                        let item = (line.computed.location_id, line.computed.product_id);
                        (item, line.computed.demand_per_month)
                    })
                    .collect()
            } else {
                HashMap::new()
            };
            let stock = cut::stock(conn, actor, definition, month, &demand)?;
            if definition.measures.contains(&Measure::StockValue)
                && stock.iter().any(|fact| !fact.sums.stock_costed)
            {
                notes.push(
                    "Stock value counts only the products whose cost is known (a primary supplier selling in the company's currency)."
                        .to_owned(),
                );
            }
            now.extend(stock);
        } else {
            notes.push(format!(
                "Stock is what is on hand today: it shows in {month}, which this period does not hold."
            ));
        }
    }
    let before = match last_year {
        Some(window) => facts(
            conn,
            actor,
            definition,
            window,
            12,
            fiscal_start,
            &mut notes,
        )?,
        None => Vec::new(),
    };
    if definition.measures.contains(&Measure::Margin)
        && now
            .iter()
            .any(|fact| fact.sums.seen && !fact.sums.costed && fact.sums.amount != Decimal::ZERO)
    {
        notes.push(
            "Margin counts only the products whose cost is known (a primary supplier selling in the company's currency)."
                .to_owned(),
        );
    }
    let mut result = Pivot::new(definition, fiscal_start).build(&now, &before, &names);
    result.first = window.first;
    result.last = window.last;
    result.compared_first = last_year.map(|window| window.first);
    result.compared_last = last_year.map(|window| window.last);
    result.notes = notes;
    result.currency = currency;
    result.filters = definition
        .filters
        .iter()
        .map(|filter| ReportFilterShown {
            dimension: filter.dimension,
            members: filter
                .members
                .iter()
                .map(|id| names.shown(filter.dimension, &Member::Id(*id), fiscal_start))
                .collect(),
        })
        .collect();
    Ok(result)
}

/// Each measure and comparison needs the right to see what it reads.
fn require_rights(actor: &Actor, definition: &ReportDefinition) -> Result<()> {
    actor.scope_for(Action::ViewActuals)?;
    if definition
        .measures
        .iter()
        .any(|measure| measure.reads_plan())
        || definition.comparison == Comparison::Budget
    {
        actor.scope_for(Action::ViewBudgets)?;
    }
    if definition.measures.contains(&Measure::Margin) {
        // Cost prices are for those who buy (and see stock).
        actor.scope_for(Action::ViewStock)?;
    }
    if reads_forecast(definition) {
        actor.scope_for(Action::ViewForecasts)?;
    }
    if definition
        .measures
        .iter()
        .any(|measure| measure.reads_stock())
    {
        actor.scope_for(Action::ViewStock)?;
    }
    Ok(())
}

/// Whether a report reads the current forecast: for a measure or its comparison.
fn reads_forecast(definition: &ReportDefinition) -> bool {
    definition
        .measures
        .iter()
        .any(|measure| measure.reads_forecast())
        || definition.comparison == Comparison::Forecast
}

/// The facts of a window, `shift` months later than they lie (last year's set beside this year's).
fn facts(
    conn: Reader<'_>,
    actor: &Actor,
    definition: &ReportDefinition,
    window: Window,
    shift: i32,
    fiscal_start: u8,
    notes: &mut Vec<String>,
) -> Result<Vec<Fact>> {
    let needs_plan = definition
        .measures
        .iter()
        .any(|measure| measure.reads_plan())
        || definition.comparison == Comparison::Budget;
    let plans = if needs_plan {
        let plans = cut::plans(conn, actor, &window, fiscal_start)?;
        if shift == 0 && plans.values().all(|plan| !plan.exists()) {
            let years: Vec<String> = plans.keys().map(i32::to_string).collect();
            notes.push(format!(
                "No approved budget for fiscal year {} in your scope: budget and variance are empty.",
                years.join(", ")
            ));
        }
        Some(plans)
    } else {
        None
    };
    let mut facts = cut::sales(
        conn,
        actor,
        definition,
        (window.first, window.last),
        shift,
        plans.as_ref(),
        fiscal_start,
    )?;
    if let Some(plans) = &plans {
        let mut budget = cut::budget(conn, actor, definition, &window, plans)?;
        for fact in &mut budget {
            fact.place.period = fact.place.period.plus(shift);
        }
        facts.extend(budget);
    }
    // The landing counts the sales of closed months and the forecast of open
    // ones; last year's months are all closed and have no forecast.
    if shift != 0 {
        for fact in &mut facts {
            fact.sums.landing = fact.sums.amount;
        }
    } else if reads_forecast(definition) {
        let (forecast, open) = cut::forecast(conn, actor, definition, &window)?;
        for fact in &mut facts {
            if fact.place.period < open {
                fact.sums.landing = fact.sums.amount;
            }
        }
        if forecast.is_empty() && window.last >= open {
            notes.push(
                "No forecast covers the open months in your scope: run the forecast first."
                    .to_owned(),
            );
        }
        facts.extend(forecast);
    }
    Ok(facts)
}

/// The names of the members of every dimension a report cuts or filters by.
pub(crate) struct Names {
    by: HashMap<Dimension, HashMap<Uuid, String>>,
}

impl Names {
    fn load(conn: Reader<'_>, definition: &ReportDefinition) -> Result<Names> {
        use crate::ledger::reference::list;
        let mut by = HashMap::new();
        let wanted = definition
            .rows
            .iter()
            .chain(&definition.columns)
            .copied()
            .chain(definition.filters.iter().map(|filter| filter.dimension));
        for dimension in wanted {
            let names: HashMap<Uuid, String> = match dimension {
                Dimension::Product => list::<Product>(conn, true)?
                    .into_iter()
                    .map(|r| (r.id, format!("{} {}", r.fields.sku, r.fields.name)))
                    .collect(),
                Dimension::Category => list::<ProductCategory>(conn, true)?
                    .into_iter()
                    .map(|r| (r.id, r.fields.name))
                    .collect(),
                Dimension::Branch => list::<Location>(conn, true)?
                    .into_iter()
                    .map(|r| (r.id, r.fields.name))
                    .collect(),
                Dimension::Department => list::<Department>(conn, true)?
                    .into_iter()
                    .map(|r| (r.id, r.fields.name))
                    .collect(),
                Dimension::Customer => list::<Customer>(conn, true)?
                    .into_iter()
                    .map(|r| (r.id, r.fields.name))
                    .collect(),
                Dimension::Salesman => ledger::users::list(conn)?
                    .into_iter()
                    .map(|user| (user.id, user.profile.display_name))
                    .collect(),
                Dimension::Month | Dimension::Quarter | Dimension::FiscalYear => continue,
            };
            by.insert(dimension, names);
        }
        Ok(Names { by })
    }

    pub(crate) fn name(&self, dimension: Dimension, id: Uuid) -> Option<&str> {
        self.by.get(&dimension)?.get(&id).map(String::as_str)
    }

    fn shown(&self, dimension: Dimension, member: &Member, fiscal_start: u8) -> ReportMember {
        let fiscal = |text: &str| match fiscal_start {
            1 => text.replace("-Q", " Q"),
            _ => format!("FY{}", text.replace("-Q", " Q")),
        };
        match member {
            Member::Time(key) => ReportMember {
                key: key.clone(),
                label: match dimension {
                    Dimension::Month => key.clone(),
                    _ => fiscal(key),
                },
            },
            Member::Id(id) => ReportMember {
                key: id.to_string(),
                label: self
                    .name(dimension, *id)
                    .map_or_else(|| id.to_string(), str::to_owned),
            },
            Member::None => ReportMember {
                key: String::new(),
                label: match dimension {
                    Dimension::Customer => "(no customer)".to_owned(),
                    Dimension::Salesman => "(no salesman)".to_owned(),
                    _ => "(none)".to_owned(),
                },
            },
        }
    }
}

/// This year's and the compared facts of one cell.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    now: Sums,
    before: Sums,
}

/// A row or a column: its members, or the total (`None`).
type Key = Option<Vec<Member>>;

struct Pivot<'a> {
    definition: &'a ReportDefinition,
    fiscal_start: u8,
    cells: HashMap<(Key, Key), Cell>,
}

impl<'a> Pivot<'a> {
    fn new(definition: &'a ReportDefinition, fiscal_start: u8) -> Pivot<'a> {
        Pivot {
            definition,
            fiscal_start,
            cells: HashMap::new(),
        }
    }

    fn add(&mut self, facts: &[Fact], compared: bool) {
        let members = |fact: &Fact, by: &[Dimension]| -> Vec<Member> {
            by.iter()
                .map(|dimension| fact.member(*dimension, self.fiscal_start))
                .collect()
        };
        for fact in facts {
            let row = members(fact, &self.definition.rows);
            let column = members(fact, &self.definition.columns);
            let rows: Vec<Key> = match self.definition.rows.is_empty() {
                true => vec![None],
                false => vec![Some(row), None],
            };
            let columns: Vec<Key> = match self.definition.columns.is_empty() {
                true => vec![None],
                false => vec![Some(column), None],
            };
            for row in &rows {
                for column in &columns {
                    let cell = self.cells.entry((row.clone(), column.clone())).or_default();
                    match compared {
                        false => cell.now.add(&fact.sums),
                        true => cell.before.add(&fact.sums),
                    }
                }
            }
        }
    }

    fn build(mut self, now: &[Fact], before: &[Fact], names: &Names) -> ReportResult {
        self.add(now, false);
        self.add(before, true);
        let definition = self.definition;
        let show = |by: &[Dimension], members: &[Member]| -> Vec<ReportMember> {
            by.iter()
                .zip(members)
                .map(|(dimension, member)| names.shown(*dimension, member, self.fiscal_start))
                .collect()
        };
        let mut column_keys: Vec<Vec<Member>> = self
            .cells
            .keys()
            .filter_map(|(row, column)| row.is_none().then(|| column.clone()).flatten())
            .collect();
        column_keys.sort_by_key(|members| label_order(&show(&definition.columns, members)));
        column_keys.dedup();
        let mut groups: Vec<Key> = column_keys.into_iter().map(Some).collect();
        groups.push(None);
        let mut columns = Vec::new();
        let mut slots = Vec::new();
        for group in &groups {
            let members = group
                .as_ref()
                .map(|members| show(&definition.columns, members))
                .unwrap_or_default();
            let prefix: Vec<&str> = members.iter().map(|m| m.label.as_str()).collect();
            for measure in &definition.measures {
                let compared = measure.compared_with(definition.comparison);
                let figures: &[Figure] = match compared {
                    Some(_) => &[
                        Figure::Value,
                        Figure::Compared,
                        Figure::Change,
                        Figure::ChangePercent,
                    ],
                    None => &[Figure::Value],
                };
                for figure in figures {
                    let head = column_head(*measure, *figure, compared);
                    columns.push(ReportColumn {
                        label: match prefix.is_empty() {
                            true => head,
                            false => format!("{} · {head}", prefix.join(" · ")),
                        },
                        members: members.clone(),
                        total: group.is_none() && !definition.columns.is_empty(),
                        measure: *measure,
                        figure: *figure,
                        compared,
                    });
                    slots.push(group.clone());
                }
            }
        }
        let values = |row: &Key| -> Vec<ReportValue> {
            columns
                .iter()
                .zip(&slots)
                .map(|(column, slot)| {
                    let cell = self
                        .cells
                        .get(&(row.clone(), slot.clone()))
                        .copied()
                        .unwrap_or_default();
                    ReportValue(figure_of(&cell, column))
                })
                .collect()
        };
        // Rows are ordered and cut to the top N by their keys, names and
        // sizes; only the rows shown are built (a report of 10,000 products
        // shows 20).
        let first_total = columns.iter().position(|column| {
            column.figure == Figure::Value && (column.total || definition.columns.is_empty())
        });
        let size = |members: &Vec<Member>| {
            first_total.and_then(|at| {
                let cell = self
                    .cells
                    .get(&(Some(members.clone()), slots[at].clone()))
                    .copied()
                    .unwrap_or_default();
                figure_of(&cell, &columns[at])
            })
        };
        let mut keys: Vec<(Vec<Member>, Vec<ReportMember>)> = self
            .cells
            .keys()
            .filter(|(row, column)| row.is_some() && column.is_none())
            .filter_map(|(row, _)| row.clone())
            .map(|members| {
                let shown = show(&definition.rows, &members);
                (members, shown)
            })
            .collect();
        match definition.chart.order {
            RowOrder::Label => keys.sort_by_cached_key(|(_, shown)| label_order(shown)),
            RowOrder::Largest => keys.sort_by_cached_key(|(members, shown)| {
                (std::cmp::Reverse(size(members)), label_order(shown))
            }),
            RowOrder::Smallest => {
                keys.sort_by_cached_key(|(members, shown)| (size(members), label_order(shown)))
            }
        }
        let shown = definition
            .chart
            .top
            .map_or(keys.len(), |top| keys.len().min(usize::from(top)));
        let hidden_rows = keys.len() - shown;
        keys.truncate(shown);
        let rows: Vec<ReportRow> = keys
            .into_iter()
            .map(|(members, shown)| ReportRow {
                members: shown,
                values: values(&Some(members)),
            })
            .collect();
        let total = ReportRow {
            members: Vec::new(),
            values: values(&None),
        };
        ReportResult {
            definition: definition.clone(),
            first: Month::new(0, 1),
            last: Month::new(0, 1),
            compared_first: None,
            compared_last: None,
            columns,
            rows,
            total,
            hidden_rows,
            notes: Vec::new(),
            currency: String::new(),
            filters: Vec::new(),
        }
    }
}

/// Members in their order: months and years by their key, others by name.
fn label_order(members: &[ReportMember]) -> Vec<String> {
    members
        .iter()
        .map(|member| match member.key.len() {
            // Times sort by key (2026-03, 2026-Q1, 2026); an empty key (none) last.
            0 => "\u{10FFFF}".to_owned(),
            4 | 7 => member.key.clone(),
            _ => member.label.to_lowercase(),
        })
        .collect()
}

fn column_head(measure: Measure, figure: Figure, compared: Option<Compared>) -> String {
    let against = match compared {
        Some(Compared::LastYear) => "LY",
        Some(Compared::Budget) => "budget",
        Some(Compared::Forecast) => "forecast",
        None => "",
    };
    match figure {
        Figure::Value => measure.label().to_owned(),
        Figure::Compared => format!("{} {against}", measure.label()),
        Figure::Change => format!("{} Δ {against}", measure.label()),
        Figure::ChangePercent => format!("{} Δ % {against}", measure.label()),
    }
}

/// A column's figure in a cell.
fn figure_of(cell: &Cell, column: &ReportColumn) -> Option<Decimal> {
    let value = cell.now.value(column.measure);
    let compared = match column.compared {
        None => None,
        Some(Compared::LastYear) => cell.before.value(column.measure),
        Some(Compared::Budget) => match column.measure {
            Measure::SalesQuantity => cell.now.value(Measure::BudgetQuantity),
            _ => cell.now.value(Measure::Budget),
        },
        Some(Compared::Forecast) => match column.measure {
            Measure::SalesQuantity => cell.now.value(Measure::ForecastQuantity),
            _ => cell.now.value(Measure::Forecast),
        },
    };
    match column.figure {
        Figure::Value => value,
        Figure::Compared => compared,
        Figure::Change => Some(value? - compared?),
        Figure::ChangePercent => {
            let (value, compared) = (value?, compared?);
            (!compared.is_zero()).then(|| {
                crate::money::round(
                    (value - compared) / compared.abs() * Decimal::ONE_HUNDRED,
                    1,
                )
            })
        }
    }
}
