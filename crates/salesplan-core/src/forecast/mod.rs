//! The rolling forecast (DESIGN §2.3). A series is a product at a branch sold
//! by a salesman (or by nobody named); every level above (category, branch,
//! department, company) is the sum of its series, so every level adds up.
//!
//! - `run`: a statistical baseline per series from the history before the open
//!   month, the method chosen per series by holdout error (`salesplan-forecast`).
//! - `overrides`: people adjust the baseline, with a reason, at any level.
//! - `view`: baseline, override and final by level, with history, budget,
//!   interval, and the landing estimate for the year.
//! - `close`: closing a month freezes its actuals, snapshots the forecast, rolls forward.
//! - `accuracy`: past snapshots scored against the actuals of closed months.

mod accuracy;
mod close;
mod overrides;
mod run;
pub(crate) mod view;

pub(crate) use accuracy::Score;
pub use accuracy::{AccuracyQuery, AccuracyReport, AccuracyRow, accuracy};
pub(crate) use close::close_and_roll;
pub use close::{ClosePreview, CloseSummary, close_month, close_preview};
pub use overrides::{
    NewOverride, Override, OverrideKind, add_override, overrides, remove_override,
};
pub(crate) use run::run_from;
pub use run::{MethodCount, RunRequest, RunSummary, run};
pub(crate) use view::current;
pub use view::{ForecastQuery, ForecastRow, ForecastView, Landing, LandingMonth, landing, show};

use crate::budgets::variance::{DrillStep, VarianceLevel};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::forecast::SeriesFacts;
use crate::month::Month;
use uuid::Uuid;

pub const DEFAULT_HORIZON: u32 = 12;
pub const HORIZONS: std::ops::RangeInclusive<u32> = 3..=24;
/// How far back a baseline looks.
const HISTORY_MONTHS: i32 = 48;
/// Months in a seasonal cycle.
const PERIOD: usize = 12;

/// The first month not closed: the one after the last closed month, or the
/// current month while none is closed.
pub(crate) fn open_month(conn: Reader<'_>) -> Result<Month> {
    match crate::ledger::forecast::last_closed(conn)? {
        Some(last) => Ok(last.plus(1)),
        None => Ok(Month::current()),
    }
}

/// Refuses a sale dated in a closed month; `last_closed` from
/// `ledger::forecast::last_closed`, read once per batch.
pub(crate) fn require_open(field: &str, period: Month, last_closed: Option<Month>) -> Result<()> {
    match last_closed {
        Some(last) if period <= last => Err(Error::invalid(
            field,
            format!(
                "{period} is closed (months up to {last} are); a closed month's sales are frozen"
            ),
        )),
        _ => Ok(()),
    }
}

/// The key of a series at a level: its department, branch, salesman, category or product.
pub(crate) fn level_key(level: VarianceLevel, facts: &SeriesFacts) -> Option<Uuid> {
    match level {
        VarianceLevel::Company => None,
        VarianceLevel::Department => facts.department_id,
        VarianceLevel::Branch => Some(facts.location_id),
        VarianceLevel::Salesman => facts.salesman_id,
        VarianceLevel::Category => Some(facts.category_id),
        VarianceLevel::Product => Some(facts.product_id),
    }
}

/// Whether a series lies within every step of a drill-down.
pub(crate) fn lies_within(steps: &[DrillStep], facts: &SeriesFacts) -> bool {
    steps
        .iter()
        .all(|step| level_key(step.level, facts) == Some(step.key))
}

/// The horizon asked for, checked.
pub(crate) fn checked_horizon(horizon: u32) -> Result<usize> {
    if !HORIZONS.contains(&horizon) {
        return Err(Error::invalid(
            "horizon",
            format!(
                "{horizon} months is outside {}–{} months",
                HORIZONS.start(),
                HORIZONS.end()
            ),
        ));
    }
    Ok(horizon as usize)
}
