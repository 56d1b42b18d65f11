//! User accounts: create, edit role and scope, deactivate, passwords, and the
//! first administrator of a new ledger.

use crate::access::{Action, Actor, Resource, Role};
use crate::error::{Error, Result};
use crate::ledger::Reader;
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::password;
use crate::reference::{Department, Location, require_live};
use crate::timestamp::Timestamp;
use crate::validate::required_text;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use crate::model::users::{User, UserProfile};

/// A new account.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewUser {
    pub username: String,
    pub profile: UserProfile,
    pub password: String,
}

fn validated_username(username: &str) -> Result<String> {
    let username = required_text("username", username, 40)?.to_lowercase();
    if username.chars().count() < 2 {
        return Err(Error::invalid("username", "must be at least 2 characters"));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(Error::invalid(
            "username",
            "may hold only letters a-z, digits, '.', '_' and '-'",
        ));
    }
    Ok(username)
}

fn validated_profile(conn: Reader<'_>, profile: UserProfile) -> Result<UserProfile> {
    let profile = UserProfile {
        display_name: required_text("display_name", &profile.display_name, 100)?,
        ..profile
    };
    let needs_department = matches!(profile.role, Role::Salesman | Role::Manager);
    let needs_location = matches!(profile.role, Role::Salesman | Role::BranchManager);
    if needs_department && profile.department_id.is_none() {
        return Err(Error::invalid(
            "department_id",
            format!("a {} needs a department", profile.role),
        ));
    }
    if needs_location && profile.location_id.is_none() {
        return Err(Error::invalid(
            "location_id",
            format!("a {} needs a branch", profile.role),
        ));
    }
    require_live::<Department>(conn, "department_id", profile.department_id)?;
    require_live::<Location>(conn, "location_id", profile.location_id)?;
    Ok(profile)
}

fn user_row(conn: Reader<'_>, id: Uuid) -> Result<ledger::users::UserRow> {
    ledger::users::get(conn, id)?.ok_or_else(|| Error::not_found("user", id))
}

fn profile_payload(profile: &UserProfile) -> serde_json::Value {
    serde_json::to_value(profile).unwrap_or_default()
}

fn check_version(user: &User, base_version: Option<i64>) -> Result<()> {
    match base_version {
        Some(expected) if expected != user.version => Err(Error::StaleVersion {
            entity: "user",
            key: user.username.clone(),
            expected,
            actual: user.version,
        }),
        _ => Ok(()),
    }
}

/// The ledger must always keep one active administrator, or nobody could manage it.
fn keep_an_administrator(conn: Reader<'_>, user: &User) -> Result<()> {
    if user.active
        && user.profile.role == Role::Administrator
        && ledger::users::count_active_administrators(conn)? <= 1
    {
        return Err(Error::invalid(
            "role",
            format!(
                "'{}' is the last active administrator; make another administrator first",
                user.username
            ),
        ));
    }
    Ok(())
}

pub(crate) fn insert_in(write: &mut Write<'_>, new_user: NewUser) -> Result<User> {
    let username = validated_username(&new_user.username)?;
    password::check_strength(&new_user.password)?;
    let profile = validated_profile(write.read(), new_user.profile)?;
    if ledger::users::find_by_username(write.read(), &username)?.is_some() {
        return Err(Error::Duplicate {
            entity: "user",
            field: "username",
            value: username,
        });
    }
    let now = Timestamp::now();
    let user = User {
        id: Uuid::now_v7(),
        username,
        profile,
        active: true,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    ledger::users::insert(write, &user, &password::hash(&new_user.password)?)?;
    // Bootstrap: the first administrator is the author of their own creation.
    write.author_if_none(user.id);
    let mut payload = profile_payload(&user.profile);
    payload["username"] = user.username.clone().into();
    write.record(Change {
        entity: Entity::User,
        entity_id: user.id,
        kind: ChangeKind::Created,
        payload,
        base_version: None,
    })?;
    Ok(user)
}

// ---- use cases -------------------------------------------------------------

/// The first administrator of a new, empty ledger (refused once any user exists).
pub(crate) fn first_administrator_in(
    write: &mut Write<'_>,
    username: &str,
    password: &str,
) -> Result<User> {
    if ledger::users::count(write.read())? > 0 {
        return Err(Error::invalid(
            "username",
            "this ledger already has users; sign in as an administrator to add more",
        ));
    }
    let new_user = NewUser {
        username: username.to_owned(),
        profile: UserProfile {
            display_name: "Administrator".to_owned(),
            role: Role::Administrator,
            department_id: None,
            location_id: None,
        },
        password: password.to_owned(),
    };
    insert_in(write, new_user)
}

pub fn list(ledger: &Ledger, actor: &Actor) -> Result<Vec<User>> {
    actor.require(Action::ViewUsers, &Resource::company())?;
    ledger::users::list(ledger.read())
}

/// One user by username: anyone may read their own account, administrators any.
pub fn find(ledger: &Ledger, actor: &Actor, username: &str) -> Result<User> {
    let row = ledger::users::find_by_username(ledger.read(), username)?
        .ok_or_else(|| Error::not_found("user", username.trim()))?;
    if row.user.id != actor.id {
        actor.require(Action::ViewUsers, &Resource::company())?;
    }
    Ok(row.user)
}

pub fn create(ledger: &mut Ledger, actor: &Actor, new_user: NewUser) -> Result<User> {
    actor.require(Action::ManageUsers, &Resource::company())?;
    ledger.write(Some(actor), |write| insert_in(write, new_user))
}

/// Changes display name, role and scope. Refuses to demote the last administrator.
pub fn update(
    ledger: &mut Ledger,
    actor: &Actor,
    id: Uuid,
    base_version: Option<i64>,
    profile: UserProfile,
) -> Result<User> {
    actor.require(Action::ManageUsers, &Resource::company())?;
    ledger.write(Some(actor), |write| {
        let current = user_row(write.read(), id)?.user;
        check_version(&current, base_version)?;
        let profile = validated_profile(write.read(), profile)?;
        if profile.role != Role::Administrator {
            keep_an_administrator(write.read(), &current)?;
        }
        let changed = crate::reference::changed_fields(&current.profile, &profile);
        if changed.is_empty() {
            return Ok(current);
        }
        ledger::users::update_profile(write, id, &profile, Timestamp::now())?;
        write.record(Change {
            entity: Entity::User,
            entity_id: id,
            kind: ChangeKind::Updated,
            payload: serde_json::Value::Object(changed),
            base_version: Some(current.version),
        })?;
        Ok(user_row(write.read(), id)?.user)
    })
}

/// Deactivates (no more sign-in, history kept) or reactivates an account.
pub fn set_active(ledger: &mut Ledger, actor: &Actor, id: Uuid, active: bool) -> Result<User> {
    actor.require(Action::ManageUsers, &Resource::company())?;
    ledger.write(Some(actor), |write| {
        let current = user_row(write.read(), id)?.user;
        if current.active == active {
            return Ok(current);
        }
        if !active {
            if current.id == actor.id {
                return Err(Error::invalid(
                    "active",
                    "you cannot deactivate your own account",
                ));
            }
            keep_an_administrator(write.read(), &current)?;
        }
        ledger::users::set_active(write, id, active, Timestamp::now())?;
        write.record(Change {
            entity: Entity::User,
            entity_id: id,
            kind: ChangeKind::Updated,
            payload: serde_json::json!({ "active": active }),
            base_version: Some(current.version),
        })?;
        Ok(user_row(write.read(), id)?.user)
    })
}

/// A user changes their own password, proving the current one.
pub fn change_own_password(
    ledger: &mut Ledger,
    actor: &Actor,
    current_password: &str,
    new_password: &str,
) -> Result<()> {
    actor.require(Action::ChangeOwnPassword, &Resource::owned_by(actor.id))?;
    password::check_strength(new_password)?;
    ledger.write(Some(actor), |write| {
        let row = user_row(write.read(), actor.id)?;
        if !password::verify(current_password, &row.password_hash) {
            return Err(Error::invalid(
                "current_password",
                "is not your current password",
            ));
        }
        store_password(write, &row.user, new_password)
    })
}

/// An administrator sets someone's password (a forgotten one, a new laptop).
pub fn reset_password(
    ledger: &mut Ledger,
    actor: &Actor,
    id: Uuid,
    new_password: &str,
) -> Result<()> {
    actor.require(Action::ManageUsers, &Resource::company())?;
    password::check_strength(new_password)?;
    ledger.write(Some(actor), |write| {
        let user = user_row(write.read(), id)?.user;
        store_password(write, &user, new_password)
    })
}

fn store_password(write: &mut Write<'_>, user: &User, new_password: &str) -> Result<()> {
    ledger::users::set_password_hash(
        write,
        user.id,
        &password::hash(new_password)?,
        Timestamp::now(),
    )?;
    write.record(Change {
        entity: Entity::User,
        entity_id: user.id,
        kind: ChangeKind::PasswordChanged,
        payload: serde_json::json!({}),
        base_version: Some(user.version),
    })
}

/// Signs in offline against the ledger's own accounts.
pub fn sign_in(ledger: &Ledger, username: &str, password: &str) -> Result<Actor> {
    let row = ledger::users::find_by_username(ledger.read(), username)?;
    let Some(row) = row else {
        return Err(Error::InvalidCredentials);
    };
    if !password::verify(password, &row.password_hash) {
        return Err(Error::InvalidCredentials);
    }
    if !row.user.active {
        return Err(Error::AccountDeactivated {
            username: row.user.username,
        });
    }
    Ok(row.user.actor())
}

/// The actor behind a held session, re-read so that a deactivation or a role
/// change takes effect on the next command, not the next sign-in.
pub fn actor(ledger: &Ledger, user_id: Uuid) -> Result<Actor> {
    let row = ledger::users::get(ledger.read(), user_id)?.ok_or(Error::NotSignedIn)?;
    active_actor(row)
}

/// The signed-in user by id, or by username once head office gave the account
/// its own id (a ledger that joined head office while the user was signed in).
pub fn session_actor(ledger: &Ledger, user_id: Uuid, username: &str) -> Result<Actor> {
    let row = match ledger::users::get(ledger.read(), user_id)? {
        Some(row) => row,
        None => {
            ledger::users::find_by_username(ledger.read(), username)?.ok_or(Error::NotSignedIn)?
        }
    };
    active_actor(row)
}

fn active_actor(row: ledger::users::UserRow) -> Result<Actor> {
    if !row.user.active {
        return Err(Error::AccountDeactivated {
            username: row.user.username,
        });
    }
    Ok(row.user.actor())
}
