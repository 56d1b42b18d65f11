//! Sync with head office from the app: the connection and sign-in, "sync now",
//! the conflicts list, and a background loop that syncs while head office is
//! reachable and backs off while it is not. A sync holds the ledger only while
//! it prepares a batch or applies a page, so screens stay responsive.

use crate::{AppState, Reply};
use salesplan_core::sync::state::{self, Conflict, SetAside, SyncOverview};
use salesplan_core::{Error, ErrorCode, ErrorReport, Ledger};
use salesplan_sync::engine::Stop;
use salesplan_sync::{Fault, Http, Notes, Report, Session, session, sync_once};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;
use tauri::{Emitter, Manager, State};

/// The running engine's side: the sign-in (the token lives in the keychain;
/// this copy lasts while the app runs), and what the last attempt gave.
#[derive(Default)]
pub struct Syncer {
    session: Mutex<Option<Session>>,
    activity: Mutex<Activity>,
    /// One sync at a time: "sync now" waits for a background one.
    running: Mutex<()>,
    /// Wakes the background loop early (after a sign-in, for "sync now").
    wake: (Mutex<bool>, Condvar),
}

#[derive(Default)]
struct Activity {
    online: Option<bool>,
    syncing: bool,
    last_result: Option<String>,
    notes: Vec<String>,
    /// Failed attempts in a row, for the backoff.
    failures: u32,
    /// The sign-in head office refused: the loop waits for a new one.
    signed_out: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> Reply<MutexGuard<'_, T>> {
    mutex.lock().map_err(|_| crate::poisoned())
}

/// Commands run on the async runtime's threads, where reqwest's blocking
/// client may not: their HTTP work runs on a thread of its own.
fn off_runtime<T: Send>(work: impl FnOnce() -> Reply<T> + Send) -> Reply<T> {
    std::thread::scope(|scope| scope.spawn(work).join()).unwrap_or_else(|_| Err(crate::poisoned()))
}

/// Why an attempt failed, and whether head office could not be reached at all.
struct Failed {
    why: String,
    offline: bool,
}

impl From<Fault> for Failed {
    fn from(fault: Fault) -> Failed {
        Failed {
            offline: matches!(fault, Fault::Unreachable(_)),
            why: fault.to_string(),
        }
    }
}

impl From<Stop> for Failed {
    fn from(stop: Stop) -> Failed {
        match stop {
            Stop::Fault(fault) => fault.into(),
            Stop::Ledger(error) => Failed {
                why: error.to_string(),
                offline: false,
            },
        }
    }
}

fn refused(fault: &Fault) -> ErrorReport {
    let code = match fault {
        Fault::Unauthorized(_) => ErrorCode::InvalidCredentials,
        _ => ErrorCode::Sync,
    };
    ErrorReport {
        code,
        message: fault.to_string(),
        field: None,
    }
}

impl Syncer {
    fn overview(&self, ledger: &Ledger) -> salesplan_core::Result<SyncOverview> {
        let status = state::status(ledger)?;
        let signed_in = self.session.lock().map(|s| s.is_some()).unwrap_or(false);
        let activity = self
            .activity
            .lock()
            .map_err(|_| Error::Sync("the sync state is unavailable".into()))?;
        Ok(SyncOverview {
            status,
            online: activity.online,
            signed_in,
            syncing: activity.syncing,
            last_result: activity.last_result.clone(),
            notes: activity.notes.clone(),
        })
    }

    fn wake(&self) {
        if let Ok(mut woken) = self.wake.0.lock() {
            *woken = true;
            self.wake.1.notify_all();
        }
    }

    /// Sleeps until `timeout` passes or someone wakes the loop.
    fn sleep(&self, timeout: Duration) {
        let Ok(woken) = self.wake.0.lock() else {
            return;
        };
        if let Ok((mut woken, _)) = self.wake.1.wait_timeout_while(woken, timeout, |w| !*w) {
            *woken = false;
        }
    }

    /// One sync, if this ledger is connected and signed in. `None`: nothing to do.
    fn run_once(&self, app: &AppState) -> Option<Result<Report, Failed>> {
        let ledger = app.ledger.as_ref().ok()?;
        let connection = ledger
            .lock()
            .ok()
            .and_then(|ledger| state::connection(&ledger).ok().flatten())?;
        let _one = self.running.lock().ok()?;
        let http = match Http::new(&connection.server_url) {
            Ok(http) => http,
            Err(fault) => return Some(Err(fault.into())),
        };
        let held = self.session.lock().ok()?.clone();
        let signed_in = match held {
            Some(held) => held,
            None => {
                if self.activity.lock().ok()?.signed_out {
                    return None;
                }
                let mut notes = Notes::default();
                let resumed = session::resume(
                    &http,
                    &connection.server_url,
                    &connection.username,
                    &mut notes,
                );
                self.note(notes);
                match resumed {
                    Ok(Some(resumed)) => {
                        *self.session.lock().ok()? = Some(resumed.clone());
                        resumed
                    }
                    Ok(None) => {
                        self.signed_out(None);
                        return None;
                    }
                    Err(fault) => return Some(Err(fault.into())),
                }
            }
        };
        self.set_syncing(true);
        let outcome = sync_once(ledger, &http, &signed_in.token, signed_in.user_id);
        self.set_syncing(false);
        if let Err(Stop::Fault(Fault::Unauthorized(_))) = &outcome {
            self.signed_out(Some(
                "head office no longer honours this laptop's sign-in: sign in again below".into(),
            ));
        }
        // Something came or went: the alert rules are worked out again.
        if let Ok(report) = &outcome
            && (report.pushed > 0 || report.pulled > 0 || report.removed > 0)
        {
            app.rules.changed();
        }
        Some(outcome.map_err(Failed::from))
    }

    fn set_syncing(&self, syncing: bool) {
        if let Ok(mut activity) = self.activity.lock() {
            activity.syncing = syncing;
        }
    }

    fn note(&self, notes: Notes) {
        if let Ok(mut activity) = self.activity.lock() {
            for note in notes.0 {
                if !activity.notes.contains(&note) {
                    activity.notes.push(note);
                }
            }
        }
    }

    fn signed_out(&self, why: Option<String>) {
        if let Ok(mut held) = self.session.lock() {
            *held = None;
        }
        if let Ok(mut activity) = self.activity.lock() {
            activity.signed_out = true;
            activity.notes.extend(why);
        }
    }

    /// Records an attempt; answers how long to wait before the next one.
    fn settle(&self, outcome: &Result<Report, Failed>, every: Duration) -> Duration {
        let Ok(mut activity) = self.activity.lock() else {
            return every;
        };
        match outcome {
            Ok(report) => {
                activity.online = Some(true);
                activity.failures = 0;
                activity.last_result = Some(report.summary());
                every
            }
            Err(failed) => {
                activity.online = Some(!failed.offline);
                activity.failures = activity.failures.saturating_add(1);
                activity.last_result = Some(failed.why.clone());
                backoff(activity.failures)
            }
        }
    }
}

/// The wait after `failures` failed attempts in a row: 15 s, 30 s, 1 min, …, at most 15 min.
fn backoff(failures: u32) -> Duration {
    let doubled = Duration::from_secs(15).saturating_mul(1 << failures.saturating_sub(1).min(6));
    doubled.min(Duration::from_secs(15 * 60))
}

/// Syncs every `SALESPLAN_SYNC_SECONDS` (default 60) while connected and
/// signed in, sooner when woken, later while head office cannot be reached.
pub fn start(app: &tauri::AppHandle) {
    let every = Duration::from_secs(
        std::env::var("SALESPLAN_SYNC_SECONDS")
            .ok()
            .and_then(|text| text.parse::<u64>().ok())
            .unwrap_or(60)
            .max(1),
    );
    let app = app.clone();
    std::thread::spawn(move || {
        loop {
            let state = app.state::<AppState>();
            let wait = match state.sync.run_once(&state) {
                Some(outcome) => {
                    let wait = state.sync.settle(&outcome, every);
                    let _ = app.emit("sync-changed", ());
                    wait
                }
                None => every,
            };
            state.sync.sleep(wait);
        }
    });
}

// ---- commands ------------------------------------------------------------------

#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_overview(state: State<'_, AppState>) -> Reply<SyncOverview> {
    state.as_user(|ledger, _| state.sync.overview(ledger))
}

/// Connects this ledger to head office as the signed-in user and signs in there.
#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_connect(
    state: State<'_, AppState>,
    server_url: String,
    password: String,
) -> Reply<SyncOverview> {
    off_runtime(|| {
        let connection =
            state.as_user(|ledger, actor| state::connect(ledger, actor, &server_url))?;
        let (server, username) = (&connection.server_url, &connection.username);
        let http = Http::new(server).map_err(|fault| refused(&fault))?;
        let mut notes = Notes::default();
        let signed_in = session::sign_in(&http, server, username, &password, &mut notes)
            .map_err(|fault| refused(&fault))?;
        state.with_ledger(|ledger| state::adopt_password(ledger, &password))?;
        *lock(&state.sync.session)? = Some(signed_in);
        {
            let mut activity = lock(&state.sync.activity)?;
            activity.signed_out = false;
            activity.failures = 0;
            activity.notes.clear();
        }
        state.sync.note(notes);
        state.sync.wake();
        state.as_user(|ledger, _| state.sync.overview(ledger))
    })
}

/// Syncs now and answers what it did.
#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_now(state: State<'_, AppState>) -> Reply<SyncOverview> {
    off_runtime(|| {
        state.as_user(|_, _| Ok(()))?;
        match state.sync.run_once(&state) {
            Some(outcome) => {
                state.sync.settle(&outcome, Duration::from_secs(60));
                if let Err(failed) = outcome {
                    return Err(ErrorReport {
                        code: ErrorCode::Sync,
                        message: failed.why,
                        field: None,
                    });
                }
            }
            None => {
                return Err(ErrorReport {
                    code: ErrorCode::Sync,
                    message: "not signed in to head office: connect under Head office first".into(),
                    field: None,
                });
            }
        }
        state.as_user(|ledger, _| state.sync.overview(ledger))
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_conflicts(state: State<'_, AppState>, limit: u32) -> Reply<Vec<Conflict>> {
    state.as_user(|ledger, _| state::conflicts(ledger, limit))
}

/// Head office's changes this ledger set aside, with why (newest first).
#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_set_aside(state: State<'_, AppState>, limit: u32) -> Reply<Vec<SetAside>> {
    state.as_user(|ledger, _| state::set_aside(ledger, limit))
}

/// Signs out of head office: the token is revoked and removed from the keychain.
#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_sign_out(state: State<'_, AppState>) -> Reply<SyncOverview> {
    off_runtime(|| {
        let connection = state.as_user(|ledger, _| state::connection(ledger))?;
        if let Some(connection) = connection {
            let held = lock(&state.sync.session)?.take();
            let outcome = session::sign_out(
                &connection.server_url,
                &connection.username,
                held.as_ref().map(|held| held.token.as_str()),
            );
            state
                .sync
                .signed_out(outcome.err().map(|missing| missing.to_string()));
        }
        state.as_user(|ledger, _| state.sync.overview(ledger))
    })
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn the_wait_doubles_from_15_seconds_up_to_15_minutes() {
        let waits: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [15, 30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(backoff(u32::MAX), Duration::from_secs(900));
    }
}
