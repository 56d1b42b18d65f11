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
use crate::forecast::Score;
use crate::ledger::{self, Ledger, Reader};
use crate::month::Month;
use crate::reference::{Customer, Department, Location, Product, ProductCategory};
use crate::timestamp::Day;
use cut::{Fact, Sums};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
pub use salesplan_domain::reports::{
    ChartSettings, Compared, Comparison, Dimension, Filter, Measure, Period, ReportDefinition,
    RowOrder, Visual,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
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
    let reading = Reading {
        ledger,
        actor,
        definition,
        fiscal_start,
        today,
    };
    let now = reading.facts(window, 0, &mut notes)?;
    let before = match last_year {
        Some(window) => reading.facts(window, 12, &mut notes)?,
        None => Vec::new(),
    };
    let scored = reading.scored(window, &mut notes)?;
    let mut result = Pivot::new(definition, fiscal_start).build(&now, &before, &scored, &names);
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
    if definition.reads_plan() {
        actor.scope_for(Action::ViewBudgets)?;
    }
    if definition.measures.contains(&Measure::Margin) {
        // Cost prices are for those who buy (and see stock).
        actor.scope_for(Action::ViewStock)?;
    }
    if definition.reads_forecast() || definition.measures.contains(&Measure::ForecastWape) {
        actor.scope_for(Action::ViewForecasts)?;
    }
    if definition.reads_stock() {
        actor.scope_for(Action::ViewStock)?;
    }
    Ok(())
}

/// What a report reads on a day, for a reader: every kind of fact it sums.
struct Reading<'a> {
    ledger: &'a Ledger,
    actor: &'a Actor,
    definition: &'a ReportDefinition,
    fiscal_start: u8,
    today: Day,
}

impl Reading<'_> {
    /// The facts of a window, `shift` months later than they lie (last
    /// year's set beside this year's): sales, the plan, the forecast and
    /// today's stock, as the measures ask; what the reader should know about
    /// them goes to `notes`.
    fn facts(&self, window: Window, shift: i32, notes: &mut Vec<String>) -> Result<Vec<Fact>> {
        let (conn, actor, definition) = (self.ledger.read(), self.actor, self.definition);
        let plans = if definition.reads_plan() {
            let plans = cut::plans(conn, actor, &window, self.fiscal_start)?;
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
            self.fiscal_start,
        )?;
        if let Some(plans) = &plans {
            let mut budget = cut::budget(conn, actor, definition, &window, plans)?;
            for fact in &mut budget {
                fact.place.period = fact.place.period.plus(shift);
            }
            facts.extend(budget);
        }
        if shift == 0 && definition.measures.contains(&Measure::Margin) {
            let unknown = |fact: &Fact| {
                fact.sums.seen && !fact.sums.costed && fact.sums.amount != Decimal::ZERO
            };
            if facts.iter().any(unknown) {
                notes.push(
                    "Margin counts only the products whose cost is known (a primary supplier selling in the company's currency)."
                        .to_owned(),
                );
            }
        }
        // The landing counts the sales of closed months and the forecast of open
        // ones; last year's months are all closed and have no forecast.
        if shift != 0 {
            for fact in &mut facts {
                fact.sums.landing = fact.sums.amount;
            }
            return Ok(facts);
        }
        if definition.reads_forecast() {
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
        if definition.reads_stock() {
            facts.extend(self.stock(window, notes)?);
        }
        Ok(facts)
    }

    /// Today's stock, placed in the current month when the window holds it.
    fn stock(&self, window: Window, notes: &mut Vec<String>) -> Result<Vec<Fact>> {
        let (ledger, actor, definition) = (self.ledger, self.actor, self.definition);
        let month = self.today.month();
        if !(window.first..=window.last).contains(&month) {
            notes.push(format!(
                "Stock is what is on hand today: it shows in {month}, which this period does not hold."
            ));
            return Ok(Vec::new());
        }
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
        let stock = cut::stock(ledger.read(), actor, definition, month, &demand)?;
        if definition.measures.contains(&Measure::StockValue)
            && stock.iter().any(|fact| !fact.sums.stock_costed)
        {
            notes.push(
                "Stock value counts only the products whose cost is known (a primary supplier selling in the company's currency)."
                    .to_owned(),
            );
        }
        Ok(stock)
    }

    /// Past forecasts of the window's closed months, for the forecast WAPE.
    fn scored(&self, window: Window, notes: &mut Vec<String>) -> Result<Vec<(Fact, Month)>> {
        if !self.definition.measures.contains(&Measure::ForecastWape) {
            return Ok(Vec::new());
        }
        let scored = cut::snapshots(self.ledger.read(), self.actor, self.definition, &window)?;
        if scored.is_empty() {
            notes.push(
                "No month of this period was closed with a forecast kept for it in your scope: the forecast WAPE is empty."
                    .to_owned(),
            );
        }
        Ok(scored)
    }
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

impl Cell {
    fn add(&mut self, sums: &Sums, compared: bool) {
        match compared {
            false => self.now.add(sums),
            true => self.before.add(sums),
        }
    }
}

/// A row or a column, by the order its members were first met; `TOTAL` for the total.
type Slot = u32;
const TOTAL: Slot = Slot::MAX;

/// The distinct members of the rows (or the columns), each kept once and
/// named by its slot: a fact finds its cells by two small numbers, not by
/// cloning and hashing its members for every cell it adds to.
#[derive(Default)]
struct Slots {
    of: HashMap<Vec<Member>, Slot>,
    members: Vec<Vec<Member>>,
}

impl Slots {
    fn slot(&mut self, members: Vec<Member>) -> Slot {
        if let Some(slot) = self.of.get(&members) {
            return *slot;
        }
        let slot = Slot::try_from(self.members.len()).unwrap_or(TOTAL - 1);
        self.of.insert(members.clone(), slot);
        self.members.push(members);
        slot
    }

    fn all(&self) -> impl Iterator<Item = Slot> + use<> {
        (0..self.members.len()).filter_map(|at| Slot::try_from(at).ok())
    }

    fn members(&self, slot: Slot) -> &[Member] {
        &self.members[slot as usize]
    }
}

/// A fact's own cell (a row's member under a column's), added only once the
/// row is known to be shown: a report of 10,000 products by month that shows
/// 20 builds 20 rows of cells, while every fact still counts in the totals.
struct Deferred {
    row: Slot,
    column: Slot,
    compared: bool,
    fact: usize,
}

struct Pivot<'a> {
    definition: &'a ReportDefinition,
    fiscal_start: u8,
    rows: Slots,
    columns: Slots,
    cells: HashMap<(Slot, Slot), Cell>,
    deferred: Vec<Deferred>,
}

impl<'a> Pivot<'a> {
    fn new(definition: &'a ReportDefinition, fiscal_start: u8) -> Pivot<'a> {
        Pivot {
            definition,
            fiscal_start,
            rows: Slots::default(),
            columns: Slots::default(),
            cells: HashMap::new(),
            deferred: Vec::new(),
        }
    }

    /// A fact's row and column (`TOTAL` where the report has none).
    fn place(&mut self, fact: &Fact) -> (Slot, Slot) {
        let fiscal_start = self.fiscal_start;
        let slot = |by: &[Dimension], slots: &mut Slots| match by.is_empty() {
            true => TOTAL,
            false => slots.slot(
                by.iter()
                    .map(|dimension| fact.member(*dimension, fiscal_start))
                    .collect(),
            ),
        };
        (
            slot(&self.definition.rows, &mut self.rows),
            slot(&self.definition.columns, &mut self.columns),
        )
    }

    /// The cells a fact at `(row, column)` adds to: its own, its row's and
    /// column's totals, the grand total (each once).
    fn targets((row, column): (Slot, Slot)) -> impl Iterator<Item = (Slot, Slot)> {
        let rows = [row, TOTAL];
        let columns = [column, TOTAL];
        let (row_count, column_count) = (
            if row == TOTAL { 1 } else { 2 },
            if column == TOTAL { 1 } else { 2 },
        );
        (0..row_count).flat_map(move |r| (0..column_count).map(move |c| (rows[r], columns[c])))
    }

    fn add(&mut self, facts: &[Fact], compared: bool) {
        for (at, fact) in facts.iter().enumerate() {
            let place = self.place(fact);
            for (row, column) in Pivot::targets(place) {
                if row != TOTAL && column != TOTAL {
                    self.deferred.push(Deferred {
                        row,
                        column,
                        compared,
                        fact: at,
                    });
                    continue;
                }
                self.cells
                    .entry((row, column))
                    .or_default()
                    .add(&fact.sums, compared);
            }
        }
    }

    /// Adds the deferred cells of the rows shown.
    fn add_shown(&mut self, shown: &[Slot], now: &[Fact], before: &[Fact]) {
        let shown: std::collections::HashSet<Slot> = shown.iter().copied().collect();
        for deferred in std::mem::take(&mut self.deferred) {
            if shown.contains(&deferred.row) {
                let facts = if deferred.compared { before } else { now };
                self.cells
                    .entry((deferred.row, deferred.column))
                    .or_default()
                    .add(&facts[deferred.fact].sums, deferred.compared);
            }
        }
    }

    /// Scores past forecasts (each with the month it was made as of) against
    /// the units sold, both added up to each cell first, as the accuracy
    /// screen scores a level: a ratio per cell, never a sum of its parts.
    fn score(&mut self, scored: &[(Fact, Month)], sold: &[Fact]) {
        let mut forecasts: HashMap<(Slot, Slot), BTreeMap<(Month, Month), Decimal>> =
            HashMap::new();
        for (fact, as_of) in scored {
            for target in Pivot::targets(self.place(fact)) {
                *forecasts
                    .entry(target)
                    .or_default()
                    .entry((*as_of, fact.place.period))
                    .or_default() += fact.sums.forecast_quantity;
            }
        }
        let mut actuals: HashMap<(Slot, Slot), HashMap<Month, Decimal>> = HashMap::new();
        for fact in sold.iter().filter(|fact| !fact.sums.quantity.is_zero()) {
            for target in Pivot::targets(self.place(fact)) {
                if forecasts.contains_key(&target) {
                    *actuals
                        .entry(target)
                        .or_default()
                        .entry(fact.place.period)
                        .or_default() += fact.sums.quantity;
                }
            }
        }
        for (target, forecasts) in forecasts {
            let sold = actuals.remove(&target).unwrap_or_default();
            let mut score = Score::default();
            for ((_, month), forecast) in forecasts {
                let actual = sold.get(&month).copied().unwrap_or_default();
                score.add(
                    actual.to_f64().unwrap_or(0.0),
                    forecast.to_f64().unwrap_or(0.0),
                    None,
                );
            }
            let cell = self.cells.entry(target).or_default();
            cell.now.wape = score.wape_percent();
            cell.now.seen = true;
        }
    }

    fn cell(&self, row: Slot, column: Slot) -> Cell {
        self.cells.get(&(row, column)).copied().unwrap_or_default()
    }

    fn build(
        mut self,
        now: &[Fact],
        before: &[Fact],
        scored: &[(Fact, Month)],
        names: &Names,
    ) -> ReportResult {
        self.add(now, false);
        self.add(before, true);
        self.score(scored, now);
        let definition = self.definition;
        let fiscal_start = self.fiscal_start;
        let show = |by: &[Dimension], members: &[Member]| -> Vec<ReportMember> {
            by.iter()
                .zip(members)
                .map(|(dimension, member)| names.shown(*dimension, member, fiscal_start))
                .collect()
        };
        let mut groups: Vec<(Slot, Vec<ReportMember>)> = self
            .columns
            .all()
            .map(|slot| (slot, show(&definition.columns, self.columns.members(slot))))
            .collect();
        groups.sort_by_cached_key(|(_, shown)| label_order(shown));
        groups.push((TOTAL, Vec::new()));
        let mut columns = Vec::new();
        let mut slots = Vec::new();
        for (group, members) in &groups {
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
                        total: *group == TOTAL && !definition.columns.is_empty(),
                        measure: *measure,
                        figure: *figure,
                        compared,
                    });
                    slots.push(*group);
                }
            }
        }
        // Rows are ordered by their names or by their totals (ties by name)
        // and cut to the top N before their cells are built.
        let first_total = columns.iter().position(|column| {
            column.figure == Figure::Value && (column.total || definition.columns.is_empty())
        });
        let size = |row: &Slot| {
            first_total.and_then(|at| figure_of(&self.cell(*row, slots[at]), &columns[at]))
        };
        let label = |row: &Slot| label_order(&show(&definition.rows, self.rows.members(*row)));
        let mut keys: Vec<Slot> = self.rows.all().collect();
        match definition.chart.order {
            RowOrder::Label => keys.sort_by_cached_key(label),
            RowOrder::Largest => {
                keys.sort_by_cached_key(|row| std::cmp::Reverse(size(row)));
                sort_ties(&mut keys, size, label);
            }
            RowOrder::Smallest => {
                keys.sort_by_cached_key(size);
                sort_ties(&mut keys, size, label);
            }
        }
        let shown = definition
            .chart
            .top
            .map_or(keys.len(), |top| keys.len().min(usize::from(top)));
        let hidden_rows = keys.len() - shown;
        keys.truncate(shown);
        self.add_shown(&keys, now, before);
        let values = |row: Slot| -> Vec<ReportValue> {
            columns
                .iter()
                .zip(&slots)
                .map(|(column, slot)| ReportValue(figure_of(&self.cell(row, *slot), column)))
                .collect()
        };
        let rows: Vec<ReportRow> = keys
            .iter()
            .map(|row| ReportRow {
                members: show(&definition.rows, self.rows.members(*row)),
                values: values(*row),
            })
            .collect();
        let total = ReportRow {
            members: Vec::new(),
            values: values(TOTAL),
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

/// Rows in order of size put in order of their names where their sizes tie
/// (each run of equal sizes at a time, so only rows that tie are named).
fn sort_ties(
    keys: &mut [Slot],
    size: impl Fn(&Slot) -> Option<Decimal>,
    label: impl Fn(&Slot) -> Vec<String>,
) {
    let mut from = 0;
    while from < keys.len() {
        let here = size(&keys[from]);
        let to = from
            + keys[from..]
                .iter()
                .take_while(|row| size(row) == here)
                .count();
        if to - from > 1 {
            keys[from..to].sort_by_cached_key(&label);
        }
        from = to;
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
