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
pub mod mappings;
mod memory;
mod reference;
pub mod report;
pub mod round_trip;
mod stock;

pub use cells::{Cell, DateOrder, DecimalSeparator};
pub use fields::{FieldSource, ImportKind, Mapping, TargetField, TargetFields, suggest};
pub use history::{ImportRecord, list, reverse, show};
pub use memory::MemoryTable;
pub use report::{ImportReport, Problem, ProblemKind};

use crate::access::Actor;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::ledger::Reader;
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
}

/// What checking a file found, before it becomes a report.
pub(crate) struct Checked {
    pub separator: DecimalSeparator,
    pub order: DateOrder,
    pub rows_read: usize,
    pub rows_valid: usize,
    pub findings: report::Findings,
}

/// The report of a check.
pub(crate) fn report_of(
    ledger: &Ledger,
    kind: ImportKind,
    source: &dyn Source,
    request: &ImportRequest,
    checked: Checked,
) -> Result<ImportReport> {
    let info = source.info();
    Ok(ImportReport {
        kind,
        file_name: info.file_name.clone(),
        sheet: info.sheet.clone(),
        header_row: info.header_row,
        headers: info.headers.clone(),
        mapping: request.mapping.clone(),
        decimal_separator: checked.separator,
        date_order: checked.order,
        rows_read: checked.rows_read,
        rows_valid: checked.rows_valid,
        counts: checked.findings.counts(),
        problems_total: checked.findings.total,
        problems: checked.findings.problems,
        already_imported: crate::ledger::imports::same_content(
            ledger.read(),
            kind,
            &info.content_hash,
        )?,
        sample: sample_rows(source, 10)?,
    })
}

/// Every `every` steps, reports `offset + step` rows done of `total`; answers
/// whether to go on (false once the user cancelled).
pub(crate) fn tick(
    progress: &dyn Progress,
    every: usize,
    step: usize,
    offset: usize,
    total: usize,
) -> bool {
    if step.is_multiple_of(every) {
        progress.update(offset + step, total);
        return !progress.cancelled();
    }
    true
}

/// Writes an import in one transaction: its record, what `body` writes, and the
/// one change record that names it. `checked_bulk`: the rows' references were
/// all checked, so SQLite's per-row foreign-key lookups are skipped.
pub(crate) fn write_import(
    ledger: &mut Ledger,
    actor: &Actor,
    record: &ImportRecord,
    checked_bulk: bool,
    body: impl FnOnce(&mut crate::ledger::Write<'_>) -> Result<()>,
) -> Result<ImportRecord> {
    let run = |write: &mut crate::ledger::Write<'_>| {
        crate::ledger::imports::insert(write, record)?;
        body(write)?;
        write.record(crate::ledger::Change {
            entity: crate::ledger::Entity::Import,
            entity_id: record.id,
            kind: crate::ledger::ChangeKind::Appended,
            payload: serde_json::json!({
                "kind": record.kind, "file_name": record.file_name, "content_hash": record.content_hash,
                "rows": record.rows_imported,
            }),
            base_version: None,
        })
    };
    if checked_bulk {
        ledger.write_checked_bulk(Some(actor), run)?;
    } else {
        ledger.write(Some(actor), run)?;
    }
    show(ledger, actor, record.id)
}

impl Resolved<'_> {
    /// The decimal mark and date order: as asked, or detected from the first rows of these fields.
    fn styles(
        &self,
        source: &dyn Source,
        request: &ImportRequest,
        numbers: &[&str],
        dates: &[&str],
    ) -> Result<(DecimalSeparator, DateOrder)> {
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
        Ok((separator, order))
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

/// Checks every row and reports, writing nothing.
pub fn preview(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    match request.kind {
        ImportKind::Actuals => actuals::check(ledger, actor, source, request, progress),
        ImportKind::Budget => budget::preview(ledger, actor, source, request, progress),
        ImportKind::Stock => stock::preview(ledger, actor, source, request, progress),
        kind => reference::with_record_type!(kind, |F| reference::preview::<F>(
            ledger, actor, source, request, progress
        )),
    }
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
    match request.kind {
        ImportKind::Actuals => actuals::import(ledger, actor, source, request, accept, progress),
        ImportKind::Budget => budget::import(ledger, actor, source, request, accept, progress),
        ImportKind::Stock => stock::import(ledger, actor, source, request, accept, progress),
        kind => reference::with_record_type!(kind, |F| reference::import::<F>(
            ledger, actor, source, request, accept, progress
        )),
    }
}

pub(crate) fn require_importer(actor: &Actor, kind: ImportKind) -> Result<()> {
    Ok(actor.scope_for(kind.rights().0).map(drop)?)
}

/// Refuses the commit when the report says so: problems under all-or-nothing, or the same content again.
fn check_acceptable(report: &ImportReport, request: &ImportRequest, accept: Accept) -> Result<()> {
    if let (Some(earlier), false) = (&report.already_imported, request.force) {
        return Err(Error::invalid(
            "file",
            format!(
                "{} has the same content as {}, imported {} by {}; import it again only if you mean to (force)",
                report.file_name, earlier.file_name, earlier.imported_at, earlier.imported_by
            ),
        ));
    }
    if accept == Accept::AllOrNothing && report.problems_total > 0 {
        let first = report
            .problems
            .first()
            .map(Problem::describe)
            .unwrap_or_default();
        return Err(Error::invalid(
            "file",
            format!(
                "{} problems in {} rows of {} (first: {first}); nothing was imported. Fix the file, or import the {} valid rows only",
                report.problems_total,
                report.rows_read - report.rows_valid,
                report.file_name,
                report.rows_valid
            ),
        ));
    }
    if report.rows_valid == 0 {
        return Err(Error::invalid(
            "file",
            format!("{} has no valid rows to import", report.file_name),
        ));
    }
    Ok(())
}

/// Reference records a file names by their code (a SKU, a branch code), in any case.
pub(crate) struct Codes {
    /// Lower-case code: id, and archived or not.
    known: std::collections::HashMap<String, (Uuid, bool)>,
    /// The codes of live records, for "did you mean".
    live: Vec<String>,
}

impl Codes {
    pub(crate) fn of<F: crate::reference::ReferenceFields>(
        records: &[crate::reference::Stored<F>],
    ) -> Codes {
        Codes {
            known: records
                .iter()
                .map(|record| {
                    (
                        record.fields.key().to_lowercase(),
                        (record.id, record.archived_at.is_some()),
                    )
                })
                .collect(),
            live: records
                .iter()
                .filter(|record| record.archived_at.is_none())
                .map(|record| record.fields.key().to_owned())
                .collect(),
        }
    }

    /// Every record of the kind, archived ones too.
    pub(crate) fn load<F: crate::reference::ReferenceFields>(conn: Reader<'_>) -> Result<Codes> {
        Ok(Codes::of(&crate::ledger::reference::list::<F>(conn, true)?))
    }

    /// The id of the live record `code` names, or what is wrong with it for the
    /// row: "BEV-010 is archived", "'BEV-01O' is not a product in the ledger; did you mean BEV-010?".
    pub(crate) fn find(&self, what: &str, code: &str) -> std::result::Result<Uuid, String> {
        match self.known.get(&code.to_lowercase()) {
            Some((_, true)) => Err(format!("{code} is archived")),
            Some((id, false)) => Ok(*id),
            None => Err(unknown_name(what, code, &self.live)),
        }
    }
}

/// "'BEV-01O' is not a product in the ledger; did you mean BEV-010?"
pub(crate) fn unknown_name(what: &str, value: &str, known: &[String]) -> String {
    let value = value.trim();
    match did_you_mean(value, known.iter().map(String::as_str)) {
        Some(guess) => format!("'{value}' is not a {what} in the ledger; did you mean {guess}?"),
        None => format!("'{value}' is not a {what} in the ledger"),
    }
}

/// The closest known name to an unknown one, when it is close enough to be a typo.
pub(crate) fn did_you_mean<'k>(
    unknown: &str,
    known: impl Iterator<Item = &'k str>,
) -> Option<&'k str> {
    let unknown = unknown.to_lowercase();
    let limit = (unknown.chars().count() / 3).max(1);
    known
        .map(|candidate| {
            (
                edit_distance(&unknown, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edits between two names: insertions, deletions, substitutions, and swaps of
/// neighbours ("BVE" for "BEV" is one edit), the optimal-string-alignment distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in table[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[i - 1][j] + 1)
                .min(table[i][j - 1] + 1)
                .min(table[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = best;
        }
    }
    table[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, edit_distance};

    #[test]
    fn typos_get_a_suggestion_and_strangers_none() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            edit_distance("bve", "bev"),
            1,
            "a swap of neighbours is one edit"
        );
        let known = ["BEV-010", "BEV-020", "DRY-010"];
        assert_eq!(did_you_mean("bev-01O", known.into_iter()), Some("BEV-010"));
        assert_eq!(did_you_mean("XYZ-999", known.into_iter()), None);
    }
}
