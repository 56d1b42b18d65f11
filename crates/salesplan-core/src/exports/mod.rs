//! Exports (DESIGN §2.6): every table and report the app shows, as a typed table
//! (text, numbers, money, dates, months) that the files crate writes to xlsx or
//! csv. Each table is built by the same service the screen uses, so it holds
//! exactly what the signed-in user may see.

pub mod stamp;
mod tables;

use crate::access::Actor;
use crate::audit::AuditFilter;
use crate::budgets::variance::VarianceQuery;
use crate::error::Result;
use crate::forecast::{AccuracyQuery, ForecastQuery};
use crate::imports::ImportKind;
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

/// A time is written as the ledger holds it (`2026-11-25T18:30:00.123Z`).
impl From<crate::timestamp::Timestamp> for Value {
    fn from(at: crate::timestamp::Timestamp) -> Value {
        Value::Text(at.to_string())
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
    /// What the file is, written above the headers (a budget, to be edited and imported back).
    pub stamp: Option<stamp::Stamp>,
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
            stamp: None,
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
    /// Actual sales in scope, one row per sale, in the sales import's own layout.
    SalesLines,
    /// An empty file with the columns an import of this kind reads.
    Template {
        kind: ImportKind,
    },
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
    /// A purchase order's lines, to send to its supplier.
    PurchaseOrder {
        id: Uuid,
    },
    /// What each supplier sells and on what terms, in the layout its import reads.
    SupplierProducts,
    /// A report as it reads now in the actor's scope (a saved one's name as its title).
    Report {
        #[serde(default)]
        name: Option<String>,
        definition: crate::reports::ReportDefinition,
    },
}

/// Builds the table for `what`, as the actor may see it. A budget is stamped,
/// and its cells as exported are kept, so the file can come back in.
pub fn table(ledger: &mut Ledger, actor: &Actor, what: &ExportWhat) -> Result<ExportTable> {
    let ExportWhat::Budget { id } = what else {
        return tables::build(ledger, actor, what);
    };
    let (mut table, sheet) = tables::budget(ledger, actor, *id)?;
    table.stamp = Some(remember(ledger, actor, &sheet, &table.title)?);
    Ok(table)
}

/// Keeps the budget's cells as the table was made from them (one read: what the
/// file holds is what is kept), and the stamp that names them.
fn remember(
    ledger: &mut Ledger,
    actor: &Actor,
    sheet: &crate::budgets::BudgetSheet,
    label: &str,
) -> Result<stamp::Stamp> {
    let snapshot = stamp::Snapshot {
        export_id: Uuid::now_v7(),
        budget_id: sheet.budget.id,
        exported_at: crate::timestamp::Timestamp::now(),
        exported_by: Some(actor.id),
        cells: sheet
            .lines
            .iter()
            .map(|line| stamp::ExportedCell {
                product_id: line.product_id,
                period: line.period,
                quantity: line.quantity,
                version: line.version,
            })
            .collect(),
    };
    ledger.write(Some(actor), |write| {
        crate::ledger::exports::insert_snapshot(write, &snapshot)
    })?;
    Ok(stamp::Stamp {
        budget_id: snapshot.budget_id,
        export_id: snapshot.export_id,
        exported_at: snapshot.exported_at,
        label: label.to_owned(),
    })
}
