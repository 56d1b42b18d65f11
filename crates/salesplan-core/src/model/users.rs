//! A user account as every screen sees it (never the password hash).

use crate::access::{Actor, Role};
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// What an administrator edits about a user (the username is fixed once created).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserProfile {
    pub display_name: String,
    pub role: Role,
    /// The user's department: required for salesmen and managers.
    pub department_id: Option<Uuid>,
    /// The user's branch: required for salesmen and branch managers.
    pub location_id: Option<Uuid>,
}

/// A user account as every screen sees it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub profile: UserProfile,
    pub active: bool,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id,
            username: self.username.clone(),
            display_name: self.profile.display_name.clone(),
            role: self.profile.role,
            department_id: self.profile.department_id,
            location_id: self.profile.location_id,
        }
    }
}
