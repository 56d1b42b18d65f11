//! `salesplan sync verify`: every record of the kinds that travel, as this
//! ledger holds it, checked again with the rules head office applies to a
//! pushed change (`salesplan_domain::changes`). What no longer passes (a value
//! taken from a head office that did not check, an old bug) is listed with
//! the field and the rule, so an administrator can correct it.

use crate::access::{Action, Actor};
use crate::error::Result;
use crate::ledger::replica::mirror::records;
use crate::ledger::{Entity, Ledger};
use salesplan_domain::changes::Record;
use salesplan_domain::sync::rules::{Travel, travel};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// A record that does not pass the rules, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Finding {
    pub entity: Entity,
    /// The record's id (a closed month's month).
    pub record: String,
    pub reason: String,
}

/// Every record that travels, re-checked; an administrator's check.
pub fn verify(ledger: &Ledger, actor: &Actor) -> Result<Vec<Finding>> {
    actor.require(Action::EditSettings, &crate::access::Resource::company())?;
    let mut findings = Vec::new();
    for entity in Entity::ALL {
        let Travel::Shared { .. } = travel(entity) else {
            continue;
        };
        for (record, row) in records(ledger.read(), entity)?.unwrap_or_default() {
            if let Err(refusal) = Record::parse(entity, &Value::Object(row), true) {
                findings.push(Finding {
                    entity,
                    record,
                    reason: refusal.to_string(),
                });
            }
        }
    }
    Ok(findings)
}
