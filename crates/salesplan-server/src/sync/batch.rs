//! A push's records: loaded once (and locked) before its mutations are
//! decided, changed in memory as each is applied, written back in three
//! statements.

use super::Checked;
use super::decide::columns;
use super::documents::Document;
use deadpool_postgres::Transaction;
use salesplan_domain::access::Actor;
use salesplan_domain::changes::{Body, Change, Record};
use salesplan_domain::entity::Entity;
use salesplan_domain::sync::protocol::{Mutation, Outcome, ScopeFacts};
use salesplan_domain::sync::rules::{is_fact, view_action};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A record's merged state on the server.
#[derive(Clone)]
pub(super) struct Stored {
    pub scope: ScopeFacts,
    pub fields: Map<String, Value>,
    pub clocks: Map<String, Value>,
    pub version: i64,
    pub last_user_id: Option<Uuid>,
    /// The laptop that first sent the record.
    pub origin_client: Option<Uuid>,
}

pub(super) type Key = (String, Uuid);

pub(super) fn key(entity: Entity, id: Uuid) -> Key {
    (entity.key().to_owned(), id)
}

/// A push's records, loaded once and locked, changed in memory as each
/// mutation is decided, then written back in three statements.
pub(super) struct Batch {
    pub client_id: Uuid,
    pub records: HashMap<Key, Stored>,
    /// Records the batch's changes name that head office holds (besides `records`).
    pub held: HashSet<Key>,
    /// The natural keys (a SKU, a line's budget, product and month) the
    /// batch's records would take, and the record head office holds with each.
    pub keys: HashMap<(String, String), Uuid>,
    /// Head office's accounts: each one's department and branch.
    pub accounts: HashMap<Uuid, (Option<Uuid>, Option<Uuid>)>,
    /// Each closed month head office holds, and its close.
    pub closes: HashMap<String, Key>,
    pub dirty: Vec<Key>,
    pub feed: Vec<FeedRow>,
    pub answers: Vec<(i64, Uuid, Value)>,
}

pub(super) struct FeedRow {
    pub entity: String,
    pub entity_id: Uuid,
    pub kind: String,
    pub payload: Value,
    pub hlc: String,
    pub op_uuid: Uuid,
    pub user_id: Uuid,
    pub view: String,
    pub scope: ScopeFacts,
}

/// A record read back: entity, id, scope, fields, clocks, version, last
/// user, origin, and the scope's other location.
fn stored_of(row: &tokio_postgres::Row) -> (Key, Stored) {
    let stored = Stored {
        scope: ScopeFacts {
            owner_id: row.get(2),
            department_id: row.get(3),
            location_id: row.get(4),
            other_location_id: row.get(10),
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

pub(super) fn text_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

pub(super) fn uuid_field(map: &Map<String, Value>, key: &str) -> Option<Uuid> {
    map.get(key)
        .and_then(Value::as_str)
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// A record's natural key, read from its fields: what it is called and its value.
pub(super) fn natural_key(
    entity: Entity,
    fields: &Map<String, Value>,
) -> Option<(&'static str, String)> {
    Record::parse(entity, &Value::Object(fields.clone()), false)
        .ok()?
        .natural_key()
}

/// The record a change's record belongs to (a line's budget, a spending's
/// expense line), from the change or the record as head office holds it.
pub(super) fn parent_of(
    entity: Entity,
    fields: &Map<String, Value>,
    held: Option<&Stored>,
) -> Option<Key> {
    let (parent, field) = match entity {
        Entity::BudgetLine | Entity::BudgetExpense => (Entity::Budget, "budget_id"),
        Entity::PurchaseOrderLine => (Entity::PurchaseOrder, "order_id"),
        Entity::TransferLine => (Entity::Transfer, "transfer_id"),
        Entity::ExpenseTransaction => (Entity::BudgetExpense, "expense_id"),
        _ => return None,
    };
    let id = uuid_field(fields, field)
        .or_else(|| held.and_then(|held| uuid_field(&held.fields, field)))?;
    Some(key(parent, id))
}

impl Batch {
    pub async fn load(
        tx: &Transaction<'_>,
        client_id: Uuid,
        checked: &[&Checked<'_>],
    ) -> Result<Batch, tokio_postgres::Error> {
        let mut batch = Batch {
            client_id,
            records: HashMap::new(),
            held: HashSet::new(),
            keys: HashMap::new(),
            accounts: HashMap::new(),
            closes: HashMap::new(),
            dirty: Vec::new(),
            feed: Vec::with_capacity(checked.len()),
            answers: Vec::with_capacity(checked.len()),
        };
        let (facts, records): (Vec<Key>, Vec<Key>) = checked
            .iter()
            .map(|one| key(one.entity, one.mutation.entity_id))
            .partition(|(entity, _)| Entity::parse(entity).is_some_and(is_fact));
        batch.fetch(tx, records).await?;
        // And the facts that may not share their ids (a sale and a stock movement).
        let twins: Vec<Key> = facts
            .iter()
            .filter_map(|(entity, id)| {
                let twin = super::decide::id_twin(Entity::parse(entity)?)?;
                Some(key(twin, *id))
            })
            .collect();
        batch
            .fetch_facts(tx, facts.into_iter().chain(twins).collect())
            .await?;
        // Purchase orders and transfers whose steps, lines or movements the
        // batch holds, with all their lines.
        for document in [Document::ORDERS, Document::TRANSFERS] {
            batch.load_documents(tx, checked, document).await?;
        }
        // The parents whose scope and status decide their children's changes.
        let parents: Vec<Key> = checked
            .iter()
            .filter_map(|one| {
                let held = batch.records.get(&key(one.entity, one.mutation.entity_id));
                parent_of(one.entity, one.mutation.payload.as_object()?, held)
            })
            .collect();
        batch.fetch(tx, parents).await?;
        let named: Vec<Key> = checked
            .iter()
            .filter_map(|one| match &one.change {
                Ok(change) => match &change.body {
                    Body::Record(record) => Some(record.references()),
                    Body::Step(_) => None,
                },
                Err(_) => None,
            })
            .flatten()
            .filter(|(_, entity, _)| *entity != Entity::User)
            .map(|(_, entity, id)| key(entity, id))
            .collect();
        batch.load_held(tx, named).await?;
        let keys: Vec<(String, String)> = checked
            .iter()
            .filter_map(|one| {
                let update = one.mutation.payload.as_object()?;
                if is_fact(one.entity)
                    || !matches!(
                        one.change,
                        Ok(Change {
                            body: Body::Record(_),
                            ..
                        })
                    )
                {
                    return None;
                }
                let mut fields = batch
                    .records
                    .get(&key(one.entity, one.mutation.entity_id))
                    .map(columns)
                    .unwrap_or_default();
                fields.extend(
                    update
                        .iter()
                        .map(|(field, value)| (field.clone(), value.clone())),
                );
                let (_, natural) = natural_key(one.entity, &fields)?;
                Some((one.entity.key().to_owned(), natural))
            })
            .collect();
        batch.load_keys(tx, keys).await?;
        batch.load_accounts(tx).await?;
        let dated = checked.iter().any(|one| {
            matches!(
                one.entity,
                Entity::ClosedMonth | Entity::ForecastSnapshot | Entity::ActualSale
            )
        });
        if dated {
            batch.load_closes(tx).await?;
        }
        Ok(batch)
    }

    /// Which of the records the batch names head office holds.
    async fn load_held(
        &mut self,
        tx: &Transaction<'_>,
        keys: Vec<Key>,
    ) -> Result<(), tokio_postgres::Error> {
        let wanted: HashSet<Key> = keys
            .into_iter()
            .filter(|key| !self.records.contains_key(key))
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let entities: Vec<&str> = wanted.iter().map(|key| key.0.as_str()).collect();
        let ids: Vec<Uuid> = wanted.iter().map(|key| key.1).collect();
        let rows = tx
            .query(
                &tx.prepare_cached(
                    "SELECT e.entity, e.entity_id FROM entities e
                     JOIN unnest($1::text[], $2::uuid[]) AS k (entity, entity_id)
                       ON e.entity = k.entity AND e.entity_id = k.entity_id",
                )
                .await?,
                &[&entities, &ids],
            )
            .await?;
        self.held
            .extend(rows.iter().map(|row| (row.get(0), row.get(1))));
        Ok(())
    }

    /// The records head office holds under the natural keys the batch's records would take.
    async fn load_keys(
        &mut self,
        tx: &Transaction<'_>,
        keys: Vec<(String, String)>,
    ) -> Result<(), tokio_postgres::Error> {
        if keys.is_empty() {
            return Ok(());
        }
        let entities: Vec<&str> = keys.iter().map(|key| key.0.as_str()).collect();
        let naturals: Vec<&str> = keys.iter().map(|key| key.1.as_str()).collect();
        let rows = tx
            .query(
                &tx.prepare_cached(
                    "SELECT e.entity, e.natural_key, e.entity_id FROM entities e
                     JOIN unnest($1::text[], $2::text[]) AS k (entity, natural_key)
                       ON e.entity = k.entity AND e.natural_key = k.natural_key",
                )
                .await?,
                &[&entities, &naturals],
            )
            .await?;
        self.keys.extend(
            rows.iter()
                .map(|row| ((row.get(0), row.get(1)), row.get(2))),
        );
        Ok(())
    }

    /// Head office's accounts (a company has tens to hundreds).
    async fn load_accounts(&mut self, tx: &Transaction<'_>) -> Result<(), tokio_postgres::Error> {
        let rows = tx
            .query(
                &tx.prepare_cached("SELECT id, department_id, location_id FROM users")
                    .await?,
                &[],
            )
            .await?;
        self.accounts = rows
            .iter()
            .map(|row| (row.get(0), (row.get(1), row.get(2))))
            .collect();
        Ok(())
    }

    /// Whether head office holds the record `key` names (or took it in this batch).
    pub fn holds(&self, key: &Key) -> bool {
        self.records.contains_key(key) || self.held.contains(key)
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
                        user_id, client_id, other_location_id
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

    /// Every close head office holds (one a month).
    async fn load_closes(&mut self, tx: &Transaction<'_>) -> Result<(), tokio_postgres::Error> {
        let rows = tx
            .query(
                &tx.prepare_cached(
                    "SELECT entity_id, fields ->> 'month' FROM entities WHERE entity = 'closed_month'",
                )
                .await?,
                &[],
            )
            .await?;
        let mut keys = Vec::with_capacity(rows.len());
        for row in rows {
            let key = key(Entity::ClosedMonth, row.get(0));
            self.closes.insert(row.get(1), key.clone());
            keys.push(key);
        }
        self.fetch(tx, keys).await
    }

    /// The close head office holds of a month, and whether this laptop made it.
    pub fn close_of(&self, month: &str) -> Option<(&Key, bool)> {
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

    pub async fn fetch(
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
                        e.version, e.last_user_id, e.origin_client, e.other_location_id
                 FROM entities e JOIN unnest($1::text[], $2::uuid[]) AS k (entity, entity_id)
                      ON e.entity = k.entity AND e.entity_id = k.entity_id
                 FOR UPDATE OF e").await?,
                &[&entities, &ids],
            )
            .await?;
        self.records.extend(rows.iter().map(stored_of));
        Ok(())
    }

    pub fn answer(&mut self, mutation: &Mutation, outcome: &Outcome) {
        self.answers.push((
            mutation.mutation_id,
            mutation.op_uuid,
            serde_json::to_value(outcome).unwrap_or(Value::Null),
        ));
    }

    /// The record as head office holds it, for a laptop whose change was
    /// refused to put back (only when the user may see it).
    pub fn current(&self, actor: &Actor, one: &Checked<'_>) -> Option<Value> {
        let view = view_action(one.entity, &one.mutation.payload)?;
        let key = match closed_month_of(one.entity, &one.mutation.payload) {
            Some(month) if one.entity == Entity::ClosedMonth => self.closes.get(&month)?.clone(),
            _ => (one.entity.key().to_owned(), one.mutation.entity_id),
        };
        let stored = self.records.get(&key)?;
        stored
            .scope
            .allows(actor, view)
            .then(|| Value::Object(columns(stored)))
    }

    /// Writes the changed records, the feed (in order) and the answers.
    pub async fn write(
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
            let others: Vec<Option<Uuid>> =
                records.iter().map(|r| r.scope.other_location_id).collect();
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
            let naturals: Vec<Option<String>> = keys
                .iter()
                .zip(&records)
                .map(|(key, record)| {
                    let entity = Entity::parse(&key.0)?;
                    natural_key(entity, &columns(record)).map(|(_, natural)| natural)
                })
                .collect();
            tx.execute(&tx.prepare_cached("INSERT INTO entities (entity, entity_id, owner_id, department_id, location_id, fields, clocks, version,
                                       last_user_id, origin_client, natural_key, other_location_id)
                 SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::jsonb[], $7::jsonb[],
                                      $8::int8[], $9::uuid[], $10::uuid[], $11::text[], $12::uuid[])
                 ON CONFLICT (entity, entity_id) DO UPDATE SET owner_id = excluded.owner_id,
                     department_id = excluded.department_id, location_id = excluded.location_id,
                     other_location_id = excluded.other_location_id,
                     fields = excluded.fields, clocks = excluded.clocks, version = excluded.version,
                     last_user_id = excluded.last_user_id, natural_key = excluded.natural_key").await?,
                &[&entities, &ids, &owners, &departments, &locations, &fields, &clocks, &versions, &users, &origins, &naturals, &others],
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
                                      owner_id, department_id, location_id, other_location_id)
                 SELECT entity, entity_id, kind, payload, hlc, $6, op_uuid, user_id, view_action,
                        owner_id, department_id, location_id, other_location_id
                 FROM unnest($1::text[], $2::uuid[], $3::text[], $4::json[], $5::text[], $7::uuid[], $8::uuid[],
                             $9::text[], $10::uuid[], $11::uuid[], $12::uuid[], $13::uuid[])
                      WITH ORDINALITY AS f (entity, entity_id, kind, payload, hlc, op_uuid, user_id, view_action,
                                            owner_id, department_id, location_id, other_location_id, position)
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
                    &column(&|row| row.scope.other_location_id),
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
pub(super) fn closed_month_of(entity: Entity, payload: &Value) -> Option<String> {
    let field = match entity {
        Entity::ClosedMonth => "month",
        Entity::ForecastSnapshot => "as_of",
        _ => return None,
    };
    text_field(payload.as_object()?, field)
}
