//! `salesplan sync verify`: every record of the kinds that travel, as this
//! ledger holds it, checked again with the rules head office applies to a
//! pushed change (`salesplan_domain::changes`). What no longer passes (a value
//! taken from a head office that did not check, an old bug) is listed with
//! the field and the rule, so an administrator can correct it.

use super::mirror::{mirror, read_all, to_sql};
use crate::access::{Action, Actor};
use crate::error::Result;
use crate::ledger::{Entity, Ledger};
use rusqlite::types::Value as Sql;
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
    let conn = ledger.conn();
    let mut findings = Vec::new();
    for entity in Entity::ALL {
        let (Travel::Shared { .. }, Some(table)) = (travel(entity), mirror(entity)) else {
            continue;
        };
        for row in read_all(conn, &table)? {
            let key = row.get(table.key_column()).map(to_sql).unwrap_or(Sql::Null);
            let record = match &key {
                Sql::Text(text) => text.clone(),
                Sql::Integer(number) => number.to_string(),
                _ => String::new(),
            };
            let row = table.with_children(conn, &key, row)?;
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
