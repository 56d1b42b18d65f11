//! The purchasing screen's commands: what to order from whom, purchase orders
//! from draft to sent, and receiving them.

use crate::{AppState, Reply};
use salesplan_core::purchasing::proposal::{self, Proposal};
use salesplan_core::purchasing::{self, GoodsReceipt, NewLine, NewOrder, PurchaseOrder};
use tauri::State;
use uuid::Uuid;

#[tauri::command(async, rename_all = "snake_case")]
pub fn replenish_propose(state: State<'_, AppState>, location_id: Option<Uuid>) -> Reply<Proposal> {
    state.as_user(|ledger, actor| proposal::propose(ledger, actor, location_id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn purchase_orders_list(state: State<'_, AppState>) -> Reply<Vec<PurchaseOrder>> {
    state.as_user(|ledger, actor| purchasing::orders(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn purchase_order_show(state: State<'_, AppState>, id: Uuid) -> Reply<PurchaseOrder> {
    state.as_user(|ledger, actor| purchasing::order(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn purchase_orders_create(state: State<'_, AppState>, order: NewOrder) -> Reply<PurchaseOrder> {
    state.as_user(|ledger, actor| purchasing::create(ledger, actor, order))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn purchase_order_set_line(
    state: State<'_, AppState>,
    id: Uuid,
    line: NewLine,
    base_version: Option<i64>,
) -> Reply<PurchaseOrder> {
    state.as_user(|ledger, actor| purchasing::set_line(ledger, actor, id, line, base_version))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn purchase_order_remove_line(
    state: State<'_, AppState>,
    id: Uuid,
    product_id: Uuid,
) -> Reply<PurchaseOrder> {
    state.as_user(|ledger, actor| purchasing::remove_line(ledger, actor, id, product_id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn purchase_order_send(state: State<'_, AppState>, id: Uuid) -> Reply<PurchaseOrder> {
    state.as_user(|ledger, actor| purchasing::send(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn purchase_order_cancel(
    state: State<'_, AppState>,
    id: Uuid,
    reason: String,
) -> Reply<PurchaseOrder> {
    state.as_user(|ledger, actor| purchasing::cancel(ledger, actor, id, &reason))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn purchase_order_receive(
    state: State<'_, AppState>,
    id: Uuid,
    receipt: GoodsReceipt,
) -> Reply<PurchaseOrder> {
    state.as_user(|ledger, actor| purchasing::receive(ledger, actor, id, receipt))
}
