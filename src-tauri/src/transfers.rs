//! The distribution screen's commands: transfers from request to received,
//! what is in transit lane by lane, what the branches need from the warehouse
//! (released into transfers), and lateral moves worth making.

use crate::{AppState, Reply};
use salesplan_core::transfers::{
    self, Lane, NewTransfer, NewTransferLine, Rebalance, ReleaseLine, ReplenishRequest,
    Replenishment, ShippedLine, Transfer, TransferReceipt, TransferState,
};
use tauri::State;
use uuid::Uuid;

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfers_list(
    state: State<'_, AppState>,
    only: Option<TransferState>,
) -> Reply<Vec<Transfer>> {
    state.as_user(|ledger, actor| transfers::transfers(ledger, actor, only))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfer_lanes(state: State<'_, AppState>) -> Reply<Vec<Lane>> {
    state.as_user(|ledger, actor| transfers::lanes(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfer_show(state: State<'_, AppState>, id: Uuid) -> Reply<Transfer> {
    state.as_user(|ledger, actor| transfers::transfer(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfer_request(state: State<'_, AppState>, transfer: NewTransfer) -> Reply<Transfer> {
    state.as_user(|ledger, actor| transfers::request(ledger, actor, transfer))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfer_set_line(
    state: State<'_, AppState>,
    id: Uuid,
    line: NewTransferLine,
    base_version: Option<i64>,
) -> Reply<Transfer> {
    state.as_user(|ledger, actor| transfers::set_line(ledger, actor, id, line, base_version))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfer_remove_line(
    state: State<'_, AppState>,
    id: Uuid,
    product_id: Uuid,
) -> Reply<Transfer> {
    state.as_user(|ledger, actor| transfers::remove_line(ledger, actor, id, product_id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfer_approve(state: State<'_, AppState>, id: Uuid) -> Reply<Transfer> {
    state.as_user(|ledger, actor| transfers::approve(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfer_ship(
    state: State<'_, AppState>,
    id: Uuid,
    lines: Vec<ShippedLine>,
) -> Reply<Transfer> {
    state.as_user(|ledger, actor| transfers::ship(ledger, actor, id, &lines))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfer_receive(
    state: State<'_, AppState>,
    id: Uuid,
    receipt: TransferReceipt,
) -> Reply<Transfer> {
    state.as_user(|ledger, actor| transfers::receive(ledger, actor, id, receipt))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn transfer_cancel(state: State<'_, AppState>, id: Uuid, reason: String) -> Reply<Transfer> {
    state.as_user(|ledger, actor| transfers::cancel(ledger, actor, id, &reason))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn replenish_branches(
    state: State<'_, AppState>,
    request: ReplenishRequest,
) -> Reply<Replenishment> {
    state.as_user(|ledger, actor| transfers::propose(ledger, actor, &request))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn replenish_release(
    state: State<'_, AppState>,
    lines: Vec<ReleaseLine>,
) -> Reply<Vec<Transfer>> {
    state.as_user(|ledger, actor| transfers::release(ledger, actor, &lines))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn rebalance_suggest(state: State<'_, AppState>) -> Reply<Vec<Rebalance>> {
    state.as_user(|ledger, actor| transfers::rebalance(ledger, actor))
}
