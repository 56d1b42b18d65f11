//! The records the ledger stores and hands back: plain types and what follows
//! from their own fields, below both the ledger and the services. `ledger/`
//! uses only these, the domain and the error type; each service re-exports the
//! ones its callers name.

pub mod budgets;
pub mod exports;
pub mod home;
pub mod imports;
pub mod policies;
pub mod purchasing;
pub mod reference;
pub mod reports;
pub mod rules;
pub mod sales;
pub mod settings;
pub mod sources;
pub mod stock;
pub mod suppliers;
pub mod transfers;
pub mod users;
pub mod watch;

/// The number people use for a document (a purchase order `PO`, a transfer
/// `TR`) made at `created_at` under `id`: the prefix, the day, the end of its id.
pub fn document_number(
    prefix: &str,
    id: uuid::Uuid,
    created_at: crate::timestamp::Timestamp,
) -> String {
    let day = created_at.to_string();
    let digits: String = day.chars().take(10).filter(char::is_ascii_digit).collect();
    let simple = id.simple().to_string().to_uppercase();
    format!("{prefix}-{digits}-{}", &simple[simple.len() - 4..])
}
