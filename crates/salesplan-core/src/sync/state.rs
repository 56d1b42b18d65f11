//! The laptop's side of sync, as its users and the sync engine call it: which
//! server and account it syncs with (and who may change that), what to push
//! next, what head office answered, a page of its feed. The bookkeeping itself
//! is the ledger's (`ledger::replica`).

use super::protocol::{MAX_BATCH, PullResponse, PushRequest, PushResponse};
use crate::access::{Actor, Role};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
pub use crate::ledger::replica::Applied;
pub use crate::ledger::replica::state::{Conflict, Connection, SetAside, SyncStatus};
use crate::ledger::replica::{self, apply::apply_page, queue, state as stored, sweep};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// What the app's sync panel shows: the ledger's side and the running engine's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncOverview {
    pub status: SyncStatus,
    /// Head office answered the last attempt; `None` before the first one.
    pub online: Option<bool>,
    /// A sign-in to head office is held (in the keychain, or for this run without one).
    pub signed_in: bool,
    /// A sync is running now.
    pub syncing: bool,
    /// What the last sync did, in words.
    pub last_result: Option<String>,
    /// Notes for the user: no keychain here, a sign-in head office no longer honours.
    pub notes: Vec<String>,
}

pub fn connection(ledger: &Ledger) -> Result<Option<Connection>> {
    stored::connection(ledger.read())
}

/// Remembers the server and account. A different server starts the feed from its beginning.
/// Connects this ledger to head office as the user signed in here. A ledger
/// syncs as one account: only an administrator moves it to another.
pub fn connect(ledger: &mut Ledger, actor: &Actor, server_url: &str) -> Result<Connection> {
    if let Some(held) = connection(ledger)?
        && actor.role != Role::Administrator
    {
        let refused = |action: &str, hint: String| Error::Forbidden {
            action: action.into(),
            role: actor.role.label().to_owned(),
            scope_hint: hint,
            allowed: Role::Administrator.label().to_owned(),
        };
        if held.username != actor.username {
            return Err(refused(
                "Connecting this ledger to head office as another account",
                format!(" (it syncs as {})", held.username),
            ));
        }
        if held.server_url != tidy_url(server_url) {
            return Err(refused(
                "Moving this ledger's head-office connection",
                format!(" (it syncs with {})", held.server_url),
            ));
        }
    }
    store_connection(ledger, server_url, &actor.username)
}

/// A head-office address as the ledger stores it (trimmed, no trailing slash).
pub fn tidy_url(server_url: &str) -> &str {
    server_url.trim().trim_end_matches('/')
}

/// Whether the ledger has accounts of its own (a laptop joining head office
/// starts from an empty one, which anyone who signs in there may connect).
pub fn has_accounts(ledger: &Ledger) -> Result<bool> {
    stored::has_accounts(ledger.read())
}

/// The head-office address a sync last succeeded with.
pub fn confirmed_url(ledger: &Ledger) -> Result<Option<String>> {
    stored::confirmed_url(ledger.read())
}

/// A sync succeeded with the address the ledger holds: it is the confirmed one.
pub fn confirm_url(ledger: &mut Ledger) -> Result<()> {
    bookkeeping(ledger, |write| stored::confirm_url(write))
}

/// Connects a ledger without a signed-in user: a laptop joining head office
/// (a ledger with no accounts of its own, which anyone who signs in there may
/// connect), or the connection the ledger already holds, confirmed again.
/// Moving a ledger that has accounts to another address or account is its
/// administrator's ([`connect`]).
pub fn join(ledger: &mut Ledger, server_url: &str, username: &str) -> Result<Connection> {
    if let Some(held) = connection(ledger)?
        && has_accounts(ledger)?
        && (held.server_url != tidy_url(server_url) || held.username != username.trim())
    {
        return Err(Error::Forbidden {
            action: "Moving this ledger's head-office connection".into(),
            role: "user who has not signed in on this laptop".into(),
            scope_hint: format!(" (it syncs with {} as {})", held.server_url, held.username),
            allowed: Role::Administrator.label().to_owned(),
        });
    }
    store_connection(ledger, server_url, username)
}

/// Stores where this ledger syncs (the address tidied); answers it as stored.
fn store_connection(ledger: &mut Ledger, server_url: &str, username: &str) -> Result<Connection> {
    let url = tidy_url(server_url);
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Error::invalid(
            "server",
            format!("'{server_url}' is not a server address: write it as https://host[:port]"),
        ));
    }
    let username = username.trim();
    if username.is_empty() {
        return Err(Error::invalid("username", "is required"));
    }
    bookkeeping(ledger, |write| {
        stored::store_connection(write, url, username)
    })?;
    Ok(Connection {
        server_url: url.to_owned(),
        username: username.to_owned(),
    })
}

/// The local account of the user this laptop syncs as.
pub fn connected_user(ledger: &Ledger) -> Result<Option<Uuid>> {
    stored::connected_user(ledger.read())
}

/// Where sync stands, for the account this laptop syncs as.
pub fn status(ledger: &Ledger) -> Result<SyncStatus> {
    stored::status(ledger.read())
}

/// What stays on this laptop for now, by reason.
pub fn staying(ledger: &Ledger) -> Result<Vec<replica::Staying>> {
    replica::staying::list(ledger.read())
}

/// The edits head office refused, newest first: each by its first refused change.
pub fn conflicts(ledger: &Ledger, limit: u32) -> Result<Vec<Conflict>> {
    stored::conflicts(ledger.read(), limit)
}

/// The changes from head office set aside here, newest first.
pub fn set_aside(ledger: &Ledger, limit: u32) -> Result<Vec<SetAside>> {
    stored::set_aside(ledger.read(), limit)
}

/// Where this ledger is in head office's feed: the epoch it bootstrapped from and the cursor.
pub fn position(ledger: &Ledger) -> Result<(Option<Uuid>, i64)> {
    stored::position(ledger.read())
}

/// Head office has another epoch (it was restored, or this is the first
/// sync): read its feed again from the beginning.
pub fn restart_feed(ledger: &mut Ledger, epoch: Uuid) -> Result<()> {
    bookkeeping(ledger, |write| stored::restart_feed(write, epoch))
}

/// A ledger belongs to one company: before it first reads a head office's feed
/// (nothing has been sent or received yet), its company must be the one head
/// office keeps (`name`, `currency`). A new, empty ledger has none and takes
/// head office's.
pub fn check_company(ledger: &Ledger, name: &str, currency: &str) -> Result<()> {
    let Some(settings) = crate::ledger::settings::get(ledger.read())? else {
        return Ok(());
    };
    let ours = &settings.company;
    let same_name = ours.company_name.trim().to_lowercase() == name.trim().to_lowercase();
    if same_name && ours.currency.eq_ignore_ascii_case(currency.trim()) {
        return Ok(());
    }
    Err(Error::Sync(format!(
        "this ledger belongs to {} ({}) and head office keeps {} ({}): nothing was sent; connect it to its own company's head office, or rename the company (`settings set`) if it is the same one",
        ours.company_name,
        ours.currency,
        name.trim(),
        currency.trim()
    )))
}

/// Whether head office's feed is being read again after it was restored from a backup.
pub fn rereading(ledger: &Ledger) -> Result<bool> {
    sweep::active(ledger.read())
}

/// The next batch to push, with everything the user did since the last one queued first.
pub fn next_push(ledger: &mut Ledger, user_id: Uuid) -> Result<Option<PushRequest>> {
    let mut request = probe(ledger)?;
    let schema_version = ledger.schema_version();
    request.mutations = bookkeeping(ledger, |write| {
        queue::enqueue(write, user_id)?;
        queue::next_batch(write.read(), MAX_BATCH, schema_version)
    })?;
    Ok((!request.mutations.is_empty()).then_some(request))
}

/// An empty push: head office answers the last change it holds from this
/// laptop (after a restore, what follows must be sent again).
pub fn probe(ledger: &Ledger) -> Result<PushRequest> {
    let (epoch, _) = position(ledger)?;
    Ok(PushRequest {
        client_id: ledger.client_id()?,
        epoch: epoch
            .ok_or_else(|| Error::Sync("this ledger has not read head office's feed yet".into()))?,
        mutations: vec![],
    })
}

/// Keeps head office's answers to a push.
pub fn answered(ledger: &mut Ledger, response: &PushResponse) -> Result<()> {
    ledger.write(None, |write| {
        queue::answer(write, &response.results)?;
        stored::note_push(write)
    })
}

/// Head office expects this client's changes from `expected` on: send them (again).
pub fn resend_from(ledger: &mut Ledger, expected: i64) -> Result<()> {
    bookkeeping(ledger, |write| queue::resend_from(write, expected))
}

/// Applies a page of head office's feed and its cursor in one transaction.
pub fn apply(ledger: &mut Ledger, user_id: Uuid, page: &PullResponse) -> Result<Applied> {
    apply_page(ledger, user_id, page)
}

/// Keeps head office's stock levels, what this laptop shows as availability.
pub fn keep_availability(
    ledger: &mut Ledger,
    availability: &crate::sync::protocol::Availability,
) -> Result<()> {
    ledger.write(None, |write| {
        crate::ledger::stock::keep_availability(write, availability)
    })
}

/// Records a failed sync (the status bar shows it), or clears it after a good one.
pub fn note_outcome(ledger: &mut Ledger, error: Option<&str>) -> Result<()> {
    bookkeeping(ledger, |write| stored::note_outcome(write, error))
}

/// After signing in to head office with `password`, the same password signs
/// in on this laptop (head office's account is the one that counts). Only the
/// account this ledger syncs as: head office has just accepted its password.
pub fn adopt_password(ledger: &mut Ledger, password: &str) -> Result<()> {
    if connection(ledger)?.is_none() {
        return Err(Error::invalid(
            "password",
            "this ledger is not connected to head office: there is no account to take a password from",
        ));
    }
    let hash = crate::password::hash(password)?;
    bookkeeping(ledger, |write| stored::adopt_password_hash(write, &hash))
}

/// A write of sync's own bookkeeping (the connection, the queue, the last
/// outcome): no figure changes, so what was worked out from them still holds.
fn bookkeeping<T>(
    ledger: &mut Ledger,
    body: impl FnOnce(&mut crate::ledger::Write<'_>) -> Result<T>,
) -> Result<T> {
    ledger.write(None, |write| {
        write.leaves_figures();
        body(write)
    })
}
