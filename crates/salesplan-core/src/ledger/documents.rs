//! SQL that purchase orders and transfers share: a person's step on the
//! document (its status, who took it and when, a cancel's reason) and a line
//! taken off it (kept, archived).

use crate::error::Result;
use crate::ledger::Write;
use crate::timestamp::Timestamp;
use rusqlite::params;
use uuid::Uuid;

/// A step: the document in `table` moves to `status`, taken by `by` at `at`,
/// written to the step's own columns (`fields`: who, when); a cancel keeps
/// its reason.
#[allow(clippy::too_many_arguments)]
pub(crate) fn step(
    conn: &Write<'_>,
    table: &'static str,
    id: Uuid,
    status: &str,
    fields: &[&str],
    by: Uuid,
    at: Timestamp,
    reason: Option<&str>,
) -> Result<()> {
    let (who, when) = (fields[0], fields[1]);
    conn.prepare_cached(&format!(
        "UPDATE {table} SET status = ?2, {who} = ?3, {when} = ?4, updated_at = ?4,
             cancel_reason = coalesce(?5, cancel_reason), version = version + 1 WHERE id = ?1"
    ))?
    .execute(params![
        id.to_string(),
        status,
        by.to_string(),
        at.to_string(),
        reason
    ])?;
    Ok(())
}

/// Takes a line off its document (it stays, archived).
pub(crate) fn archive_line(
    conn: &Write<'_>,
    table: &'static str,
    id: Uuid,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE {table} SET deleted_at = ?2, updated_at = ?2, version = version + 1 WHERE id = ?1"
    ))?
    .execute(params![id.to_string(), now.to_string()])?;
    Ok(())
}
