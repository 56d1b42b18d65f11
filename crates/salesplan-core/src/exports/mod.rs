//! Exports (DESIGN §2.6): every table and report the app shows, as a typed table
//! (text, numbers, money, dates, months) that the files crate writes to xlsx or
//! csv. Each table is built by the same service the screen uses, so it holds
//! exactly what the signed-in user may see.

mod tables;

use crate::access::Actor;
use crate::audit::AuditFilter;
use crate::budgets::variance::VarianceQuery;
use crate::error::Result;
use crate::forecast::{AccuracyQuery, ForecastQuery};
use crate::ledger::Ledger;
use crate::reference::ReferenceKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// How a column's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ColumnKind {
    Text,
    /// A plain number (quantities).
    Number,
    /// Money in the company currency, to the cent.
    Money,
    /// A percentage, one decimal (12.5 means 12.5 %).
    Percent,
    /// A day, `YYYY-MM-DD`.
    Date,
    /// A month, `YYYY-MM`.
    Month,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Column {
    pub header: String,
    pub kind: ColumnKind,
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
#[ts(export)]
pub enum Value {
    Empty,
    Text(String),
    Number(#[ts(type = "string")] Decimal),
    /// `YYYY-MM-DD` (a date column) or `YYYY-MM` (a month column).
    Date(String),
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<Decimal> for Value {
    fn from(number: Decimal) -> Value {
        Value::Number(number)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Empty, Into::into)
    }
}

/// A table to write: a title (the sheet's name), typed columns and rows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExportTable {
    pub title: String,
    /// The currency of the money columns.
    pub currency: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

impl ExportTable {
    pub(crate) fn new(title: &str, currency: &str, columns: &[(&str, ColumnKind)]) -> ExportTable {
        ExportTable {
            title: title.to_owned(),
            currency: currency.to_owned(),
            columns: columns
                .iter()
                .map(|(header, kind)| Column {
                    header: (*header).to_owned(),
                    kind: *kind,
                })
                .collect(),
            rows: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
        }
    }
}

/// What to export: each table or report the app shows.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "what", rename_all = "snake_case")]
#[ts(export)]
pub enum ExportWhat {
    /// Actual sales in scope by month.
    Sales,
    /// The budget list (optionally of one fiscal year).
    Budgets {
        #[serde(default)]
        fiscal_year: Option<i32>,
    },
    /// One budget's lines: products × months.
    Budget {
        id: Uuid,
    },
    Variance {
        query: VarianceQuery,
    },
    Audit {
        filter: AuditFilter,
    },
    Reference {
        kind: ReferenceKind,
    },
    Users,
    Imports,
    /// Baseline, override and final by level and month.
    Forecast {
        query: ForecastQuery,
    },
    ForecastAccuracy {
        query: AccuracyQuery,
    },
}

/// Builds the table for `what`, as the actor may see it.
pub fn table(ledger: &Ledger, actor: &Actor, what: &ExportWhat) -> Result<ExportTable> {
    tables::build(ledger, actor, what)
}
