//! The data-quality report an import shows before anything is written: rows
//! read and valid, and every problem with its file, sheet, row and column.

use super::cells::{DateOrder, DecimalSeparator};
use super::fields::ImportKind;
use super::fields::Mapping;
use serde::Serialize;
use ts_rs::TS;

pub use crate::model::imports::EarlierImport;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProblemKind {
    MissingValue,
    WrongType,
    /// A product, branch, salesman or customer the ledger does not know.
    Unknown,
    DuplicateInFile,
    AlreadyInLedger,
    Negative,
    OutOfRange,
    /// A date in a period that is not open for posting (e.g. in the future).
    ClosedPeriod,
    OutOfScope,
}

impl ProblemKind {
    pub fn label(self) -> &'static str {
        match self {
            ProblemKind::MissingValue => "missing value",
            ProblemKind::WrongType => "wrong type",
            ProblemKind::Unknown => "unknown",
            ProblemKind::DuplicateInFile => "duplicate in the file",
            ProblemKind::AlreadyInLedger => "already in the ledger",
            ProblemKind::Negative => "negative",
            ProblemKind::OutOfRange => "out of range",
            ProblemKind::ClosedPeriod => "outside the open periods",
            ProblemKind::OutOfScope => "outside your scope",
        }
    }
}

/// One problem in one cell (or row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Problem {
    /// The row in the file, counting from 1 as a spreadsheet does.
    #[ts(type = "number")]
    pub row: usize,
    /// The column's letter (A, B, … AA) and header, when the problem is in one cell.
    pub column: Option<String>,
    pub header: Option<String>,
    /// The target field.
    pub field: String,
    pub kind: ProblemKind,
    pub message: String,
}

impl Problem {
    /// "row 12, column C (Menge): quantity: 'abc' is not a number"
    pub fn describe(&self) -> String {
        let place = match (&self.column, &self.header) {
            (Some(column), Some(header)) => format!("row {}, column {column} ({header})", self.row),
            (Some(column), None) => format!("row {}, column {column}", self.row),
            _ => format!("row {}", self.row),
        };
        format!("{place}: {}: {}", self.field, self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProblemCount {
    pub kind: ProblemKind,
    #[ts(type = "number")]
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub file_name: String,
    pub sheet: Option<String>,
    /// The row holding the headers (rows above it, such as a title, are skipped).
    #[ts(type = "number")]
    pub header_row: usize,
    pub headers: Vec<String>,
    pub mapping: Mapping,
    /// How text numbers and dates were read (after detection).
    pub decimal_separator: DecimalSeparator,
    pub date_order: DateOrder,
    #[ts(type = "number")]
    pub rows_read: usize,
    #[ts(type = "number")]
    pub rows_valid: usize,
    pub counts: Vec<ProblemCount>,
    /// The first problems (at most [`MAX_LISTED`]); `counts` has them all.
    pub problems: Vec<Problem>,
    #[ts(type = "number")]
    pub problems_total: usize,
    /// The same file content was imported before (and not reversed).
    pub already_imported: Option<EarlierImport>,
    /// The first rows as read, for a preview.
    pub sample: Vec<Vec<String>>,
}

/// How many problems a report lists one by one.
pub const MAX_LISTED: usize = 1000;

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Problems gathered while checking rows: listed up to a cap, counted per kind and row.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub problems: Vec<Problem>,
    pub total: usize,
    pub counts: std::collections::BTreeMap<ProblemKind, usize>,
}

impl Findings {
    pub fn add(&mut self, problem: Problem) {
        self.total += 1;
        *self.counts.entry(problem.kind).or_default() += 1;
        if self.problems.len() < MAX_LISTED {
            self.problems.push(problem);
        }
    }

    pub fn counts(&self) -> Vec<ProblemCount> {
        self.counts
            .iter()
            .map(|(kind, rows)| ProblemCount {
                kind: *kind,
                rows: *rows,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::column_letter;

    #[test]
    fn columns_are_lettered_as_in_a_spreadsheet() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .map(column_letter)
            .to_vec();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }
}
