//! Salesplan's head office: the server laptops sync with (DESIGN §5). axum over
//! a PostgreSQL pool; stateless, so any number of processes can share one
//! database. This crate holds the company, users and sign-in tokens; the same
//! roles and scopes as on the laptop (`salesplan_domain::access`) authorise
//! every request.
#![warn(clippy::unwrap_used, clippy::panic)]

pub mod admin;
pub mod api;
pub mod auth;
pub mod availability;
pub mod db;
pub mod error;
pub mod serve;
pub mod sync;
pub mod throttle;
pub mod verify;

pub use api::{AppState, router};
pub use error::ApiError;
