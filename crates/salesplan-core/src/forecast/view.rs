//! Reading the forecast: the current baseline with the overrides applied
//! (final), grouped at a level with its history, budget and interval, and the
//! landing estimate of the fiscal year (actuals so far + forecast of the rest).

use super::overrides::{apply, live};
use super::{DEFAULT_HORIZON, level_key, lies_within, open_month};
use crate::access::{Action, Actor, Scope, grant};
use crate::budgets::OwnerKind;
use crate::budgets::plan::{Plan, PlanCoverage, PlanOf};
use crate::budgets::variance::{DrillStep, VarianceLevel, labels, top_label};
use crate::error::Result;
use crate::ledger::Reader;
use crate::ledger::forecast::{Series, SeriesFacts};
use crate::ledger::{self, Ledger};
use crate::month::Month;
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;
use uuid::Uuid;

/// The forecast of every series in a scope, month by month from the open month.
pub(crate) struct Current {
    pub open: Month,
    pub months: Vec<Month>,
    pub facts: Vec<SeriesFacts>,
    pub methods: Vec<String>,
    pub holdout_errors: Vec<Option<f64>>,
    pub baseline: Vec<Vec<Decimal>>,
    /// (low, high) per month, where the method gives an interval.
    pub bounds: Vec<Vec<Option<(Decimal, Decimal)>>>,
    /// (final, overridden) per month.
    pub finals: Vec<Vec<(Decimal, bool)>>,
    pub horizon: u32,
    pub run: Option<ledger::forecast::RunRow>,
}

pub(crate) fn current(conn: Reader<'_>, scope: Scope, actor: &Actor) -> Result<Current> {
    current_from(conn, scope, actor, open_month(conn)?)
}

/// `current`, with the forecast starting at `open`.
pub(crate) fn current_from(
    conn: Reader<'_>,
    scope: Scope,
    actor: &Actor,
    open: Month,
) -> Result<Current> {
    let run = ledger::forecast::last_run(conn)?;
    let horizon = run
        .as_ref()
        .and_then(|run| u32::try_from(run.horizon).ok())
        .unwrap_or(DEFAULT_HORIZON);
    let months = open.range(horizon as usize);
    let stored = ledger::forecast::baseline(conn, scope, actor)?;
    let mut current = Current {
        open,
        months,
        facts: Vec::with_capacity(stored.len()),
        methods: Vec::with_capacity(stored.len()),
        holdout_errors: Vec::with_capacity(stored.len()),
        baseline: Vec::with_capacity(stored.len()),
        bounds: Vec::with_capacity(stored.len()),
        finals: Vec::new(),
        horizon,
        run,
    };
    for series in stored {
        let values: Vec<_> = current
            .months
            .iter()
            .map(|month| series.values.get(month).copied())
            .collect();
        current.baseline.push(
            values
                .iter()
                .map(|v| v.map_or(Decimal::ZERO, |v| v.0))
                .collect(),
        );
        current
            .bounds
            .push(values.iter().map(|v| v.and_then(|v| v.1)).collect());
        current.facts.push(series.facts);
        current.methods.push(series.method);
        current.holdout_errors.push(series.holdout_error);
    }
    let overrides = live(conn)?;
    current.finals = apply(
        &current.baseline,
        &current.facts,
        &current.months,
        &overrides,
    );
    Ok(current)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ForecastQuery {
    pub level: VarianceLevel,
    #[serde(default)]
    #[ts(optional)]
    pub within: Option<Vec<DrillStep>>,
    /// Months of history shown before the open month; default 24.
    #[ts(optional)]
    pub history_months: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ForecastView {
    pub level: VarianceLevel,
    /// The first month not closed: the forecast starts here.
    pub open_month: Month,
    pub last_closed: Option<Month>,
    pub horizon: u32,
    /// When the baseline was last computed, by what request; none before the first run.
    pub run_at: Option<Timestamp>,
    pub run_method: Option<String>,
    /// Months of history (actuals), oldest first.
    pub history: Vec<Month>,
    /// Months forecast.
    pub months: Vec<Month>,
    pub rows: Vec<ForecastRow>,
    pub total: ForecastRow,
    /// Whether this user may override (within their scope).
    pub can_override: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ForecastRow {
    pub key: Option<Uuid>,
    pub label: String,
    /// Quantity sold per history month.
    #[ts(type = "string[]")]
    pub actual: Vec<Decimal>,
    #[ts(type = "string[]")]
    pub baseline: Vec<Decimal>,
    /// The final quantity where an override changed a month, else none.
    #[ts(type = "(string | null)[]")]
    pub overridden: Vec<Option<Decimal>>,
    #[ts(type = "string[]")]
    pub final_quantity: Vec<Decimal>,
    /// Final quantity × planned price.
    #[ts(type = "string[]")]
    pub final_amount: Vec<Decimal>,
    /// The 80 % interval around the final, where the series' methods give one.
    #[ts(type = "(string | null)[]")]
    pub low: Vec<Option<Decimal>>,
    #[ts(type = "(string | null)[]")]
    pub high: Vec<Option<Decimal>>,
    /// Budgeted quantity of the forecast months (the salesmen's Base budgets).
    #[ts(type = "string[]")]
    pub budget: Vec<Decimal>,
    /// Methods chosen and how many series each.
    pub methods: Vec<super::MethodCount>,
    /// Sum of the series' holdout mean absolute errors (units a month).
    #[ts(type = "string | null")]
    pub holdout_error: Option<Decimal>,
    #[ts(type = "number")]
    pub series: usize,
}

/// The 80 % interval of series added together: their half-widths below and
/// above the baseline, added as independent errors (root of the summed
/// squares), placed around the final (overrides move the centre, not the width).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Spread(Option<(f64, f64)>);

impl Spread {
    /// Adds a series' month: its baseline and the interval its method gave (none: adds no width).
    pub(crate) fn add(&mut self, baseline: Decimal, bounds: Option<(Decimal, Decimal)>) {
        if let Some((low, high)) = bounds {
            let below = (baseline - low).to_f64().unwrap_or(0.0);
            let above = (high - baseline).to_f64().unwrap_or(0.0);
            let spread = self.0.get_or_insert((0.0, 0.0));
            spread.0 += below * below;
            spread.1 += above * above;
        }
    }

    /// (low, high) around `center` (never below nothing), to 2 places; none
    /// when no series added had an interval.
    pub(crate) fn bounds(&self, center: Decimal) -> Option<(Decimal, Decimal)> {
        self.0.map(|(below, above)| {
            let center = center.to_f64().unwrap_or(0.0);
            (
                crate::money::from_f64((center - below.sqrt()).max(0.0), 2),
                crate::money::from_f64(center + above.sqrt(), 2),
            )
        })
    }
}

#[derive(Default)]
struct Group {
    actual: Vec<Decimal>,
    baseline: Vec<Decimal>,
    final_quantity: Vec<Decimal>,
    final_amount: Vec<Decimal>,
    overridden: Vec<bool>,
    spread: Vec<Spread>,
    budget: Vec<Decimal>,
    methods: BTreeMap<String, usize>,
    holdout: Option<Decimal>,
    series: usize,
}

impl Group {
    fn new(history: usize, months: usize) -> Group {
        Group {
            actual: vec![Decimal::ZERO; history],
            baseline: vec![Decimal::ZERO; months],
            final_quantity: vec![Decimal::ZERO; months],
            final_amount: vec![Decimal::ZERO; months],
            overridden: vec![false; months],
            spread: vec![Spread::default(); months],
            budget: vec![Decimal::ZERO; months],
            ..Group::default()
        }
    }

    fn into_row(self, key: Option<Uuid>, label: String) -> ForecastRow {
        let rounded = |values: Vec<Decimal>| -> Vec<Decimal> {
            values
                .into_iter()
                .map(|v| crate::money::round(v, 2))
                .collect()
        };
        let bounds: Vec<Option<(Decimal, Decimal)>> = self
            .spread
            .iter()
            .zip(&self.final_quantity)
            .map(|(spread, center)| spread.bounds(*center))
            .collect();
        ForecastRow {
            key,
            label,
            low: bounds.iter().map(|b| b.map(|b| b.0)).collect(),
            high: bounds.iter().map(|b| b.map(|b| b.1)).collect(),
            overridden: self
                .overridden
                .iter()
                .zip(&self.final_quantity)
                .map(|(touched, value)| touched.then(|| crate::money::round(*value, 2)))
                .collect(),
            actual: rounded(self.actual),
            baseline: rounded(self.baseline),
            final_quantity: rounded(self.final_quantity),
            final_amount: rounded(self.final_amount),
            budget: rounded(self.budget),
            methods: self
                .methods
                .into_iter()
                .map(|(method, series)| super::MethodCount { method, series })
                .collect(),
            holdout_error: self.holdout.map(|error| crate::money::round(error, 2)),
            series: self.series,
        }
    }
}

/// Planned unit price of a product in a month (see `ledger::forecast::planned_prices`).
pub(crate) struct Prices {
    planned: HashMap<(Uuid, Month), Decimal>,
    list: HashMap<Uuid, Decimal>,
}

impl Prices {
    pub(crate) fn load(conn: Reader<'_>, months: &[Month]) -> Result<Prices> {
        let (planned, list) = match (months.first(), months.last()) {
            (Some(first), Some(last)) => ledger::forecast::planned_prices(conn, *first, *last)?,
            _ => Default::default(),
        };
        Ok(Prices { planned, list })
    }

    pub(crate) fn of(&self, product: Uuid, month: Month) -> Decimal {
        self.planned
            .get(&(product, month))
            .or_else(|| self.list.get(&product))
            .copied()
            .unwrap_or_default()
    }
}

pub fn show(ledger: &Ledger, actor: &Actor, query: ForecastQuery) -> Result<ForecastView> {
    let scope = actor.scope_for(Action::ViewForecasts)?;
    let conn = ledger.read();
    let current = current(conn, scope, actor)?;
    let within = query.within.unwrap_or_default();
    let history_months = query.history_months.unwrap_or(24).min(60) as usize;
    let history_first = current.open.plus(-(history_months as i32));
    let history = history_first.range(history_months);
    let months = &current.months;
    let prices = Prices::load(conn, months)?;
    let mut groups: BTreeMap<Option<Uuid>, Group> = BTreeMap::new();
    let mut total = Group::new(history.len(), months.len());
    let (history_len, months_len) = (history.len(), months.len());
    fn group(
        groups: &mut BTreeMap<Option<Uuid>, Group>,
        key: Option<Uuid>,
        sizes: (usize, usize),
    ) -> &mut Group {
        groups
            .entry(key)
            .or_insert_with(|| Group::new(sizes.0, sizes.1))
    }

    for (at, facts) in current.facts.iter().enumerate() {
        if !lies_within(&within, facts) {
            continue;
        }
        let key = level_key(query.level, facts);
        let row = group(&mut groups, key, (history_len, months_len));
        for target in [&mut *row, &mut total] {
            target.series += 1;
            *target
                .methods
                .entry(current.methods[at].clone())
                .or_default() += 1;
            if let Some(error) = current.holdout_errors[at].and_then(Decimal::from_f64) {
                *target.holdout.get_or_insert(Decimal::ZERO) += error;
            }
            for (m, month) in months.iter().enumerate() {
                let (value, touched) = current.finals[at][m];
                let base = current.baseline[at][m];
                target.baseline[m] += base;
                target.final_quantity[m] += value;
                target.final_amount[m] += value * prices.of(facts.product_id, *month);
                target.overridden[m] |= touched;
                target.spread[m].add(base, current.bounds[at][m]);
            }
        }
    }
    let actual_scope = actor.scope_for(Action::ViewActuals).unwrap_or(scope);
    if history_months > 0 {
        let last = current.open.plus(-1);
        for (facts, period, quantity) in ledger::forecast::monthly_quantities(
            conn,
            actual_scope,
            actor,
            (history_first, last),
            Series::All,
        )? {
            let Ok(m) = usize::try_from(period.since(history_first)) else {
                continue;
            };
            if !lies_within(&within, &facts) {
                continue;
            }
            let row = group(
                &mut groups,
                level_key(query.level, &facts),
                (history_len, months_len),
            );
            row.actual[m] += quantity;
            total.actual[m] += quantity;
        }
    }
    let budget_scope = actor.scope_for(Action::ViewBudgets).unwrap_or(scope);
    if let (Some(first), Some(last)) = (months.first(), months.last()) {
        for (facts, period, quantity, _) in
            ledger::forecast::budgeted(conn, budget_scope, actor, *first, *last)?
        {
            let Some(m) = months.iter().position(|month| *month == period) else {
                continue;
            };
            if !lies_within(&within, &facts) {
                continue;
            }
            let row = group(
                &mut groups,
                level_key(query.level, &facts),
                (history_len, months_len),
            );
            row.budget[m] += quantity;
            total.budget[m] += quantity;
        }
    }

    let names = labels(conn, query.level)?;
    let top = top_label(conn, actor, scope)?;
    let mut rows: Vec<ForecastRow> = groups
        .into_iter()
        .map(|(key, group)| {
            let label = match key {
                None if query.level == VarianceLevel::Company => top.clone(),
                None => "(unassigned)".to_owned(),
                Some(id) => names.get(&id).cloned().unwrap_or_else(|| id.to_string()),
            };
            group.into_row(key, label)
        })
        .collect();
    rows.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(ForecastView {
        level: query.level,
        open_month: current.open,
        last_closed: ledger::forecast::last_closed(conn)?,
        horizon: current.horizon,
        run_at: current.run.as_ref().map(|run| run.created_at),
        run_method: current.run.as_ref().map(|run| run.method.clone()),
        history,
        months: months.clone(),
        rows,
        total: total.into_row(None, "Total".into()),
        can_override: grant(actor.role, Action::EditForecasts).is_some(),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Landing {
    pub fiscal_year: i32,
    pub months: Vec<LandingMonth>,
    /// Actual sales of the closed months of the year.
    #[ts(type = "string")]
    pub actual_to_date: Decimal,
    /// The final forecast of the year's open months.
    #[ts(type = "string")]
    pub forecast_rest: Decimal,
    /// actual to date + forecast of the rest: where the year will land.
    #[ts(type = "string")]
    pub landing: Decimal,
    /// The approved budgets (salesmen's, scenario Base) of the year; none without any.
    #[ts(type = "string | null")]
    pub budget: Option<Decimal>,
    /// The planned part of the landing − budget (positive: above budget); none without a budget.
    #[ts(type = "string | null")]
    pub gap: Option<Decimal>,
    #[ts(type = "string | null")]
    pub gap_percent: Option<Decimal>,
    /// Budget of the closed months and its gap to their planned actuals (year to date).
    #[ts(type = "string | null")]
    pub budget_to_date: Option<Decimal>,
    #[ts(type = "string | null")]
    pub gap_to_date: Option<Decimal>,
    /// The budgets the plan is made of, and those not approved yet.
    pub plan: PlanCoverage,
    /// The part of the landing no approved budget covers (not counted in the gap).
    #[ts(type = "string")]
    pub unplanned: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LandingMonth {
    pub month: Month,
    /// Closed: the actuals count; open: the forecast does.
    pub closed: bool,
    #[ts(type = "string")]
    pub actual: Decimal,
    #[ts(type = "string")]
    pub forecast: Decimal,
    /// None without an approved budget.
    #[ts(type = "string | null")]
    pub budget: Option<Decimal>,
    /// The planned part of (actual if closed, else forecast) − budget; none without a budget.
    #[ts(type = "string | null")]
    pub gap: Option<Decimal>,
    /// What counts (actual if closed, else forecast) and the part of it a budget covers.
    #[serde(skip)]
    #[ts(skip)]
    counted: (Decimal, Decimal),
}

/// The landing estimate of the fiscal year of the open month, in money, within
/// the actor's scope (and a drill-down, if given).
pub fn landing(ledger: &Ledger, actor: &Actor, within: Option<Vec<DrillStep>>) -> Result<Landing> {
    let scope = actor.scope_for(Action::ViewForecasts)?;
    let conn = ledger.read();
    let current = current(conn, scope, actor)?;
    let within = within.unwrap_or_default();
    let open = current.open;
    let start =
        ledger::settings::get(conn)?.map_or(1, |settings| settings.company.fiscal_year_start_month);
    let fiscal_year = if open.number() >= start {
        open.year()
    } else {
        open.year() - 1
    };
    let periods = crate::budgets::fiscal_periods(fiscal_year, start);
    let index = |month: Month| periods.iter().position(|period| *period == month);
    let budget_scope = actor.scope_for(Action::ViewBudgets).unwrap_or(scope);
    let of = PlanOf {
        fiscal_year,
        scenario: "Base",
        basis: OwnerKind::Salesman,
    };
    let plan = Plan::load(conn, budget_scope, actor, of)?;
    let covered = |facts: &SeriesFacts| {
        plan.covers(
            facts.salesman_id,
            facts.department_id,
            Some(facts.location_id),
        )
    };
    // Per month: (all, the part an approved budget covers).
    let mut actual = [(Decimal::ZERO, Decimal::ZERO); 12];
    let mut forecast = [(Decimal::ZERO, Decimal::ZERO); 12];
    let mut budget = [Decimal::ZERO; 12];
    let add = |sum: &mut (Decimal, Decimal), amount: Decimal, planned: bool| {
        sum.0 += amount;
        if planned {
            sum.1 += amount;
        }
    };
    let prices = Prices::load(conn, &current.months)?;
    for (at, facts) in current.facts.iter().enumerate() {
        if !lies_within(&within, facts) {
            continue;
        }
        for (m, month) in current.months.iter().enumerate() {
            if let Some(i) = index(*month) {
                let amount = current.finals[at][m].0 * prices.of(facts.product_id, *month);
                add(&mut forecast[i], amount, covered(facts));
            }
        }
    }
    let actual_scope = actor.scope_for(Action::ViewActuals).unwrap_or(scope);
    let grain = crate::budgets::variance::grain_of(within.iter().map(|step| step.level));
    let facts =
        ledger::budgets::actual_facts(conn, actual_scope, actor, (periods[0], periods[11]), grain)?;
    for fact in facts {
        let lies = DrillStep::all_hold(&within, &fact);
        if let Some(i) = index(fact.period).filter(|_| lies) {
            let planned = plan.covers(fact.salesman_id, fact.department_id, fact.location_id);
            add(&mut actual[i], fact.amount, planned);
        }
    }
    for (facts, period, _, amount) in
        ledger::forecast::budgeted(conn, budget_scope, actor, periods[0], periods[11])?
    {
        if let Some(i) = index(period).filter(|_| lies_within(&within, &facts)) {
            budget[i] += amount;
        }
    }
    let planned = plan.exists();
    let round = |amount: Decimal| crate::money::round(amount, 2);
    let months: Vec<LandingMonth> = periods
        .iter()
        .enumerate()
        .map(|(i, month)| {
            let closed = *month < open;
            // Rounded as the month's actual and forecast are, so a wholly planned
            // landing has nothing unplanned, to the cent.
            let counted = if closed { actual[i] } else { forecast[i] };
            let counted = (round(counted.0), round(counted.1));
            LandingMonth {
                month: *month,
                closed,
                actual: round(actual[i].0),
                forecast: round(forecast[i].0),
                budget: planned.then_some(budget[i]),
                gap: planned.then(|| round(counted.1 - budget[i])),
                counted,
            }
        })
        .collect();
    let sum = |pick: &dyn Fn(&LandingMonth) -> Option<Decimal>| -> Decimal {
        months.iter().filter_map(pick).sum()
    };
    let actual_to_date = sum(&|m| m.closed.then_some(m.actual));
    let forecast_rest = sum(&|m| (!m.closed).then_some(m.forecast));
    let landing = actual_to_date + forecast_rest;
    let planned_landing = sum(&|m| Some(m.counted.1));
    let budget_total = sum(&|m| m.budget);
    let budget_to_date = sum(&|m| m.budget.filter(|_| m.closed));
    let planned_to_date = sum(&|m| m.closed.then_some(m.counted.1));
    let gap = planned_landing - budget_total;
    Ok(Landing {
        fiscal_year,
        actual_to_date,
        forecast_rest,
        landing,
        budget: planned.then_some(budget_total),
        gap: planned.then_some(gap),
        gap_percent: (planned && !budget_total.is_zero())
            .then(|| crate::money::round(gap / budget_total * Decimal::from(100), 1)),
        budget_to_date: planned.then_some(budget_to_date),
        gap_to_date: planned.then_some(planned_to_date - budget_to_date),
        plan: plan.coverage,
        unplanned: landing - planned_landing,
        months,
    })
}
