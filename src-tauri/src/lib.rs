//! The Salesplan desktop shell: holds the open ledger and the signed-in user,
//! and exposes the core's use cases as IPC commands, one line each.

use rust_decimal::Decimal;
use salesplan_core::audit::{self, AuditEntry, AuditFilter};
use salesplan_core::budgets::distribute::{self, Distribution, Target};
use salesplan_core::budgets::expenses::{self, Expense, NewExpense, NewSpending, Spending};
use salesplan_core::budgets::templates::{self, NewTemplate, Template};
use salesplan_core::budgets::variance::{self, VarianceQuery, VarianceReport};
use salesplan_core::budgets::{
    self, Budget, BudgetComparison, BudgetLine, BudgetSheet, BudgetSummary, LineEdit, NewBudget,
    SalesmanChoice, SpreadRequest, Transition,
};
use salesplan_core::home::{self, Home, Refresh, Widget};
use salesplan_core::reference::{self, ReferenceItem, ReferenceKind, ReferenceRecord};
use salesplan_core::sales::{self, ActualSale, NewSale, SalesOverview};
use salesplan_core::session::{self, SessionInfo, Welcome};
use salesplan_core::settings::{self, CompanySettings, Settings};
use salesplan_core::timestamp::Day;
use salesplan_core::users::{self, NewUser, User, UserProfile};
use salesplan_core::{Actor, Error, ErrorReport, Ledger};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::State;
use uuid::Uuid;

mod files;
mod forecast;
mod jobs;
mod purchasing;
mod reports;
mod rules;
mod stock;
mod suppliers;
mod sync;
mod transfers;

type Reply<T> = Result<T, ErrorReport>;

pub struct AppState {
    ledger_path: PathBuf,
    /// The open ledger, or why it could not be opened (shown on the sign-in screen).
    ledger: Result<Mutex<Ledger>, ErrorReport>,
    /// The signed-in user: id and username (the id changes once head office adopts the account).
    session: Mutex<Option<(Uuid, String)>>,
    /// The file the import wizard has open.
    opened: files::Opened,
    /// The running job's progress and cancel.
    job: std::sync::Arc<jobs::Job>,
    /// Sync with head office: the sign-in and the background loop's state.
    sync: sync::Syncer,
    /// The alert centre, kept while the ledger is unchanged (every screen asks for the badge).
    alerts: salesplan_core::alert_centre::Memo,
    /// When the signed-in user's alert rules are next due.
    rules: rules::Checker,
}

impl AppState {
    /// Opens the ledger at `path`; a first start with no ledger gets the demo company.
    pub fn open(path: &Path) -> AppState {
        let ledger = if path.exists() {
            Ledger::open(path)
        } else {
            salesplan_core::demo::create(path).map(|(ledger, _)| ledger)
        };
        AppState {
            ledger_path: path.into(),
            ledger: ledger.map(Mutex::new).map_err(|error| error.report()),
            session: Mutex::new(None),
            opened: files::Opened::default(),
            job: Default::default(),
            sync: sync::Syncer::default(),
            alerts: Default::default(),
            rules: Default::default(),
        }
    }

    fn with_ledger<T>(
        &self,
        body: impl FnOnce(&mut Ledger) -> salesplan_core::Result<T>,
    ) -> Reply<T> {
        let ledger = self.ledger.as_ref().map_err(Clone::clone)?;
        let mut ledger = ledger.lock().map_err(|_| poisoned())?;
        body(&mut ledger).map_err(|error| error.report())
    }

    /// Runs `body` as the signed-in user, re-read from the ledger on every call
    /// so that a deactivation or a role change takes effect at once.
    fn as_user<T>(
        &self,
        body: impl FnOnce(&mut Ledger, &Actor) -> salesplan_core::Result<T>,
    ) -> Reply<T> {
        let (user_id, username) = self.signed_in()?;
        self.with_ledger(|ledger| {
            let actor = users::session_actor(ledger, user_id, &username)?;
            body(ledger, &actor)
        })
    }

    /// Who is signed in: id and username; an error when nobody is.
    fn signed_in(&self) -> Reply<(Uuid, String)> {
        self.session
            .lock()
            .map_err(|_| poisoned())?
            .clone()
            .ok_or_else(|| Error::NotSignedIn.report())
    }

    fn set_session(&self, actor: Option<&Actor>) -> Reply<()> {
        *self.session.lock().map_err(|_| poisoned())? =
            actor.map(|actor| (actor.id, actor.username.clone()));
        Ok(())
    }
}

/// Runs `work` for whoever is signed in, on a thread of its own, every
/// `env` seconds (default `seconds`) while the app runs; nobody signed in, it waits.
fn every_signed_in(
    app: &tauri::AppHandle,
    env: &str,
    seconds: u64,
    work: impl Fn(&AppState, Uuid) + Send + 'static,
) {
    use tauri::Manager;
    let seconds = std::env::var(env)
        .ok()
        .and_then(|text| text.parse::<u64>().ok())
        .unwrap_or(seconds)
        .max(1);
    let app = app.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(seconds));
            let state = app.state::<AppState>();
            let user = state
                .session
                .lock()
                .ok()
                .and_then(|session| session.as_ref().map(|(id, _)| *id));
            if let Some(user) = user {
                work(&state, user);
            }
        }
    });
}

fn poisoned() -> ErrorReport {
    ErrorReport {
        code: salesplan_core::ErrorCode::Internal,
        message: "an earlier command failed badly; restart Salesplan".into(),
        field: None,
    }
}

// ---- commands ------------------------------------------------------------------

#[tauri::command(async, rename_all = "snake_case")]
fn welcome(state: State<'_, AppState>) -> Reply<Welcome> {
    match &state.ledger {
        Ok(_) => state.with_ledger(|ledger| session::welcome(ledger)),
        Err(problem) => Ok(Welcome {
            ledger_path: state.ledger_path.display().to_string(),
            company_name: None,
            demo_password: None,
            problem: Some(problem.clone()),
        }),
    }
}

#[tauri::command(async, rename_all = "snake_case")]
fn sign_in(state: State<'_, AppState>, username: String, password: String) -> Reply<SessionInfo> {
    let info = state.with_ledger(|ledger| {
        let actor = users::sign_in(ledger, &username, &password)?;
        session::session_info(ledger, actor)
    })?;
    state.set_session(Some(&info.actor))?;
    Ok(info)
}

#[tauri::command(async, rename_all = "snake_case")]
fn sign_out(state: State<'_, AppState>) -> Reply<()> {
    state.set_session(None)
}

#[tauri::command(async, rename_all = "snake_case")]
fn current_session(state: State<'_, AppState>) -> Reply<Option<SessionInfo>> {
    match state.as_user(|ledger, actor| session::session_info(ledger, actor.clone())) {
        Ok(info) => Ok(Some(info)),
        Err(error) if error.code == salesplan_core::ErrorCode::NotSignedIn => Ok(None),
        Err(error) => Err(error),
    }
}

#[tauri::command(async, rename_all = "snake_case")]
fn reference_list(
    state: State<'_, AppState>,
    kind: ReferenceKind,
    include_archived: bool,
) -> Reply<Vec<ReferenceRecord>> {
    state.as_user(|ledger, actor| reference::list_kind(ledger, actor, kind, include_archived))
}

#[tauri::command(async, rename_all = "snake_case")]
fn reference_create(state: State<'_, AppState>, item: ReferenceItem) -> Reply<ReferenceRecord> {
    state.as_user(|ledger, actor| reference::create_item(ledger, actor, item))
}

#[tauri::command(async, rename_all = "snake_case")]
fn reference_update(
    state: State<'_, AppState>,
    id: Uuid,
    base_version: Option<i64>,
    item: ReferenceItem,
) -> Reply<ReferenceRecord> {
    state.as_user(|ledger, actor| reference::update_item(ledger, actor, id, base_version, item))
}

#[tauri::command(async, rename_all = "snake_case")]
fn reference_set_archived(
    state: State<'_, AppState>,
    kind: ReferenceKind,
    id: Uuid,
    archived: bool,
) -> Reply<ReferenceRecord> {
    state.as_user(|ledger, actor| reference::set_kind_archived(ledger, actor, kind, id, archived))
}

#[tauri::command(async, rename_all = "snake_case")]
fn settings_get(state: State<'_, AppState>) -> Reply<Settings> {
    state.as_user(|ledger, actor| settings::get(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
fn settings_update(
    state: State<'_, AppState>,
    base_version: Option<i64>,
    company: CompanySettings,
) -> Reply<Settings> {
    state.as_user(|ledger, actor| settings::update(ledger, actor, base_version, company))
}

#[tauri::command(async, rename_all = "snake_case")]
fn users_list(state: State<'_, AppState>) -> Reply<Vec<User>> {
    state.as_user(|ledger, actor| users::list(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
fn users_create(state: State<'_, AppState>, new_user: NewUser) -> Reply<User> {
    state.as_user(|ledger, actor| users::create(ledger, actor, new_user))
}

#[tauri::command(async, rename_all = "snake_case")]
fn users_update(
    state: State<'_, AppState>,
    id: Uuid,
    base_version: Option<i64>,
    profile: UserProfile,
) -> Reply<User> {
    state.as_user(|ledger, actor| users::update(ledger, actor, id, base_version, profile))
}

#[tauri::command(async, rename_all = "snake_case")]
fn users_set_active(state: State<'_, AppState>, id: Uuid, active: bool) -> Reply<User> {
    state.as_user(|ledger, actor| users::set_active(ledger, actor, id, active))
}

#[tauri::command(async, rename_all = "snake_case")]
fn users_reset_password(state: State<'_, AppState>, id: Uuid, new_password: String) -> Reply<()> {
    state.as_user(|ledger, actor| users::reset_password(ledger, actor, id, &new_password))
}

#[tauri::command(async, rename_all = "snake_case")]
fn password_change_own(
    state: State<'_, AppState>,
    current_password: String,
    new_password: String,
) -> Reply<()> {
    state.as_user(|ledger, actor| {
        users::change_own_password(ledger, actor, &current_password, &new_password)
    })
}

#[tauri::command(async, rename_all = "snake_case")]
fn audit_list(state: State<'_, AppState>, filter: AuditFilter) -> Reply<Vec<AuditEntry>> {
    state.as_user(|ledger, actor| audit::list(ledger, actor, filter))
}

#[tauri::command(async, rename_all = "snake_case")]
fn home_show(state: State<'_, AppState>) -> Reply<Home> {
    // At once: a kept digest even when the ledger changed since (the screen
    // then asks for `home_refresh`).
    state.as_user(|ledger, actor| home::home_on(ledger, actor, Day::today(), Refresh::IfMissing))
}

#[tauri::command(async, rename_all = "snake_case")]
fn home_refresh(state: State<'_, AppState>) -> Reply<Home> {
    state.as_user(|ledger, actor| home::home_on(ledger, actor, Day::today(), Refresh::Now))
}

#[tauri::command(async, rename_all = "snake_case")]
fn home_arrange(state: State<'_, AppState>, widgets: Vec<Widget>) -> Reply<Home> {
    state.as_user(|ledger, actor| home::arrange(ledger, actor, widgets))
}

#[tauri::command(async, rename_all = "snake_case")]
fn home_pin(state: State<'_, AppState>, report_id: Uuid) -> Reply<Home> {
    state.as_user(|ledger, actor| home::pin(ledger, actor, &report_id.to_string()))
}

#[tauri::command(async, rename_all = "snake_case")]
fn home_reset(state: State<'_, AppState>) -> Reply<Home> {
    state.as_user(home::reset)
}

#[tauri::command(async, rename_all = "snake_case")]
fn sales_overview(state: State<'_, AppState>) -> Reply<SalesOverview> {
    state.as_user(|ledger, actor| sales::overview(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_list(state: State<'_, AppState>, fiscal_year: Option<i32>) -> Reply<Vec<BudgetSummary>> {
    state.as_user(|ledger, actor| budgets::list(ledger, actor, fiscal_year))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_show(state: State<'_, AppState>, id: Uuid) -> Reply<BudgetSheet> {
    state.as_user(|ledger, actor| budgets::show(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_compare(state: State<'_, AppState>, id: Uuid) -> Reply<BudgetComparison> {
    state.as_user(|ledger, actor| budgets::compare(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_create(state: State<'_, AppState>, new_budget: NewBudget) -> Reply<BudgetSheet> {
    state.as_user(|ledger, actor| budgets::create(ledger, actor, new_budget))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_copy(
    state: State<'_, AppState>,
    id: Uuid,
    scenario: String,
    percent: Option<Decimal>,
) -> Reply<BudgetSheet> {
    state.as_user(|ledger, actor| budgets::copy(ledger, actor, id, &scenario, percent))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_set_lines(
    state: State<'_, AppState>,
    id: Uuid,
    edits: Vec<LineEdit>,
) -> Reply<Vec<BudgetLine>> {
    state.as_user(|ledger, actor| budgets::set_lines(ledger, actor, id, edits))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_spread(
    state: State<'_, AppState>,
    id: Uuid,
    request: SpreadRequest,
) -> Reply<Vec<BudgetLine>> {
    state.as_user(|ledger, actor| budgets::spread_total(ledger, actor, id, request))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_adjust(
    state: State<'_, AppState>,
    id: Uuid,
    product_id: Option<Uuid>,
    percent: Decimal,
) -> Reply<Vec<BudgetLine>> {
    state.as_user(|ledger, actor| budgets::adjust(ledger, actor, id, product_id, percent))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_transition(
    state: State<'_, AppState>,
    id: Uuid,
    transition: Transition,
    comment: String,
) -> Reply<Budget> {
    state.as_user(|ledger, actor| budgets::transition(ledger, actor, id, transition, &comment))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_inbox(state: State<'_, AppState>) -> Reply<Vec<BudgetSummary>> {
    state.as_user(|ledger, actor| budgets::inbox(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_variance(state: State<'_, AppState>, query: VarianceQuery) -> Reply<VarianceReport> {
    state.as_user(|ledger, actor| variance::report(ledger, actor, query))
}

#[tauri::command(async, rename_all = "snake_case")]
fn budgets_salesmen(state: State<'_, AppState>) -> Reply<Vec<SalesmanChoice>> {
    state.as_user(|ledger, actor| budgets::salesmen(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
fn expenses_add(
    state: State<'_, AppState>,
    budget_id: Uuid,
    expense: NewExpense,
) -> Reply<Expense> {
    state.as_user(|ledger, actor| expenses::add(ledger, actor, budget_id, expense))
}

#[tauri::command(async, rename_all = "snake_case")]
fn expenses_spend(state: State<'_, AppState>, spending: NewSpending) -> Reply<Spending> {
    state.as_user(|ledger, actor| expenses::spend(ledger, actor, spending))
}

#[tauri::command(async, rename_all = "snake_case")]
fn expenses_spendings(state: State<'_, AppState>, expense_id: Uuid) -> Reply<Vec<Spending>> {
    state.as_user(|ledger, actor| expenses::spendings(ledger, actor, expense_id))
}

#[tauri::command(async, rename_all = "snake_case")]
fn expenses_save_receipt(state: State<'_, AppState>, spending_id: Uuid) -> Reply<String> {
    state.as_user(|ledger, actor| {
        expenses::save_receipt(ledger, actor, spending_id, &downloads_dir())
            .map(|path| path.display().to_string())
    })
}

/// Where files the user saves go: `$SALESPLAN_DOWNLOADS`, else the OS downloads folder.
fn downloads_dir() -> PathBuf {
    std::env::var_os("SALESPLAN_DOWNLOADS")
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
        .or_else(dirs::download_dir)
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

#[tauri::command(async, rename_all = "snake_case")]
fn sales_post(state: State<'_, AppState>, sales: Vec<NewSale>) -> Reply<Vec<ActualSale>> {
    state.as_user(|ledger, actor| sales::post(ledger, actor, sales))
}

#[tauri::command(async, rename_all = "snake_case")]
fn templates_list(state: State<'_, AppState>) -> Reply<Vec<Template>> {
    state.as_user(|ledger, actor| templates::list(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
fn templates_save(state: State<'_, AppState>, new_template: NewTemplate) -> Reply<Template> {
    state.as_user(|ledger, actor| templates::save(ledger, actor, new_template))
}

#[tauri::command(async, rename_all = "snake_case")]
fn templates_delete(state: State<'_, AppState>, id: Uuid) -> Reply<()> {
    state.as_user(|ledger, actor| templates::delete(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
fn templates_share(state: State<'_, AppState>, id: Uuid, shared: bool) -> Reply<Template> {
    state.as_user(|ledger, actor| templates::share(ledger, actor, id, shared))
}

/// A top-down distribution: the shares (a preview), or with `apply` the budgets made for them.
#[tauri::command(async, rename_all = "snake_case")]
fn budgets_distribute(
    state: State<'_, AppState>,
    distribution: Distribution,
    apply: bool,
) -> Reply<Vec<Target>> {
    state.as_user(|ledger, actor| {
        if apply {
            distribute::apply(ledger, actor, distribution)
        } else {
            distribute::targets(ledger, actor, &distribution)
        }
    })
}

include!("commands.rs");

macro_rules! handler {
    ($($module:ident { $($command:ident),* $(,)? })*) => {
        tauri::generate_handler![$($($module::$command),*),*]
    };
}

pub fn run() {
    let state = AppState::open(&salesplan_core::ledger::default_path());
    let outcome = tauri::Builder::default()
        .manage(state)
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            files::start_watching(app.handle());
            sync::start(app.handle());
            rules::start(app.handle());
            Ok(())
        })
        .invoke_handler(with_commands!(handler))
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(error) = outcome {
        eprintln!("Salesplan could not start: {error}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod command_bindings;

#[cfg(test)]
mod tests {
    use super::COMMANDS;

    #[test]
    fn the_capability_grants_exactly_the_commands_the_ui_uses() {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json"))
                .expect("capability JSON");
        let mut granted: Vec<String> = capability["permissions"]
            .as_array()
            .expect("a permissions list")
            .iter()
            .filter_map(|permission| permission.as_str().map(str::to_owned))
            .collect();
        let mut expected: Vec<String> = COMMANDS
            .iter()
            .map(|command| format!("allow-{}", command.replace('_', "-")))
            .collect();
        // Besides the commands: the import wizard's file dialog (open only) and the
        // file-drop events it listens to.
        let wizard = [
            "dialog:allow-open",
            "core:event:allow-listen",
            "core:event:allow-unlisten",
        ];
        granted.retain(|permission| !wizard.contains(&permission.as_str()));
        granted.sort();
        expected.sort();
        assert_eq!(granted, expected);
    }

    #[test]
    fn the_role_matrix_covers_every_command_that_needs_a_role() {
        let matrix = include_str!("../../crates/salesplan-core/tests/core/roles.rs");
        // Commands that read or touch nothing of the ledger: the session, a job's progress.
        let session_commands = [
            "welcome",
            "sign_in",
            "sign_out",
            "current_session",
            "job_progress",
            "job_cancel",
            // A picture of a chart the screen already shows: nothing of the ledger.
            "charts_save_png",
            // This laptop's sync: open to every signed-in user (head office
            // checks each change); moving the connection to another account
            // is refused by sync::state::connect, tested in the core.
            "sync_overview",
            "sync_connect",
            "sync_now",
            "sync_conflicts",
            "sync_set_aside",
            "sync_sign_out",
        ];
        let missing: Vec<&&str> = COMMANDS
            .iter()
            .filter(|command| !session_commands.contains(command))
            .filter(|command| !matrix.contains(&format!("\"{command}\"")))
            .collect();
        assert!(
            missing.is_empty(),
            "commands missing from the role matrix: {missing:?}"
        );
    }
}
