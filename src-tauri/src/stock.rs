//! The inventory screen's commands: stock in the user's scope, an item's
//! movements, and a stocktake count or an adjustment typed in the app.

use crate::{AppState, Reply};
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
