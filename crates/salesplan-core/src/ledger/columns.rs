//! Typed readers for the ledger's TEXT columns (UUIDs, exact decimals, enums):
//! a malformed value is a clear conversion error, never a silent default.

use rusqlite::Row;
use rusqlite::types::Type;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

fn conversion_error(idx: usize, what: &str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        Type::Text,
        format!("'{text}' is not a valid {what}").into(),
    )
}

/// Reads a TEXT column through a parser, naming `what` in the error.
pub(crate) fn parsed<T>(
    row: &Row<'_>,
    idx: usize,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    parse(&text).ok_or_else(|| conversion_error(idx, what, &text))
}

pub(crate) fn uuid(row: &Row<'_>, idx: usize) -> rusqlite::Result<Uuid> {
    parsed(row, idx, "id", |text| Uuid::parse_str(text).ok())
}

pub(crate) fn optional_uuid(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Uuid>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|text| Uuid::parse_str(&text).map_err(|_| conversion_error(idx, "id", &text)))
        .transpose()
}

pub(crate) fn month(row: &Row<'_>, idx: usize) -> rusqlite::Result<crate::month::Month> {
    parsed(row, idx, "month", |text| {
        crate::month::Month::parse("month", text).ok()
    })
}

pub(crate) fn decimal(row: &Row<'_>, idx: usize) -> rusqlite::Result<Decimal> {
    parsed(row, idx, "decimal", |text| Decimal::from_str(text).ok())
}

/// A TEXT column holding a JSON document.
pub(crate) fn json(row: &Row<'_>, idx: usize) -> rusqlite::Result<serde_json::Value> {
    parsed(row, idx, "JSON document", |text| {
        serde_json::from_str(text).ok()
    })
}
