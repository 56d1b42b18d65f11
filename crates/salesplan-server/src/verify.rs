//! `salesplan-server verify`: every record head office holds, checked again
//! with the rules a pushed change must pass (`salesplan_domain::changes`), so
//! an operator can clean a database that took bad changes before head office
//! checked them. Merged records are read whole; facts (kept in the feed) as
//! the change they were. `--quarantine` moves what fails into `quarantine`,
//! with its reason. A record stored before natural keys were kept gets its key.

use crate::sync::record_columns;
use anyhow::{Context, Result};
use deadpool_postgres::Pool;
use salesplan_domain::changes::{self, Record};
use salesplan_domain::entity::{ChangeKind, Entity};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// A stored record that no longer passes, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub entity: String,
    pub entity_id: Uuid,
    /// "record" or "fact".
    pub source: &'static str,
    pub reason: String,
}

/// Checks everything head office holds; with `quarantine`, moves what fails aside.
pub async fn verify(pool: &Pool, quarantine: bool) -> Result<Vec<Finding>> {
    let mut client = pool.get().await.context("cannot reach the database")?;
    let tx = client.transaction().await?;
    let mut findings = Vec::new();
    let mut bodies = Vec::new();
    for row in tx
        .query("SELECT entity, entity_id, fields, natural_key FROM entities ORDER BY entity, entity_id", &[])
        .await?
    {
        let (entity, id, fields): (String, Uuid, Value) = (row.get(0), row.get(1), row.get(2));
        let columns = match fields.as_object() {
            Some(fields) => Value::Object(record_columns(fields)),
            None => fields.clone(),
        };
        let checked = Entity::parse(&entity)
            .ok_or_else(|| format!("entity: '{entity}' is not a kind of record"))
            .and_then(|kind| Record::parse(kind, &columns, true).map_err(|refusal| refusal.to_string()));
        match checked {
            Err(reason) => {
                findings.push(Finding { entity, entity_id: id, source: "record", reason });
                bodies.push(fields);
            }
            Ok(record) => {
                let key = record.natural_key().map(|(_, key)| key);
                if row.get::<_, Option<String>>(3) != key {
                    tx.execute(
                        "UPDATE entities SET natural_key = $3 WHERE entity = $1 AND entity_id = $2",
                        &[&entity, &id, &key],
                    )
                    .await?;
                }
            }
        }
    }
    let mut facts = Vec::new();
    for row in tx
        .query("SELECT seq, entity, entity_id, kind, payload FROM changes WHERE kind = 'appended' ORDER BY seq", &[])
        .await?
    {
        let (seq, entity, id, kind, payload): (i64, String, Uuid, String, Value) =
            (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
        let checked = match (Entity::parse(&entity), ChangeKind::parse(&kind)) {
            (Some(entity), Some(kind)) => changes::parse(entity, kind, id, &payload).map(drop).map_err(|refusal| refusal.to_string()),
            _ => Err(format!("'{entity} {kind}' is not a kind of change")),
        };
        if let Err(reason) = checked {
            findings.push(Finding { entity, entity_id: id, source: "fact", reason });
            bodies.push(payload);
            facts.push(seq);
        }
    }
    if quarantine {
        for (finding, body) in findings.iter().zip(&bodies) {
            tx.execute(
                "INSERT INTO quarantine (entity, entity_id, source, body, reason) VALUES ($1, $2, $3, $4, $5)",
                &[&finding.entity, &finding.entity_id, &finding.source, body, &finding.reason],
            )
            .await?;
            if finding.source == "record" {
                tx.execute(
                    "DELETE FROM entities WHERE entity = $1 AND entity_id = $2",
                    &[&finding.entity, &finding.entity_id],
                )
                .await?;
            }
        }
        tx.execute("DELETE FROM changes WHERE seq = ANY($1)", &[&facts])
            .await?;
    }
    tx.commit().await?;
    Ok(findings)
}
