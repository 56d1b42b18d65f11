//! The laptop's sync state: which server and account it syncs with, where it
//! is in head office's feed, what waits to be sent and what was refused.
//! This is the laptop's own bookkeeping: it is not a change of the company's
//! data, so it is written without a change record.

use super::apply::{Applied, apply_page};
use super::protocol::{MAX_BATCH, PullResponse, PushRequest, PushResponse};
use super::queue;
use crate::access::{Actor, Role};
use crate::error::{Error, Result};
use crate::ledger::{ChangeKind, Entity, Ledger};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// Where this laptop syncs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Connection {
    pub server_url: String,
    pub username: String,
}

/// What the status bar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub connection: Option<Connection>,
    /// Changes made here that head office has not answered yet.
    #[ts(type = "number")]
    pub pending: i64,
    /// Changes head office refused (the conflicts list).
    #[ts(type = "number")]
    pub rejected: i64,
    /// Changes that stay on this laptop for now, by reason (`staying`).
    pub staying: Vec<super::Staying>,
    /// Changes from head office this ledger could not take (`set_aside`).
    #[ts(type = "number")]
    pub set_aside: i64,
    pub last_push_at: Option<String>,
    pub last_pull_at: Option<String>,
    /// The last failure, when it came after the last success.
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
}

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

/// A change head office refused, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Conflict {
    #[ts(type = "number")]
    pub seq: i64,
    pub entity: Entity,
    pub entity_id: Uuid,
    pub kind: String,
    pub reason: String,
    pub answered_at: String,
    /// When the change was made here.
    pub recorded_at: String,
    #[ts(type = "Record<string, unknown>")]
    pub payload: serde_json::Value,
    /// The edit's other refused changes (an import's rows, a close's snapshot values).
    #[ts(type = "number")]
    pub more: i64,
}

pub fn connection(ledger: &Ledger) -> Result<Option<Connection>> {
    Ok(ledger
        .conn()
        .query_row(
            "SELECT server_url, username FROM sync_state WHERE id = 1 AND server_url IS NOT NULL",
            [],
            |row| {
                Ok(Connection {
                    server_url: row.get(0)?,
                    username: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                })
            },
        )
        .optional()?)
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
    Ok(ledger
        .conn()
        .query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |row| row.get(0))?)
}

/// The head-office address a sync last succeeded with.
pub fn confirmed_url(ledger: &Ledger) -> Result<Option<String>> {
    Ok(ledger.conn().query_row(
        "SELECT confirmed_url FROM sync_state WHERE id = 1",
        [],
        |row| row.get(0),
    )?)
}

/// A sync succeeded with the address the ledger holds: it is the confirmed one.
pub fn confirm_url(ledger: &mut Ledger) -> Result<()> {
    ledger.write(None, |write| {
        write.conn().execute(
            "UPDATE sync_state SET confirmed_url = server_url WHERE id = 1",
            [],
        )?;
        Ok(())
    })
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
    if username.trim().is_empty() {
        return Err(Error::invalid("username", "is required"));
    }
    ledger.write(None, |write| {
        write.conn().execute(
            "UPDATE sync_state SET
                 cursor = CASE WHEN server_url IS ?1 THEN cursor ELSE 0 END,
                 epoch = CASE WHEN server_url IS ?1 THEN epoch ELSE NULL END,
                 recheck_staying = CASE WHEN username IS ?2 THEN recheck_staying ELSE 1 END,
                 server_url = ?1, username = ?2
             WHERE id = 1",
            params![url, username.trim()],
        )?;
        Ok(())
    })?;
    Ok(Connection {
        server_url: url.to_owned(),
        username: username.trim().to_owned(),
    })
}

/// The local account of the user this laptop syncs as.
pub fn connected_user(ledger: &Ledger) -> Result<Option<Uuid>> {
    let id: Option<String> = ledger
        .conn()
        .query_row(
            "SELECT u.id FROM users u JOIN sync_state s ON s.id = 1 AND u.username = s.username",
            [],
            |row| row.get(0),
        )
        .optional()?;
    Ok(id.and_then(|id| Uuid::parse_str(&id).ok()))
}

/// Where sync stands, for the account this laptop syncs as.
pub fn status(ledger: &Ledger) -> Result<SyncStatus> {
    let conn = ledger.conn();
    let user = connected_user(ledger)?.unwrap_or_default();
    // One edit is one: an import's rows or a close's snapshot values count once.
    let counts = |status: &str| -> Result<i64> {
        Ok(conn.query_row(
            "SELECT count(DISTINCT outbox_id) FROM sync_queue WHERE status = ?1 AND user_id = ?2",
            params![status, user.to_string()],
            |row| row.get(0),
        )?)
    };
    // Changes not queued yet are pending too.
    let mut unqueued = 0;
    let mut query = conn.prepare(
        "SELECT o.entity, o.kind, count(*) FROM outbox o, sync_state s
         WHERE s.id = 1 AND o.mutation_id > s.queued_through AND o.user_id = ?1
         GROUP BY o.entity, o.kind",
    )?;
    let groups = query.query_map([user.to_string()], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
        ))
    })?;
    for group in groups {
        let (entity, kind, count) = group?;
        if let (Some(entity), Some(kind)) = (Entity::parse(&entity), ChangeKind::parse(&kind))
            && queue::is_sent(entity, kind)
        {
            unqueued += count;
        }
    }
    let (last_push_at, last_pull_at, last_error, last_error_at) = conn.query_row(
        "SELECT last_push_at, last_pull_at, last_error, last_error_at FROM sync_state WHERE id = 1",
        [],
        |row| {
            Ok((
                row.get::<_, Option<String>>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        },
    )?;
    Ok(SyncStatus {
        connection: connection(ledger)?,
        pending: counts("pending")? + unqueued,
        rejected: counts("rejected")?,
        staying: staying(ledger)?,
        set_aside: conn.query_row("SELECT count(*) FROM sync_set_aside", [], |row| row.get(0))?,
        last_push_at,
        last_pull_at,
        last_error,
        last_error_at,
    })
}

/// What stays on this laptop for now, by reason.
pub fn staying(ledger: &Ledger) -> Result<Vec<super::Staying>> {
    super::staying::list(ledger.conn())
}

/// The edits head office refused, newest first: each by its first refused change.
pub fn conflicts(ledger: &Ledger, limit: u32) -> Result<Vec<Conflict>> {
    let user = connected_user(ledger)?.unwrap_or_default();
    let mut query = ledger.conn().prepare(
        "SELECT q.seq, q.entity, q.entity_id, q.kind, q.reason, q.answered_at, o.recorded_at, q.payload, r.refused - 1
         FROM (SELECT min(seq) AS seq, count(*) AS refused FROM sync_queue
               WHERE status = 'rejected' AND user_id = ?1 GROUP BY outbox_id) r
         JOIN sync_queue q ON q.seq = r.seq JOIN outbox o ON o.mutation_id = q.outbox_id
         ORDER BY q.seq DESC LIMIT ?2",
    )?;
    let rows = query.query_map(params![user.to_string(), limit], |row| {
        Ok(Conflict {
            seq: row.get(0)?,
            entity: crate::ledger::columns::parsed(row, 1, "entity", Entity::parse)?,
            entity_id: crate::ledger::columns::uuid(row, 2)?,
            kind: row.get(3)?,
            reason: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
            answered_at: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
            recorded_at: row.get(6)?,
            payload: serde_json::from_str(&row.get::<_, String>(7)?)
                .unwrap_or(serde_json::Value::Null),
            more: row.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A change from head office this ledger could not take, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SetAside {
    /// Its place in head office's feed.
    #[ts(type = "number")]
    pub seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    pub kind: String,
    pub reason: String,
    pub set_aside_at: String,
    #[ts(type = "unknown")]
    pub payload: serde_json::Value,
}

/// The changes from head office set aside here, newest first.
pub fn set_aside(ledger: &Ledger, limit: u32) -> Result<Vec<SetAside>> {
    let mut query = ledger.conn().prepare(
        "SELECT seq, entity, entity_id, kind, reason, set_aside_at, payload FROM sync_set_aside
         ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = query.query_map([limit], |row| {
        Ok(SetAside {
            seq: row.get(0)?,
            entity: row.get(1)?,
            entity_id: crate::ledger::columns::uuid(row, 2)?,
            kind: row.get(3)?,
            reason: row.get(4)?,
            set_aside_at: row.get(5)?,
            payload: crate::ledger::columns::json(row, 6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Where this ledger is in head office's feed: the epoch it bootstrapped from and the cursor.
pub fn position(ledger: &Ledger) -> Result<(Option<Uuid>, i64)> {
    Ok(ledger.conn().query_row(
        "SELECT epoch, cursor FROM sync_state WHERE id = 1",
        [],
        |row| {
            let epoch: Option<String> = row.get(0)?;
            Ok((
                epoch.and_then(|epoch| Uuid::parse_str(&epoch).ok()),
                row.get(1)?,
            ))
        },
    )?)
}

/// Head office has another epoch (it was restored, or this is the first
/// sync): read its feed again from the beginning.
pub fn restart_feed(ledger: &mut Ledger, epoch: Uuid) -> Result<()> {
    ledger.write(None, |write| {
        super::sweep::begin(write.conn())?;
        write.conn().execute(
            "UPDATE sync_state SET epoch = ?1, cursor = 0 WHERE id = 1",
            [epoch.to_string()],
        )?;
        Ok(())
    })
}

/// A ledger belongs to one company: before it first reads a head office's feed
/// (nothing has been sent or received yet), its company must be the one head
/// office keeps (`name`, `currency`). A new, empty ledger has none and takes
/// head office's.
pub fn check_company(ledger: &Ledger, name: &str, currency: &str) -> Result<()> {
    let Some(settings) = crate::ledger::settings::get(ledger.conn())? else {
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
    super::sweep::active(ledger.conn())
}

/// The next batch to push, with everything the user did since the last one queued first.
pub fn next_push(ledger: &mut Ledger, user_id: Uuid) -> Result<Option<PushRequest>> {
    let mut request = probe(ledger)?;
    let schema_version = ledger.schema_version();
    request.mutations = ledger.write(None, |write| {
        queue::enqueue(write.conn(), user_id)?;
        queue::next_batch(write.conn(), MAX_BATCH, schema_version)
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
        queue::answer(write.conn(), &response.results)?;
        write.conn().execute(
            "UPDATE sync_state SET last_push_at = ?1 WHERE id = 1",
            [crate::timestamp::now_utc()],
        )?;
        Ok(())
    })
}

/// Head office expects this client's changes from `expected` on: send them (again).
pub fn resend_from(ledger: &mut Ledger, expected: i64) -> Result<()> {
    ledger.write(None, |write| queue::resend_from(write.conn(), expected))
}

/// Applies a page of head office's feed and its cursor in one transaction.
pub fn apply(ledger: &mut Ledger, user_id: Uuid, page: &PullResponse) -> Result<Applied> {
    apply_page(ledger, user_id, page)
}

/// Records a failed sync (the status bar shows it), or clears it after a good one.
pub fn note_outcome(ledger: &mut Ledger, error: Option<&str>) -> Result<()> {
    ledger.write(None, |write| {
        write.conn().execute(
            "UPDATE sync_state SET last_error = ?1,
                 last_error_at = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END WHERE id = 1",
            params![error, crate::timestamp::now_utc()],
        )?;
        Ok(())
    })
}

/// After signing in to head office with `password`, the same password signs
/// in on this laptop (head office's account is the one that counts). Only the
/// account this ledger syncs as: head office has just accepted its password.
pub fn adopt_password(ledger: &mut Ledger, password: &str) -> Result<()> {
    let Some(held) = connection(ledger)? else {
        return Err(Error::invalid(
            "password",
            "this ledger is not connected to head office: there is no account to take a password from",
        ));
    };
    let hash = crate::password::hash(password)?;
    ledger.write(None, |write| {
        write.conn().execute(
            "UPDATE users SET password_hash = ?2 WHERE username = ?1",
            params![held.username, hash],
        )?;
        Ok(())
    })
}
