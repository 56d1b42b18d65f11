//! Importing budget lines into one budget: a row is a product in a month with a
//! quantity (and optionally a unit price) or an amount typed directly. The
//! budget must be editable; each line's earlier state is kept so the import can
//! be reversed while the budget still is.

use super::cells;
use super::fields::ImportKind;
use super::history::ImportRecord;
use super::report::{Findings, ImportReport};
use super::{
    Accept, Checked, Codes, ImportOutcome, ImportRequest, ProblemKind, Progress, Resolved, Source,
    check_acceptable, report_of, tick, write_import,
};
use crate::access::Actor;
use crate::budgets::{self, Budget, BudgetLine, LineEdit};
use crate::error::{Error, Result};
use crate::ledger::{self, Entity, Ledger, Write};
use crate::reference::Product;
use rust_decimal::Decimal;
use std::collections::HashSet;
use uuid::Uuid;

fn target(request: &ImportRequest) -> Result<Uuid> {
    request
        .budget_id
        .ok_or_else(|| Error::invalid("budget_id", "choose the budget the lines go into"))
}

fn check_rows(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<(ImportReport, Budget, Vec<LineEdit>)> {
    let conn = ledger.read();
    let budget = budgets::editable(conn, actor, target(request)?)?;
    let periods = budgets::periods_of(conn, budget.fiscal_year)?;
    let info = source.info();
    let resolved = Resolved::new(ImportKind::Budget, &request.mapping, &info.headers)?;
    let (separator, order) = resolved.styles(
        source,
        request,
        &["quantity", "unit_price", "amount"],
        &["month"],
    )?;
    let products = Codes::load::<Product>(conn)?;
    let mut findings = Findings::default();
    let mut edits = Vec::new();
    let mut seen: HashSet<(Uuid, String)> = HashSet::new();
    let mut rows_read: usize = 0;
    let mut cancelled = false;
    source.rows(&mut |row_number, row| {
        rows_read += 1;
        cancelled = !tick(progress, 1000, rows_read, 0, info.rows.max(1) * 2);
        let mut problems = Vec::new();
        let sku = resolved.cell("sku", row);
        let product = if sku.is_blank() {
            problems.push(("sku", ProblemKind::MissingValue, "is empty".to_owned()));
            None
        } else {
            let text = sku.shown().trim().to_owned();
            match products.find("product", &text) {
                Ok(id) => Some(id),
                Err(message) => {
                    problems.push(("sku", ProblemKind::Unknown, message));
                    None
                }
            }
        };
        let month_cell = resolved.cell("month", row);
        let period = if month_cell.is_blank() {
            problems.push(("month", ProblemKind::MissingValue, "is empty".to_owned()));
            None
        } else {
            match cells::month(&month_cell, order) {
                None => {
                    problems.push((
                        "month",
                        ProblemKind::WrongType,
                        format!("'{}' is not a month", month_cell.shown()),
                    ));
                    None
                }
                Some(month) if !periods.contains(&month) => {
                    problems.push((
                        "month",
                        ProblemKind::OutOfRange,
                        format!(
                            "{month} is outside fiscal year {} ({} to {})",
                            budget.fiscal_year, periods[0], periods[11]
                        ),
                    ));
                    None
                }
                Some(month) => Some(month),
            }
        };
        let mut number = |field: &'static str| {
            let cell = resolved.cell(field, row);
            if cell.is_blank() {
                return None;
            }
            match cells::decimal(&cell, separator) {
                None => {
                    problems.push((
                        field,
                        ProblemKind::WrongType,
                        format!("'{}' is not a number", cell.shown()),
                    ));
                    None
                }
                Some(value) if value.is_sign_negative() && !value.is_zero() => {
                    problems.push((field, ProblemKind::Negative, format!("{value} is negative")));
                    None
                }
                Some(value) => Some(value),
            }
        };
        let (quantity, unit_price, amount) =
            (number("quantity"), number("unit_price"), number("amount"));
        if quantity.is_none()
            && amount.is_none()
            && problems
                .iter()
                .all(|(field, ..)| *field != "quantity" && *field != "amount")
        {
            problems.push((
                "quantity",
                ProblemKind::MissingValue,
                "give a quantity or an amount".to_owned(),
            ));
        }
        if let (Some(product), Some(period)) = (product, &period)
            && problems.is_empty()
            && !seen.insert((product, period.clone()))
        {
            problems.push((
                "month",
                ProblemKind::DuplicateInFile,
                format!("{} {period} is on an earlier row too", sku.shown()),
            ));
        }
        match (product, period, problems.is_empty()) {
            (Some(product_id), Some(period), true) => edits.push(LineEdit {
                product_id,
                period,
                quantity,
                unit_price,
                amount,
                base_version: None,
            }),
            _ => {
                for (field, kind, message) in problems {
                    findings.add(resolved.problem(row_number, field, kind, message));
                }
            }
        }
        !cancelled
    })?;
    if cancelled {
        return Err(Error::Cancelled);
    }
    let found = Checked {
        separator,
        order,
        rows_read,
        rows_valid: edits.len(),
        findings,
    };
    let report = report_of(ledger, ImportKind::Budget, source, request, found)?;
    Ok((report, budget, edits))
}

pub(super) fn preview(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    check_rows(ledger, actor, source, request, progress).map(|(report, ..)| report)
}

pub(super) fn import(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &dyn Source,
    request: &ImportRequest,
    accept: Accept,
    progress: &dyn Progress,
) -> Result<ImportOutcome> {
    let (report, budget, edits) = check_rows(ledger, actor, source, request, progress)?;
    check_acceptable(&report, request, accept)?;
    let record = ImportRecord::new(
        ImportKind::Budget,
        source.info(),
        request,
        actor,
        report.rows_read,
        edits.len(),
    );
    let import = write_import(ledger, actor, &record, false, |write| {
        write_lines(write, actor, record.id, budget.id, edits)
    })?;
    Ok(ImportOutcome { import, report })
}

/// Writes an import's lines into its budget, keeping each line's state before,
/// so the import can be reversed.
pub(super) fn write_lines(
    write: &mut Write<'_>,
    actor: &Actor,
    import_id: Uuid,
    budget_id: Uuid,
    edits: Vec<LineEdit>,
) -> Result<()> {
    let budget = budgets::editable_budget(write, actor, budget_id)?;
    for edit in edits {
        let before =
            ledger::budgets::get_line(write.read(), budget.id, edit.product_id, &edit.period)?;
        let line = budgets::apply_edit(write, &budget, edit)?;
        let image = before.map(|line| serde_json::to_string(&line).unwrap_or_default());
        ledger::imports::insert_before_image(
            write,
            import_id,
            Entity::BudgetLine,
            line.id,
            image.as_deref(),
        )?;
    }
    Ok(())
}

/// Puts a budget's lines back as they were before an import; lines it created go to zero.
pub(super) fn reverse(
    write: &mut Write<'_>,
    actor: &Actor,
    record: &ImportRecord,
) -> Result<usize> {
    let budget_id = record
        .target_id
        .ok_or_else(|| Error::invalid("import", "this budget import names no budget"))?;
    let budget = budgets::editable_budget(write, actor, budget_id)?;
    let images = ledger::imports::before_images(write.read(), record.id)?;
    for (line_id, before) in &images {
        let line = match before {
            Some(json) => serde_json::from_str::<BudgetLine>(json).map_err(|error| {
                Error::invalid("import", format!("a stored line cannot be read: {error}"))
            })?,
            None => {
                let now = ledger::budgets::line_by_id(write.read(), *line_id)?
                    .ok_or_else(|| Error::not_found("budget line", line_id))?;
                budgets::new_line(
                    budget.id,
                    now.product_id,
                    &now.period,
                    Decimal::ZERO,
                    now.unit_price,
                )
            }
        };
        budgets::put_line(write, line)?;
    }
    Ok(images.len())
}
