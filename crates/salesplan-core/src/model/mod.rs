//! The records the ledger stores and hands back: plain types and what follows
//! from their own fields, below both the ledger and the services. `ledger/`
//! uses only these, the domain and the error type; each service re-exports the
//! ones its callers name.

pub mod budgets;
pub mod exports;
pub mod imports;
pub mod policies;
pub mod purchasing;
pub mod reference;
pub mod sales;
pub mod settings;
pub mod stock;
pub mod suppliers;
pub mod users;
pub mod watch;
