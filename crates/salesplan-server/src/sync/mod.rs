//! Push and pull (DESIGN §5).
//!
//! Push: a batch is checked whole first (size, entity kinds, the user named,
//! the clock) and each change parsed into its type, then applied in one
//! transaction: each new mutation is decided by the domain's own rules
//! (`decide.rs`: the record's scope computed from the record, before and
//! after, references, the budget workflow, closed months) and merged — plain
//! fields last-writer-wins by (HLC, client id), facts only ever added (and kept
//! once, as their change in the feed) — and its
//! answer is kept, so a replay gets the same answers. Feed appends are
//! serialised by a transaction-scoped advisory lock, so the feed's order is its
//! commit order and a reader never sees a later change before an earlier one.
//!
//! Pull: the changes after a cursor whose scope the user may view, in pages.

use crate::api::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use batch::Batch;
use deadpool_postgres::Transaction;
use decide::rejected;
use salesplan_domain::access::{Action, Actor, Role};
use salesplan_domain::changes::{self, Change};
use salesplan_domain::clock::Hlc;
use salesplan_domain::entity::{ChangeKind, Entity};
use salesplan_domain::sync::protocol::{
    FeedChange, Gap, MAX_BATCH, MAX_CLOCK_AHEAD_MS, MAX_PAGE, MAX_PAGE_BYTES, Mutation,
    MutationResult, Outcome, PullResponse, PushRequest, PushResponse, SCHEMA_VERSION, ScopeFacts,
};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

mod batch;
mod decide;
mod documents;
mod purchasing;
mod transfers;

pub(crate) use decide::record_columns;

/// Serialises appends to the feed (any number of server processes share it).
pub(crate) const FEED_LOCK: i64 = 0x5a1e_5b1a;

pub(crate) fn actor_of(session: &Session) -> Actor {
    Actor {
        id: session.user.id,
        username: session.user.username.clone(),
        display_name: session.user.display_name.clone(),
        role: Role::parse(&session.user.role).unwrap_or(Role::Salesman),
        department_id: session.user.department_id,
        location_id: session.user.location_id,
    }
}

async fn check_epoch(state: &AppState, epoch: Uuid) -> Result<Uuid, ApiError> {
    let current = state.epoch().await?;
    if current != epoch.to_string() {
        return Err(ApiError::new(
            StatusCode::GONE,
            format!(
                "the server's epoch is {current}, not {epoch}: it was restored from a backup; bootstrap again and re-push what it lacks"
            ),
        ));
    }
    Ok(epoch)
}

/// A mutation that passed the batch checks.
struct Checked<'a> {
    mutation: &'a Mutation,
    entity: Entity,
    kind: ChangeKind,
    hlc: Hlc,
    /// The change parsed into its type, or why it does not parse.
    change: Result<Change, String>,
}

fn check_batch<'a>(
    request: &'a PushRequest,
    session: &Session,
) -> Result<Vec<Checked<'a>>, ApiError> {
    let count = request.mutations.len();
    if count > MAX_BATCH {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a push holds at most {MAX_BATCH} mutations; this one holds {count}"),
        ));
    }
    let now_ms = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis()),
    )
    .unwrap_or(i64::MAX);
    let mut checked = Vec::with_capacity(count);
    for (at, mutation) in request.mutations.iter().enumerate() {
        let id = mutation.mutation_id;
        if id < 1 {
            return Err(ApiError::bad_request(format!(
                "mutation ids count from 1; this one is {id}"
            )));
        }
        if let Some(previous) = at.checked_sub(1).map(|p| request.mutations[p].mutation_id)
            && previous.checked_add(1) != Some(id)
        {
            return Err(ApiError::bad_request(format!(
                "mutation ids must follow one another: {id} comes after {previous}"
            )));
        }
        let entity = Entity::parse(&mutation.entity).ok_or_else(|| {
            ApiError::bad_request(format!(
                "mutation {id}: unknown entity '{}'",
                mutation.entity
            ))
        })?;
        let kind = ChangeKind::parse(&mutation.kind).ok_or_else(|| {
            ApiError::bad_request(format!(
                "mutation {id}: unknown kind of change '{}'",
                mutation.kind
            ))
        })?;
        if mutation.user_id != session.user.id {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "mutation {id} names user {}, but this token is {}'s; nothing was applied",
                    mutation.user_id, session.user.username
                ),
            ));
        }
        if mutation.schema_version < SCHEMA_VERSION - 1 {
            return Err(ApiError::new(
                StatusCode::UPGRADE_REQUIRED,
                format!(
                    "upgrade_required: mutation {id} comes from ledger schema {}, and this server takes {} or newer; update Salesplan on this laptop (it can still receive changes)",
                    mutation.schema_version,
                    SCHEMA_VERSION - 1
                ),
            ));
        }
        let hlc = Hlc::parse(&mutation.hlc).ok_or_else(|| {
            ApiError::bad_request(format!(
                "mutation {id}: '{}' is not a clock stamp",
                mutation.hlc
            ))
        })?;
        if hlc.wall_ms > now_ms + MAX_CLOCK_AHEAD_MS {
            return Err(ApiError::bad_request(format!(
                "mutation {id}: its clock is {} minutes ahead of the server's; set the laptop's clock right",
                (hlc.wall_ms - now_ms) / 60_000
            )));
        }
        checked.push(Checked {
            mutation,
            entity,
            kind,
            hlc,
            change: changes::parse(entity, kind, mutation.entity_id, &mutation.payload)
                .map_err(|refusal| refusal.to_string()),
        });
    }
    Ok(checked)
}

#[utoipa::path(post, path = "/sync/push",
    request_body(content = Object, description = "PushRequest: client_id, epoch, mutations (see salesplan_domain::sync::protocol)"),
    responses(
        (status = 200, description = "PushResponse: applied or rejected(reason) per mutation; a replay gets the stored answers"),
        (status = 400, body = crate::error::ErrorBody, description = "a malformed batch: body not JSON, unknown entity, bad clock stamp, clock far ahead, ids not consecutive"),
        (status = 401, body = crate::error::ErrorBody, description = "no token, or an unknown, expired or revoked one"),
        (status = 403, body = crate::error::ErrorBody, description = "a mutation names another user, or the laptop is another user's"),
        (status = 409, description = "Gap: the server expects an earlier mutation id first"),
        (status = 410, body = crate::error::ErrorBody, description = "the server was restored from a backup: bootstrap again"),
        (status = 413, body = crate::error::ErrorBody, description = "more than 1,000 mutations, or a body over 8 MiB"),
        (status = 415, body = crate::error::ErrorBody, description = "the body is not sent as application/json"),
        (status = 422, body = crate::error::ErrorBody, description = "JSON that is not a PushRequest (a field missing or of another type)"),
        (status = 426, body = crate::error::ErrorBody, description = "the laptop's ledger schema is too old to push: update Salesplan"),
    ),
    security(("bearer" = [])))]
pub async fn push(
    State(state): State<AppState>,
    session: Session,
    request: Result<Json<PushRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) = request?;
    check_epoch(&state, request.epoch).await?;
    let checked = check_batch(&request, &session)?;
    let actor = actor_of(&session);
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    let registered = tx
        .query_opt(
            &tx.prepare_cached(
                "SELECT user_id, last_mutation_id FROM clients WHERE client_id = $1 FOR UPDATE",
            )
            .await?,
            &[&request.client_id],
        )
        .await?;
    let last = match registered {
        Some(row) => {
            let owner: Uuid = row.get(0);
            if owner != actor.id {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "this laptop's changes belong to another user; sign in as them, or reset the laptop",
                ));
            }
            row.get::<_, i64>(1)
        }
        None => {
            tx.execute(
                &tx.prepare_cached("INSERT INTO clients (client_id, user_id) VALUES ($1, $2)")
                    .await?,
                &[&request.client_id, &actor.id],
            )
            .await?;
            0
        }
    };
    if let Some(first) = checked.first().map(|c| c.mutation.mutation_id)
        && first > last + 1
    {
        let gap = Gap {
            error: format!(
                "mutation {first} arrived, but the server holds up to {last}: send from {}",
                last + 1
            ),
            expected_mutation_id: last + 1,
        };
        return Ok((StatusCode::CONFLICT, Json(gap)).into_response());
    }
    // A replay: an id this client sent before, or an op another copy of this ledger sent.
    let answered = stored_outcomes(&tx, &checked).await?;
    tx.execute(
        &tx.prepare_cached("SELECT pg_advisory_xact_lock($1)")
            .await?,
        &[&FEED_LOCK],
    )
    .await?;
    // Replays' records too: a refusal answered again carries the record as
    // head office holds it now, not as it was when the change was refused.
    let mut batch =
        Batch::load(&tx, request.client_id, &checked.iter().collect::<Vec<_>>()).await?;
    let mut results = Vec::with_capacity(checked.len());
    let mut highest = last;
    for one in &checked {
        let mutation = one.mutation;
        let replay = answered.get(&mutation.op_uuid);
        let outcome = if let Some(stored) = replay {
            highest = highest.max(mutation.mutation_id);
            stored.clone()
        } else if mutation.mutation_id <= last {
            rejected("the server has no record of this mutation")
        } else {
            let outcome = batch.apply(&actor, one);
            batch.answer(mutation, &outcome);
            highest = highest.max(mutation.mutation_id);
            outcome
        };
        // A replay's record may have moved on while the laptop held its change
        // back from the feed: it takes the record as head office holds it now.
        let current = match outcome {
            Outcome::Applied if replay.is_none() => None,
            _ => batch.current(&actor, one),
        };
        let missing = matches!(outcome, Outcome::Rejected { .. })
            && one.kind == ChangeKind::Updated
            && !batch
                .records
                .contains_key(&batch::key(one.entity, mutation.entity_id));
        results.push(MutationResult {
            mutation_id: mutation.mutation_id,
            op_uuid: mutation.op_uuid,
            outcome,
            current,
            missing,
        });
    }
    batch.write(&tx, request.client_id).await?;
    tx.execute(
        &tx.prepare_cached("UPDATE clients SET last_mutation_id = $2 WHERE client_id = $1")
            .await?,
        &[&request.client_id, &highest],
    )
    .await?;
    tx.commit().await?;
    Ok(Json(PushResponse {
        results,
        last_mutation_id: highest,
    })
    .into_response())
}

/// The answers given before to the batch's ops that head office already holds.
async fn stored_outcomes(
    tx: &Transaction<'_>,
    checked: &[Checked<'_>],
) -> Result<HashMap<Uuid, Outcome>, tokio_postgres::Error> {
    let ops: Vec<Uuid> = checked.iter().map(|one| one.mutation.op_uuid).collect();
    let rows = tx
        .query(
            &tx.prepare_cached("SELECT op_uuid, outcome FROM mutations WHERE op_uuid = ANY($1)")
                .await?,
            &[&ops],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| {
            let outcome = serde_json::from_value(row.get(1)).unwrap_or(Outcome::Applied);
            (row.get::<_, Uuid>(0), outcome)
        })
        .collect())
}

#[derive(Debug, Deserialize)]
pub struct PullQuery {
    pub epoch: Uuid,
    #[serde(default)]
    pub cursor: i64,
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/sync/pull",
    params(
        ("epoch" = String, Query, description = "the server epoch the laptop holds"),
        ("cursor" = Option<i64>, Query, description = "the cursor of the last page applied (0 at first)"),
        ("limit" = Option<i64>, Query, description = "changes per page, at most 5,000"),
    ),
    responses(
        (status = 200, description = "PullResponse: the changes in the user's scope after the cursor, the new cursor, more"),
        (status = 400, body = crate::error::ErrorBody, description = "a query without an epoch, or with values that are not numbers"),
        (status = 401, body = crate::error::ErrorBody, description = "no token, or an unknown, expired or revoked one"),
        (status = 410, body = crate::error::ErrorBody, description = "the server was restored from a backup: bootstrap again"),
    ),
    security(("bearer" = [])))]
pub async fn pull(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let epoch = check_epoch(&state, query.epoch).await?;
    let actor = actor_of(&session);
    let limit = query.limit.unwrap_or(1_000).clamp(1, MAX_PAGE);
    let client = state.pool.get().await?;
    // Who may see each change first; only the visible ones' payloads are read.
    let rows = client
        .query(&client.prepare_cached("SELECT seq, view_action, owner_id, department_id, location_id, pg_column_size(payload),
                    other_location_id
             FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2").await?,
            &[&query.cursor, &(limit + 1)],
        )
        .await?;
    if rows.is_empty() && query.cursor > 0 {
        let last: i64 = client
            .query_one(
                &client
                    .prepare_cached("SELECT coalesce(max(seq), 0) FROM changes")
                    .await?,
                &[],
            )
            .await?
            .get(0);
        if query.cursor > last {
            return Err(ApiError::new(
                StatusCode::GONE,
                format!(
                    "the laptop has read the feed up to {}, but this server's feed ends at {last}: it was restored from a backup; read it again from the start and re-push",
                    query.cursor
                ),
            ));
        }
    }
    let mut more = rows.len() as i64 > limit;
    let mut cursor = query.cursor;
    let mut visible = Vec::new();
    let mut bytes = 0_usize;
    for row in rows
        .iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
    {
        let view: Option<Action> = serde_json::from_value(Value::String(row.get(1))).ok();
        let scope = ScopeFacts {
            owner_id: row.get(2),
            department_id: row.get(3),
            location_id: row.get(4),
            other_location_id: row.get(6),
        };
        if view.is_some_and(|view| scope.allows(&actor, view)) {
            // A page of receipts is cut short by size: the laptop reads the rest next.
            bytes += usize::try_from(row.get::<_, i32>(5)).unwrap_or(0);
            if bytes > MAX_PAGE_BYTES && !visible.is_empty() {
                more = true;
                break;
            }
            visible.push(row.get::<_, i64>(0));
        }
        cursor = row.get(0);
    }
    let changes = if visible.is_empty() {
        Vec::new()
    } else {
        client
            .query(&client.prepare_cached("SELECT seq, entity, entity_id, kind, payload, hlc, client_id, op_uuid, user_id
                 FROM changes WHERE seq = ANY($1) ORDER BY seq").await?,
                &[&visible],
            )
            .await?
            .iter()
            .map(|row| FeedChange {
                seq: row.get(0),
                entity: row.get(1),
                entity_id: row.get(2),
                kind: row.get(3),
                payload: row.get(4),
                hlc: row.get(5),
                client_id: row.get(6),
                op_uuid: row.get(7),
                user_id: Some(row.get(8)),
            })
            .collect()
    };
    Ok(Json(PullResponse {
        epoch,
        changes,
        cursor,
        more,
    }))
}
