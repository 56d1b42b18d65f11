//! Sync with head office (DESIGN §5): the wire protocol both sides speak and
//! the rules that say which records travel and what right each change needs.
//! The server checks every pushed change with the same `access::can` as the
//! laptop.

mod apply;
mod mirror;
pub use salesplan_domain::sync::protocol;
mod queue;
pub use salesplan_domain::sync::rules;
pub mod state;
mod staying;
mod sweep;
pub mod verify;

pub use apply::Applied;
pub use staying::Staying;

/// A copied ledger's new client id numbers its unsent changes from 1 again.
pub(crate) fn renumber_queue(conn: &rusqlite::Connection) -> crate::error::Result<()> {
    queue::renumber(conn)
}
