//! What an export of a budget wrote, cell by cell: what a re-import compares against.

use crate::month::Month;
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use uuid::Uuid;

/// A budget's cells as one export wrote them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Snapshot {
    pub export_id: Uuid,
    pub budget_id: Uuid,
    pub exported_at: Timestamp,
    pub exported_by: Option<Uuid>,
    pub cells: Vec<ExportedCell>,
}

/// One line as exported: its quantity and its version then.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExportedCell {
    pub product_id: Uuid,
    pub period: Month,
    pub quantity: Decimal,
    pub version: i64,
}
