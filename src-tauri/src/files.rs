//! The import wizard's and the export buttons' commands: a file opened once and
//! kept while the user maps, checks and commits it.

use crate::{AppState, Reply, downloads_dir, poisoned};
use salesplan_core::alert_centre::{self, AlertCentre};
use salesplan_core::exports::{self, ExportWhat};
use salesplan_core::imports::mappings::{self, SavedMapping};
use salesplan_core::imports::round_trip::{self, BudgetDiff, BudgetRoundTrip};
use salesplan_core::imports::{
    self, Accept, ImportKind, ImportOutcome, ImportRecord, ImportReport, ImportRequest, Mapping,
    OpenedFile, Source, TargetFields,
};
use salesplan_core::watch::{self, NewWatchedFolder, WatchedFolder};
use salesplan_files::export::{ExportFormat, free_path, write};
use salesplan_files::{ReadOptions, Table, read};
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::State;
use uuid::Uuid;

/// The file the wizard works on.
#[derive(Default)]
pub struct Opened {
    table: Mutex<Option<Table>>,
}

fn with_table<T>(state: &AppState, body: impl FnOnce(&Table) -> Reply<T>) -> Reply<T> {
    let table = state.opened.table.lock().map_err(|_| poisoned())?;
    let table = table
        .as_ref()
        .ok_or_else(|| salesplan_core::Error::invalid("file", "open a file first").report())?;
    body(table)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn imports_open(
    state: State<'_, AppState>,
    path: String,
    kind: ImportKind,
    sheet: Option<String>,
    header_row: Option<usize>,
) -> Reply<OpenedFile> {
    let options = ReadOptions { sheet, header_row };
    let table = read(&PathBuf::from(path.trim()), &options).map_err(|error| error.report())?;
    let mapping = state.as_user(|_, actor| imports::start(actor, kind, &table.info().headers))?;
    let mut sample = Vec::new();
    table
        .rows(&mut |_, row| {
            sample.push(row.iter().map(imports::Cell::shown).collect());
            sample.len() < 10
        })
        .map_err(|error| error.report())?;
    let opened = OpenedFile {
        info: table.info().clone(),
        mapping,
        fields: kind.fields().to_vec(),
        sample,
    };
    *state.opened.table.lock().map_err(|_| poisoned())? = Some(table);
    Ok(opened)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn imports_preview(state: State<'_, AppState>, request: ImportRequest) -> Reply<ImportReport> {
    let job = state.job.start();
    with_table(&state, |table| {
        state.as_user(|ledger, actor| imports::preview(ledger, actor, table, &request, &*job))
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn imports_commit(
    state: State<'_, AppState>,
    request: ImportRequest,
    accept: Accept,
) -> Reply<ImportOutcome> {
    let job = state.job.start();
    let outcome = with_table(&state, |table| {
        state
            .as_user(|ledger, actor| imports::commit(ledger, actor, table, &request, accept, &*job))
    })?;
    state.rules.changed();
    Ok(outcome)
}

/// The opened file, a budget exported and edited: its difference with the budget.
#[tauri::command(async, rename_all = "snake_case")]
pub fn imports_budget_compare(state: State<'_, AppState>) -> Reply<BudgetDiff> {
    with_table(&state, |table| {
        state.as_user(|ledger, actor| round_trip::compare(ledger, actor, table))
    })
}

/// Writes the cells the opened budget export changed.
#[tauri::command(async, rename_all = "snake_case")]
pub fn imports_budget_apply(state: State<'_, AppState>, accept: Accept) -> Reply<BudgetRoundTrip> {
    with_table(&state, |table| {
        state.as_user(|ledger, actor| round_trip::apply(ledger, actor, table, accept))
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn imports_list(state: State<'_, AppState>) -> Reply<Vec<ImportRecord>> {
    state.as_user(|ledger, actor| imports::list(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn imports_reverse(state: State<'_, AppState>, id: Uuid) -> Reply<ImportRecord> {
    state.as_user(|ledger, actor| imports::reverse(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn import_mappings_list(
    state: State<'_, AppState>,
    kind: ImportKind,
) -> Reply<Vec<SavedMapping>> {
    state.as_user(|ledger, actor| mappings::list(ledger, actor, kind))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn import_mappings_save(
    state: State<'_, AppState>,
    kind: ImportKind,
    name: String,
    mapping: Mapping,
) -> Reply<SavedMapping> {
    state.as_user(|ledger, actor| mappings::save(ledger, actor, kind, &name, &mapping))
}

/// Writes a table or report into the downloads folder; answers the file's path.
#[tauri::command(async, rename_all = "snake_case")]
pub fn exports_save(
    state: State<'_, AppState>,
    what: ExportWhat,
    format: ExportFormat,
) -> Reply<String> {
    let table = state.as_user(|ledger, actor| exports::table(ledger, actor, &what))?;
    let path = download_path(&table.title, format.extension())?;
    let job = state.job.start();
    write(&table, format, &path, &*job).map_err(|error| error.report())?;
    Ok(path.display().to_string())
}

/// Writes a chart's picture into the downloads folder, named by the chart's
/// title; answers the file's path. `png` is the picture as the chart draws
/// it: a data URL of a PNG, checked to be one.
#[tauri::command(async, rename_all = "snake_case")]
pub fn charts_save_png(state: State<'_, AppState>, title: String, png: String) -> Reply<String> {
    state.as_user(|_, _| Ok(()))?;
    let bytes = png_bytes(&png).map_err(|error| error.report())?;
    let path = download_path(&title, "png")?;
    std::fs::write(&path, bytes).map_err(|error| {
        salesplan_core::Error::bad_file(path.display().to_string(), error.to_string()).report()
    })?;
    Ok(path.display().to_string())
}

/// A free path in the downloads folder (made if missing) for a file named
/// `name` with `extension`.
fn download_path(name: &str, extension: &str) -> Reply<PathBuf> {
    let dir = downloads_dir();
    std::fs::create_dir_all(&dir).map_err(|error| {
        salesplan_core::Error::bad_file(dir.display().to_string(), error.to_string()).report()
    })?;
    Ok(free_path(&dir, name, extension))
}

/// The largest picture a chart is saved as.
const MOST_PNG_BYTES: usize = 20 * 1024 * 1024;

/// A PNG's bytes from its data URL, or the refusal that says what is wrong.
fn png_bytes(data_url: &str) -> salesplan_core::Result<Vec<u8>> {
    use base64::Engine;
    let refused = |why: String| salesplan_core::Error::invalid("png", why);
    let encoded = data_url
        .strip_prefix("data:image/png;base64,")
        .ok_or_else(|| refused("not a PNG picture: a data URL of image/png is expected".into()))?;
    if encoded.len() > MOST_PNG_BYTES / 3 * 4 + 4 {
        return Err(refused(format!(
            "a picture larger than {} MB is not saved",
            MOST_PNG_BYTES / 1024 / 1024
        )));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|error| refused(format!("not base64: {error}")))?;
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(refused(
            "not a PNG picture: its signature is missing".into(),
        ));
    }
    Ok(bytes)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn watch_folders_list(state: State<'_, AppState>) -> Reply<Vec<WatchedFolder>> {
    state.as_user(|ledger, actor| watch::folders(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn watch_folders_add(
    state: State<'_, AppState>,
    folder: NewWatchedFolder,
) -> Reply<WatchedFolder> {
    state.as_user(|ledger, actor| watch::add_folder(ledger, actor, folder))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn watch_folders_remove(state: State<'_, AppState>, id: Uuid) -> Reply<()> {
    state.as_user(|ledger, actor| watch::remove_folder(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn alerts_list(state: State<'_, AppState>) -> Reply<AlertCentre> {
    state.as_user(|ledger, actor| state.alerts.centre(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn alerts_dismiss(state: State<'_, AppState>, id: Uuid) -> Reply<()> {
    state.as_user(|ledger, actor| alert_centre::mark_read(ledger, actor, id))
}

/// Scans the watched folders every `SALESPLAN_WATCH_SECONDS` (default 30) while
/// the app runs: the folders of whoever is signed in; none while nobody is.
pub fn start_watching(app: &tauri::AppHandle) {
    crate::every_signed_in(app, "SALESPLAN_WATCH_SECONDS", 30, |state, _| {
        if let Err(error) =
            state.as_user(|ledger, actor| salesplan_files::watch::scan(ledger, actor).map(drop))
        {
            eprintln!("watched folders: {}", error.message);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_saved_only_as_a_png_it_really_is() {
        use base64::Engine;
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let url = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        );
        assert_eq!(png_bytes(&url).expect("a PNG"), png);
        let field = |text: &str| png_bytes(text).expect_err(text).field().map(str::to_owned);
        let gif = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(b"GIF89a")
        );
        for refused in [
            "data:image/svg+xml;base64,PHN2Zz4=",
            "data:image/png;base64,@@@",
            gif.as_str(),
            "",
        ] {
            assert_eq!(field(refused).as_deref(), Some("png"), "{refused}");
        }
        let huge = format!(
            "data:image/png;base64,{}",
            "A".repeat(MOST_PNG_BYTES / 3 * 4 + 8)
        );
        assert!(
            png_bytes(&huge)
                .expect_err("too large")
                .to_string()
                .contains("larger than 20 MB")
        );
    }
}
