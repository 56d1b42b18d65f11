//! The ledger's side of sync with head office (DESIGN §5): head office's
//! changes written into the tables (`apply`, `mirror`), the queue of this
//! laptop's changes to send and head office's answers (`queue`), changes that
//! stay here for want of an account there (`staying`), the sweep after head
//! office was restored (`sweep`), and the sync bookkeeping (`state`).
//! `crate::sync` holds the use cases that call these.

pub(crate) mod apply;
pub(crate) mod mirror;
pub(crate) mod queue;
pub(crate) mod state;
pub(crate) mod staying;
pub(crate) mod sweep;

pub use apply::Applied;
pub use staying::Staying;
