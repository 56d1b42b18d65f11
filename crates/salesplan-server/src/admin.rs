//! The server's own administration, from its command line: the company, its
//! users and roles. Head office is the source of truth for users once laptops
//! are connected; deactivating a user revokes every token they hold.

use anyhow::{Context, Result, bail};
use deadpool_postgres::Pool;
use salesplan_domain::{Role, password};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Company {
    pub name: String,
    pub currency: String,
    /// Changes when the database is restored from a backup (laptops then bootstrap again).
    pub epoch: Uuid,
}

/// Sets up the company; refuses a second one.
pub async fn create_company(pool: &Pool, name: &str, currency: &str) -> Result<Company> {
    let (name, currency) = (name.trim(), currency.trim().to_uppercase());
    if name.is_empty() {
        bail!("name: the company needs a name");
    }
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        bail!("currency: '{currency}' is not an ISO 4217 code such as EUR");
    }
    let mut client = pool.get().await.context("cannot reach the database")?;
    let tx = client.transaction().await?;
    if tx
        .query_opt(
            "SELECT value FROM server_meta WHERE key = 'company_name'",
            &[],
        )
        .await?
        .is_some()
    {
        bail!("this server already holds a company");
    }
    let epoch = Uuid::new_v4();
    for (key, value) in [
        ("company_name", name.to_owned()),
        ("currency", currency.clone()),
        ("epoch", epoch.to_string()),
    ] {
        tx.execute(
            "INSERT INTO server_meta (key, value) VALUES ($1, $2)",
            &[&key, &value],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Company {
        name: name.to_owned(),
        currency,
        epoch: crate::db::epoch(&client).await?.unwrap_or(epoch),
    })
}

/// The id of a department or a location (`entity`) by its code, as head office
/// holds it once the administrator's laptop has sent it (codes ignore case).
pub async fn id_of_code(pool: &Pool, entity: &str, code: &str) -> Result<Uuid> {
    let client = pool.get().await.context("cannot reach the database")?;
    let found = client
        .query_opt(
            "SELECT entity_id FROM entities
             WHERE entity = $1 AND lower(fields->>'code') = lower($2) AND fields->>'deleted_at' IS NULL",
            &[&entity, &code.trim()],
        )
        .await?;
    match found {
        Some(row) => Ok(row.get(0)),
        None => bail!(
            "head office holds no {entity} with the code '{}': connect the administrator's laptop first (its departments and branches go up), then try again",
            code.trim()
        ),
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    pub active: bool,
}

/// Reads a user from the columns of [`USER_COLUMNS`], in that order.
pub(crate) fn user_row(row: &tokio_postgres::Row) -> UserRow {
    UserRow {
        id: row.get(0),
        username: row.get(1),
        display_name: row.get(2),
        role: Role::from_id(i64::from(row.get::<_, i16>(3))).unwrap_or(Role::Salesman),
        department_id: row.get(4),
        location_id: row.get(5),
        active: row.get(6),
    }
}

pub(crate) const USER_COLUMNS: &str =
    "id, username, display_name, role, department_id, location_id, active";

pub async fn add_user(pool: &Pool, new: NewUser) -> Result<UserRow> {
    let username = new.username.trim().to_owned();
    if username.is_empty() || username.contains(char::is_whitespace) {
        bail!("username: '{username}' must be one word");
    }
    password::check_strength(&new.password)?;
    let password = new.password.clone();
    let hash = tokio::task::spawn_blocking(move || password::hash(&password)).await??;
    let mut client = pool.get().await.context("cannot reach the database")?;
    let tx = client.transaction().await?;
    let id = Uuid::now_v7();
    let display_name = if new.display_name.trim().is_empty() {
        username.clone()
    } else {
        new.display_name.trim().to_owned()
    };
    let role = i16::try_from(new.role.id()).unwrap_or(2);
    let inserted = tx
        .query_one(
            &format!(
                "INSERT INTO users (id, username, display_name, role, department_id, location_id, password_hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {USER_COLUMNS}"
            ),
            &[&id, &username, &display_name, &role, &new.department_id, &new.location_id, &hash],
        )
        .await;
    match inserted {
        Ok(row) => {
            let user = user_row(&row);
            publish_user(&tx, &user, true).await?;
            tx.commit().await?;
            Ok(user)
        }
        Err(error) if error.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
            bail!("username: '{username}' is taken")
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn list_users(pool: &Pool) -> Result<Vec<UserRow>> {
    let client = pool.get().await.context("cannot reach the database")?;
    let rows = client
        .query(
            &format!("SELECT {USER_COLUMNS} FROM users ORDER BY lower(username)"),
            &[],
        )
        .await?;
    Ok(rows.iter().map(user_row).collect())
}

/// Deactivates a user and revokes their tokens; answers how many were revoked.
pub async fn deactivate_user(pool: &Pool, username: &str) -> Result<u64> {
    let mut client = pool.get().await.context("cannot reach the database")?;
    let tx = client.transaction().await?;
    let updated = tx
        .query_opt(
            &format!(
                "UPDATE users SET active = FALSE, version = version + 1, updated_at = now()
                 WHERE lower(username) = lower($1) RETURNING {USER_COLUMNS}"
            ),
            &[&username.trim()],
        )
        .await?;
    let Some(row) = updated else {
        bail!("username: no user '{username}'");
    };
    let user = user_row(&row);
    publish_user(&tx, &user, false).await?;
    let id = user.id;
    let revoked = tx
        .execute(
            "UPDATE tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
            &[&id],
        )
        .await?;
    tx.commit().await?;
    Ok(revoked)
}

/// Puts a user into the feed every laptop pulls (head office is the source of
/// truth for users): name, role and scope, never a password.
async fn publish_user(
    tx: &tokio_postgres::Transaction<'_>,
    user: &UserRow,
    created: bool,
) -> Result<()> {
    tx.execute(
        "SELECT pg_advisory_xact_lock($1)",
        &[&crate::sync::FEED_LOCK],
    )
    .await?;
    let payload = serde_json::json!({
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.id(),
        "department_id": user.department_id,
        "location_id": user.location_id,
        "active": user.active,
    });
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    let hlc = salesplan_domain::clock::Hlc {
        wall_ms: i64::try_from(now_ms).unwrap_or(i64::MAX),
        counter: 0,
        client_id: Uuid::nil(),
    }
    .to_string();
    let kind = if created { "created" } else { "updated" };
    tx.execute(
        "INSERT INTO changes (entity, entity_id, kind, payload, hlc, client_id, op_uuid, user_id, view_action)
         VALUES ('user', $1, $2, $3, $4, $5, $6, $1, 'view_reference')",
        &[&user.id, &kind, &payload, &hlc, &Uuid::nil(), &Uuid::now_v7()],
    )
    .await?;
    Ok(())
}
