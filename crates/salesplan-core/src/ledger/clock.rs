//! The ledger's hybrid logical clock (`salesplan_domain::clock`): the last
//! stamp is kept in `ledger_meta` between writes.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
pub use salesplan_domain::clock::Hlc;
use uuid::Uuid;

/// The clock as the last write left it, for this client.
pub(super) fn load(conn: &Connection, client_id: Uuid) -> Result<Hlc> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM ledger_meta WHERE key = 'hlc'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    let last = stored
        .map(|text| {
            Hlc::parse(&text).ok_or_else(|| {
                Error::SchemaMismatch(format!("the ledger's clock '{text}' is not a clock stamp"))
            })
        })
        .transpose()?;
    Ok(Hlc {
        wall_ms: last.map_or(0, |hlc| hlc.wall_ms),
        counter: last.map_or(0, |hlc| hlc.counter),
        client_id,
    })
}

/// Keeps the clock for the next write.
pub(super) fn save(conn: &Connection, clock: &Hlc) -> Result<()> {
    conn.execute(
        "INSERT INTO ledger_meta (key, value) VALUES ('hlc', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [clock.to_string()],
    )?;
    Ok(())
}
