//! The one shape of every import: each row checked into a report, writing
//! nothing; then, when the report is acceptable, the valid rows written in one
//! transaction with the import's record. An [`Importer`] says what one kind of
//! import reads its rows against, how it checks a row and how it writes the
//! rows it accepted; [`preview`] and [`commit`] do the rest, the same way for
//! every kind (and for every source a row comes from).

use super::fields::ImportKind;
use super::history::{ImportRecord, show};
use super::line::{Line, Styles};
use super::report::{Findings, ImportReport, Problem};
use super::{Accept, ImportOutcome, ImportRequest, Progress, Resolved, Source};
use crate::access::Actor;
use crate::error::{Error, Result};
use crate::ledger::{self, Ledger, Reader, Write};

/// One kind of import.
pub(crate) trait Importer: Sized {
    const KIND: ImportKind;
    /// The fields whose text numbers and dates tell the file's decimal mark and date order.
    const NUMBERS: &'static [&'static str];
    const DATES: &'static [&'static str] = &[];
    /// Rows between two progress reports.
    const EVERY: usize = 1000;
    /// Every record a row names is looked up while checking, so writing skips
    /// SQLite's per-row foreign-key lookups.
    const CHECKED_BULK: bool = false;

    /// A row that passed every check, as it will be written.
    type Row;

    /// Checks that the actor may make this import, and loads what rows are read against.
    fn open(conn: Reader<'_>, actor: &Actor, request: &ImportRequest) -> Result<Self>;

    /// Makes room for a file of `rows` rows (a million sales must not grow their tables row by row).
    fn expect_rows(&mut self, _rows: usize) {}

    /// Reads a row: what to write, or `None` with the row's problems noted on the line.
    fn check(&mut self, line: &mut Line<'_>) -> Option<Self::Row>;

    /// Writes the accepted rows inside the import's transaction, calling
    /// `writing.row(index)` before each so the user sees progress and may cancel.
    fn write(
        self,
        write: &mut Write<'_>,
        actor: &Actor,
        record: &ImportRecord,
        rows: Vec<Self::Row>,
        writing: &Writing<'_>,
    ) -> Result<()>;
}

/// Every `every` steps, reports `offset + step` rows done of `total`; answers
/// whether to go on (false once the user cancelled).
fn tick(progress: &dyn Progress, every: usize, step: usize, offset: usize, total: usize) -> bool {
    if step.is_multiple_of(every) {
        progress.update(offset + step, total);
        return !progress.cancelled();
    }
    true
}

/// Progress while writing: rows written count as the second half of the job.
pub(crate) struct Writing<'p> {
    progress: &'p dyn Progress,
    every: usize,
    total: usize,
}

impl Writing<'_> {
    /// Reports progress every so many rows; `Cancelled` once the user asked to stop.
    pub(crate) fn row(&self, index: usize) -> Result<()> {
        if tick(self.progress, self.every, index, self.total, self.total * 2) {
            Ok(())
        } else {
            Err(Error::Cancelled)
        }
    }
}

/// Every row checked: the report, the importer and the rows it accepted.
fn check<I: Importer>(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<(ImportReport, I, Vec<I::Row>)> {
    let mut importer = I::open(ledger.read(), actor, request)?;
    let info = source.info();
    let resolved = Resolved::new(I::KIND, &request.mapping, &info.headers)?;
    let styles = resolved.styles(source, request, I::NUMBERS, I::DATES)?;
    importer.expect_rows(info.rows);
    let mut findings = Findings::default();
    let mut rows = Vec::with_capacity(info.rows);
    let mut rows_read: usize = 0;
    let mut cancelled = false;
    let total = info.rows.max(1);
    source.rows(&mut |number, cells| {
        rows_read += 1;
        if !tick(progress, I::EVERY, rows_read, 0, total * 2) {
            cancelled = true;
            return false;
        }
        let mut line = Line::new(&resolved, cells, number, styles);
        match importer.check(&mut line) {
            Some(row) if line.is_clean() => rows.push(row),
            _ => line
                .into_problems()
                .into_iter()
                .for_each(|problem| findings.add(problem)),
        }
        true
    })?;
    if cancelled {
        return Err(Error::Cancelled);
    }
    let checked = Checked {
        styles,
        rows_read,
        rows_valid: rows.len(),
        findings,
    };
    let report = report_of(ledger, I::KIND, source, request, checked)?;
    Ok((report, importer, rows))
}

/// Checks every row and reports, writing nothing.
pub(crate) fn preview<I: Importer>(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    check::<I>(ledger, actor, source, request, progress).map(|(report, ..)| report)
}

/// Checks every row and, when the report is acceptable, writes the import in one transaction.
pub(crate) fn commit<I: Importer>(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    accept: Accept,
    progress: &dyn Progress,
) -> Result<ImportOutcome> {
    let gate = &mut |report: &ImportReport| {
        check_acceptable(report, request, accept).map(|()| Gate::Write)
    };
    let (report, import) = commit_gated::<I>(
        ledger,
        actor,
        source,
        request,
        progress,
        gate,
        &mut |_, _, _| Ok(()),
    )?;
    let import = import.ok_or_else(|| Error::invalid("file", "nothing to import"))?;
    Ok(ImportOutcome { import, report })
}

/// Whether checked rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    Write,
    Skip,
}

/// Checks every row, asks `gate` whether to write the valid ones and, if so,
/// writes them in one transaction together with what `also` writes there.
pub(crate) fn commit_gated<I: Importer>(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
    gate: &mut dyn FnMut(&ImportReport) -> Result<Gate>,
    also: &mut dyn FnMut(&mut Write<'_>, &ImportRecord, &ImportReport) -> Result<()>,
) -> Result<(ImportReport, Option<ImportRecord>)> {
    let (report, importer, rows) = check::<I>(ledger, actor, source, request, progress)?;
    if gate(&report)? == Gate::Skip {
        return Ok((report, None));
    }
    let record = ImportRecord::new(
        I::KIND,
        source.info(),
        request,
        actor,
        report.rows_read,
        rows.len(),
    );
    let writing = Writing {
        progress,
        every: I::EVERY,
        total: report.rows_read.max(1),
    };
    let import = write_import(ledger, actor, &record, I::CHECKED_BULK, |write| {
        importer.write(write, actor, &record, rows, &writing)?;
        also(write, &record, &report)
    })?;
    progress.update(writing.total * 2, writing.total * 2);
    Ok((report, Some(import)))
}

/// What checking a file found, before it becomes a report.
struct Checked {
    styles: Styles,
    rows_read: usize,
    rows_valid: usize,
    findings: Findings,
}

/// The report of a check.
fn report_of(
    ledger: &Ledger,
    kind: ImportKind,
    source: &dyn Source,
    request: &ImportRequest,
    checked: Checked,
) -> Result<ImportReport> {
    let info = source.info();
    let Checked {
        styles,
        rows_read,
        rows_valid,
        findings,
    } = checked;
    Ok(ImportReport {
        kind,
        file_name: info.file_name.clone(),
        sheet: info.sheet.clone(),
        header_row: info.header_row,
        headers: info.headers.clone(),
        mapping: request.mapping.clone(),
        decimal_separator: styles.separator,
        date_order: styles.order,
        rows_read,
        rows_valid,
        counts: findings.counts(),
        problems_total: findings.total,
        problems: findings.problems,
        already_imported: ledger::imports::same_content(ledger.read(), kind, &info.content_hash)?,
        sample: super::sample_rows(source, 10)?,
    })
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

/// Writes an import in one transaction: its record, what `body` writes, and the
/// one change record that names it. `checked_bulk`: the rows' references were
/// all checked, so SQLite's per-row foreign-key lookups are skipped.
pub(crate) fn write_import(
    ledger: &mut Ledger,
    actor: &Actor,
    record: &ImportRecord,
    checked_bulk: bool,
    body: impl FnOnce(&mut Write<'_>) -> Result<()>,
) -> Result<ImportRecord> {
    let run = |write: &mut Write<'_>| {
        ledger::imports::insert(write, record)?;
        body(write)?;
        write.record(ledger::Change {
            entity: ledger::Entity::Import,
            entity_id: record.id,
            kind: ledger::ChangeKind::Appended,
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
