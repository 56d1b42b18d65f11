//! Sync with head office (DESIGN §5): the wire protocol both sides speak and
//! the rules that say which records travel and what right each change needs.
//! The server checks every pushed change with the same `access::can` as the
//! laptop.

pub use salesplan_domain::sync::protocol;
pub use salesplan_domain::sync::rules;
pub mod state;
pub mod verify;

pub use crate::ledger::replica::{Applied, Staying};
