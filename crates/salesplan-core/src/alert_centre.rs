//! The one alert centre: a watched file that could not be imported (stored,
//! for the folder's owner) and the stock alerts of what the user may see
//! (derived on the laptop), with how many are unread: the app's badge, its
//! list, and `salesplan alerts`.

use crate::access::{Action, Actor};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::stock::alerts::{self as stock_alerts, StockAlert};
use crate::watch::{self, Alert};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AlertCentre {
    /// Files that could not be imported, unread, newest first.
    pub files: Vec<Alert>,
    /// Stock alerts, read ones included (`read`).
    pub stock: Vec<StockAlert>,
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
    let unread = files.len() + stock.iter().filter(|alert| !alert.read).count();
    Ok(AlertCentre {
        files,
        stock,
        unread,
    })
}

/// Marks an alert read, whichever kind its id names (a file alert meant for
/// someone else is refused as theirs; an id of nothing is not found).
pub fn mark_read(ledger: &mut Ledger, actor: &Actor, id: Uuid) -> Result<()> {
    if actor.scope_for(Action::ViewStock).is_ok() && stock_alerts::mark_read(ledger, actor, id)? {
        return Ok(());
    }
    watch::dismiss_alert(ledger, actor, id)
}
