//! A person's override of a stock policy: a reorder point, an order quantity
//! or both, with the reason, kept until removed. One per item; setting it again
//! replaces it, removing it archives it (the computed policy applies again).

use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::model::policies::PolicyOverride;
use crate::reference::{Location, Product, require_live};
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewPolicyOverride {
    pub location_id: Uuid,
    pub product_id: Uuid,
    #[ts(type = "string | null")]
    pub reorder_point: Option<Decimal>,
    #[ts(type = "string | null")]
    pub order_quantity: Option<Decimal>,
    pub reason: String,
}

impl NewPolicyOverride {
    /// Head office's own types check each field.
    fn validated(self) -> Result<NewPolicyOverride> {
        use salesplan_domain::values::{Count, Name};
        let count = |field: &str, value: Option<Decimal>| -> Result<Option<Decimal>> {
            value
                .map(|value| {
                    Count::new(value)
                        .map(|count| count.0.normalize())
                        .map_err(Error::refused(field))
                })
                .transpose()
        };
        let reorder_point = count("reorder_point", self.reorder_point)?;
        let order_quantity = count("order_quantity", self.order_quantity)?;
        if reorder_point.is_none() && order_quantity.is_none() {
            return Err(Error::invalid(
                "reorder_point",
                "an override sets a reorder point, an order quantity or both",
            ));
        }
        let reason = self.reason.trim().to_owned();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "is required: say why the computed policy does not fit",
            ));
        }
        Name::<500>::try_from(reason.clone()).map_err(Error::refused("reason"))?;
        Ok(NewPolicyOverride {
            reorder_point,
            order_quantity,
            reason,
            ..self
        })
    }
}

/// Overrides an item's policy (replacing its override if it has one), also
/// one not worked out yet (a new product). `base_version`: the override's
/// version edited; someone else's since is refused.
pub fn set_override(
    ledger: &mut Ledger,
    actor: &Actor,
    new: NewPolicyOverride,
    base_version: Option<i64>,
) -> Result<PolicyOverride> {
    actor.require(
        Action::EditPolicies,
        &Resource::at_location(new.location_id),
    )?;
    let new = new.validated()?;
    ledger.write(Some(actor), |write| {
        let conn = write.read();
        require_live::<Location>(conn, "location_id", Some(new.location_id))?;
        require_live::<Product>(conn, "product_id", Some(new.product_id))?;
        let current = ledger::policies::find_override(conn, new.location_id, new.product_id)?;
        if let (Some((current, _)), Some(expected)) = (&current, base_version)
            && current.version != expected
        {
            return Err(Error::StaleVersion {
                entity: Entity::StockPolicyOverride.noun(),
                key: current.reason.clone(),
                expected,
                actual: current.version,
            });
        }
        let now = Timestamp::now();
        let row = PolicyOverride {
            id: current
                .as_ref()
                .map_or_else(Uuid::now_v7, |(row, _)| row.id),
            location_id: new.location_id,
            product_id: new.product_id,
            reorder_point: new.reorder_point,
            order_quantity: new.order_quantity,
            reason: new.reason.clone(),
            created_by: actor.id,
            created_by_name: None,
            version: 1,
            updated_at: now,
        };
        ledger::policies::put_override(write, &row, now)?;
        let fields = serde_json::json!({
            "reorder_point": row.reorder_point.map(|q| q.to_string()),
            "order_quantity": row.order_quantity.map(|q| q.to_string()),
            "reason": row.reason,
            "created_by": row.created_by,
        });
        let (kind, payload, base) = match &current {
            None => {
                let mut whole = fields;
                whole["location_id"] = serde_json::json!(row.location_id);
                whole["product_id"] = serde_json::json!(row.product_id);
                (ChangeKind::Created, whole, None)
            }
            Some((current, live)) => {
                let mut changed = fields;
                if !live {
                    changed["deleted_at"] = serde_json::Value::Null;
                }
                (ChangeKind::Updated, changed, Some(current.version))
            }
        };
        write.record(Change {
            entity: Entity::StockPolicyOverride,
            entity_id: row.id,
            kind,
            payload,
            base_version: base,
        })?;
        ledger::policies::find_override(write.read(), new.location_id, new.product_id)?
            .map(|(row, _)| row)
            .ok_or_else(|| Error::not_found(Entity::StockPolicyOverride.noun(), row.id))
    })
}

/// Removes an item's override: its computed policy applies again.
pub fn remove_override(
    ledger: &mut Ledger,
    actor: &Actor,
    location_id: Uuid,
    product_id: Uuid,
) -> Result<()> {
    actor.require(Action::EditPolicies, &Resource::at_location(location_id))?;
    ledger.write(Some(actor), |write| {
        let Some((current, true)) =
            ledger::policies::find_override(write.read(), location_id, product_id)?
        else {
            return Err(Error::not_found(
                Entity::StockPolicyOverride.noun(),
                format!("location {location_id}, product {product_id}"),
            ));
        };
        ledger::policies::archive_override(write, current.id, Timestamp::now())?;
        write.record(Change {
            entity: Entity::StockPolicyOverride,
            entity_id: current.id,
            kind: ChangeKind::Archived,
            payload: serde_json::json!({ "location_id": location_id, "product_id": product_id }),
            base_version: Some(current.version),
        })
    })
}
