//! Documents with lines whose state head office decides from all of them: a
//! purchase order and its receipts, a transfer and what shipped and arrived.
//! A push touching a document (its own change, a line's, a movement naming a
//! line) loads and locks the document with every one of its lines first.

use super::Checked;
use super::batch::{Batch, Key, key, uuid_field};
use deadpool_postgres::Transaction;
use rust_decimal::Decimal;
use salesplan_domain::access::{Actor, Role};
use salesplan_domain::entity::Entity;
use serde_json::{Map, Value};
use std::str::FromStr;
use uuid::Uuid;

/// A kind of document: its head, its lines, the field naming a line's head
/// and the field naming a line in a stock movement.
#[derive(Debug, Clone, Copy)]
pub(super) struct Document {
    pub head: Entity,
    pub line: Entity,
    pub head_field: &'static str,
    pub movement_field: &'static str,
}

impl Document {
    pub const ORDERS: Document = Document {
        head: Entity::PurchaseOrder,
        line: Entity::PurchaseOrderLine,
        head_field: "order_id",
        movement_field: "order_line_id",
    };
    pub const TRANSFERS: Document = Document {
        head: Entity::Transfer,
        line: Entity::TransferLine,
        head_field: "transfer_id",
        movement_field: "transfer_line_id",
    };
}

/// A document's or a line's fields that bookkeeping alone changes.
pub(super) const BOOKKEEPING: [&str; 4] = ["id", "version", "created_at", "updated_at"];

/// A decimal head office keeps as text in a record's fields (0 when absent).
pub(super) fn decimal_field(fields: &Map<String, Value>, field: &str) -> Decimal {
    fields
        .get(field)
        .and_then(Value::as_str)
        .and_then(|text| Decimal::from_str(text).ok())
        .unwrap_or_default()
}

/// Whether an update sets `field` to something else than the record holds.
pub(super) fn changes(
    payload: &Map<String, Value>,
    before: &Map<String, Value>,
    field: &str,
) -> bool {
    payload.contains_key(field) && payload.get(field) != before.get(field)
}

/// A step (`step`, setting `fields`) sets the document's status, who took
/// it, when and why, and nothing else.
pub(super) fn only_its_own(
    payload: &Map<String, Value>,
    before: &Map<String, Value>,
    step: &str,
    fields: &[&str],
) -> Result<(), String> {
    let own =
        |field: &str| field == "status" || BOOKKEEPING.contains(&field) || fields.contains(&field);
    match payload
        .keys()
        .find(|field| !own(field) && changes(payload, before, field))
    {
        Some(field) => Err(format!(
            "{field}: a step ({step}) sets its status, who took it, when and why, nothing else"
        )),
        None => Ok(()),
    }
}

/// Whether a line was taken off its document.
pub(super) fn removed(fields: &Map<String, Value>) -> bool {
    fields.get("deleted_at").is_some_and(|at| !at.is_null())
}

impl Batch {
    /// Loads (and locks) every document of `document`'s kind the batch's
    /// changes touch, with all its lines.
    pub(super) async fn load_documents(
        &mut self,
        tx: &Transaction<'_>,
        checked: &[&Checked<'_>],
        document: Document,
    ) -> Result<(), tokio_postgres::Error> {
        let named_lines: Vec<Key> = checked
            .iter()
            .filter(|one| one.entity == Entity::StockMovement)
            .filter_map(|one| {
                uuid_field(one.mutation.payload.as_object()?, document.movement_field)
            })
            .map(|line| key(document.line, line))
            .collect();
        self.fetch(tx, named_lines.clone()).await?;
        let heads: Vec<Uuid> = checked
            .iter()
            .filter_map(|one| {
                let fields = one.mutation.payload.as_object()?;
                if one.entity == document.head {
                    Some(one.mutation.entity_id)
                } else if one.entity == document.line {
                    uuid_field(fields, document.head_field)
                        .or_else(|| self.head_of_line(document, one.mutation.entity_id))
                } else {
                    None
                }
            })
            .chain(
                named_lines
                    .iter()
                    .filter_map(|(_, line)| self.head_of_line(document, *line)),
            )
            .collect();
        if heads.is_empty() {
            return Ok(());
        }
        self.fetch(tx, heads.iter().map(|id| key(document.head, *id)).collect())
            .await?;
        let texts: Vec<String> = heads.iter().map(Uuid::to_string).collect();
        let rows = tx
            .query(
                &tx.prepare_cached(&format!(
                    "SELECT entity_id FROM entities WHERE entity = '{}' AND fields ->> '{}' = ANY($1)",
                    document.line.key(),
                    document.head_field
                ))
                .await?,
                &[&texts],
            )
            .await?;
        let lines: Vec<Key> = rows
            .iter()
            .map(|row| key(document.line, row.get(0)))
            .collect();
        self.fetch(tx, lines).await
    }

    /// The document a line held (or taken in this batch) belongs to.
    pub(super) fn head_of_line(&self, document: Document, line: Uuid) -> Option<Uuid> {
        let held = self.records.get(&key(document.line, line))?;
        uuid_field(&held.fields, document.head_field)
    }

    /// The live lines of a document as head office holds them.
    pub(super) fn lines_of(
        &self,
        document: Document,
        head: Uuid,
    ) -> impl Iterator<Item = (Uuid, &Map<String, Value>)> {
        let line_key = document.line.key();
        self.records
            .iter()
            .filter(move |((entity, _), line)| {
                entity == line_key
                    && uuid_field(&line.fields, document.head_field) == Some(head)
                    && !removed(&line.fields)
            })
            .map(|((_, id), line)| (*id, &line.fields))
    }

    /// A step is recorded under who takes it: the pushing account, or, on a
    /// ledger several people work on (it syncs as its administrator, who
    /// vouches for them), an account head office holds.
    pub(super) fn recorded_by(
        &self,
        actor: &Actor,
        payload: &Map<String, Value>,
        by: &str,
    ) -> Result<(), String> {
        let named = uuid_field(payload, by);
        let vouched = actor.role == Role::Administrator
            && named.is_some_and(|user| self.accounts.contains_key(&user));
        if named == Some(actor.id) || vouched {
            return Ok(());
        }
        Err(format!(
            "{by}: a step is recorded under who takes it ({})",
            actor.id
        ))
    }

    /// A movement taken: the head-office sum `field` of the line it names
    /// grows by `quantity`.
    pub(super) fn add_to_line(&mut self, line: Key, field: &str, quantity: Decimal) {
        if let Some(held) = self.records.get_mut(&line) {
            let sum = decimal_field(&held.fields, field) + quantity;
            held.fields
                .insert(field.into(), Value::String(sum.to_string()));
            self.dirty.push(line);
        }
    }
}
