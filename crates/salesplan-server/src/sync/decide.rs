//! Deciding one pushed change. Nothing is taken on the laptop's word:
//!
//! 1. the change was parsed into its type before the batch was loaded
//!    (`salesplan_domain::changes::parse`): fields, kinds, whole records;
//! 2. the record as it will stand is built from what head office holds and
//!    checked whole (`changes::check_update`): an update cannot change a
//!    record's identity, maker, parent or a budget's status;
//! 3. its scope is computed from that record, its parent and its owner's
//!    account as head office holds them; a declared scope that disagrees with
//!    the record is refused; the user needs the change's right on the scope
//!    before and after, and moving a record to another owner, department or
//!    branch needs the right to move it;
//! 4. every record it names must be held at head office;
//! 5. the workflow: budget steps from the status head office holds, lines
//!    only of editable budgets, facts once (a stock movement never under a
//!    sale's id, whose issue takes it) and not in a month closed before them,
//!    one close a month.
//!
//! A change that passes is merged field by field, last writer wins by HLC.

use super::Checked;
use super::batch::{Batch, FeedRow, Key, Stored, closed_month_of, key, text_field};
use salesplan_domain::access::{Action, Actor};
use salesplan_domain::budgets::BudgetStatus;
use salesplan_domain::changes::{self, Body, Change, Record};
use salesplan_domain::clock::Hlc;
use salesplan_domain::entity::{ChangeKind, Entity};
use salesplan_domain::sync::protocol::{Outcome, ScopeFacts};
use salesplan_domain::sync::rules::{
    Travel, is_fact, report_view, travel, view_action, write_action,
};
use salesplan_domain::values::Flag;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

/// A refusal; its reason is stored (PostgreSQL text holds no NUL) and shown,
/// so control characters are escaped and a long one is cut short.
pub(super) fn rejected(reason: impl Into<String>) -> Outcome {
    Outcome::Rejected {
        reason: salesplan_domain::values::shown_rule(&reason.into()),
    }
}

/// A record's columns as head office holds them.
pub(super) fn columns(stored: &Stored) -> Map<String, Value> {
    record_columns(&stored.fields)
}

/// A stored record's fields without those head office keeps besides its columns.
pub(crate) fn record_columns(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut columns = fields.clone();
    for field in changes::HEAD_OFFICE_FIELDS {
        columns.remove(field);
    }
    columns
}

/// What a change that passed needs to be merged.
struct Decided {
    view: Action,
    scope: ScopeFacts,
    /// The natural key the record takes (see `Record::natural_key`).
    natural: Option<String>,
    /// The change reaches laptops that never held the record (a report
    /// shared for the first time): the feed carries it whole, as created.
    whole: bool,
}

/// A declared scope must agree with what the record's own fields say.
fn agree(own: ScopeFacts, declared: ScopeFacts) -> Result<(), String> {
    let parts = [
        ("owner", own.owner_id, declared.owner_id),
        ("department", own.department_id, declared.department_id),
        ("branch", own.location_id, declared.location_id),
        (
            "other branch",
            own.other_location_id,
            declared.other_location_id,
        ),
    ];
    for (part, own, declared) in parts {
        if own.is_some() && own != declared {
            let name = |id: Option<Uuid>| id.map_or("none".to_owned(), |id| id.to_string());
            return Err(format!(
                "the change declares {part} {}, but its record names {}: a record's scope is read from the record",
                name(declared),
                name(own)
            ));
        }
    }
    Ok(())
}

impl Batch {
    /// Decides one mutation and, when it applies, merges it into the batch's records and feed.
    pub fn apply(&mut self, actor: &Actor, one: &Checked<'_>) -> Outcome {
        match self.decide(actor, one) {
            Ok(decided) => {
                self.merge(actor, one, decided);
                Outcome::Applied
            }
            Err(reason) => rejected(reason),
        }
    }

    fn decide(&self, actor: &Actor, one: &Checked<'_>) -> Result<Decided, String> {
        let mutation = one.mutation;
        let view = match travel(one.entity) {
            Travel::Local => {
                return Err(format!(
                    "a {} stays on the laptop; it is not synced",
                    one.entity.noun()
                ));
            }
            Travel::FromHeadOffice { .. } => {
                return Err("users are managed at head office, not from a laptop".into());
            }
            Travel::Shared { .. } => {
                view_action(one.entity, &mutation.payload).unwrap_or(Action::ViewReference)
            }
        };
        if one.kind == ChangeKind::PasswordChanged {
            return Err("passwords are changed at head office".into());
        }
        let change = one.change.as_ref().map_err(Clone::clone)?;
        let action = write_action(one.entity, one.kind, &mutation.payload)
            .ok_or("this change is not synced")?;
        let before = self.records.get(&key(one.entity, mutation.entity_id));
        let record = self.standing(one, change, before)?;
        let scope = match &record {
            Some(record) => record
                .scope(
                    &|user| self.accounts.get(&user).copied(),
                    &|entity, id| self.records.get(&key(entity, id)).map(|held| held.scope),
                )
                .ok_or_else(|| {
                    let (field, parent) = record
                        .parent()
                        .map_or(("id", "record"), |(entity, field, _)| (field, entity.noun()));
                    format!(
                        "{field}: head office holds no such {parent} (yet) for this {}: its laptop has not sent it, or head office was restored from a backup; enter it again once it is back",
                        one.entity.noun()
                    )
                })?,
            // A workflow step: the budget as head office holds it.
            None => before.map(|held| held.scope).unwrap_or_default(),
        };
        if let Some(record) = &record {
            agree(record.own_scope(), mutation.scope)?;
        }
        // Who receives a saved report follows whether it is, or was, shared;
        // once shared it stays so (every laptop holding it hears of each change).
        let mut whole = false;
        let view = match &record {
            Some(Record::SavedReport(report)) => {
                let shared = report.shared.is_some_and(|shared| shared.0);
                let was_shared = before
                    .and_then(|held| held.fields.get("shared"))
                    .and_then(|shared| Flag::deserialize(shared).ok())
                    .is_some_and(|shared| shared.0);
                if was_shared && !shared {
                    return Err("shared: a shared report stays shared; delete it (everyone it was shared with loses it) and save a copy of your own".into());
                }
                whole = shared && !was_shared && before.is_some();
                report_view(shared, was_shared)
            }
            _ => view,
        };
        let natural = record.as_ref().and_then(Record::natural_key);
        if let Some((what, value)) = &natural
            && let Some(other) = self.keys.get(&(one.entity.key().to_owned(), value.clone()))
            && *other != mutation.entity_id
        {
            return Err(format!(
                "{what}: head office holds another {} with the same {what} ({other}); no laptop could hold both",
                one.entity.noun()
            ));
        }
        scope
            .require(actor, action)
            .map_err(|refusal| refusal.to_string())?;
        if let Some(before) = before {
            before
                .scope
                .require(actor, action)
                .map_err(|refusal| format!("{refusal} (the record as head office holds it)"))?;
            let held = Record::parse(one.entity, &Value::Object(columns(before)), false).ok();
            if let (Some(record), Some(held)) = (&record, held)
                && held.own_scope() != record.own_scope()
                && !actor.may_move(action, &before.scope.resource(), &scope.resource())
            {
                return Err(
                    "moving a record to another owner, department or branch is an administrator's step (or a manager's within the department), never part of an edit".into(),
                );
            }
        }
        if let Body::Record(set) = &change.body {
            self.check_references(set)?;
        }
        self.workflow(actor, one, change, record.as_ref(), before)?;
        Ok(Decided {
            view,
            scope,
            natural: natural.map(|(_, value)| value),
            whole,
        })
    }

    /// The record as it will stand after the change, whole and checked;
    /// `None` for a workflow step.
    fn standing(
        &self,
        one: &Checked<'_>,
        change: &Change,
        before: Option<&Stored>,
    ) -> Result<Option<Record>, String> {
        let Body::Record(record) = &change.body else {
            return Ok(None);
        };
        let update = one
            .mutation
            .payload
            .as_object()
            .cloned()
            .unwrap_or_default();
        match (one.kind, before) {
            // A fact held already is refused by the workflow.
            (ChangeKind::Appended, _) => Ok(Some(record.clone())),
            (ChangeKind::Created, None) => {
                if record
                    .budget_status()
                    .is_some_and(|status| status != BudgetStatus::Draft)
                {
                    return Err("status: a new budget starts as a draft; its workflow steps follow one by one".into());
                }
                record
                    .check_owner(&|user| self.accounts.get(&user).copied())
                    .map_err(|refusal| refusal.to_string())?;
                Ok(Some(record.clone()))
            }
            (_, Some(before)) => changes::check_update(one.entity, &columns(before), &update)
                .map(Some)
                .map_err(|refusal| refusal.to_string()),
            (_, None) => Err(format!(
                "head office holds no such {} (yet): it was never sent whole, or head office was restored from a backup",
                one.entity.noun()
            )),
        }
    }

    /// Every record the change names must be held at head office.
    fn check_references(&self, record: &Record) -> Result<(), String> {
        for (field, entity, id) in record.references() {
            let held = if entity == Entity::User {
                self.accounts.contains_key(&id)
            } else {
                self.holds(&key(entity, id))
            };
            if !held {
                return Err(format!(
                    "{field}: head office holds no {} {id} (yet); it must arrive first",
                    entity.noun()
                ));
            }
        }
        Ok(())
    }

    /// The workflow and freshness rules that hold whatever the scope.
    fn workflow(
        &self,
        actor: &Actor,
        one: &Checked<'_>,
        change: &Change,
        record: Option<&Record>,
        before: Option<&Stored>,
    ) -> Result<(), String> {
        let payload = &one.mutation.payload;
        if let Some(month) = closed_month_of(one.entity, payload) {
            let close = self.close_of(&month);
            match one.entity {
                Entity::ClosedMonth => {
                    if let Some((key, _)) = close
                        && key.1 != one.mutation.entity_id
                    {
                        return Err(format!(
                            "{month} was closed at head office already, on another laptop: this close and its forecast snapshot are set aside, and head office's take their place"
                        ));
                    }
                }
                _ => {
                    if !close.is_some_and(|(_, ours)| ours) {
                        return Err(format!(
                            "this value belongs to a forecast snapshot as of {month} that head office did not take: another laptop closed {month} first"
                        ));
                    }
                }
            }
        }
        if let Some(period) = record.and_then(Record::closed_month_rule) {
            self.open_for(period, &one.hlc)?;
        }
        if is_fact(one.entity) {
            if before.is_some() {
                return Err(format!(
                    "head office holds this {} already (a fact is added once)",
                    one.entity.noun()
                ));
            }
            self.check_receipt(record)?;
            self.check_transfer_movement(record)?;
            if let Some(twin) = id_twin(one.entity)
                && self
                    .records
                    .contains_key(&key(twin, one.mutation.entity_id))
            {
                return Err(format!(
                    "this id is taken at head office by {} {}: a sale's stock issue takes the sale's id on every laptop",
                    twin.noun(),
                    one.mutation.entity_id
                ));
            }
            return Ok(());
        }
        let fields = payload.as_object().cloned().unwrap_or_default();
        match (&change.body, one.entity) {
            (Body::Record(_), Entity::PurchaseOrder) => {
                self.check_order(actor, one.kind, one.mutation.entity_id, &fields, before)
            }
            (Body::Record(_), Entity::PurchaseOrderLine) => self.check_order_line(record, &fields),
            (Body::Record(_), Entity::Transfer) => {
                self.check_transfer(actor, one.kind, one.mutation.entity_id, &fields, before)
            }
            (Body::Record(_), Entity::TransferLine) => {
                self.check_transfer_line(actor, record, &fields, before)
            }
            (Body::Step(step), Entity::Budget) => {
                let Some(before) = before else {
                    return Err(
                        "head office holds no such budget (yet): its owner's laptop has not sent it, or head office was restored from a backup; take the step again once the budget is back".into(),
                    );
                };
                let status = text_field(&before.fields, "status")
                    .as_deref()
                    .and_then(BudgetStatus::parse)
                    .ok_or("the budget head office holds has no status it knows; run `salesplan-server verify`")?;
                let submitted_by = text_field(&before.fields, "submitted_by")
                    .and_then(|id| Uuid::parse_str(&id).ok());
                changes::step(step, status, before.scope.owner_id, submitted_by, actor.id)
                    .map(drop)
                    .map_err(|refusal| refusal.to_string())
            }
            (Body::Record(_), Entity::BudgetLine) => {
                let budget = record
                    .and_then(|record| match record {
                        Record::BudgetLine(line) => line.budget_id,
                        _ => None,
                    })
                    .and_then(|id| self.records.get(&key(Entity::Budget, id)))
                    .and_then(|budget| text_field(&budget.fields, "status"))
                    .and_then(|status| BudgetStatus::parse(&status));
                if let Some(status) = budget.filter(|status| !status.is_editable()) {
                    return Err(format!(
                        "the budget is {} at head office: its lines change only while it is a draft or rejected",
                        status.key()
                    ));
                }
                if let (Some(before), Some(base)) = (before, one.mutation.base_version)
                    && base < before.version
                    && before.last_user_id != Some(actor.id)
                {
                    return Err(format!(
                        "someone else changed this budget cell since you loaded it (version {base}, now {}): reload and enter it again",
                        before.version
                    ));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// A fact dated in `period` is refused when head office holds a close of
    /// that month or a later one made before the fact (a fact made before
    /// the close, on a laptop that was offline, is taken).
    fn open_for(&self, period: salesplan_domain::month::Month, made: &Hlc) -> Result<(), String> {
        for (month, close) in &self.closes {
            let Ok(closed) = salesplan_domain::month::Month::parse("month", month) else {
                continue;
            };
            if closed < period {
                continue;
            }
            let closed_at = self.records.get(close).and_then(|close| {
                close
                    .clocks
                    .values()
                    .find_map(Value::as_str)
                    .and_then(Hlc::parse)
            });
            if closed_at.is_none_or(|closed_at| closed_at < *made) {
                return Err(format!(
                    "period: {month} is closed at head office, and {period} with it: a sale dated in a closed month is entered as a correction in an open month"
                ));
            }
        }
        Ok(())
    }

    /// Merges a change that passed into the batch's records and feed: each
    /// field it sets wins if its clock is later than the one that set it last.
    fn merge(&mut self, actor: &Actor, one: &Checked<'_>, decided: Decided) {
        let mutation = one.mutation;
        let key: Key = key(one.entity, mutation.entity_id);
        let (mut fields, mut clocks, version, origin_client) = match self.records.get(&key).cloned()
        {
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
            // A workflow step was decided against the status head office
            // holds, so it moves the status whatever its clock says.
            // So is a purchase order's and a transfer's status, moved by their steps.
            let step = one.kind == ChangeKind::Transitioned
                || (matches!(one.entity, Entity::PurchaseOrder | Entity::Transfer)
                    && field == "status");
            if step || earlier.is_none_or(|earlier| one.hlc > earlier) {
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
            _ if decided.whole => Value::Object(record_columns(&fields)),
            _ => Value::Object(feed),
        };
        let kind = match decided.whole {
            true => ChangeKind::Created,
            false => one.kind,
        };
        self.records.insert(
            key.clone(),
            Stored {
                scope: decided.scope,
                fields,
                clocks,
                version,
                last_user_id: Some(actor.id),
                origin_client,
            },
        );
        if let Some(natural) = decided.natural {
            self.keys
                .insert((one.entity.key().to_owned(), natural), mutation.entity_id);
        }
        if one.entity == Entity::ClosedMonth
            && let Some(month) = closed_month_of(one.entity, &mutation.payload)
        {
            self.closes.entry(month).or_insert_with(|| key.clone());
        }
        if !is_fact(one.entity) {
            self.dirty.push(key);
        }
        if one.entity == Entity::StockMovement {
            self.note_receipt(&mutation.payload);
            self.note_transfer_movement(&mutation.payload);
        }
        self.feed.push(FeedRow {
            entity: one.entity.key().to_owned(),
            entity_id: mutation.entity_id,
            kind: kind.key().to_owned(),
            payload,
            hlc: mutation.hlc.clone(),
            op_uuid: mutation.op_uuid,
            user_id: actor.id,
            view: action_key(decided.view),
            scope: decided.scope,
        });
    }
}

/// The fields a change sets: a workflow step sets the status.
fn fields_of(kind: ChangeKind, payload: &Value) -> Map<String, Value> {
    match (kind, payload) {
        (ChangeKind::Transitioned, _) => Map::from_iter([(
            "status".to_owned(),
            payload.get("to").cloned().unwrap_or(Value::Null),
        )]),
        (_, Value::Object(map)) => map.clone(),
        _ => Map::new(),
    }
}

fn action_key(action: Action) -> String {
    serde_json::to_value(action)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The fact whose id another may not take: a sale's stock issue is derived on
/// every laptop under the sale's id, so no stock movement may take a sale's id,
/// nor a sale a movement's (an honest laptop's ledger would refuse the second).
pub(super) fn id_twin(entity: Entity) -> Option<Entity> {
    match entity {
        Entity::ActualSale => Some(Entity::StockMovement),
        Entity::StockMovement => Some(Entity::ActualSale),
        _ => None,
    }
}
