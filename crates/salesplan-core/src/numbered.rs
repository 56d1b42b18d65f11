//! Documents people name by their number (a purchase order `PO-20261206-3F2A`,
//! a transfer `TR-…`), the end of it (`3F2A`) or their id.

use crate::error::{Error, Result};
use crate::ledger::{self, Reader};
use crate::model::document_number;
use uuid::Uuid;

/// A kind of numbered document: its table, its number's prefix, its noun.
pub(crate) struct Numbered {
    pub table: &'static str,
    pub prefix: &'static str,
    pub noun: &'static str,
}

impl Numbered {
    /// The id of the document `named`: its whole number, the last four
    /// characters of it, or its id.
    pub(crate) fn id_named(&self, conn: Reader<'_>, named: &str) -> Result<Uuid> {
        let named = named.trim();
        if let Ok(id) = Uuid::parse_str(named) {
            return Ok(id);
        }
        let tail = named.rsplit('-').next().unwrap_or_default();
        let matching: Vec<Uuid> = match tail.len() {
            4 => ledger::ids_ending(conn, self.table, tail)?
                .into_iter()
                .filter(|(id, created)| {
                    named.len() == 4
                        || document_number(self.prefix, *id, *created).eq_ignore_ascii_case(named)
                })
                .map(|(id, _)| id)
                .collect(),
            _ => Vec::new(),
        };
        match matching.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::not_found(self.noun, named)),
            _ => Err(Error::invalid(
                self.noun,
                format!(
                    "{named} names more than one {}: give its whole number",
                    self.noun
                ),
            )),
        }
    }
}
