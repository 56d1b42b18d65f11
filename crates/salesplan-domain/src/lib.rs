//! Salesplan's rules without storage, shared by the laptop and head office:
//! calendar months, days and timestamps, roles and grants, the budget workflow, the kinds of record
//! and change, the typed changes that travel and the rules they pass
//! (`changes`), the sync protocol's messages, its clock and derived ids, and
//! password hashing. Nothing here knows SQLite, PostgreSQL or HTTP.
#![warn(clippy::unwrap_used, clippy::panic)]

pub mod access;
pub mod budgets;
pub mod changes;
pub mod clock;
pub mod entity;
pub mod error;
pub mod ids;
pub mod month;
pub mod password;
pub mod purchasing;
pub mod reports;
pub mod sync;
pub mod timestamp;
pub mod transfers;
pub mod validate;
pub mod values;

pub use access::{Action, Actor, Role, Scope, can};
pub use error::{Error, Result};
