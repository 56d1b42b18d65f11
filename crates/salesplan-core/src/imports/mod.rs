//! Imports (DESIGN §2.6): a file's rows mapped onto a target schema, checked
//! into a data-quality report before anything is written, then committed in one
//! transaction (all accepted rows or none), recorded with the file's content
//! hash so the same file is recognised, and reversible as a whole.
//!
//! Reading files is the `salesplan-files` crate's job: it hands over a
//! [`Source`], a table of cells with headers, whatever the file format was.

mod actuals;
mod budget;
pub mod cells;
pub mod fields;
pub mod history;
mod importer;
mod line;
pub mod mappings;
mod memory;
mod reference;
pub mod report;
pub mod round_trip;
mod stock;
mod supplier_products;

pub use cells::{Cell, DateOrder, DecimalSeparator};
pub use fields::{FieldSource, ImportKind, Mapping, TargetField, TargetFields, suggest};
pub use history::{ImportRecord, list, reverse, show};
pub(crate) use importer::Gate;
pub use memory::MemoryTable;
pub use report::{ImportReport, Problem, ProblemKind};

use crate::access::Actor;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use line::Styles;
use report::column_letter;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// What a reader found in a file: its table's headers and where they were.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SourceInfo {
    pub file_name: String,
    /// BLAKE2b-256 of the file's bytes, hex.
    pub content_hash: String,
    /// The sheet read (spreadsheets), and every sheet the file has.
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    /// The row holding the headers, counting from 1.
    #[ts(type = "number")]
    pub header_row: usize,
    pub headers: Vec<String>,
    /// Data rows below the header (empty rows at the end not counted).
    #[ts(type = "number")]
    pub rows: usize,
    /// The export the file says it is (a budget exported to be edited), from the line above its headers.
    pub stamp: Option<crate::exports::stamp::Stamp>,
}

/// A table read from a file.
pub trait Source {
    fn info(&self) -> &SourceInfo;

    /// Calls `each` with every data row: its row number in the file and one cell per
    /// header. Stops early when `each` answers `false`.
    fn rows(&self, each: &mut dyn FnMut(usize, &[Cell<'_>]) -> bool) -> Result<()>;
}

/// What the import wizard shows once a file is open.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OpenedFile {
    pub info: SourceInfo,
    /// The mapping suggested from the headers.
    pub mapping: Mapping,
    pub fields: Vec<TargetField>,
    /// The first rows as read.
    pub sample: Vec<Vec<String>>,
}

/// Rows done of a running check, import or export.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[ts(export)]
pub struct JobProgress {
    #[ts(type = "number")]
    pub done: usize,
    #[ts(type = "number")]
    pub total: usize,
}

/// Rows done out of all, and whether the user asked to stop.
pub trait Progress {
    fn update(&self, done: usize, total: usize);
    fn cancelled(&self) -> bool;
}

/// No progress shown, never cancelled.
pub struct Silent;

impl Progress for Silent {
    fn update(&self, _done: usize, _total: usize) {}
    fn cancelled(&self) -> bool {
        false
    }
}

/// How to read and where to put a file's rows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRequest {
    pub kind: ImportKind,
    pub mapping: Mapping,
    #[serde(default)]
    pub decimal_separator: DecimalSeparator,
    #[serde(default)]
    pub date_order: DateOrder,
    /// The budget that budget lines go into.
    #[serde(default)]
    #[ts(optional)]
    pub budget_id: Option<Uuid>,
    /// Import even though the same content was imported before.
    #[serde(default)]
    pub force: bool,
}

/// What to do when the report lists problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Accept {
    /// Import nothing unless every row is valid.
    AllOrNothing,
    /// Import the valid rows, skip the others.
    ValidRows,
}

/// An import done: its record and the report it was made from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportOutcome {
    pub import: ImportRecord,
    pub report: ImportReport,
}

/// The mapping resolved against a file's headers: per target field, a column index or a constant.
pub(crate) struct Resolved<'m> {
    kind: ImportKind,
    sources: Vec<Option<Resolution<'m>>>,
    defaults: Vec<Option<&'m str>>,
    headers: &'m [String],
}

enum Resolution<'m> {
    Column(usize),
    Constant(&'m str),
}

impl<'m> Resolved<'m> {
    fn new(kind: ImportKind, mapping: &'m Mapping, headers: &'m [String]) -> Result<Resolved<'m>> {
        for key in mapping.fields.keys().chain(mapping.defaults.keys()) {
            if !kind.fields().iter().any(|field| field.key == key) {
                let known: Vec<&str> = kind.fields().iter().map(|field| field.key).collect();
                return Err(Error::invalid(
                    "mapping",
                    format!(
                        "'{key}' is not a field of a {} import (fields: {})",
                        kind.key(),
                        known.join(", ")
                    ),
                ));
            }
        }
        let mut sources = Vec::new();
        let mut defaults = Vec::new();
        for field in kind.fields() {
            let source = match mapping.fields.get(field.key) {
                None => None,
                Some(FieldSource::Constant { value }) => Some(Resolution::Constant(value.as_str())),
                Some(FieldSource::Column { column }) => {
                    let wanted = fields::normalised(column);
                    let index = headers
                        .iter()
                        .position(|header| header == column)
                        .or_else(|| {
                            headers
                                .iter()
                                .position(|header| fields::normalised(header) == wanted)
                        })
                        .ok_or_else(|| {
                            Error::invalid(
                                "mapping",
                                format!(
                                    "{}: the file has no column '{column}' (its columns: {})",
                                    field.label,
                                    headers.join(", ")
                                ),
                            )
                        })?;
                    Some(Resolution::Column(index))
                }
            };
            let default = mapping.defaults.get(field.key).map(String::as_str);
            if field.required && source.is_none() && default.is_none() {
                return Err(Error::invalid(
                    "mapping",
                    format!(
                        "{} is required: choose the column that holds it, or give a constant",
                        field.label
                    ),
                ));
            }
            sources.push(source);
            defaults.push(default);
        }
        Ok(Resolved {
            kind,
            sources,
            defaults,
            headers,
        })
    }

    /// Whether the field is read from the file (a column or a constant), not left as it is.
    fn maps(&self, key: &str) -> bool {
        matches!(self.sources.get(self.index_of(key)), Some(Some(_)))
    }

    fn index_of(&self, key: &str) -> usize {
        self.kind
            .fields()
            .iter()
            .position(|field| field.key == key)
            .unwrap_or(usize::MAX)
    }

    /// The cell for a field on a row: the mapped column, the constant, or the default
    /// when the cell is empty; `Cell::Empty` when there is none.
    fn cell<'r>(&'r self, key: &str, row: &[Cell<'r>]) -> Cell<'r> {
        let index = self.index_of(key);
        let value = match self.sources.get(index) {
            Some(Some(Resolution::Column(column))) => {
                row.get(*column).copied().unwrap_or(Cell::Empty)
            }
            Some(Some(Resolution::Constant(value))) => Cell::Text(value),
            _ => Cell::Empty,
        };
        match (value.is_blank(), self.defaults.get(index)) {
            (true, Some(Some(default))) => Cell::Text(default),
            _ => value,
        }
    }

    /// A problem located at a field's column (no column for a constant).
    fn problem(
        &self,
        row: usize,
        key: &str,
        kind: ProblemKind,
        message: impl Into<String>,
    ) -> Problem {
        let column = match self.sources.get(self.index_of(key)) {
            Some(Some(Resolution::Column(column))) => Some(*column),
            _ => None,
        };
        Problem {
            row,
            column: column.map(column_letter),
            header: column.and_then(|column| self.headers.get(column).cloned()),
            field: key.to_owned(),
            kind,
            message: message.into(),
        }
    }

    /// The text values of a field in the first rows, for detecting number and date styles.
    fn samples(&self, source: &dyn Source, keys: &[&str], limit: usize) -> Result<Vec<String>> {
        let mut samples = Vec::new();
        let mut seen = 0;
        source.rows(&mut |_, row| {
            for key in keys {
                if let Cell::Text(text) = self.cell(key, row) {
                    samples.push(text.to_owned());
                }
            }
            seen += 1;
            seen < limit
        })?;
        Ok(samples)
    }

    /// The decimal mark and date order: as asked, or detected from the first rows of these fields.
    fn styles(
        &self,
        source: &dyn Source,
        request: &ImportRequest,
        numbers: &[&str],
        dates: &[&str],
    ) -> Result<Styles> {
        let separator = match request.decimal_separator {
            DecimalSeparator::Auto => {
                let samples = self.samples(source, numbers, 1000)?;
                cells::detect_decimal_separator(samples.iter().map(String::as_str))
            }
            chosen => chosen,
        };
        let order = match request.date_order {
            DateOrder::Auto if !dates.is_empty() => {
                let samples = self.samples(source, dates, 1000)?;
                cells::detect_date_order(samples.iter().map(String::as_str))
            }
            chosen => chosen,
        };
        Ok(Styles { separator, order })
    }
}

/// The first rows of a source as text, for the preview.
fn sample_rows(source: &dyn Source, limit: usize) -> Result<Vec<Vec<String>>> {
    let mut sample = Vec::new();
    source.rows(&mut |_, row| {
        sample.push(row.iter().map(Cell::shown).collect());
        sample.len() < limit
    })?;
    Ok(sample)
}

/// The mapping to start from for a file's headers, once the actor is known to
/// be allowed this kind of import.
pub fn start(actor: &Actor, kind: ImportKind, headers: &[String]) -> Result<Mapping> {
    require_importer(actor, kind)?;
    Ok(suggest(kind, headers))
}

/// Runs `$body` with `$I` the importer of a kind.
macro_rules! with_importer {
    ($kind:expr, |$I:ident| $body:expr) => {
        match $kind {
            ImportKind::Actuals => {
                type $I = actuals::Actuals;
                $body
            }
            ImportKind::Budget => {
                type $I = budget::BudgetLines;
                $body
            }
            ImportKind::Stock => {
                type $I = stock::Stock;
                $body
            }
            ImportKind::SupplierProducts => {
                type $I = supplier_products::SupplierProducts;
                $body
            }
            kind => reference::with_record_type!(kind, |F| {
                type $I = reference::References<F>;
                $body
            }),
        }
    };
}

/// Checks every row and reports, writing nothing.
pub fn preview(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    with_importer!(request.kind, |I| importer::preview::<I>(
        ledger, actor, source, request, progress
    ))
}

/// Checks every row and imports them in one transaction: every row, or (with
/// `Accept::ValidRows`) the valid ones; a cancel or failure leaves nothing written.
pub fn commit(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    accept: Accept,
    progress: &dyn Progress,
) -> Result<ImportOutcome> {
    with_importer!(request.kind, |I| importer::commit::<I>(
        ledger, actor, source, request, accept, progress
    ))
}

/// Checks every row, asks `gate` whether to write the valid ones and, if so,
/// writes them in one transaction together with what `also` writes there (a
/// data source's cursor and job move with the rows they brought). Whether the
/// report is acceptable is the gate's to say; nothing is written on `Skip`.
pub(crate) fn commit_gated(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
    gate: &mut dyn FnMut(&ImportReport) -> Result<Gate>,
    also: &mut dyn FnMut(&mut crate::ledger::Write<'_>, &ImportRecord, &ImportReport) -> Result<()>,
) -> Result<(ImportReport, Option<ImportRecord>)> {
    with_importer!(request.kind, |I| importer::commit_gated::<I>(
        ledger, actor, source, request, progress, gate, also
    ))
}

/// The newest date a table's rows hold in the field an import of `kind` reads
/// its dates from (none for kinds without dates, or when no cell reads as a date).
pub fn newest_date(
    source: &dyn Source,
    kind: ImportKind,
    mapping: &Mapping,
) -> Result<Option<crate::timestamp::Day>> {
    let dates = with_importer!(kind, |I| Ok::<_, Error>(<I as importer::Importer>::DATES))?;
    let Some(key) = dates.first() else {
        return Ok(None);
    };
    let resolved = Resolved::new(kind, mapping, &source.info().headers)?;
    let samples = resolved.samples(source, &[key], 1000)?;
    let order = cells::detect_date_order(samples.iter().map(String::as_str));
    let mut newest = None;
    source.rows(&mut |_, row| {
        if let Some(date) = cells::date(&resolved.cell(key, row), order) {
            newest = newest.max(Some(date));
        }
        true
    })?;
    Ok(newest.and_then(crate::timestamp::Day::from_date))
}

pub(crate) fn require_importer(actor: &Actor, kind: ImportKind) -> Result<()> {
    Ok(actor.scope_for(kind.rights().0).map(drop)?)
}
