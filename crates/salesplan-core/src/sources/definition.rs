//! The rules a source's definition meets wherever it comes from: the app's
//! form, the CLI, or a file an administrator exported on another laptop.

use super::{
    Connection, QualityCheck, Refresh, Schedule, ServerAddress, SourceDefinition, SourceQuery,
};
use crate::error::{Error, Result};
use crate::imports::{ImportKind, TargetFields};
use crate::validate::required_text;
use rust_decimal::Decimal;

/// The longest query a source keeps.
const MAX_QUERY: usize = 100_000;

/// A definition from JSON (an exported file), checked.
pub fn parse_definition(text: &str) -> Result<SourceDefinition> {
    let definition: SourceDefinition = serde_json::from_str(text).map_err(|error| {
        Error::invalid(
            "data source",
            format!("not a data source definition: {error}"),
        )
    })?;
    checked(definition)
}

/// The definition with its texts trimmed, once every rule holds.
pub(super) fn checked(mut definition: SourceDefinition) -> Result<SourceDefinition> {
    definition.name = required_text("name", &definition.name, 80)?;
    match &mut definition.connection {
        Connection::Postgres(address) => server(address)?,
        Connection::Sqlite(file) => {
            file.path = required_text("path", &file.path, 1000)?;
            if !std::path::Path::new(&file.path).is_absolute() {
                return Err(Error::invalid(
                    "path",
                    format!("'{}' is not a full path to a SQLite file", file.path),
                ));
            }
        }
    }
    match &mut definition.query {
        SourceQuery::Sql { text } => {
            *text = required_text("query", text, MAX_QUERY)?;
            let trimmed = text.trim_end_matches([';', ' ', '\n', '\r', '\t']);
            if trimmed.contains(';') {
                return Err(Error::invalid(
                    "query",
                    "give one SELECT statement (a ';' inside it would start another)",
                ));
            }
            *text = trimmed.to_owned();
        }
    }
    if definition.import.kind == ImportKind::Budget {
        return Err(Error::invalid(
            "kind",
            "budget lines go into a budget you choose; import them with the wizard, not from a data source",
        ));
    }
    if let Some(mapping) = &definition.import.mapping {
        let kind = definition.import.kind;
        for key in mapping.fields.keys().chain(mapping.defaults.keys()) {
            if !kind.fields().iter().any(|field| field.key == key) {
                return Err(Error::invalid(
                    "mapping",
                    format!("'{key}' is not a field of a {} import", kind.key()),
                ));
            }
        }
    }
    if let Refresh::Incremental { column } = &mut definition.refresh {
        *column = required_text("cursor column", column, 200)?;
    }
    match definition.schedule {
        Schedule::Every { minutes } if !(1..=7 * 24 * 60).contains(&minutes) => {
            return Err(Error::invalid(
                "schedule",
                format!("every {minutes} minutes: give 1 to 10080 minutes (a week)"),
            ));
        }
        _ => {}
    }
    for rule in &definition.rules {
        match &rule.check {
            QualityCheck::RowCount {
                min: Some(min),
                max: Some(max),
            } if min > max => {
                return Err(Error::invalid(
                    "rules",
                    format!("row count: at least {min} and at most {max} cannot both hold"),
                ));
            }
            QualityCheck::RowCount {
                min: None,
                max: None,
            } => {
                return Err(Error::invalid("rules", "row count: give a least or a most"));
            }
            QualityCheck::Freshness { days } if *days == 0 || *days > 3650 => {
                return Err(Error::invalid(
                    "rules",
                    format!("freshness: {days} days; give 1 to 3650"),
                ));
            }
            QualityCheck::RejectedShare { max_percent }
                if *max_percent < Decimal::ZERO || *max_percent > Decimal::ONE_HUNDRED =>
            {
                return Err(Error::invalid(
                    "rules",
                    format!("rejected rows: {max_percent} %; give 0 to 100"),
                ));
            }
            _ => {}
        }
    }
    Ok(definition)
}

fn server(address: &mut ServerAddress) -> Result<()> {
    address.host = required_text("host", &address.host, 255)?;
    address.database = required_text("database", &address.database, 255)?;
    address.user = required_text("user", &address.user, 255)?;
    if address.port == Some(0) {
        return Err(Error::invalid("port", "0 is not a port"));
    }
    Ok(())
}
