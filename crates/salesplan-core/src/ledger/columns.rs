//! Typed readers for the ledger's TEXT columns (UUIDs, months, times, days, exact decimals):
//! a malformed value is a clear conversion error, never a silent default.

use crate::timestamp::{Day, Timestamp};
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

/// Reads a nullable TEXT column through a parser.
pub(crate) fn optional<T>(
    row: &Row<'_>,
    idx: usize,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|text| parse(&text).ok_or_else(|| conversion_error(idx, what, &text)))
        .transpose()
}

pub(crate) fn uuid(row: &Row<'_>, idx: usize) -> rusqlite::Result<Uuid> {
    parsed(row, idx, "id", |text| Uuid::parse_str(text).ok())
}

pub(crate) fn optional_uuid(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Uuid>> {
    optional(row, idx, "id", |text| Uuid::parse_str(text).ok())
}

pub(crate) fn month(row: &Row<'_>, idx: usize) -> rusqlite::Result<crate::month::Month> {
    parsed(row, idx, "month", |text| {
        crate::month::Month::parse("month", text).ok()
    })
}

pub(crate) fn optional_month(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<crate::month::Month>> {
    optional(row, idx, "month", |text| {
        crate::month::Month::parse("month", text).ok()
    })
}

pub(crate) fn timestamp(row: &Row<'_>, idx: usize) -> rusqlite::Result<Timestamp> {
    parsed(row, idx, "time", read_timestamp)
}

pub(crate) fn optional_timestamp(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Timestamp>> {
    optional(row, idx, "time", read_timestamp)
}

fn read_timestamp(text: &str) -> Option<Timestamp> {
    Timestamp::parse("time", text).ok()
}

pub(crate) fn day(row: &Row<'_>, idx: usize) -> rusqlite::Result<Day> {
    parsed(row, idx, "day", read_day)
}

pub(crate) fn optional_day(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Day>> {
    optional(row, idx, "day", read_day)
}

fn read_day(text: &str) -> Option<Day> {
    Day::parse("day", text).ok()
}

pub(crate) fn decimal(row: &Row<'_>, idx: usize) -> rusqlite::Result<Decimal> {
    parsed(row, idx, "decimal", |text| Decimal::from_str(text).ok())
}

pub(crate) fn optional_decimal(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Decimal>> {
    optional(row, idx, "decimal", |text| Decimal::from_str(text).ok())
}

/// A TEXT column holding a JSON document.
pub(crate) fn json(row: &Row<'_>, idx: usize) -> rusqlite::Result<serde_json::Value> {
    parsed(row, idx, "JSON document", |text| {
        serde_json::from_str(text).ok()
    })
}
