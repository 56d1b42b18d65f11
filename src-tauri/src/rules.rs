//! Alert rules in the app: the Alerts screen's commands, and the checker that
//! works the signed-in user's rules out after an import, a sync that brought
//! or sent something, or a month's close, and once a day while the app runs;
//! what a check tells is shown as a desktop notification (Tauri's
//! notification plugin) as well as in the alert centre.

use crate::{AppState, Reply};
use salesplan_core::alert_rules::{self, AlertRule, RuleDefinition};
use salesplan_core::timestamp::Day;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::State;
use uuid::Uuid;

/// When the signed-in user's rules are due: after a change, or on a new day.
#[derive(Default)]
pub struct Checker {
    /// An import, a sync or a close happened since the last check.
    changed: AtomicBool,
    /// Whose rules were last checked, on which day.
    last: Mutex<Option<(Uuid, Day)>>,
}

impl Checker {
    /// Something the rules are worked out from changed: check them soon.
    pub fn changed(&self) {
        self.changed.store(true, Ordering::SeqCst);
    }

    /// Whether `user`'s rules are due today; a due check is taken as done.
    fn due(&self, user: Uuid, today: Day) -> bool {
        let changed = self.changed.swap(false, Ordering::SeqCst);
        let Ok(mut last) = self.last.lock() else {
            return changed;
        };
        let new_day = *last != Some((user, today));
        *last = Some((user, today));
        changed || new_day
    }
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn alert_rules_list(state: State<'_, AppState>) -> Reply<Vec<AlertRule>> {
    state.as_user(|ledger, actor| alert_rules::list(ledger, actor))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn alert_rules_add(state: State<'_, AppState>, definition: RuleDefinition) -> Reply<AlertRule> {
    state.as_user(|ledger, actor| alert_rules::add(ledger, actor, definition))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn alert_rules_remove(state: State<'_, AppState>, id: Uuid) -> Reply<()> {
    state.as_user(|ledger, actor| alert_rules::remove(ledger, actor, id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn alert_rules_snooze(
    state: State<'_, AppState>,
    id: Uuid,
    until: Option<Day>,
) -> Reply<AlertRule> {
    state.as_user(|ledger, actor| alert_rules::snooze(ledger, actor, id, until))
}

/// Checks the user's rules now ("Check now"); what it told is also notified.
#[tauri::command(async, rename_all = "snake_case")]
pub fn alert_rules_check(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Reply<Vec<AlertRule>> {
    let told = state.as_user(alert_rules::check)?;
    notify(&app, &told);
    Ok(told)
}

/// A desktop notification for each rule a check told about. Where the desktop
/// has no notification service (a server, a test's virtual display) the
/// alert centre still holds them.
fn notify(app: &tauri::AppHandle, told: &[AlertRule]) {
    use tauri_plugin_notification::NotificationExt;
    for rule in told {
        let shown = app
            .notification()
            .builder()
            .title(format!("Salesplan: {}", rule.definition.name))
            .body(rule.message.clone().unwrap_or_default())
            .show();
        if let Err(error) = shown {
            eprintln!("alert rule {}: no desktop notification: {error}", rule.id);
        }
    }
}

/// Checks the signed-in user's rules when they are due, every
/// `SALESPLAN_RULES_SECONDS` (default 5) while the app runs.
pub fn start(app: &tauri::AppHandle) {
    let notifier = app.clone();
    crate::every_signed_in(app, "SALESPLAN_RULES_SECONDS", 5, move |state, user| {
        if !state.rules.due(user, Day::today()) {
            return;
        }
        match state.as_user(alert_rules::check) {
            Ok(told) => notify(&notifier, &told),
            Err(error) => eprintln!("alert rules: {}", error.message),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::Checker;
    use salesplan_core::timestamp::Day;
    use uuid::Uuid;

    #[test]
    fn rules_are_due_on_a_new_day_for_a_new_user_and_after_a_change() {
        let checker = Checker::default();
        let (sam, maria) = (Uuid::now_v7(), Uuid::now_v7());
        let today = Day::new(2026, 12, 7).expect("a day");
        let tomorrow = Day::new(2026, 12, 8).expect("a day");
        assert!(checker.due(sam, today), "the first check");
        assert!(!checker.due(sam, today), "checked today already");
        checker.changed();
        assert!(checker.due(sam, today), "an import, a sync or a close");
        assert!(!checker.due(sam, today));
        assert!(checker.due(maria, today), "another user signed in");
        assert!(checker.due(maria, tomorrow), "a new day");
    }
}
