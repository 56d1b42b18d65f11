//! What each supplier sells and on what terms (DESIGN §2.4): the cost price,
//! the pack it ships in, the minimum order, a lead time of its own, and which
//! supplier is a product's primary source. Supply Chain keeps them; the
//! suppliers themselves are reference data (`reference::Supplier`).

pub use crate::model::suppliers::{SupplierProduct, SupplierTerms};

use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::reference::{Product, Supplier, changed_fields, require_live};
use crate::timestamp::Timestamp;
use uuid::Uuid;

/// A supplier's lines, a product's lines, or all, by supplier and SKU.
pub fn products(
    ledger: &Ledger,
    actor: &Actor,
    supplier_id: Option<Uuid>,
    product_id: Option<Uuid>,
    include_archived: bool,
) -> Result<Vec<SupplierProduct>> {
    actor.require(Action::ViewStock, &Resource::company())?;
    ledger::suppliers::lines(ledger.read(), supplier_id, product_id, include_archived)
}

impl SupplierTerms {
    /// Head office's own types check each field: one rule wherever a line arrives.
    pub(crate) fn validated(self) -> Result<SupplierTerms> {
        use salesplan_domain::changes::records::LeadTime;
        use salesplan_domain::values::{Count, Line, PackSize, Price};
        let supplier_sku = self.supplier_sku.trim().to_owned();
        Line::<40>::try_from(supplier_sku.clone()).map_err(Error::refused("supplier_sku"))?;
        if let Some(days) = self.lead_time_days {
            LeadTime::try_from(i64::from(days)).map_err(Error::refused("lead_time_days"))?;
        }
        Ok(SupplierTerms {
            supplier_sku,
            cost_price: Price::new(self.cost_price)
                .map_err(Error::refused("cost_price"))?
                .0,
            pack_size: PackSize::new(self.pack_size)
                .map_err(Error::refused("pack_size"))?
                .0,
            min_order: Count::new(self.min_order)
                .map_err(Error::refused("min_order"))?
                .0,
            ..self
        })
    }
}

/// Sets the terms a supplier sells a product on: a new line, or the one there
/// (brought back if it was archived). `base_version`: the version edited;
/// someone else's change since is refused, not merged blindly. A primary
/// supplier makes the product's other primary step back.
pub fn put(
    ledger: &mut Ledger,
    actor: &Actor,
    terms: SupplierTerms,
    base_version: Option<i64>,
) -> Result<SupplierProduct> {
    actor.require(Action::EditSuppliers, &Resource::company())?;
    ledger.write(Some(actor), |write| put_in(write, terms, base_version))
}

/// Sets a line inside an open write (the demo's too), checked as `put` checks it.
pub(crate) fn put_in(
    write: &mut Write<'_>,
    terms: SupplierTerms,
    base_version: Option<i64>,
) -> Result<SupplierProduct> {
    let terms = terms.validated()?;
    let conn = write.read();
    require_live::<Supplier>(conn, "supplier_id", Some(terms.supplier_id))?;
    require_live::<Product>(conn, "product_id", Some(terms.product_id))?;
    let current = ledger::suppliers::find(conn, terms.supplier_id, terms.product_id)?;
    if let (Some(current), Some(expected)) = (&current, base_version)
        && current.version != expected
    {
        return Err(Error::StaleVersion {
            entity: Entity::SupplierProduct.noun(),
            key: format!("{} {}", current.supplier_code, current.sku),
            expected,
            actual: current.version,
        });
    }
    let now = Timestamp::now();
    if terms.is_primary {
        let others = ledger::suppliers::lines(conn, None, Some(terms.product_id), false)?;
        for other in others
            .into_iter()
            .filter(|other| other.terms.is_primary && other.terms.supplier_id != terms.supplier_id)
        {
            let stepped_back = SupplierTerms {
                is_primary: false,
                ..other.terms
            };
            ledger::suppliers::put(write, other.id, &stepped_back, now)?;
            write.record(Change {
                entity: Entity::SupplierProduct,
                entity_id: other.id,
                kind: ChangeKind::Updated,
                payload: serde_json::json!({ "is_primary": false }),
                base_version: Some(other.version),
            })?;
        }
    }
    let (id, kind, payload, base_version) = match &current {
        None => (
            Uuid::now_v7(),
            ChangeKind::Created,
            serde_json::to_value(&terms).unwrap_or_default(),
            None,
        ),
        Some(current) => {
            let mut changed = changed_fields(&current.terms, &terms);
            if current.archived_at.is_some() {
                changed.insert("deleted_at".into(), serde_json::Value::Null);
            }
            if changed.is_empty() {
                return Ok(current.clone());
            }
            (
                current.id,
                ChangeKind::Updated,
                serde_json::Value::Object(changed),
                Some(current.version),
            )
        }
    };
    ledger::suppliers::put(write, id, &terms, now)?;
    write.record(Change {
        entity: Entity::SupplierProduct,
        entity_id: id,
        kind,
        payload,
        base_version,
    })?;
    found(write, terms.supplier_id, terms.product_id)
}

/// The product is no longer bought from the supplier: its line is archived (kept for history).
pub fn remove(
    ledger: &mut Ledger,
    actor: &Actor,
    supplier_id: Uuid,
    product_id: Uuid,
) -> Result<SupplierProduct> {
    actor.require(Action::EditSuppliers, &Resource::company())?;
    ledger.write(Some(actor), |write| {
        remove_in(write, supplier_id, product_id)
    })
}

/// Archives a line inside an open write (an import's reversal too).
pub(crate) fn remove_in(
    write: &mut Write<'_>,
    supplier_id: Uuid,
    product_id: Uuid,
) -> Result<SupplierProduct> {
    let current = found(write, supplier_id, product_id)?;
    if current.archived_at.is_some() {
        return Ok(current);
    }
    ledger::suppliers::archive(write, current.id, Timestamp::now())?;
    write.record(Change {
        entity: Entity::SupplierProduct,
        entity_id: current.id,
        kind: ChangeKind::Archived,
        payload: serde_json::json!({ "supplier_id": supplier_id, "product_id": product_id }),
        base_version: Some(current.version),
    })?;
    found(write, supplier_id, product_id)
}

fn found(write: &Write<'_>, supplier_id: Uuid, product_id: Uuid) -> Result<SupplierProduct> {
    ledger::suppliers::find(write.read(), supplier_id, product_id)?.ok_or_else(|| {
        Error::not_found(
            Entity::SupplierProduct.noun(),
            format!("supplier {supplier_id}, product {product_id}"),
        )
    })
}
