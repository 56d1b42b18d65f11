//! The laptop's side of sync with head office (DESIGN §5): the HTTP client,
//! the sign-in token in the OS keychain, and the engine that pushes the
//! ledger's changes and applies head office's feed. The ledger's own part
//! (the send queue, applying a page with its cursor) is `salesplan_core::sync`.

pub mod engine;
pub mod http;
pub mod session;
pub mod token;

pub use engine::{LedgerHandle, Report, sync_once};
pub use http::{Fault, Health, Http, ServerUser, SignedIn, Transport};
pub use session::{Notes, Session};
