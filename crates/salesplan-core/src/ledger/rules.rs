//! SQL for `alert_rules`: each person's rules and what their last check found.

use crate::error::Result;
use crate::ledger::{Reader, Write, columns};
use crate::model::rules::{
    AlertRule, Notify, RuleCondition, RuleDefinition, RuleLevel, RuleMeasure, RuleState, RuleWithin,
};
use crate::timestamp::{Day, Timestamp};
use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;
use uuid::Uuid;

const COLUMNS: &str = "id, owner_id, name, measure, within_level, within_key, condition, threshold,
    stock_kind, notify, snoozed_until, state, value, message, checked_at, triggered_at, read, created_at";

fn rule(row: &Row<'_>) -> rusqlite::Result<AlertRule> {
    let level: Option<RuleLevel> = columns::optional(row, 4, "rule level", RuleLevel::parse)?;
    let key = columns::optional_uuid(row, 5)?;
    Ok(AlertRule {
        id: columns::uuid(row, 0)?,
        owner_id: columns::uuid(row, 1)?,
        definition: RuleDefinition {
            name: row.get(2)?,
            measure: columns::parsed(row, 3, "rule measure", RuleMeasure::parse)?,
            within: level.zip(key).map(|(level, key)| RuleWithin { level, key }),
            condition: columns::parsed(row, 6, "rule condition", RuleCondition::parse)?,
            threshold: columns::decimal(row, 7)?,
            stock_kind: row.get(8)?,
            notify: columns::parsed(row, 9, "rule notify", Notify::parse)?,
        },
        snoozed_until: columns::optional_day(row, 10)?,
        state: columns::parsed(row, 11, "rule state", RuleState::parse)?,
        value: columns::optional_decimal(row, 12)?,
        message: row.get(13)?,
        checked_at: columns::optional_timestamp(row, 14)?,
        triggered_at: columns::optional_timestamp(row, 15)?,
        read: row.get(16)?,
        created_at: columns::timestamp(row, 17)?,
    })
}

/// A person's rules, oldest first.
pub(crate) fn of_owner(conn: Reader<'_>, owner_id: Uuid) -> Result<Vec<AlertRule>> {
    let mut query = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM alert_rules WHERE owner_id = ?1 ORDER BY created_at, id"
    ))?;
    let rows = query.query_map([owner_id.to_string()], rule)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn get(conn: Reader<'_>, id: Uuid) -> Result<Option<AlertRule>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM alert_rules WHERE id = ?1"),
            [id.to_string()],
            rule,
        )
        .optional()?)
}

pub(crate) fn insert(
    conn: &Write<'_>,
    id: Uuid,
    owner_id: Uuid,
    definition: &RuleDefinition,
    at: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO alert_rules (id, owner_id, name, measure, within_level, within_key, condition,
                                  threshold, stock_kind, notify, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id.to_string(),
            owner_id.to_string(),
            definition.name,
            definition.measure.key(),
            definition.within.map(|within| within.level.key()),
            definition.within.map(|within| within.key.to_string()),
            definition.condition.key(),
            definition.threshold.to_string(),
            definition.stock_kind,
            definition.notify.key(),
            at.to_string(),
        ],
    )?;
    Ok(())
}

pub(crate) fn remove(conn: &Write<'_>, id: Uuid) -> Result<()> {
    conn.execute("DELETE FROM alert_rules WHERE id = ?1", [id.to_string()])?;
    Ok(())
}

pub(crate) fn snooze(conn: &Write<'_>, id: Uuid, until: Option<Day>) -> Result<()> {
    conn.execute(
        "UPDATE alert_rules SET snoozed_until = ?2 WHERE id = ?1",
        params![id.to_string(), until.map(|day| day.to_string())],
    )?;
    Ok(())
}

pub(crate) fn mark_read(conn: &Write<'_>, id: Uuid) -> Result<()> {
    conn.execute(
        "UPDATE alert_rules SET read = 1 WHERE id = ?1",
        [id.to_string()],
    )?;
    Ok(())
}

/// What a check found; `triggered`: it told its owner now (the alert is unread again).
pub(crate) struct Checked<'a> {
    pub state: RuleState,
    pub value: Option<Decimal>,
    pub message: &'a str,
    pub at: Timestamp,
    pub triggered: bool,
}

pub(crate) fn record_check(conn: &Write<'_>, id: Uuid, checked: &Checked<'_>) -> Result<()> {
    conn.execute(
        "UPDATE alert_rules SET state = ?2, value = ?3, message = ?4, checked_at = ?5,
                triggered_at = CASE WHEN ?6 THEN ?5 ELSE triggered_at END,
                read = CASE WHEN ?6 THEN 0 ELSE read END
         WHERE id = ?1",
        params![
            id.to_string(),
            checked.state.key(),
            checked.value.map(|value| value.to_string()),
            checked.message,
            checked.at.to_string(),
            checked.triggered,
        ],
    )?;
    Ok(())
}
