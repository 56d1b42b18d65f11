//! The inventory screen's commands: stock in the user's scope, an item's
//! movements, a stocktake count or an adjustment typed in the app, and the
//! stock policies with their overrides.

use crate::{AppState, Reply};
use salesplan_core::stock::alerts::{self, Projection};
use salesplan_core::stock::policy::{
    self, NewPolicyOverride, PolicyLine, PolicyOverride, PolicyRunSummary,
};
use salesplan_core::stock::{
    self, Availability, ItemHistory, NewAdjustment, NewCount, StockMovement, StockTable,
};
use tauri::State;
use uuid::Uuid;

/// What every location holds, read-only (every role).
#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_availability(state: State<'_, AppState>) -> Reply<Availability> {
    state.as_user(|ledger, actor| stock::availability(ledger, actor))
}

/// The Inventory screen's table: every item with its stock and its policy's figures.
#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_table(state: State<'_, AppState>) -> Reply<StockTable> {
    state.as_user(|ledger, actor| stock::table(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_movements(
    state: State<'_, AppState>,
    location_id: Uuid,
    product_id: Uuid,
) -> Reply<ItemHistory> {
    state.as_user(|ledger, actor| stock::movements(ledger, actor, location_id, product_id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_count(state: State<'_, AppState>, count: NewCount) -> Reply<StockMovement> {
    state.as_user(|ledger, actor| stock::count(ledger, actor, count))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_adjust(state: State<'_, AppState>, adjustment: NewAdjustment) -> Reply<StockMovement> {
    state.as_user(|ledger, actor| stock::adjust(ledger, actor, adjustment))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_policy(
    state: State<'_, AppState>,
    location_id: Uuid,
    product_id: Uuid,
) -> Reply<PolicyLine> {
    state.as_user(|ledger, actor| policy::policy(ledger, actor, location_id, product_id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_policy_override(
    state: State<'_, AppState>,
    new: NewPolicyOverride,
    base_version: Option<i64>,
) -> Reply<PolicyOverride> {
    state.as_user(|ledger, actor| policy::set_override(ledger, actor, new, base_version))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_policy_remove_override(
    state: State<'_, AppState>,
    location_id: Uuid,
    product_id: Uuid,
) -> Reply<()> {
    state.as_user(|ledger, actor| policy::remove_override(ledger, actor, location_id, product_id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_policies_recompute(state: State<'_, AppState>) -> Reply<PolicyRunSummary> {
    state.as_user(policy::recompute)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_projection(
    state: State<'_, AppState>,
    location_id: Uuid,
    product_id: Uuid,
) -> Reply<Projection> {
    state.as_user(|ledger, actor| alerts::projection(ledger, actor, location_id, product_id))
}
