//! The one alert centre: a watched file that could not be imported (stored,
//! for the folder's owner), the stock alerts of what the user may see
//! (derived on the laptop) and the user's own alert rules that hold or fail,
//! with how many are unread: the app's badge, its list, and `salesplan alerts`.

use crate::access::{Action, Actor};
use crate::alert_rules::{self, AlertRule, RuleState};
use crate::error::Result;
use crate::ledger::{Ledger, LedgerStamp};
use crate::stock::alerts::{self as stock_alerts, StockAlert};
use crate::timestamp::Day;
use crate::watch::{self, Alert};
use serde::Serialize;
use std::sync::Mutex;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AlertCentre {
    /// Files that could not be imported, unread, newest first.
    pub files: Vec<Alert>,
    /// Stock alerts, read ones included (`read`).
    pub stock: Vec<StockAlert>,
    /// The user's alert rules that held or failed at their last check, read ones included.
    pub rules: Vec<AlertRule>,
    #[ts(type = "number")]
    pub unread: usize,
}

/// The actor's alerts: stock ones only for those who may see stock.
pub fn centre(ledger: &Ledger, actor: &Actor) -> Result<AlertCentre> {
    let files = watch::alerts(ledger, actor)?;
    let stock = if actor.scope_for(Action::ViewStock).is_ok() {
        stock_alerts::alerts(ledger, actor)?
    } else {
        Vec::new()
    };
    let rules: Vec<AlertRule> = match actor.scope_for(Action::KeepAlertRules) {
        Ok(_) => alert_rules::list(ledger, actor)?
            .into_iter()
            .filter(|rule| rule.state != RuleState::Ok)
            .collect(),
        Err(_) => Vec::new(),
    };
    let unread = files.len()
        + stock.iter().filter(|alert| !alert.read).count()
        + rules.iter().filter(|rule| !rule.read).count();
    Ok(AlertCentre {
        files,
        stock,
        rules,
        unread,
    })
}

/// The alert centre as last worked out, kept while nothing it is worked out
/// from changed: the app asks on every screen it opens (the badge), and at
/// ten thousand items the stock alerts take a tenth of a second on the ledger
/// other screens wait for. Worked out again after any write to the ledger (by
/// this app or another process), for another user, and on another day.
#[derive(Default)]
pub struct Memo {
    held: Mutex<Option<(MemoKey, AlertCentre)>>,
}

/// Whose alerts, on which day, of the ledger as of when.
type MemoKey = (Uuid, Day, LedgerStamp);

impl Memo {
    /// The actor's alerts, as `centre` works them out.
    pub fn centre(&self, ledger: &Ledger, actor: &Actor) -> Result<AlertCentre> {
        let key = (actor.id, Day::today(), ledger.stamp()?);
        if let Ok(held) = self.held.lock()
            && let Some((when, centre)) = held.as_ref()
            && *when == key
        {
            return Ok(centre.clone());
        }
        let worked_out = centre(ledger, actor)?;
        if let Ok(mut held) = self.held.lock() {
            *held = Some((key, worked_out.clone()));
        }
        Ok(worked_out)
    }
}

/// Marks an alert read, whichever kind its id names (a file alert meant for
/// someone else is refused as theirs; an id of nothing is not found).
pub fn mark_read(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<()> {
    if actor.scope_for(Action::ViewStock).is_ok() && stock_alerts::mark_read(ledger, actor, id)? {
        return Ok(());
    }
    let own_rule = actor.scope_for(Action::KeepAlertRules).is_ok()
        && alert_rules::list(ledger, actor)?
            .iter()
            .any(|rule| rule.id == id);
    if own_rule {
        return alert_rules::mark_read(ledger, actor, id);
    }
    watch::dismiss_alert(ledger, actor, id)
}
