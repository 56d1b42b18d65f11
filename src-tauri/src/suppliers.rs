//! What each supplier sells and on what terms: listed, set and removed from the
//! suppliers' tab of the reference data screen.

use crate::{AppState, Reply};
use salesplan_core::suppliers::{self, SupplierProduct, SupplierTerms};
use tauri::State;
use uuid::Uuid;

#[tauri::command(async, rename_all = "snake_case")]
pub fn supplier_products_list(
    state: State<'_, AppState>,
    supplier_id: Option<Uuid>,
    product_id: Option<Uuid>,
) -> Reply<Vec<SupplierProduct>> {
    state
        .as_user(|ledger, actor| suppliers::products(ledger, actor, supplier_id, product_id, false))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn supplier_products_put(
    state: State<'_, AppState>,
    terms: SupplierTerms,
    base_version: Option<i64>,
) -> Reply<SupplierProduct> {
    state.as_user(|ledger, actor| suppliers::put(ledger, actor, terms, base_version))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn supplier_products_remove(
    state: State<'_, AppState>,
    supplier_id: Uuid,
    product_id: Uuid,
) -> Reply<SupplierProduct> {
    state.as_user(|ledger, actor| suppliers::remove(ledger, actor, supplier_id, product_id))
}
