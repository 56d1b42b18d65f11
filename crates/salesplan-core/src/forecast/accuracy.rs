//! How good were past forecasts? Every snapshot's forecast of a closed month is
//! scored against that month's actual sales, at the level asked for (the
//! forecast and the actuals summed to it first), per snapshot, and per method
//! (series by series, grouped by the method each series had):
//!
//! - WAPE = Σ|actual − forecast| ÷ Σ|actual|, in %;
//! - bias = Σ(forecast − actual) ÷ Σ|actual|, in % (positive: forecast too high);
//! - MASE = mean of |actual − forecast| ÷ scale, where scale is the mean
//!   absolute change of the same month a year before over the 24 months before
//!   the snapshot (month to month when there is less than 13 months of it).
//!   Below 1: better than repeating last year.

use super::run::SeriesKey;
use super::{level_key, lies_within};
use crate::access::{Action, Actor};
use crate::budgets::variance::{DrillStep, VarianceLevel, labels};
use crate::error::Result;
use crate::ledger::forecast::Series;
use crate::ledger::reports::SaleColumn;
use crate::ledger::{self, Ledger};
use crate::month::Month;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct AccuracyQuery {
    pub level: VarianceLevel,
    #[serde(default)]
    #[ts(optional)]
    pub within: Option<Vec<DrillStep>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AccuracyReport {
    pub level: VarianceLevel,
    pub closed_months: Vec<Month>,
    pub rows: Vec<AccuracyRow>,
    pub total: AccuracyRow,
    /// One row per snapshot ("as of 2026-10"), at the total.
    pub by_snapshot: Vec<AccuracyRow>,
    /// One row per method, scored series by series.
    pub by_method: Vec<AccuracyRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccuracyRow {
    pub key: Option<Uuid>,
    pub label: String,
    /// Month forecasts scored.
    #[ts(type = "number")]
    pub points: usize,
    #[ts(type = "string")]
    pub actual: Decimal,
    #[ts(type = "string")]
    pub forecast: Decimal,
    #[ts(type = "string | null")]
    pub wape: Option<Decimal>,
    #[ts(type = "string | null")]
    pub bias: Option<Decimal>,
    #[ts(type = "string | null")]
    pub mase: Option<Decimal>,
}

/// The sums the three measures are made of.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Score {
    points: usize,
    actual: f64,
    forecast: f64,
    absolute_error: f64,
    absolute_actual: f64,
    scaled_error: f64,
    scaled_points: usize,
}

impl Score {
    pub(crate) fn add(&mut self, actual: f64, forecast: f64, scale: Option<f64>) {
        self.points += 1;
        self.actual += actual;
        self.forecast += forecast;
        self.absolute_error += (actual - forecast).abs();
        self.absolute_actual += actual.abs();
        if let Some(scale) = scale.filter(|scale| *scale > 0.0) {
            self.scaled_error += (actual - forecast).abs() / scale;
            self.scaled_points += 1;
        }
    }

    fn wape(&self) -> Option<f64> {
        (self.absolute_actual > 0.0).then(|| 100.0 * self.absolute_error / self.absolute_actual)
    }

    fn bias(&self) -> Option<f64> {
        (self.absolute_actual > 0.0)
            .then(|| 100.0 * (self.forecast - self.actual) / self.absolute_actual)
    }

    fn mase(&self) -> Option<f64> {
        (self.scaled_points > 0).then(|| self.scaled_error / self.scaled_points as f64)
    }

    /// The WAPE as a report shows it: in %, to one place.
    pub(crate) fn wape_percent(&self) -> Option<Decimal> {
        self.wape().and_then(|v| decimal(v, 1))
    }

    fn row(&self, key: Option<Uuid>, label: String) -> AccuracyRow {
        AccuracyRow {
            key,
            label,
            points: self.points,
            actual: decimal(self.actual, 2).unwrap_or_default(),
            forecast: decimal(self.forecast, 2).unwrap_or_default(),
            wape: self.wape_percent(),
            bias: self.bias().and_then(|v| decimal(v, 1)),
            mase: self.mase().and_then(|v| decimal(v, 2)),
        }
    }
}

/// A score's figure, rounded to `places`; none when it is not a number.
fn decimal(value: f64, places: u32) -> Option<Decimal> {
    Decimal::from_f64(value).map(|value| crate::money::round(value, places))
}

/// The MASE scale of a history: mean |y_t − y_{t−12}| over the 24 months before
/// `as_of`, or mean |y_t − y_{t−1}| with less than 13 months; none without changes.
pub(crate) fn scale(history: &BTreeMap<Month, f64>, as_of: Month) -> Option<f64> {
    let first = history.keys().next().copied()?;
    let from = first.max(as_of.plus(-24));
    let months = usize::try_from(as_of.since(from)).ok()?;
    let values: Vec<f64> = from
        .range(months)
        .iter()
        .map(|month| history.get(month).copied().unwrap_or(0.0))
        .collect();
    let lag = if values.len() > 12 { 12 } else { 1 };
    let changes: Vec<f64> = values
        .windows(lag + 1)
        .map(|pair| (pair[lag] - pair[0]).abs())
        .collect();
    if changes.is_empty() {
        return None;
    }
    let mean = changes.iter().sum::<f64>() / changes.len() as f64;
    (mean > 0.0).then_some(mean)
}

/// Forecasts (key, as of, month) → (quantity, method), and actuals (key) →
/// month → quantity. Quantities add up exactly, and are scored in the order of
/// their keys, so two ledgers holding the same rows in another order (a laptop
/// and head office) report the same figures to the last digit.
struct Points<K> {
    forecasts: HashMap<(K, Month, Month), (Decimal, String)>,
    actuals: HashMap<K, BTreeMap<Month, Decimal>>,
}

impl<K: Copy + Ord + Hash> Points<K> {
    fn new() -> Points<K> {
        Points {
            forecasts: HashMap::new(),
            actuals: HashMap::new(),
        }
    }

    /// Scores every forecast into the bucket `bucket(key, as_of, method)` names.
    fn score<B: Ord>(&self, bucket: impl Fn(&K, Month, &str) -> B) -> BTreeMap<B, Score> {
        let mut scores: BTreeMap<B, Score> = BTreeMap::new();
        let mut scales: HashMap<(K, Month), Option<f64>> = HashMap::new();
        let mut histories: HashMap<K, BTreeMap<Month, f64>> = HashMap::new();
        let mut forecasts: Vec<_> = self.forecasts.iter().collect();
        forecasts.sort_unstable_by_key(|(key, _)| **key);
        for ((key, as_of, month), (forecast, method)) in forecasts {
            let history = histories.entry(*key).or_insert_with(|| {
                self.actuals
                    .get(key)
                    .map(|months| {
                        months
                            .iter()
                            .map(|(month, quantity)| (*month, quantity.to_f64().unwrap_or(0.0)))
                            .collect()
                    })
                    .unwrap_or_default()
            });
            let actual = history.get(month).copied().unwrap_or(0.0);
            let scale = *scales
                .entry((*key, *as_of))
                .or_insert_with(|| scale(history, *as_of));
            scores.entry(bucket(key, *as_of, method)).or_default().add(
                actual,
                forecast.to_f64().unwrap_or(0.0),
                scale,
            );
        }
        scores
    }
}

pub fn accuracy(ledger: &Ledger, actor: &Actor, query: AccuracyQuery) -> Result<AccuracyReport> {
    let scope = actor.scope_for(Action::ViewForecasts)?;
    let conn = ledger.read();
    let within = query.within.unwrap_or_default();
    let closed = ledger::forecast::closed_months(conn)?;
    let mut by_level: Points<Option<Uuid>> = Points::new();
    let mut by_series: Points<SeriesKey> = Points::new();
    let mut total: Points<()> = Points::new();
    let Some(&last) = closed.last() else {
        return Ok(AccuracyReport {
            level: query.level,
            closed_months: closed,
            rows: vec![],
            total: Score::default().row(None, "Total".into()),
            by_snapshot: vec![],
            by_method: vec![],
        });
    };
    let mut first = last;
    for row in ledger::forecast::snapshots(conn, scope, actor, last)? {
        if !lies_within(&within, &row.facts) {
            continue;
        }
        let (as_of, month) = (row.as_of, row.month);
        first = first.min(as_of);
        let quantity = row.final_quantity;
        add_forecast(
            &mut by_level,
            level_key(query.level, &row.facts),
            (as_of, month),
            quantity,
            &row.method,
        );
        add_forecast(
            &mut by_series,
            SeriesKey::of(&row.facts),
            (as_of, month),
            quantity,
            &row.method,
        );
        add_forecast(&mut total, (), (as_of, month), quantity, &row.method);
    }
    let actual_scope = actor.scope_for(Action::ViewActuals).unwrap_or(scope);
    let months = (first.plus(-24), last);
    // The level and the total: the sales summed to the level, from the
    // coarsest summary that holds it and the drill's steps.
    let steps: Vec<(SaleColumn, [Uuid; 1])> = within
        .iter()
        .filter_map(|step| step.level.sale_column().map(|column| (column, [step.key])))
        .collect();
    let filters: Vec<(SaleColumn, &[Uuid])> = steps
        .iter()
        .map(|(column, key)| (*column, key.as_slice()))
        .collect();
    let column = query.level.sale_column();
    let cuts = ledger::reports::sales_cut(
        conn,
        actual_scope,
        actor,
        months,
        column.as_slice(),
        &filters,
    )?;
    for cut in cuts {
        let (month, quantity) = (cut.place.period, cut.quantity);
        let key = column.and_then(|column| cut.place.of(column));
        add_actual(&mut by_level, key, month, quantity);
        add_actual(&mut total, (), month, quantity);
    }
    // Series by series: only the series a snapshot holds are scored.
    let series = ledger::forecast::monthly_quantities(
        conn,
        actual_scope,
        actor,
        months,
        Series::Snapshotted,
    )?;
    for (facts, month, quantity) in series {
        if lies_within(&within, &facts) {
            add_actual(&mut by_series, SeriesKey::of(&facts), month, quantity);
        }
    }

    let names = labels(conn, query.level)?;
    let mut rows: Vec<AccuracyRow> = by_level
        .score(|key, _, _| *key)
        .into_iter()
        .map(|(key, score)| {
            let label = match key {
                None if query.level == VarianceLevel::Company => "Company".to_owned(),
                None => "(unassigned)".to_owned(),
                Some(id) => names.get(&id).cloned().unwrap_or_else(|| id.to_string()),
            };
            score.row(key, label)
        })
        .collect();
    rows.sort_by(|a, b| a.label.cmp(&b.label));
    let total_score = total.score(|_, _, _| ()).remove(&()).unwrap_or_default();
    let by_snapshot = total
        .score(|_, as_of, _| as_of)
        .into_iter()
        .map(|(as_of, score)| score.row(None, format!("as of {as_of}")))
        .collect();
    let by_method = by_series
        .score(|_, _, method| method.to_owned())
        .into_iter()
        .map(|(method, score)| score.row(None, method))
        .collect();
    Ok(AccuracyReport {
        level: query.level,
        closed_months: closed,
        rows,
        total: total_score.row(None, "Total".into()),
        by_snapshot,
        by_method,
    })
}

fn add_forecast<K: Copy + Ord + Hash>(
    points: &mut Points<K>,
    key: K,
    (as_of, month): (Month, Month),
    quantity: Decimal,
    method: &str,
) {
    points
        .forecasts
        .entry((key, as_of, month))
        .or_insert_with(|| (Decimal::ZERO, method.to_owned()))
        .0 += quantity;
}

fn add_actual<K: Copy + Ord + Hash>(
    points: &mut Points<K>,
    key: K,
    month: Month,
    quantity: Decimal,
) {
    *points
        .actuals
        .entry(key)
        .or_default()
        .entry(month)
        .or_default() += quantity;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wape_bias_and_mase_by_hand() {
        // Actuals 100 and 50, forecasts 90 and 70: errors 10 and 20.
        let mut score = Score::default();
        score.add(100.0, 90.0, Some(20.0));
        score.add(50.0, 70.0, Some(20.0));
        assert_eq!(score.wape(), Some(100.0 * 30.0 / 150.0));
        assert_eq!(score.bias(), Some(100.0 * 10.0 / 150.0));
        assert_eq!(score.mase(), Some((10.0 / 20.0 + 20.0 / 20.0) / 2.0));
        let row = score.row(None, "x".into());
        assert_eq!(row.wape, Some(Decimal::from(20)));
        assert_eq!(row.bias, Some(Decimal::new(67, 1)));
        assert_eq!(row.mase, Some(Decimal::new(75, 2)));
        // Nothing sold: no WAPE or bias (a division by zero), the point still counts.
        let mut nothing = Score::default();
        nothing.add(0.0, 5.0, None);
        assert_eq!(
            (nothing.wape(), nothing.mase(), nothing.points),
            (None, None, 1)
        );
    }

    #[test]
    fn the_scale_is_last_years_change_or_last_months() {
        let start = Month::new(2024, 1);
        // 24 months: each month 10 more than the same month a year before.
        let history: BTreeMap<Month, f64> = (0..24)
            .map(|t| {
                (
                    start.plus(t),
                    100.0 + if t >= 12 { 10.0 } else { 0.0 } + t as f64 % 12.0,
                )
            })
            .collect();
        assert_eq!(scale(&history, Month::new(2026, 1)), Some(10.0));
        // Six months: month-to-month changes 1, 3, 1, 3, 1 → 1.8.
        let short: BTreeMap<Month, f64> = [10.0, 11.0, 14.0, 15.0, 18.0, 19.0]
            .iter()
            .enumerate()
            .map(|(t, y)| (start.plus(t as i32), *y))
            .collect();
        assert_eq!(scale(&short, start.plus(6)), Some(1.8));
        assert_eq!(scale(&BTreeMap::new(), start), None);
    }
}
