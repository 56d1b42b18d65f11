//! `salesplan sync verify`: every record of the kinds that travel, as this
//! ledger holds it, checked again with the rules head office applies to a
//! pushed change (`salesplan_domain::changes`). What no longer passes (a value
//! taken from a head office that did not check, an old bug) is listed with
//! the field and the rule, so an administrator can correct it.

use super::mirror::{mirror, read_all};
use crate::access::{Action, Actor};
use crate::error::Result;
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
    let conn = ledger.conn();
    let mut findings = Vec::new();
    for entity in Entity::ALL {
        let (Travel::Shared { .. }, Some(table)) = (travel(entity), mirror(entity)) else {
            continue;
        };
        for mut row in read_all(conn, &table)? {
            let record = row
                .get(table.key_column())
                .map(|key| match key {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_default();
            if let Some((child_table, column)) = table.children {
                let children = read_all(
                    conn,
                    &super::mirror::Mirror {
                        table: child_table,
                        ..table
                    },
                )?;
                let own: Vec<Value> = children
                    .into_iter()
                    .filter(|child| {
                        child.get(column).and_then(Value::as_str) == Some(record.as_str())
                    })
                    .map(Value::Object)
                    .collect();
                row.insert("$children".into(), Value::Array(own));
            }
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
