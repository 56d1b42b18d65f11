//! Push and pull (DESIGN §5).
//!
//! Push: a batch is checked whole first (size, entity kinds, the user named,
//! the clock), then applied in one transaction: each new mutation is
//! authorised with the laptop's own rules (`salesplan_core::access`, the
//! record's scope before and after, the budget workflow) and merged — plain
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
use deadpool_postgres::Transaction;
use salesplan_core::access::{Action, Actor, Role, can};
use salesplan_core::ledger::{ChangeKind, Entity, Hlc};
use salesplan_core::sync::protocol::{
    FeedChange, Gap, MAX_BATCH, MAX_CLOCK_AHEAD_MS, MAX_PAGE, MAX_PAGE_BYTES, Mutation,
    MutationResult, Outcome, PullResponse, PushRequest, PushResponse, SCHEMA_VERSION, ScopeFacts,
};
use salesplan_core::sync::rules::{Travel, is_fact, travel, view_action, write_action};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// Serialises appends to the feed (any number of server processes share it).
pub(crate) const FEED_LOCK: i64 = 0x5a1e_5b1a;

fn actor_of(session: &Session) -> Actor {
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
        if let Some(previous) = at.checked_sub(1).map(|p| request.mutations[p].mutation_id)
            && id != previous + 1
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
        });
    }
    Ok(checked)
}

#[utoipa::path(post, path = "/sync/push",
    request_body(content = Object, description = "PushRequest: client_id, epoch, mutations (see salesplan_core::sync::protocol)"),
    responses(
        (status = 200, description = "PushResponse: applied or rejected(reason) per mutation; a replay gets the stored answers"),
        (status = 400, body = crate::error::ErrorBody, description = "a malformed batch: unknown entity, bad clock stamp, clock far ahead, ids not consecutive"),
        (status = 403, body = crate::error::ErrorBody, description = "a mutation names another user, or the laptop is another user's"),
        (status = 409, description = "Gap: the server expects an earlier mutation id first"),
        (status = 410, body = crate::error::ErrorBody, description = "the server was restored from a backup: bootstrap again"),
        (status = 413, body = crate::error::ErrorBody, description = "more than 1,000 mutations"),
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
        results.push(MutationResult {
            mutation_id: mutation.mutation_id,
            op_uuid: mutation.op_uuid,
            outcome,
            current,
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

/// A record's merged state on the server.
#[derive(Clone)]
struct Stored {
    scope: ScopeFacts,
    fields: Map<String, Value>,
    clocks: Map<String, Value>,
    version: i64,
    last_user_id: Option<Uuid>,
    /// The laptop that first sent the record.
    origin_client: Option<Uuid>,
}

type Key = (String, Uuid);

/// A push's records, loaded once and locked, changed in memory as each
/// mutation is decided, then written back in three statements.
struct Batch {
    client_id: Uuid,
    records: HashMap<Key, Stored>,
    /// Each closed month the batch names, and the close head office holds of it.
    closes: HashMap<String, Key>,
    dirty: Vec<Key>,
    feed: Vec<FeedRow>,
    answers: Vec<(i64, Uuid, Value)>,
}

struct FeedRow {
    entity: String,
    entity_id: Uuid,
    kind: String,
    payload: Value,
    hlc: String,
    op_uuid: Uuid,
    user_id: Uuid,
    view: String,
    scope: ScopeFacts,
}

/// A record read back: entity, id, scope, fields, clocks, version, last user, origin.
fn stored_of(row: &tokio_postgres::Row) -> (Key, Stored) {
    let stored = Stored {
        scope: ScopeFacts {
            owner_id: row.get(2),
            department_id: row.get(3),
            location_id: row.get(4),
        },
        fields: object(row.get(5)),
        clocks: object(row.get(6)),
        version: row.get(7),
        last_user_id: row.get(8),
        origin_client: row.get(9),
    };
    ((row.get(0), row.get(1)), stored)
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn text_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn parent_budget(payload: &Value, stored: Option<&Stored>) -> Option<Uuid> {
    payload
        .get("budget_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| stored.and_then(|s| text_field(&s.fields, "budget_id")))
        .and_then(|id| Uuid::parse_str(&id).ok())
}

impl Batch {
    async fn load(
        tx: &Transaction<'_>,
        client_id: Uuid,
        checked: &[&Checked<'_>],
    ) -> Result<Batch, tokio_postgres::Error> {
        let mut batch = Batch {
            client_id,
            records: HashMap::new(),
            closes: HashMap::new(),
            dirty: Vec::new(),
            feed: Vec::with_capacity(checked.len()),
            answers: Vec::with_capacity(checked.len()),
        };
        let (facts, records): (Vec<Key>, Vec<Key>) = checked
            .iter()
            .map(|one| (one.entity.key().to_owned(), one.mutation.entity_id))
            .partition(|(entity, _)| Entity::parse(entity).is_some_and(is_fact));
        batch.fetch(tx, records).await?;
        batch.fetch_facts(tx, facts).await?;
        // The budgets whose lines change: their status decides whether lines may.
        let parents: Vec<Key> = checked
            .iter()
            .filter(|one| one.entity == Entity::BudgetLine)
            .filter_map(|one| {
                let stored = batch
                    .records
                    .get(&(one.entity.key().to_owned(), one.mutation.entity_id));
                parent_budget(&one.mutation.payload, stored)
            })
            .map(|id| ("budget".to_owned(), id))
            .collect();
        batch.fetch(tx, parents).await?;
        batch.load_closes(tx, checked).await?;
        Ok(batch)
    }

    /// The facts of the batch head office holds already. A fact is kept once,
    /// in the feed: it is only ever added, so it has no merged state.
    async fn fetch_facts(
        &mut self,
        tx: &Transaction<'_>,
        keys: Vec<Key>,
    ) -> Result<(), tokio_postgres::Error> {
        if keys.is_empty() {
            return Ok(());
        }
        let ids: Vec<Uuid> = keys.iter().map(|key| key.1).collect();
        // By id alone, so the planner takes the index whatever the feed's size.
        let rows = tx
            .query(&tx.prepare_cached("SELECT entity, entity_id, owner_id, department_id, location_id, payload, '{}'::json, 1::int8,
                        user_id, client_id
                 FROM changes WHERE kind = 'appended' AND entity_id = ANY($1)").await?,
                &[&ids],
            )
            .await?;
        let wanted: std::collections::HashSet<Key> = keys.into_iter().collect();
        for (key, stored) in rows.iter().map(stored_of) {
            if wanted.contains(&key) {
                self.records.insert(key, stored);
            }
        }
        Ok(())
    }

    /// The closes head office holds of the months the batch's closes and snapshot values name.
    async fn load_closes(
        &mut self,
        tx: &Transaction<'_>,
        checked: &[&Checked<'_>],
    ) -> Result<(), tokio_postgres::Error> {
        let months: Vec<String> = checked
            .iter()
            .filter_map(|one| closed_month_of(one.entity, &one.mutation.payload))
            .collect();
        if months.is_empty() {
            return Ok(());
        }
        let rows = tx
            .query(
                &tx.prepare_cached(
                    "SELECT entity_id, fields ->> 'month' FROM entities
                 WHERE entity = 'closed_month' AND fields ->> 'month' = ANY($1)",
                )
                .await?,
                &[&months],
            )
            .await?;
        let mut keys = Vec::with_capacity(rows.len());
        for row in rows {
            let key: Key = (Entity::ClosedMonth.key().to_owned(), row.get(0));
            self.closes.insert(row.get(1), key.clone());
            keys.push(key);
        }
        self.fetch(tx, keys).await
    }

    /// The close head office holds of a month, and whether this laptop made it.
    fn close_of(&self, month: &str) -> Option<(&Key, bool)> {
        let key = self.closes.get(month)?;
        let ours = self
            .records
            .get(key)
            // A close sent before head office noted laptops is taken as this one's.
            .is_some_and(|close| {
                close
                    .origin_client
                    .is_none_or(|origin| origin == self.client_id)
            });
        Some((key, ours))
    }

    async fn fetch(
        &mut self,
        tx: &Transaction<'_>,
        keys: Vec<Key>,
    ) -> Result<(), tokio_postgres::Error> {
        let missing: Vec<&Key> = keys
            .iter()
            .filter(|key| !self.records.contains_key(*key))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let entities: Vec<&str> = missing.iter().map(|key| key.0.as_str()).collect();
        let ids: Vec<Uuid> = missing.iter().map(|key| key.1).collect();
        let rows = tx
            .query(&tx.prepare_cached("SELECT e.entity, e.entity_id, e.owner_id, e.department_id, e.location_id, e.fields, e.clocks,
                        e.version, e.last_user_id, e.origin_client
                 FROM entities e JOIN unnest($1::text[], $2::uuid[]) AS k (entity, entity_id)
                      ON e.entity = k.entity AND e.entity_id = k.entity_id
                 FOR UPDATE OF e").await?,
                &[&entities, &ids],
            )
            .await?;
        self.records.extend(rows.iter().map(stored_of));
        Ok(())
    }

    fn answer(&mut self, mutation: &Mutation, outcome: &Outcome) {
        self.answers.push((
            mutation.mutation_id,
            mutation.op_uuid,
            serde_json::to_value(outcome).unwrap_or(Value::Null),
        ));
    }

    /// The record as head office holds it, for a laptop whose change was
    /// refused to put back (only when the user may see it).
    fn current(&self, actor: &Actor, one: &Checked<'_>) -> Option<Value> {
        let view = view_action(one.entity, &one.mutation.payload)?;
        let key = match closed_month_of(one.entity, &one.mutation.payload) {
            Some(month) if one.entity == Entity::ClosedMonth => self.closes.get(&month)?.clone(),
            _ => (one.entity.key().to_owned(), one.mutation.entity_id),
        };
        let stored = self.records.get(&key)?;
        can(actor, view, &stored.scope.into()).then(|| Value::Object(stored.fields.clone()))
    }

    /// The workflow and freshness rules that hold whatever the scope.
    fn workflow(
        &self,
        actor: &Actor,
        one: &Checked<'_>,
        before: Option<&Stored>,
    ) -> Option<String> {
        let payload = &one.mutation.payload;
        if let Some(month) = closed_month_of(one.entity, payload) {
            let close = self.close_of(&month);
            match one.entity {
                Entity::ClosedMonth => {
                    if let Some((key, _)) = close
                        && key.1 != one.mutation.entity_id
                    {
                        return Some(format!(
                            "{month} was closed at head office already, on another laptop: this close and its forecast snapshot are set aside, and head office's take their place"
                        ));
                    }
                }
                _ => {
                    if !close.is_some_and(|(_, ours)| ours) {
                        return Some(format!(
                            "this value belongs to a forecast snapshot as of {month} that head office did not take: another laptop closed {month} first"
                        ));
                    }
                }
            }
        }
        if is_fact(one.entity) {
            return if one.kind != ChangeKind::Appended {
                Some(format!(
                    "a {} is a fact: it is never changed; post a reversing entry instead",
                    one.entity.noun()
                ))
            } else if before.is_some() {
                Some(format!(
                    "head office holds this {} already (a fact is added once)",
                    one.entity.noun()
                ))
            } else {
                None
            };
        }
        match (one.entity, one.kind) {
            (Entity::Budget, ChangeKind::Transitioned) => {
                let from = payload
                    .get("from")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let Some(status) = before.and_then(|b| text_field(&b.fields, "status")) else {
                    return Some(
                        "head office holds no such budget (yet): its owner's laptop has not sent it, or head office was restored from a backup; take the step again once the budget is back".into(),
                    );
                };
                if status != from {
                    return Some(format!(
                        "the budget is {status} at head office, not {from}: the step no longer applies"
                    ));
                }
                let to = payload
                    .get("to")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if matches!(to, "approved" | "rejected") {
                    let owner = before.and_then(|b| b.scope.owner_id);
                    let submitter = before.and_then(|b| text_field(&b.fields, "submitted_by"));
                    if owner == Some(actor.id) || submitter == Some(actor.id.to_string()) {
                        return Some(
                            "nobody approves or rejects a budget they own or submitted".into(),
                        );
                    }
                }
                None
            }
            (Entity::BudgetLine, ChangeKind::Created | ChangeKind::Updated) => {
                let Some(parent) = parent_budget(payload, before)
                    .and_then(|id| self.records.get(&("budget".to_owned(), id)))
                else {
                    return Some(
                        "head office holds no such budget (yet): its owner's laptop has not sent it, or head office was restored from a backup; enter the line again once the budget is back".into(),
                    );
                };
                let parent = Some(parent);
                if let Some(status) = parent
                    .and_then(|parent| text_field(&parent.fields, "status"))
                    .filter(|status| status == "approved" || status == "locked")
                {
                    return Some(format!(
                        "the budget is {status} at head office: its lines cannot change"
                    ));
                }
                if let (Some(before), Some(base)) = (before, one.mutation.base_version)
                    && base < before.version
                    && before.last_user_id != Some(actor.id)
                {
                    return Some(format!(
                        "someone else changed this budget cell since you loaded it (version {base}, now {}): reload and enter it again",
                        before.version
                    ));
                }
                None
            }
            _ => None,
        }
    }

    /// Decides one mutation and, when it applies, merges it into the batch's records and feed.
    fn apply(&mut self, actor: &Actor, one: &Checked<'_>) -> Outcome {
        let mutation = one.mutation;
        let view = match travel(one.entity) {
            Travel::Local => {
                return rejected(format!(
                    "a {} stays on the laptop; it is not synced",
                    one.entity.noun()
                ));
            }
            Travel::FromHeadOffice { .. } => {
                return rejected("users are managed at head office, not from a laptop");
            }
            Travel::Shared { .. } => {
                view_action(one.entity, &mutation.payload).unwrap_or(Action::ViewReference)
            }
        };
        if one.kind == ChangeKind::PasswordChanged {
            return rejected("passwords are changed at head office");
        }
        let Some(action) = write_action(one.entity, one.kind, &mutation.payload) else {
            return rejected("this change is not synced");
        };
        if let Err(refusal) = actor.require(action, &mutation.scope.into()) {
            return rejected(refusal.to_string());
        }
        let key: Key = (one.entity.key().to_owned(), mutation.entity_id);
        let before = self.records.get(&key);
        if let Some(before) = before
            && let Err(refusal) = actor.require(action, &before.scope.into())
        {
            return rejected(format!("{refusal} (the record as head office holds it)"));
        }
        if let Some(reason) = self.workflow(actor, one, before) {
            return rejected(reason);
        }

        // Merge: each field the change sets wins if its clock is later than the one that set it last.
        let (mut fields, mut clocks, version, origin_client) = match before.cloned() {
            Some(before) => (
                before.fields,
                before.clocks,
                before.version + 1,
                before.origin_client,
            ),
            None => (Map::new(), Map::new(), 1, Some(self.client_id)),
        };
        let stamp = Value::String(mutation.hlc.clone());
        let mut feed = Map::new();
        for (field, value) in fields_of(one.kind, &mutation.payload) {
            if is_fact(one.entity) {
                // A fact is added once and never merged: its fields need no clocks.
                fields.insert(field, value);
                continue;
            }
            let earlier = clocks
                .get(&field)
                .and_then(Value::as_str)
                .and_then(Hlc::parse);
            if earlier.is_none_or(|earlier| one.hlc > earlier) {
                fields.insert(field.clone(), value);
                clocks.insert(field.clone(), stamp.clone());
            }
            // Every laptop gets the value that won, so all converge.
            feed.insert(
                field.clone(),
                fields.get(&field).cloned().unwrap_or(Value::Null),
            );
        }
        let payload = match (one.entity, one.kind) {
            (_, ChangeKind::Appended) => mutation.payload.clone(),
            (Entity::Budget, ChangeKind::Transitioned) => {
                if mutation.payload.get("to").and_then(Value::as_str) == Some("submitted") {
                    fields.insert("submitted_by".into(), Value::String(actor.id.to_string()));
                }
                mutation.payload.clone()
            }
            _ => Value::Object(feed),
        };
        self.records.insert(
            key.clone(),
            Stored {
                scope: mutation.scope,
                fields,
                clocks,
                version,
                last_user_id: Some(actor.id),
                origin_client,
            },
        );
        if one.entity == Entity::ClosedMonth
            && let Some(month) = closed_month_of(one.entity, &mutation.payload)
        {
            self.closes.entry(month).or_insert_with(|| key.clone());
        }
        if !is_fact(one.entity) {
            self.dirty.push(key);
        }
        self.feed.push(FeedRow {
            entity: one.entity.key().to_owned(),
            entity_id: mutation.entity_id,
            kind: one.kind.key().to_owned(),
            payload,
            hlc: mutation.hlc.clone(),
            op_uuid: mutation.op_uuid,
            user_id: actor.id,
            view: action_key(view),
            scope: mutation.scope,
        });
        Outcome::Applied
    }

    /// Writes the changed records, the feed (in order) and the answers.
    async fn write(
        self,
        tx: &Transaction<'_>,
        client_id: Uuid,
    ) -> Result<(), tokio_postgres::Error> {
        let mut written = std::collections::HashSet::new();
        let keys: Vec<&Key> = self
            .dirty
            .iter()
            .filter(|key| written.insert(*key))
            .collect();
        if !keys.is_empty() {
            let records: Vec<&Stored> = keys
                .iter()
                .filter_map(|key| self.records.get(*key))
                .collect();
            let entities: Vec<&str> = keys.iter().map(|key| key.0.as_str()).collect();
            let ids: Vec<Uuid> = keys.iter().map(|key| key.1).collect();
            let owners: Vec<Option<Uuid>> = records.iter().map(|r| r.scope.owner_id).collect();
            let departments: Vec<Option<Uuid>> =
                records.iter().map(|r| r.scope.department_id).collect();
            let locations: Vec<Option<Uuid>> =
                records.iter().map(|r| r.scope.location_id).collect();
            let fields: Vec<Value> = records
                .iter()
                .map(|r| Value::Object(r.fields.clone()))
                .collect();
            let clocks: Vec<Value> = records
                .iter()
                .map(|r| Value::Object(r.clocks.clone()))
                .collect();
            let versions: Vec<i64> = records.iter().map(|r| r.version).collect();
            let users: Vec<Option<Uuid>> = records.iter().map(|r| r.last_user_id).collect();
            let origins: Vec<Option<Uuid>> = records.iter().map(|r| r.origin_client).collect();
            tx.execute(&tx.prepare_cached("INSERT INTO entities (entity, entity_id, owner_id, department_id, location_id, fields, clocks, version,
                                       last_user_id, origin_client)
                 SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::jsonb[], $7::jsonb[],
                                      $8::int8[], $9::uuid[], $10::uuid[])
                 ON CONFLICT (entity, entity_id) DO UPDATE SET owner_id = excluded.owner_id,
                     department_id = excluded.department_id, location_id = excluded.location_id,
                     fields = excluded.fields, clocks = excluded.clocks, version = excluded.version,
                     last_user_id = excluded.last_user_id").await?,
                &[&entities, &ids, &owners, &departments, &locations, &fields, &clocks, &versions, &users, &origins],
            )
            .await?;
        }
        if !self.feed.is_empty() {
            let column = |pick: &dyn Fn(&FeedRow) -> Option<Uuid>| -> Vec<Option<Uuid>> {
                self.feed.iter().map(pick).collect()
            };
            let entities: Vec<&str> = self.feed.iter().map(|row| row.entity.as_str()).collect();
            let ids: Vec<Uuid> = self.feed.iter().map(|row| row.entity_id).collect();
            let kinds: Vec<&str> = self.feed.iter().map(|row| row.kind.as_str()).collect();
            let payloads: Vec<&Value> = self.feed.iter().map(|row| &row.payload).collect();
            let hlcs: Vec<&str> = self.feed.iter().map(|row| row.hlc.as_str()).collect();
            let ops: Vec<Uuid> = self.feed.iter().map(|row| row.op_uuid).collect();
            let users: Vec<Uuid> = self.feed.iter().map(|row| row.user_id).collect();
            let views: Vec<&str> = self.feed.iter().map(|row| row.view.as_str()).collect();
            tx.execute(&tx.prepare_cached("INSERT INTO changes (entity, entity_id, kind, payload, hlc, client_id, op_uuid, user_id, view_action,
                                      owner_id, department_id, location_id)
                 SELECT entity, entity_id, kind, payload, hlc, $6, op_uuid, user_id, view_action,
                        owner_id, department_id, location_id
                 FROM unnest($1::text[], $2::uuid[], $3::text[], $4::json[], $5::text[], $7::uuid[], $8::uuid[],
                             $9::text[], $10::uuid[], $11::uuid[], $12::uuid[])
                      WITH ORDINALITY AS f (entity, entity_id, kind, payload, hlc, op_uuid, user_id, view_action,
                                            owner_id, department_id, location_id, position)
                 ORDER BY position").await?,
                &[
                    &entities,
                    &ids,
                    &kinds,
                    &payloads,
                    &hlcs,
                    &client_id,
                    &ops,
                    &users,
                    &views,
                    &column(&|row| row.scope.owner_id),
                    &column(&|row| row.scope.department_id),
                    &column(&|row| row.scope.location_id),
                ],
            )
            .await?;
        }
        if !self.answers.is_empty() {
            let ids: Vec<i64> = self.answers.iter().map(|answer| answer.0).collect();
            let ops: Vec<Uuid> = self.answers.iter().map(|answer| answer.1).collect();
            let outcomes: Vec<&Value> = self.answers.iter().map(|answer| &answer.2).collect();
            tx.execute(&tx.prepare_cached("INSERT INTO mutations (client_id, mutation_id, op_uuid, outcome)
                 SELECT $1, mutation_id, op_uuid, outcome FROM unnest($2::int8[], $3::uuid[], $4::jsonb[])
                      AS m (mutation_id, op_uuid, outcome)").await?,
                &[&client_id, &ids, &ops, &outcomes],
            )
            .await?;
        }
        Ok(())
    }
}

/// The closed month a close or a snapshot value names (`month`, `as_of`).
fn closed_month_of(entity: Entity, payload: &Value) -> Option<String> {
    let field = match entity {
        Entity::ClosedMonth => "month",
        Entity::ForecastSnapshot => "as_of",
        _ => return None,
    };
    text_field(payload.as_object()?, field)
}

fn rejected(reason: impl Into<String>) -> Outcome {
    Outcome::Rejected {
        reason: reason.into(),
    }
}

/// The fields a change sets.
fn fields_of(kind: ChangeKind, payload: &Value) -> Map<String, Value> {
    match kind {
        ChangeKind::Archived => Map::from_iter([("archived".to_owned(), Value::Bool(true))]),
        ChangeKind::Restored => Map::from_iter([("archived".to_owned(), Value::Bool(false))]),
        ChangeKind::Transitioned => Map::from_iter([(
            "status".to_owned(),
            payload.get("to").cloned().unwrap_or(Value::Null),
        )]),
        _ => match payload {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        },
    }
}

fn action_key(action: Action) -> String {
    serde_json::to_value(action)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
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
        .query(&client.prepare_cached("SELECT seq, view_action, owner_id, department_id, location_id, pg_column_size(payload)
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
        };
        if view.is_some_and(|view| can(&actor, view, &scope.into())) {
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
