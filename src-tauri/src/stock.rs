//! The inventory screen's commands: stock in the user's scope, an item's
//! movements, a stocktake count or an adjustment typed in the app, and the
//! stock policies with their overrides.

use crate::{AppState, Reply};
use salesplan_core::stock::alerts::{self, Projection};
use salesplan_core::stock::policy::{
    self, NewPolicyOverride, PolicyLine, PolicyList, PolicyOverride, PolicyRunSummary,
};
use salesplan_core::stock::{self, ItemHistory, NewAdjustment, NewCount, OnHand, StockMovement};
use tauri::State;
use uuid::Uuid;

#[tauri::command(async, rename_all = "snake_case")]
pub fn stock_on_hand(state: State<'_, AppState>) -> Reply<Vec<OnHand>> {
    state.as_user(|ledger, actor| stock::on_hand(ledger, actor))
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
pub fn stock_policies(
    state: State<'_, AppState>,
    location_id: Option<Uuid>,
    product_id: Option<Uuid>,
) -> Reply<PolicyList> {
    state.as_user(|ledger, actor| policy::policies(ledger, actor, location_id, product_id))
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
