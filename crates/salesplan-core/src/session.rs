//! What the shell shows around a session: the welcome facts before sign-in and
//! the signed-in user with their grants (so the UI can hide what the role cannot do;
//! the services still check every call).

use crate::access::{Action, Actor, Scope, grant};
use crate::error::{ErrorReport, Result};
use crate::ledger::Ledger;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Grant {
    pub action: Action,
    pub scope: Scope,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SessionInfo {
    pub actor: Actor,
    pub grants: Vec<Grant>,
    /// What this user may import, in the order the wizard offers it (the
    /// rights the import itself checks).
    pub importable: Vec<crate::imports::ImportKind>,
    pub company_name: String,
    pub currency: String,
}

/// What the sign-in screen shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Welcome {
    pub ledger_path: String,
    pub company_name: Option<String>,
    /// Set for the demo company, so a new user can sign in at once.
    pub demo_password: Option<String>,
    /// Why the ledger could not be opened, if it could not.
    pub problem: Option<ErrorReport>,
}

pub fn session_info(ledger: &Ledger, actor: Actor) -> Result<SessionInfo> {
    let grants = Action::ALL
        .into_iter()
        .filter_map(|action| grant(actor.role, action).map(|scope| Grant { action, scope }))
        .collect();
    let settings = crate::ledger::settings::get(ledger.read())?;
    let importable = crate::imports::ImportKind::ALL
        .into_iter()
        .filter(|kind| crate::imports::require_importer(&actor, *kind).is_ok())
        .collect();
    Ok(SessionInfo {
        importable,
        actor,
        grants,
        company_name: settings
            .as_ref()
            .map(|s| s.company.company_name.clone())
            .unwrap_or_default(),
        currency: settings
            .map(|s| s.company.currency)
            .unwrap_or_else(|| "EUR".into()),
    })
}

pub fn welcome(ledger: &Ledger) -> Result<Welcome> {
    Ok(Welcome {
        ledger_path: ledger.path().display().to_string(),
        company_name: crate::settings::company_name(ledger)?,
        demo_password: ledger
            .is_demo()?
            .then(|| crate::demo::DEMO_PASSWORD.to_owned()),
        problem: None,
    })
}
