//! Reference data services: departments, locations, product categories,
//! products, customers and suppliers. One generic set of use cases serves every kind.

use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::timestamp::Timestamp;
use crate::validate::{non_negative_money, required_text};
use rust_decimal::Decimal;
pub use salesplan_domain::changes::records::{Channel, LocationKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use crate::model::reference::{Stored, StoredReference};

/// What a reference kind declares beyond how it is stored
/// ([`StoredReference`]); everything else is shared.
pub trait ReferenceFields: StoredReference {
    /// The right to change this kind (the administrator's reference data; Supply Chain's suppliers).
    const EDIT: Action = Action::EditReference;
    /// Trims text and checks every rule that does not need the ledger.
    fn validated(self) -> Result<Self>;
    /// Checks the rules that need the ledger (references to other rows).
    fn check_references(&self, _conn: Reader<'_>) -> Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Department {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Location {
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    #[serde(default)]
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductCategory {
    pub code: String,
    pub name: String,
}

/// What expense money is for: travel, marketing, samples…
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetCategory {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub category_id: Uuid,
    /// Unit of measure: "pcs", "case", "kg"…
    pub unit: String,
    /// Exact decimal, a string in JSON.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub list_price: Decimal,
    #[serde(default = "yes", deserialize_with = "crate::validate::flag")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Customer {
    pub code: String,
    pub name: String,
    pub channel: Channel,
    /// The branch that serves this customer, if any.
    pub location_id: Option<Uuid>,
}

/// Who stock is bought from, and what buying from them takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Supplier {
    pub code: String,
    pub name: String,
    /// Who to call or write to: a name, a phone number, an address.
    #[serde(default)]
    pub contact: String,
    /// ISO 4217 code the supplier invoices in, e.g. "EUR".
    pub currency: String,
    /// Days from ordering to receiving, on average (1-365).
    pub lead_time_days: u16,
    /// How much the lead time varies: its standard deviation in days.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub lead_time_sd_days: Decimal,
    /// What placing one order costs, in the supplier's currency.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub order_cost: Decimal,
}

impl StoredReference for Supplier {
    const ENTITY: Entity = Entity::Supplier;
    const ENTITY_TABLE: &'static str = "suppliers";
    const KEY_FIELD: &'static str = "code";
    const ORDER_BY: &'static str = "name";
    fn key(&self) -> &str {
        &self.code
    }
    fn key_mut(&mut self) -> &mut String {
        &mut self.code
    }
}

impl ReferenceFields for Supplier {
    const EDIT: Action = Action::EditSuppliers;
    /// Head office's own types check each field: one rule wherever a supplier arrives.
    fn validated(self) -> Result<Self> {
        use salesplan_domain::changes::records::{Currency, LeadTime};
        use salesplan_domain::values::{Days, Line};
        LeadTime::try_from(i64::from(self.lead_time_days))
            .map_err(Error::refused("lead_time_days"))?;
        let variability =
            Days::new(self.lead_time_sd_days).map_err(Error::refused("lead_time_sd_days"))?;
        let contact = self.contact.trim().to_owned();
        Line::<200>::try_from(contact.clone()).map_err(Error::refused("contact"))?;
        let currency = Currency::try_from(self.currency.trim().to_uppercase())
            .map_err(Error::refused("currency"))?;
        Ok(Supplier {
            code: crate::validate::code("code", &self.code, 20)?,
            name: required_text("name", &self.name, 200)?,
            contact,
            currency: currency.into(),
            lead_time_days: self.lead_time_days,
            lead_time_sd_days: variability.0.normalize(),
            order_cost: non_negative_money("order_cost", self.order_cost)?,
        })
    }
}

impl StoredReference for Department {
    const ENTITY: Entity = Entity::Department;
    const ENTITY_TABLE: &'static str = "departments";
    const KEY_FIELD: &'static str = "code";
    const ORDER_BY: &'static str = "name";
    fn key(&self) -> &str {
        &self.code
    }
    fn key_mut(&mut self) -> &mut String {
        &mut self.code
    }
}

impl ReferenceFields for Department {
    fn validated(self) -> Result<Self> {
        Ok(Department {
            code: crate::validate::code("code", &self.code, 20)?,
            name: required_text("name", &self.name, 100)?,
        })
    }
}

impl StoredReference for Location {
    const ENTITY: Entity = Entity::Location;
    const ENTITY_TABLE: &'static str = "locations";
    const KEY_FIELD: &'static str = "code";
    const ORDER_BY: &'static str = "name";
    fn key(&self) -> &str {
        &self.code
    }
    fn key_mut(&mut self) -> &mut String {
        &mut self.code
    }
}

impl ReferenceFields for Location {
    fn validated(self) -> Result<Self> {
        Ok(Location {
            code: crate::validate::code("code", &self.code, 20)?,
            name: required_text("name", &self.name, 100)?,
            kind: self.kind,
            city: self.city.trim().to_owned(),
        })
    }
}

impl StoredReference for ProductCategory {
    const ENTITY: Entity = Entity::ProductCategory;
    const ENTITY_TABLE: &'static str = "product_categories";
    const KEY_FIELD: &'static str = "code";
    const ORDER_BY: &'static str = "name";
    fn key(&self) -> &str {
        &self.code
    }
    fn key_mut(&mut self) -> &mut String {
        &mut self.code
    }
}

impl ReferenceFields for ProductCategory {
    fn validated(self) -> Result<Self> {
        Ok(ProductCategory {
            code: crate::validate::code("code", &self.code, 20)?,
            name: required_text("name", &self.name, 100)?,
        })
    }
}

impl StoredReference for BudgetCategory {
    const ENTITY: Entity = Entity::BudgetCategory;
    const ENTITY_TABLE: &'static str = "budget_categories";
    const KEY_FIELD: &'static str = "code";
    const ORDER_BY: &'static str = "name";
    fn key(&self) -> &str {
        &self.code
    }
    fn key_mut(&mut self) -> &mut String {
        &mut self.code
    }
}

impl ReferenceFields for BudgetCategory {
    fn validated(self) -> Result<Self> {
        Ok(BudgetCategory {
            code: crate::validate::code("code", &self.code, 20)?,
            name: required_text("name", &self.name, 100)?,
        })
    }
}

impl StoredReference for Product {
    const ENTITY: Entity = Entity::Product;
    const ENTITY_TABLE: &'static str = "products";
    const KEY_FIELD: &'static str = "sku";
    const ORDER_BY: &'static str = "sku";
    fn key(&self) -> &str {
        &self.sku
    }
    fn key_mut(&mut self) -> &mut String {
        &mut self.sku
    }
}

impl ReferenceFields for Product {
    fn validated(self) -> Result<Self> {
        Ok(Product {
            sku: crate::validate::code("sku", &self.sku, 40)?,
            name: required_text("name", &self.name, 200)?,
            category_id: self.category_id,
            unit: required_text("unit", &self.unit, 20)?,
            list_price: non_negative_money("list_price", self.list_price)?,
            active: self.active,
        })
    }
    fn check_references(&self, conn: Reader<'_>) -> Result<()> {
        require_live::<ProductCategory>(conn, "category_id", Some(self.category_id))
    }
}

impl StoredReference for Customer {
    const ENTITY: Entity = Entity::Customer;
    const ENTITY_TABLE: &'static str = "customers";
    const KEY_FIELD: &'static str = "code";
    const ORDER_BY: &'static str = "name";
    fn key(&self) -> &str {
        &self.code
    }
    fn key_mut(&mut self) -> &mut String {
        &mut self.code
    }
}

impl ReferenceFields for Customer {
    fn validated(self) -> Result<Self> {
        Ok(Customer {
            code: crate::validate::code("code", &self.code, 20)?,
            name: required_text("name", &self.name, 200)?,
            channel: self.channel,
            location_id: self.location_id,
        })
    }
    fn check_references(&self, conn: Reader<'_>) -> Result<()> {
        require_live::<Location>(conn, "location_id", self.location_id)
    }
}

/// The live warehouses by code: the first is what the branches are
/// replenished from (DESIGN §2.5).
pub(crate) fn warehouses(conn: Reader<'_>) -> Result<Vec<(Uuid, String)>> {
    let mut found: Vec<(Uuid, String)> = ledger::reference::list::<Location>(conn, false)?
        .into_iter()
        .filter(|row| row.fields.kind == LocationKind::Warehouse)
        .map(|row| (row.id, row.fields.code))
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(found)
}

/// A reference to another row must name a live (not archived) one.
pub(crate) fn require_live<F: ReferenceFields>(
    conn: Reader<'_>,
    field: &str,
    id: Option<Uuid>,
) -> Result<()> {
    match id {
        Some(id) if !ledger::reference::is_live(conn, F::ENTITY_TABLE, id)? => Err(Error::invalid(
            field,
            format!("no active {} with id {id}", F::ENTITY.noun()),
        )),
        _ => Ok(()),
    }
}

// ---- use cases -------------------------------------------------------------

pub fn list<F: ReferenceFields>(
    ledger: &Ledger,
    actor: &Actor,
    include_archived: bool,
) -> Result<Vec<Stored<F>>> {
    actor.require(Action::ViewReference, &Resource::company())?;
    ledger::reference::list::<F>(ledger.read(), include_archived)
}

/// Finds a row by its natural key (code or SKU).
pub fn find<F: ReferenceFields>(ledger: &Ledger, actor: &Actor, key: &str) -> Result<Stored<F>> {
    actor.require(Action::ViewReference, &Resource::company())?;
    ledger::reference::find_by_key::<F>(ledger.read(), key)?
        .ok_or_else(|| Error::not_found(F::ENTITY.noun(), key.trim()))
}

pub fn create<F: ReferenceFields>(
    ledger: &mut Ledger,
    actor: &Actor,
    fields: F,
) -> Result<Stored<F>> {
    actor.require(F::EDIT, &Resource::company())?;
    ledger.write(Some(actor), |write| create_in(write, fields))
}

/// Creation inside an open write (used by the demo company too).
pub(crate) fn create_in<F: ReferenceFields>(write: &mut Write<'_>, fields: F) -> Result<Stored<F>> {
    let fields = fields.validated()?;
    let conn = write.read();
    fields.check_references(conn)?;
    if ledger::reference::find_by_key::<F>(conn, fields.key())?.is_some() {
        return Err(duplicate::<F>(fields.key()));
    }
    let id = Uuid::now_v7();
    let now = crate::timestamp::Timestamp::now();
    ledger::reference::insert(write, id, &fields, now)?;
    write.record(Change {
        entity: F::ENTITY,
        entity_id: id,
        kind: ChangeKind::Created,
        payload: serde_json::to_value(&fields).unwrap_or_default(),
        base_version: None,
    })?;
    stored::<F>(write.read(), id)
}

/// Replaces a row's fields. `base_version` is the version the user edited;
/// when someone else changed the row since, the edit is refused, not merged blindly.
pub fn update<F: ReferenceFields>(
    ledger: &mut Ledger,
    actor: &Actor,
    id: Uuid,
    base_version: Option<i64>,
    fields: F,
) -> Result<Stored<F>> {
    actor.require(F::EDIT, &Resource::company())?;
    let fields = fields.validated()?;
    ledger.write(Some(actor), |write| {
        check_version(&stored::<F>(write.read(), id)?, base_version)?;
        update_in(write, id, fields)
    })
}

/// Replaces a row's fields inside an open write (checked already: `fields` validated).
pub(crate) fn update_in<F: ReferenceFields>(
    write: &mut Write<'_>,
    id: Uuid,
    fields: F,
) -> Result<Stored<F>> {
    let conn = write.read();
    let current = stored::<F>(conn, id)?;
    fields.check_references(conn)?;
    if let Some(other) = ledger::reference::find_by_key::<F>(conn, fields.key())?
        && other.id != id
    {
        return Err(duplicate::<F>(fields.key()));
    }
    let changed = changed_fields(&current.fields, &fields);
    if changed.is_empty() {
        return Ok(current);
    }
    ledger::reference::update(write, id, &fields, crate::timestamp::Timestamp::now())?;
    write.record(Change {
        entity: F::ENTITY,
        entity_id: id,
        kind: ChangeKind::Updated,
        payload: serde_json::Value::Object(changed),
        base_version: Some(current.version),
    })?;
    stored::<F>(write.read(), id)
}

/// Archives (tombstones) or restores a row. Archived rows stay for history
/// and keep their key, but cannot be chosen for new records.
pub fn set_archived<F: ReferenceFields>(
    ledger: &mut Ledger,
    actor: &Actor,
    id: Uuid,
    archived: bool,
) -> Result<Stored<F>> {
    actor.require(F::EDIT, &Resource::company())?;
    ledger.write(Some(actor), |write| {
        set_archived_in::<F>(write, id, archived)
    })
}

/// Archives or restores a row inside an open write.
pub(crate) fn set_archived_in<F: ReferenceFields>(
    write: &mut Write<'_>,
    id: Uuid,
    archived: bool,
) -> Result<Stored<F>> {
    {
        let current = stored::<F>(write.read(), id)?;
        if current.archived_at.is_some() == archived {
            return Ok(current);
        }
        ledger::reference::set_archived::<F>(
            write,
            id,
            archived,
            crate::timestamp::Timestamp::now(),
        )?;
        write.record(Change {
            entity: F::ENTITY,
            entity_id: id,
            kind: if archived {
                ChangeKind::Archived
            } else {
                ChangeKind::Restored
            },
            payload: serde_json::json!({ F::KEY_FIELD: current.fields.key() }),
            base_version: Some(current.version),
        })?;
        stored::<F>(write.read(), id)
    }
}

fn stored<F: ReferenceFields>(conn: Reader<'_>, id: Uuid) -> Result<Stored<F>> {
    ledger::reference::get::<F>(conn, id)?.ok_or_else(|| Error::not_found(F::ENTITY.noun(), id))
}

fn duplicate<F: ReferenceFields>(key: &str) -> Error {
    Error::Duplicate {
        entity: F::ENTITY.noun(),
        field: F::KEY_FIELD,
        value: key.to_owned(),
    }
}

pub(crate) fn check_version<F>(current: &Stored<F>, base_version: Option<i64>) -> Result<()>
where
    F: ReferenceFields,
{
    match base_version {
        Some(expected) if expected != current.version => Err(Error::StaleVersion {
            entity: F::ENTITY.noun(),
            key: current.fields.key().to_owned(),
            expected,
            actual: current.version,
        }),
        _ => Ok(()),
    }
}

/// The fields whose serde form differs, with their new values (the outbox
/// payload of an update: last-writer-wins merges per field, DESIGN §5).
pub(crate) fn changed_fields<T: Serialize>(
    before: &T,
    after: &T,
) -> serde_json::Map<String, serde_json::Value> {
    let as_map = |value: &T| match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let before = as_map(before);
    as_map(after)
        .into_iter()
        .filter(|(name, value)| before.get(name) != Some(value))
        .collect()
}

// ---- one IPC surface for every kind ------------------------------------------

/// Which reference kind a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReferenceKind {
    Department,
    Location,
    ProductCategory,
    Product,
    Customer,
    BudgetCategory,
    Supplier,
}

/// A kind's fields, tagged with the kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "fields", rename_all = "snake_case")]
#[ts(export)]
pub enum ReferenceItem {
    Department(Department),
    Location(Location),
    ProductCategory(ProductCategory),
    Product(Product),
    Customer(Customer),
    BudgetCategory(BudgetCategory),
    Supplier(Supplier),
}

/// A stored reference row of any kind.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReferenceRecord {
    pub id: Uuid,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub archived_at: Option<Timestamp>,
    pub item: ReferenceItem,
}

fn record<F: ReferenceFields>(stored: Stored<F>, wrap: fn(F) -> ReferenceItem) -> ReferenceRecord {
    ReferenceRecord {
        id: stored.id,
        version: stored.version,
        created_at: stored.created_at,
        updated_at: stored.updated_at,
        archived_at: stored.archived_at,
        item: wrap(stored.fields),
    }
}

/// Calls `$use_case::<Kind>(…)` for the kind named by `$kind`, wrapping rows as `ReferenceRecord`s.
macro_rules! for_kind {
    ($kind:expr, |$fields:ident, $wrap:ident| $body:expr) => {
        match $kind {
            ReferenceKind::Department => {
                type $fields = Department;
                let $wrap = ReferenceItem::Department;
                $body
            }
            ReferenceKind::Location => {
                type $fields = Location;
                let $wrap = ReferenceItem::Location;
                $body
            }
            ReferenceKind::ProductCategory => {
                type $fields = ProductCategory;
                let $wrap = ReferenceItem::ProductCategory;
                $body
            }
            ReferenceKind::Product => {
                type $fields = Product;
                let $wrap = ReferenceItem::Product;
                $body
            }
            ReferenceKind::Customer => {
                type $fields = Customer;
                let $wrap = ReferenceItem::Customer;
                $body
            }
            ReferenceKind::BudgetCategory => {
                type $fields = BudgetCategory;
                let $wrap = ReferenceItem::BudgetCategory;
                $body
            }
            ReferenceKind::Supplier => {
                type $fields = Supplier;
                let $wrap = ReferenceItem::Supplier;
                $body
            }
        }
    };
}

/// Calls `$body` with the fields inside an item and the constructor that wraps them again.
macro_rules! for_item {
    ($item:expr, |$fields:ident, $wrap:ident| $body:expr) => {
        match $item {
            ReferenceItem::Department($fields) => {
                let $wrap = ReferenceItem::Department;
                $body
            }
            ReferenceItem::Location($fields) => {
                let $wrap = ReferenceItem::Location;
                $body
            }
            ReferenceItem::ProductCategory($fields) => {
                let $wrap = ReferenceItem::ProductCategory;
                $body
            }
            ReferenceItem::Product($fields) => {
                let $wrap = ReferenceItem::Product;
                $body
            }
            ReferenceItem::Customer($fields) => {
                let $wrap = ReferenceItem::Customer;
                $body
            }
            ReferenceItem::BudgetCategory($fields) => {
                let $wrap = ReferenceItem::BudgetCategory;
                $body
            }
            ReferenceItem::Supplier($fields) => {
                let $wrap = ReferenceItem::Supplier;
                $body
            }
        }
    };
}

pub fn list_kind(
    ledger: &Ledger,
    actor: &Actor,
    kind: ReferenceKind,
    include_archived: bool,
) -> Result<Vec<ReferenceRecord>> {
    for_kind!(kind, |F, wrap| Ok(list::<F>(
        ledger,
        actor,
        include_archived
    )?
    .into_iter()
    .map(|stored| record(stored, wrap))
    .collect()))
}

pub fn create_item(
    ledger: &mut Ledger,
    actor: &Actor,
    item: ReferenceItem,
) -> Result<ReferenceRecord> {
    for_item!(item, |fields, wrap| create(ledger, actor, fields)
        .map(|stored| record(stored, wrap)))
}

pub fn update_item(
    ledger: &mut Ledger,
    actor: &Actor,
    id: Uuid,
    base_version: Option<i64>,
    item: ReferenceItem,
) -> Result<ReferenceRecord> {
    for_item!(item, |fields, wrap| update(
        ledger,
        actor,
        id,
        base_version,
        fields
    )
    .map(|stored| record(stored, wrap)))
}

pub fn set_kind_archived(
    ledger: &mut Ledger,
    actor: &Actor,
    kind: ReferenceKind,
    id: Uuid,
    archived: bool,
) -> Result<ReferenceRecord> {
    for_kind!(kind, |F, wrap| set_archived::<F>(
        ledger, actor, id, archived
    )
    .map(|stored| record(stored, wrap)))
}
