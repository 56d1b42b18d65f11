//! The forecast screen's commands. A run or a month close reports progress
//! and takes a cancel through the same job as imports (`job_progress`, `job_cancel`).

use crate::{AppState, Reply};
use salesplan_core::budgets::variance::DrillStep;
use salesplan_core::forecast::{
    self, AccuracyQuery, AccuracyReport, ClosePreview, CloseSummary, ForecastQuery, ForecastView,
    Landing, NewOverride, Override, RunRequest, RunSummary,
};
use tauri::State;
use uuid::Uuid;

#[tauri::command(async, rename_all = "snake_case")]
pub fn forecast_show(state: State<'_, AppState>, query: ForecastQuery) -> Reply<ForecastView> {
    state.as_user(|ledger, actor| forecast::show(ledger, actor, query))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn forecast_landing(
    state: State<'_, AppState>,
    within: Option<Vec<DrillStep>>,
) -> Reply<Landing> {
    state.as_user(|ledger, actor| forecast::landing(ledger, actor, within))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn forecast_accuracy(
    state: State<'_, AppState>,
    query: AccuracyQuery,
) -> Reply<AccuracyReport> {
    state.as_user(|ledger, actor| forecast::accuracy(ledger, actor, query))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn forecast_overrides(state: State<'_, AppState>) -> Reply<Vec<Override>> {
    state.as_user(|ledger, actor| forecast::overrides(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn forecast_override(state: State<'_, AppState>, new: NewOverride) -> Reply<Override> {
    state.as_user(|ledger, actor| forecast::add_override(ledger, actor, new))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn forecast_remove_override(state: State<'_, AppState>, id: Uuid) -> Reply<()> {
    state.as_user(|ledger, actor| forecast::remove_override(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn forecast_run(state: State<'_, AppState>, request: RunRequest) -> Reply<RunSummary> {
    let job = state.job.start();
    state.as_user(|ledger, actor| forecast::run(ledger, actor, request, &*job))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn forecast_close_preview(
    state: State<'_, AppState>,
    month: Option<String>,
) -> Reply<ClosePreview> {
    state.as_user(|ledger, actor| forecast::close_preview(ledger, actor, month))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn forecast_close_month(
    state: State<'_, AppState>,
    month: Option<String>,
) -> Reply<CloseSummary> {
    let job = state.job.start();
    let summary =
        state.as_user(|ledger, actor| forecast::close_month(ledger, actor, month, &*job))?;
    state.rules.changed();
    Ok(summary)
}
