//! The home screen's digest: the figures that take long to work out on a big
//! ledger — the movers, the landing estimate, the forecast accuracy, the stock
//! alerts, the insights and the saved reports pinned to it — worked out
//! once for a user and kept (`home_digests`) until the ledger changes or the
//! day does. The screen shows a kept digest at once and says when it was
//! worked out and whether the ledger changed since; the app then works it out
//! again (after an import, a sync, a month close or any other write), and the
//! user can ask for it (`Refresh::Now`). A digest worked out for another role
//! or scope is never shown.

use super::{AccuracySummary, PinnedReport, StockSummary, WidgetProblem};
use crate::access::Actor;
use crate::error::{Error, Result};
use crate::forecast::Landing;
use crate::home::{Movers, Widget};
use crate::insights::Insight;
use crate::ledger::home::StoredDigest;
use crate::ledger::{self, Ledger};
use crate::timestamp::{Day, Timestamp};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// When the home screen works its digest out again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Only when none is kept for the widgets shown in this user's scope: a
    /// kept one is shown even when the ledger changed since (the app's first
    /// paint, which then asks for `Now` in the background).
    IfMissing,
    /// Also when the ledger or the day changed since it was worked out.
    IfStale,
    /// Always.
    Now,
}

/// When the digest shown was worked out, and whether it still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DigestStamp {
    pub computed_at: Timestamp,
    /// False when the ledger or the day changed since.
    pub current: bool,
}

/// Whether a digest holds a widget: all but the sales figures and the trend
/// (the ledger's sums as they stand, which a sale just entered must change at
/// once) and the approvals (what the user acts on next). Saved reports pinned
/// to the home are held, each as it ran.
pub(super) fn digested(widget: Widget) -> bool {
    !matches!(widget, Widget::Sales | Widget::Trend | Widget::Approvals)
}

/// A digest's figures, as kept.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Digest {
    /// The widgets worked out (each may have nothing to show: no sales yet).
    pub widgets: Vec<Widget>,
    pub movers: Option<Movers>,
    pub landing: Option<Landing>,
    pub accuracy: Option<AccuracySummary>,
    pub stock: Option<StockSummary>,
    pub insights: Option<Vec<Insight>>,
    #[serde(default)]
    pub reports: Vec<PinnedReport>,
}

/// The role, department and branch a digest is worked out for.
fn scope_of(actor: &Actor) -> String {
    let id = |id: Option<uuid::Uuid>| id.map(|id| id.to_string()).unwrap_or_default();
    format!(
        "{}/{}/{}",
        actor.role.key(),
        id(actor.department_id),
        id(actor.location_id)
    )
}

/// The digest for the `wanted` widgets: the kept one where `refresh` allows,
/// otherwise worked out by `work_out` (which reports the widgets it could
/// not) and kept. None when no digested widget is wanted.
pub(super) fn digest(
    ledger: &mut Ledger,
    actor: &Actor,
    today: Day,
    wanted: &[Widget],
    refresh: Refresh,
    work_out: impl FnOnce(&Ledger, &[Widget]) -> (Digest, Vec<WidgetProblem>),
) -> Result<Option<(Digest, DigestStamp, Vec<WidgetProblem>)>> {
    if wanted.is_empty() {
        return Ok(None);
    }
    let revision = ledger.revision()?;
    let scope = scope_of(actor);
    let kept = ledger::home::digest(ledger.read(), actor.id)?
        .filter(|kept| kept.scope == scope)
        .and_then(|kept| {
            // One kept by another version of the app that does not parse is worked out again.
            let digest: Digest = serde_json::from_str(&kept.figures).ok()?;
            Some((kept, digest))
        })
        .filter(|(_, digest)| wanted.iter().all(|widget| digest.widgets.contains(widget)));
    if let Some((kept, digest)) = kept {
        let current = kept.day == today && kept.revision == revision;
        if refresh == Refresh::IfMissing || (refresh == Refresh::IfStale && current) {
            let stamp = DigestStamp {
                computed_at: kept.computed_at,
                current,
            };
            return Ok(Some((digest, stamp, Vec::new())));
        }
    }
    let (digest, problems) = work_out(ledger, wanted);
    let stored = StoredDigest {
        scope,
        day: today,
        revision,
        computed_at: Timestamp::now(),
        figures: serde_json::to_string(&digest)
            .map_err(|error| Error::invalid("home digest", error.to_string()))?,
    };
    ledger.write(Some(actor), |write| {
        write.leaves_figures();
        ledger::home::put_digest(write, actor.id, &stored)
    })?;
    let stamp = DigestStamp {
        computed_at: stored.computed_at,
        current: true,
    };
    Ok(Some((digest, stamp, problems)))
}
