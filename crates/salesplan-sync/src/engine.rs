//! One sync: read head office's feed, push what this laptop did, read again
//! (head office's answers and merged values). The ledger is held only while a
//! page is applied or a batch prepared, never during a request, so the app
//! stays responsive. A dropped connection at any point is safe: a batch sent
//! again is a replay, a page not stored comes again.

use crate::http::{Fault, Transport};
use salesplan_core::Ledger;
use salesplan_core::sync::protocol::MAX_PAGE;
use salesplan_core::sync::state;
use std::sync::Mutex;
use uuid::Uuid;

/// Access to the open ledger, for the moment a step needs it.
pub trait LedgerHandle {
    fn with<T>(
        &self,
        work: impl FnOnce(&mut Ledger) -> salesplan_core::Result<T>,
    ) -> salesplan_core::Result<T>;
}

impl LedgerHandle for Mutex<Ledger> {
    fn with<T>(
        &self,
        work: impl FnOnce(&mut Ledger) -> salesplan_core::Result<T>,
    ) -> salesplan_core::Result<T> {
        let mut ledger = self.lock().map_err(|_| {
            salesplan_core::Error::Sync(
                "the ledger is unavailable after a crash in another task".into(),
            )
        })?;
        work(&mut ledger)
    }
}

impl LedgerHandle for std::cell::RefCell<&mut Ledger> {
    fn with<T>(
        &self,
        work: impl FnOnce(&mut Ledger) -> salesplan_core::Result<T>,
    ) -> salesplan_core::Result<T> {
        work(&mut self.borrow_mut())
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// Changes sent and applied at head office.
    pub pushed: usize,
    /// Changes sent and refused (now in the conflicts list).
    pub rejected: usize,
    /// Changes received and applied here.
    pub pulled: usize,
    /// Changes received that this ledger could not take, with why.
    pub skipped: Vec<String>,
    /// Head office was restored from a backup and its feed was read again.
    pub restarted: bool,
    /// Records removed here after a restore: head office no longer holds them.
    pub removed: usize,
    /// Changes that stay on this laptop for now, by reason.
    pub staying: Vec<salesplan_core::sync::Staying>,
}

impl Report {
    /// What a sync did, in words: the counts, a restore met, what was not applied here.
    pub fn summary(&self) -> String {
        let mut words = format!(
            "{} sent, {} refused, {} received",
            self.pushed, self.rejected, self.pulled
        );
        if self.restarted {
            words.push_str(&format!(
                "; head office was restored from a backup: its changes were read again, what it lacked was sent again, and {} records it no longer holds were removed here",
                self.removed
            ));
        }
        if !self.skipped.is_empty() {
            words.push_str(&format!(
                "; {} changes from head office set aside here (see the conflicts list)",
                self.skipped.len()
            ));
        }
        let staying: i64 = self.staying.iter().map(|group| group.changes).sum();
        if staying > 0 {
            words.push_str(&format!("; {staying} changes stay on this laptop for now"));
        }
        words
    }
}

/// Why a sync stopped.
#[derive(Debug)]
pub enum Stop {
    Fault(Fault),
    Ledger(salesplan_core::Error),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Fault(fault) => fault.fmt(f),
            Stop::Ledger(error) => error.fmt(f),
        }
    }
}

impl From<Fault> for Stop {
    fn from(fault: Fault) -> Stop {
        Stop::Fault(fault)
    }
}

impl From<salesplan_core::Error> for Stop {
    fn from(error: salesplan_core::Error) -> Stop {
        Stop::Ledger(error)
    }
}

/// Syncs once as `user_id` (head office's id of the signed-in user), and
/// records the outcome for the status bar.
pub fn sync_once(
    ledger: &impl LedgerHandle,
    transport: &dyn Transport,
    token: &str,
    user_id: Uuid,
) -> Result<Report, Stop> {
    let outcome = run(ledger, transport, token, user_id);
    let error = outcome.as_ref().err().map(ToString::to_string);
    ledger.with(|ledger| state::note_outcome(ledger, error.as_deref()))?;
    outcome
}

fn run(
    ledger: &impl LedgerHandle,
    transport: &dyn Transport,
    token: &str,
    user_id: Uuid,
) -> Result<Report, Stop> {
    let mut report = Report::default();
    // A restored head office can be met more than once in one sync; twice is plenty.
    for _ in 0..3 {
        match round(ledger, transport, token, user_id, &mut report) {
            Err(Stop::Fault(Fault::Gone(_))) => {
                report.restarted = true;
                continue;
            }
            other => return other.map(|()| report),
        }
    }
    Err(Stop::Fault(Fault::Gone(
        "head office keeps changing its epoch; try again later".into(),
    )))
}

fn round(
    ledger: &impl LedgerHandle,
    transport: &dyn Transport,
    token: &str,
    user_id: Uuid,
    report: &mut Report,
) -> Result<(), Stop> {
    let health = transport.health()?;
    let Some(epoch) = health.epoch else {
        return Err(Stop::Fault(Fault::Refused {
            status: 503,
            message: "head office holds no company yet".into(),
        }));
    };
    let (held, _) = ledger.with(|ledger| state::position(ledger))?;
    if held.is_none()
        && let (Some(name), Some(currency)) = (&health.company_name, &health.currency)
    {
        ledger.with(|ledger| state::check_company(ledger, name, currency))?;
    }
    if held != Some(epoch) {
        report.restarted |= held.is_some();
        ledger.with(|ledger| state::restart_feed(ledger, epoch))?;
    }
    // Restored from a backup: send again whatever head office no longer holds.
    // Asked on every sync until the feed is read again, so a connection lost
    // right after the epoch changed cannot skip it.
    if ledger.with(|ledger| state::rereading(ledger))? {
        let probe = ledger.with(|ledger| state::probe(ledger))?;
        let holds = transport.push(token, &probe)?.last_mutation_id;
        ledger.with(|ledger| state::resend_from(ledger, holds + 1))?;
    }
    pull(ledger, transport, token, user_id, epoch, report)?;
    push(ledger, transport, token, user_id, report)?;
    pull(ledger, transport, token, user_id, epoch, report)?;
    report.staying = ledger.with(|ledger| state::staying(ledger))?;
    // Stock availability, summed at head office from what every laptop sent:
    // one that holds only its own sales cannot sum it. A head office too old
    // to know it answers 404: the last levels kept stay.
    match transport.availability(token) {
        Ok(availability) => {
            ledger.with(|ledger| state::keep_availability(ledger, &availability))?
        }
        Err(Fault::Refused { status: 404, .. }) => {}
        Err(fault) => return Err(Stop::Fault(fault)),
    }
    Ok(())
}

fn pull(
    ledger: &impl LedgerHandle,
    transport: &dyn Transport,
    token: &str,
    user_id: Uuid,
    epoch: Uuid,
    report: &mut Report,
) -> Result<(), Stop> {
    loop {
        let (_, cursor) = ledger.with(|ledger| state::position(ledger))?;
        let page = transport.pull(token, epoch, cursor, MAX_PAGE)?;
        let applied = ledger.with(|ledger| state::apply(ledger, user_id, &page))?;
        report.pulled += applied.changes;
        report.skipped.extend(applied.skipped);
        report.removed += applied.removed;
        if !page.more {
            return Ok(());
        }
    }
}

fn push(
    ledger: &impl LedgerHandle,
    transport: &dyn Transport,
    token: &str,
    user_id: Uuid,
    report: &mut Report,
) -> Result<(), Stop> {
    // A gap answered twice for the same id would be answered forever: stop instead.
    let mut last_gap = None;
    while let Some(request) = ledger.with(|ledger| state::next_push(ledger, user_id))? {
        match transport.push(token, &request) {
            Ok(response) => {
                ledger.with(|ledger| state::answered(ledger, &response))?;
                for result in &response.results {
                    match result.outcome {
                        salesplan_core::sync::protocol::Outcome::Applied => report.pushed += 1,
                        salesplan_core::sync::protocol::Outcome::Rejected { .. } => {
                            report.rejected += 1
                        }
                    }
                }
            }
            Err(Fault::Gap { expected }) if last_gap != Some(expected) => {
                last_gap = Some(expected);
                ledger.with(|ledger| state::resend_from(ledger, expected))?;
            }
            Err(fault) => return Err(Stop::Fault(fault)),
        }
    }
    Ok(())
}
