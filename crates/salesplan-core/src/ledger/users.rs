//! SQL for the `users` table.

use super::columns;
use crate::access::Role;
use crate::error::Result;
use crate::ledger::{Reader, Write};
use crate::model::users::{User, UserProfile};
use crate::timestamp::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

const SELECT: &str = "SELECT id, username, display_name, role, department_id, location_id, active,
                             version, created_at, updated_at, password_hash
                      FROM users";

/// A user row with its password hash, which never leaves the core.
pub(crate) struct UserRow {
    pub user: User,
    pub password_hash: String,
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        user: User {
            id: columns::uuid(row, 0)?,
            username: row.get(1)?,
            profile: UserProfile {
                display_name: row.get(2)?,
                role: {
                    let role_id: i64 = row.get(3)?;
                    Role::from_id(role_id)
                        .ok_or(rusqlite::Error::IntegralValueOutOfRange(3, role_id))?
                },
                department_id: columns::optional_uuid(row, 4)?,
                location_id: columns::optional_uuid(row, 5)?,
            },
            active: row.get(6)?,
            version: row.get(7)?,
            created_at: columns::timestamp(row, 8)?,
            updated_at: columns::timestamp(row, 9)?,
        },
        password_hash: row.get(10)?,
    })
}

pub(crate) fn insert(conn: &Write<'_>, user: &User, password_hash: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO users (id, username, display_name, role, department_id, location_id,
                            password_hash, active, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            user.id.to_string(),
            user.username,
            user.profile.display_name,
            user.profile.role.id(),
            user.profile.department_id.map(|id| id.to_string()),
            user.profile.location_id.map(|id| id.to_string()),
            password_hash,
            user.active,
            user.version,
            user.created_at.to_string(),
            user.updated_at.to_string(),
        ],
    )?;
    Ok(())
}

pub(crate) fn update_profile(
    conn: &Write<'_>,
    id: Uuid,
    profile: &UserProfile,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "UPDATE users SET display_name = ?2, role = ?3, department_id = ?4, location_id = ?5,
                          version = version + 1, updated_at = ?6
         WHERE id = ?1",
        params![
            id.to_string(),
            profile.display_name,
            profile.role.id(),
            profile.department_id.map(|id| id.to_string()),
            profile.location_id.map(|id| id.to_string()),
            now.to_string(),
        ],
    )?;
    Ok(())
}

pub(crate) fn set_active(conn: &Write<'_>, id: Uuid, active: bool, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE users SET active = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
        params![id.to_string(), active, now.to_string()],
    )?;
    Ok(())
}

pub(crate) fn set_password_hash(
    conn: &Write<'_>,
    id: Uuid,
    password_hash: &str,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
        params![id.to_string(), password_hash, now.to_string()],
    )?;
    Ok(())
}

pub(crate) fn get(conn: Reader<'_>, id: Uuid) -> Result<Option<UserRow>> {
    let sql = format!("{SELECT} WHERE id = ?1");
    Ok(conn
        .query_row(&sql, [id.to_string()], from_row)
        .optional()?)
}

pub(crate) fn find_by_username(conn: Reader<'_>, username: &str) -> Result<Option<UserRow>> {
    let sql = format!("{SELECT} WHERE username = ?1");
    Ok(conn
        .query_row(&sql, [username.trim()], from_row)
        .optional()?)
}

pub(crate) fn list(conn: Reader<'_>) -> Result<Vec<User>> {
    let sql = format!("{SELECT} ORDER BY username");
    let mut query = conn.prepare(&sql)?;
    let rows = query.query_map([], from_row)?;
    rows.map(|row| row.map(|row| row.user).map_err(Into::into))
        .collect()
}

pub(crate) fn count(conn: Reader<'_>) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM users", [], |row| row.get(0))?)
}

pub(crate) fn count_active_administrators(conn: Reader<'_>) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users WHERE active = 1 AND role = ?1",
        [Role::Administrator.id()],
        |row| row.get(0),
    )?)
}
