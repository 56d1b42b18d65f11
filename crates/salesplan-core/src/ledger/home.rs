//! SQL for `home_layouts`: each user's home screen, kept on this laptop.

use crate::error::Result;
use crate::ledger::{Reader, Write, columns};
use crate::model::home::Widget;
use crate::timestamp::Timestamp;
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
    let keys: Vec<&str> = widgets.iter().map(|widget| widget.key()).collect();
    let text = serde_json::Value::from(keys).to_string();
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
