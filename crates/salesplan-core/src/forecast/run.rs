//! Recomputing the baseline: every series within the actor's scope is forecast
//! from its history before the open month, on every core, with progress and
//! cancel; the result replaces that scope's baseline in one write.

use super::{HISTORY_MONTHS, PERIOD, checked_horizon, open_month};
use crate::access::{Action, Actor};
use crate::error::{Error, Result};
use crate::imports::Progress;
use crate::ledger::Reader;
use crate::ledger::forecast::{RunRow, SeriesFacts, StoredSeries};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::month::Month;
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use salesplan_forecast::batch::choose_all;
use salesplan_forecast::select::{Choice, Request};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct RunRequest {
    /// `auto` (the default), `ets`, or one method: snaive, moving_average, ses,
    /// holt, holt_damped, holt_winters_additive, holt_winters_multiplicative, croston, tsb.
    #[ts(optional)]
    pub method: Option<String>,
    /// Months forecast, 3 to 24; default: the company's (the last run's, else 12).
    /// Only a run over the whole company (an administrator's) changes it.
    #[ts(optional)]
    pub horizon: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RunSummary {
    pub run_id: Uuid,
    pub first_month: Month,
    pub horizon: u32,
    pub method: String,
    #[ts(type = "number")]
    pub series: usize,
    pub by_method: Vec<MethodCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MethodCount {
    pub method: String,
    #[ts(type = "number")]
    pub series: usize,
}

/// Monthly quantities per series, oldest first, from the first month with a sale.
pub(crate) fn histories(
    conn: Reader<'_>,
    scope: crate::access::Scope,
    actor: &Actor,
    first: Month,
    last: Month,
) -> Result<BTreeMap<SeriesKey, (SeriesFacts, Vec<f64>)>> {
    let rows = ledger::forecast::monthly_quantities(
        conn,
        scope,
        actor,
        (first, last),
        ledger::forecast::Series::All,
    )?;
    let months = usize::try_from(last.since(first) + 1).unwrap_or(0);
    let mut all: BTreeMap<SeriesKey, (SeriesFacts, Vec<f64>)> = BTreeMap::new();
    for (facts, month, quantity) in rows {
        let Ok(at) = usize::try_from(month.since(first)) else {
            continue;
        };
        let entry = all
            .entry(SeriesKey::of(&facts))
            .or_insert_with(|| (facts, vec![0.0; months]));
        if let Some(slot) = entry.1.get_mut(at) {
            *slot += quantity.to_f64().unwrap_or(0.0);
        }
    }
    for (_, history) in all.values_mut() {
        let started = history
            .iter()
            .position(|q| *q != 0.0)
            .unwrap_or(history.len());
        history.drain(..started);
    }
    Ok(all)
}

/// Series in a stable order: product, branch, salesman.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct SeriesKey(Uuid, Uuid, Option<Uuid>);

impl SeriesKey {
    pub(crate) fn of(facts: &SeriesFacts) -> SeriesKey {
        SeriesKey(facts.product_id, facts.location_id, facts.salesman_id)
    }
}

fn quantity(value: f64) -> Decimal {
    crate::money::from_f64(value, 2)
}

pub fn run(
    ledger: &mut Ledger,
    actor: &Actor,
    request: RunRequest,
    progress: &(dyn Progress + Sync),
) -> Result<RunSummary> {
    let open = open_month(ledger.read())?;
    run_from(ledger, actor, request, open, progress)
}

/// `run`, forecasting from `open` on (the demo starts its calendar in the past).
pub(crate) fn run_from(
    ledger: &mut Ledger,
    actor: &Actor,
    request: RunRequest,
    open: Month,
    progress: &(dyn Progress + Sync),
) -> Result<RunSummary> {
    let scope = actor.scope_for(Action::EditForecasts)?;
    let method_key = request.method.as_deref().unwrap_or("auto");
    let method = Request::parse(method_key).ok_or_else(|| {
        Error::invalid(
            "method",
            format!(
                "'{method_key}' is not a forecasting method; use one of {}",
                Request::keys().join(", ")
            ),
        )
    })?;
    let conn = ledger.read();
    // The horizon is the company's: every run keeps it, only a run over the whole company changes it.
    let company_horizon = ledger::forecast::last_run(conn)?
        .and_then(|run| u32::try_from(run.horizon).ok())
        .unwrap_or(super::DEFAULT_HORIZON);
    let horizon = request.horizon.unwrap_or(company_horizon);
    if horizon != company_horizon && scope != crate::access::Scope::All {
        return Err(Error::invalid(
            "horizon",
            format!(
                "the horizon is set for the whole company ({company_horizon} months); an administrator changes it"
            ),
        ));
    }
    let steps = checked_horizon(horizon)?;
    let series = histories(
        conn,
        scope,
        actor,
        open.plus(-HISTORY_MONTHS),
        open.plus(-1),
    )?;
    let (facts, inputs): (Vec<SeriesFacts>, Vec<Vec<f64>>) = series.into_values().unzip();
    progress.update(0, inputs.len());
    let choices = choose_all(&inputs, PERIOD, steps, method, &|done, total| {
        progress.update(done, total);
        !progress.cancelled()
    })
    .ok_or(Error::Cancelled)?;

    let months = open.range(steps);
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let stored: Vec<StoredSeries> = facts
        .iter()
        .zip(&inputs)
        .zip(&choices)
        .map(|((facts, history), choice)| {
            *counts.entry(choice.method.key()).or_default() += 1;
            stored_series(*facts, history.len(), choice, &months)
        })
        .collect();
    let run = RunRow {
        id: Uuid::now_v7(),
        first_month: open,
        horizon: i64::from(horizon),
        method: method.key().to_owned(),
        series: i64::try_from(stored.len()).unwrap_or(i64::MAX),
        created_by: actor.id,
        created_at: Timestamp::now(),
    };
    let by_method: Vec<MethodCount> = counts
        .into_iter()
        .map(|(method, series)| MethodCount {
            method: method.to_owned(),
            series,
        })
        .collect();
    if progress.cancelled() {
        return Err(Error::Cancelled);
    }
    ledger.write(Some(actor), |write| {
        ledger::forecast::replace_baseline(write, scope, actor, &run, &stored)?;
        let policies = crate::stock::policy::recompute_in(write, actor)?.policies;
        write.record(Change {
            entity: Entity::ForecastRun,
            entity_id: run.id,
            kind: ChangeKind::Created,
            payload: serde_json::json!({
                "first_month": run.first_month,
                "horizon": run.horizon,
                "method": run.method,
                "series": run.series,
                "policies": policies,
                "by_method": by_method.iter().map(|count| (count.method.clone(), count.series)).collect::<HashMap<_, _>>(),
            }),
            base_version: None,
        })
    })?;
    Ok(RunSummary {
        run_id: run.id,
        first_month: run.first_month,
        horizon,
        method: run.method,
        series: stored.len(),
        by_method,
    })
}

fn stored_series(
    facts: SeriesFacts,
    history_months: usize,
    choice: &Choice,
    months: &[Month],
) -> StoredSeries {
    let values = months
        .iter()
        .enumerate()
        .map(|(at, month)| {
            let value = choice.forecast.get(at).copied().unwrap_or(0.0);
            let bounds = choice
                .interval
                .as_ref()
                .and_then(|bounds| bounds.get(at))
                .map(|(low, high)| (quantity(*low), quantity(*high)));
            (*month, quantity(value), bounds)
        })
        .collect();
    StoredSeries {
        facts,
        method: choice.method.key().to_owned(),
        holdout_error: choice.holdout_error.filter(|error| error.is_finite()),
        history_months: i64::try_from(history_months).unwrap_or(i64::MAX),
        values,
    }
}
