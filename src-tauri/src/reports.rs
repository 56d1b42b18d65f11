//! Reports in the app: the Reports screen's commands. A report is run, and
//! drilled, in the signed-in user's own scope; saved ones are listed, saved,
//! shared and deleted here (they travel with sync).

use crate::{AppState, Reply};
use salesplan_core::reports::drill::{self, CellMember, DrillRows};
use salesplan_core::reports::saved::{self, ReportToSave, SavedReport};
use salesplan_core::reports::{self, ReportDefinition, ReportResult};
use tauri::State;
use uuid::Uuid;

#[tauri::command(async, rename_all = "snake_case")]
pub fn report_run(state: State<'_, AppState>, definition: ReportDefinition) -> Reply<ReportResult> {
    state.as_user(|ledger, actor| reports::run(ledger, actor, &definition))
}

/// The sales behind one cell of a report.
#[tauri::command(async, rename_all = "snake_case")]
pub fn report_drill(
    state: State<'_, AppState>,
    definition: ReportDefinition,
    members: Vec<CellMember>,
) -> Reply<DrillRows> {
    state.as_user(|ledger, actor| drill::drill(ledger, actor, &definition, &members))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn reports_list(state: State<'_, AppState>) -> Reply<Vec<SavedReport>> {
    state.as_user(|ledger, actor| saved::list(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn reports_save(state: State<'_, AppState>, report: ReportToSave) -> Reply<SavedReport> {
    state.as_user(|ledger, actor| saved::save(ledger, actor, report))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn reports_delete(state: State<'_, AppState>, id: Uuid) -> Reply<()> {
    state.as_user(|ledger, actor| saved::delete(ledger, actor, &id.to_string()))
}
