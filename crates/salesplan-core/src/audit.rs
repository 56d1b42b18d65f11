//! The audit trail: who changed what, when, read from the outbox. Administrators
//! read everyone's changes; every other role reads only their own.

use crate::access::{Action, Actor, Scope};
use crate::error::{Error, Result};
pub use crate::ledger::outbox::{AuditEntry, AuditFilter};
use crate::ledger::{self, Ledger};

pub fn list(ledger: &Ledger, actor: &Actor, filter: AuditFilter) -> Result<Vec<AuditEntry>> {
    let mut filter = filter;
    if let Some(since) = &filter.since {
        filter.since = Some(crate::timestamp::parse_instant(since).ok_or_else(|| {
            Error::invalid(
                "since",
                format!("'{since}' is not a date (YYYY-MM-DD) or an RFC 3339 instant"),
            )
        })?);
    }
    match actor.scope_for(Action::ViewAudit)? {
        Scope::All => {}
        _ => filter.user_id = Some(actor.id),
    }
    ledger::outbox::audit(ledger.conn(), &filter)
}
