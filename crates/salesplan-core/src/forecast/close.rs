//! Closing a month: its actual sales are frozen (no sale can be posted or
//! imported into it any more), the forecast as it stands is kept as the
//! snapshot "as of" that month, and the baseline is recomputed with the month
//! in its history, so the window rolls one month forward.

use super::run::{RunRequest, RunSummary, run};
use super::{open_month, view};
use crate::access::{Action, Actor, Scope};
use crate::error::{Error, Result};
use crate::imports::Progress;
use crate::ledger::Reader;
use crate::ledger::forecast::SnapshotRow;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::month::Month;
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CloseSummary {
    pub closed_month: Month,
    /// Series and values kept in the snapshot "as of" the closed month.
    #[ts(type = "number")]
    pub snapshot_series: usize,
    #[ts(type = "number")]
    pub snapshot_values: usize,
    pub open_month: Month,
    /// The baseline recomputed from the new history; none when that run was cancelled.
    pub run: Option<RunSummary>,
}

/// What closing a month will do, shown before it is done (it cannot be undone).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ClosePreview {
    pub month: Month,
    /// The sales records, units and money of the month that will be frozen.
    #[ts(type = "number")]
    pub sales: u64,
    #[ts(type = "string")]
    pub units: Decimal,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// The month the forecast will start from afterwards.
    pub next_open_month: Month,
}

/// Checks that `month` (default: the open one) may be closed now, and says what closing it freezes.
pub fn close_preview(
    ledger: &Ledger,
    actor: &Actor,
    month: Option<String>,
) -> Result<ClosePreview> {
    let month = closable(ledger.read(), actor, month)?;
    let (sales, units, amount) = ledger::sales::month_totals(ledger.read(), month)?;
    Ok(ClosePreview {
        month,
        sales,
        units,
        amount,
        next_open_month: month.plus(1),
    })
}

pub fn close_month(
    ledger: &mut Ledger,
    actor: &Actor,
    month: Option<String>,
    progress: &(dyn Progress + Sync),
) -> Result<CloseSummary> {
    let month = closable(ledger.read(), actor, month)?;
    close_and_roll(ledger, actor, month, progress)
}

/// The month to close: the open one, if it has ended and the actor sees the whole company.
fn closable(conn: Reader<'_>, actor: &Actor, month: Option<String>) -> Result<Month> {
    if actor.scope_for(Action::CloseMonths)? != Scope::All {
        return Err(Error::invalid(
            "month",
            "closing a month needs the whole company in scope",
        ));
    }
    let open = open_month(conn)?;
    let month = match month {
        Some(text) => Month::parse("month", &text)?,
        None => open,
    };
    if month != open {
        return Err(Error::invalid(
            "month",
            format!("months close in order: the month to close next is {open}"),
        ));
    }
    let this_month = Month::current();
    if month >= this_month {
        return Err(Error::invalid(
            "month",
            format!(
                "{month} has not ended yet; it can be closed from {}-01",
                month.plus(1)
            ),
        ));
    }
    Ok(month)
}

/// Snapshots the current forecast as of `month`, closes it and recomputes the baseline.
pub(crate) fn close_and_roll(
    ledger: &mut Ledger,
    actor: &Actor,
    month: Month,
    progress: &(dyn Progress + Sync),
) -> Result<CloseSummary> {
    let current = view::current_from(ledger.read(), Scope::All, actor, month)?;
    let as_of = month;
    let mut rows = Vec::new();
    for (at, facts) in current.facts.iter().enumerate() {
        for (m, forecast_month) in current.months.iter().enumerate() {
            rows.push(SnapshotRow {
                as_of,
                facts: *facts,
                method: current.methods[at].clone(),
                month: *forecast_month,
                baseline: current.baseline[at][m],
                final_quantity: crate::money::round(current.finals[at][m].0, 2),
                bounds: current.bounds[at][m]
                    .map(|(low, high)| (crate::money::round(low, 2), crate::money::round(high, 2))),
            });
        }
    }
    let last_run = current.run;
    ledger.write(Some(actor), |write| {
        ledger::forecast::insert_closed(write, as_of, actor.id, Timestamp::now())?;
        ledger::forecast::insert_snapshots(write, &rows)?;
        write.record(Change {
            entity: Entity::ClosedMonth,
            entity_id: Uuid::now_v7(),
            kind: ChangeKind::Created,
            payload: serde_json::json!({
                "month": as_of,
                "snapshot_series": current.facts.len(),
            }),
            base_version: None,
        })
    })?;
    let request = RunRequest {
        method: last_run.as_ref().map(|run| run.method.clone()),
        horizon: last_run.and_then(|run| u32::try_from(run.horizon).ok()),
    };
    let run = match run(ledger, actor, request, progress) {
        Ok(summary) => Some(summary),
        Err(Error::Cancelled) => None,
        Err(error) => return Err(error),
    };
    Ok(CloseSummary {
        closed_month: as_of,
        snapshot_series: current.facts.len(),
        snapshot_values: rows.len(),
        open_month: month.plus(1),
        run,
    })
}
