//! SQL for `home_layouts` and `home_digests`: each user's home screen and the
//! figures it keeps between openings, on this laptop.

use crate::error::Result;
use crate::ledger::{Reader, Write, columns};
use crate::model::home::Widget;
use crate::timestamp::{Day, Timestamp};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

/// The widgets a user arranged, in order; none when they never did.
pub(crate) fn layout(conn: Reader<'_>, user_id: Uuid) -> Result<Option<Vec<Widget>>> {
    Ok(conn
        .query_row(
            "SELECT widgets FROM home_layouts WHERE user_id = ?1",
            [user_id.to_string()],
            |row| {
                columns::parsed(row, 0, "list of home widgets", |text| {
                    serde_json::from_str(text).ok()
                })
            },
        )
        .optional()?)
}

pub(crate) fn put_layout(
    conn: &Write<'_>,
    user_id: Uuid,
    widgets: &[Widget],
    at: Timestamp,
) -> Result<()> {
    let text = serde_json::to_string(widgets)
        .map_err(|error| crate::error::Error::invalid("widgets", error.to_string()))?;
    conn.execute(
        "INSERT INTO home_layouts (user_id, widgets, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET widgets = excluded.widgets, updated_at = excluded.updated_at",
        params![user_id.to_string(), text, at.to_string()],
    )?;
    Ok(())
}

/// Forgets a user's layout: their role's default applies again.
pub(crate) fn remove_layout(conn: &Write<'_>, user_id: Uuid) -> Result<()> {
    conn.execute(
        "DELETE FROM home_layouts WHERE user_id = ?1",
        [user_id.to_string()],
    )?;
    Ok(())
}

/// A user's digest as kept: what it was worked out for and its figures (JSON,
/// parsed by the home screen, which worked them out).
pub(crate) struct StoredDigest {
    pub scope: String,
    pub day: Day,
    pub revision: i64,
    pub computed_at: Timestamp,
    pub figures: String,
}

pub(crate) fn digest(conn: Reader<'_>, user_id: Uuid) -> Result<Option<StoredDigest>> {
    Ok(conn
        .query_row(
            "SELECT scope, day, revision, computed_at, figures FROM home_digests WHERE user_id = ?1",
            [user_id.to_string()],
            |row| {
                Ok(StoredDigest {
                    scope: row.get(0)?,
                    day: columns::day(row, 1)?,
                    revision: row.get(2)?,
                    computed_at: columns::timestamp(row, 3)?,
                    figures: row.get(4)?,
                })
            },
        )
        .optional()?)
}

pub(crate) fn put_digest(conn: &Write<'_>, user_id: Uuid, digest: &StoredDigest) -> Result<()> {
    conn.execute(
        "INSERT INTO home_digests (user_id, scope, day, revision, computed_at, figures)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (user_id) DO UPDATE SET scope = excluded.scope, day = excluded.day,
             revision = excluded.revision, computed_at = excluded.computed_at,
             figures = excluded.figures",
        params![
            user_id.to_string(),
            digest.scope,
            digest.day.to_string(),
            digest.revision,
            digest.computed_at.to_string(),
            digest.figures
        ],
    )?;
    Ok(())
}
