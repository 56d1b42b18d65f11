//! Salesplan's core: the ledger (SQLite), authorisation, and every use case as
//! one function taking the acting user. The desktop shell and the CLI are thin
//! adapters over these functions; nothing else writes the ledger.
#![warn(clippy::unwrap_used, clippy::panic)]

pub use salesplan_domain::access;
pub mod alert_centre;
pub mod alert_rules;
pub mod audit;
pub mod budgets;
pub mod demo;
pub mod error;
pub mod exports;
pub mod forecast;
pub mod home;
pub mod imports;
pub mod insights;
pub mod ledger;
pub mod model;
pub mod money;
mod numbered;
pub use salesplan_domain::month;
pub use salesplan_domain::password;
pub mod purchasing;
pub mod reference;
pub mod reports;
pub mod sales;
pub mod session;
pub mod settings;
pub mod sources;
pub mod stock;
pub mod suppliers;
pub mod sync;
pub use salesplan_domain::timestamp;
pub mod transfers;
pub mod users;
use salesplan_domain::validate;
pub use salesplan_domain::values;
pub mod watch;

pub use access::{Action, Actor, Role, Scope, can};
pub use error::{Error, ErrorCode, ErrorReport, Result};
pub use ledger::Ledger;
