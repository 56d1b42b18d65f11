//! A budget exported to a spreadsheet, edited there and brought back (issue
//! #19): the file's stamp names the budget and the export, so no mapping is
//! asked for. Each cell (product × month) is compared three ways: as exported,
//! as in the file, as the budget holds it now. A cell the file changed is
//! written when the budget still holds what was exported; a cell changed on both
//! sides is a conflict, shown and never overwritten; a cell the file left alone
//! keeps the budget's value, whatever happened to it since. The user sees the
//! difference first; only changed lines are written, one change record each,
//! as one import that can be reversed.

use super::cells::{self, Cell, DateOrder, DecimalSeparator};
use super::fields::{ImportKind, Mapping, normalised};
use super::history::ImportRecord;
use super::importer::write_import;
use super::report::{Findings, Problem, ProblemKind, column_letter};
use super::{Accept, ImportRequest, Source, budget::write_lines};
use crate::access::Actor;
use crate::budgets::{self, Budget, LineEdit};
use crate::error::{Error, Result};
use crate::exports::stamp::{Snapshot, Stamp};
use crate::ledger::{self, Ledger};
use crate::month::Month;
use crate::reference::Product;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use ts_rs::TS;
use uuid::Uuid;

/// What writing a changed cell does to the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CellChangeKind {
    /// A quantity where the budget has none.
    Added,
    Changed,
    /// An emptied cell (or a product row deleted): the quantity goes to zero.
    Removed,
}

/// One cell the import writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CellChange {
    pub sku: String,
    pub product: String,
    pub period: Month,
    pub kind: CellChangeKind,
    /// The quantity in the budget now, and the file's.
    #[ts(type = "string")]
    pub before: Decimal,
    #[ts(type = "string")]
    pub after: Decimal,
}

/// A cell changed both in the file and in the budget since the export: left as
/// the budget holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CellConflict {
    pub sku: String,
    pub product: String,
    pub period: Month,
    /// The quantity exported, when this ledger kept the export.
    #[ts(type = "string | null")]
    pub exported: Option<Decimal>,
    #[ts(type = "string")]
    pub in_file: Decimal,
    #[ts(type = "string")]
    pub in_budget: Decimal,
}

/// The difference between an edited export and its budget, before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BudgetDiff {
    pub file_name: String,
    pub stamp: Stamp,
    pub budget: Budget,
    /// This ledger kept the cells as exported; without them, a cell the file
    /// changed that was also written in the app since the export is a conflict.
    pub export_kept: bool,
    /// The cells to write, in product and month order.
    pub changes: Vec<CellChange>,
    pub conflicts: Vec<CellConflict>,
    #[ts(type = "number")]
    pub added: usize,
    #[ts(type = "number")]
    pub changed: usize,
    #[ts(type = "number")]
    pub removed: usize,
    #[ts(type = "number")]
    pub unchanged: usize,
    /// Cells the file left as exported while the budget changed since: the budget's values stay.
    #[ts(type = "number")]
    pub kept_from_budget: usize,
    #[ts(type = "number")]
    pub rows_read: usize,
    /// Cells the file has wrong (an unknown SKU, a word for a quantity), at most a thousand listed.
    pub problems: Vec<Problem>,
    #[ts(type = "number")]
    pub problems_total: usize,
}

/// A round trip written: the import (reversible like any other) and the difference it wrote.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BudgetRoundTrip {
    pub import: ImportRecord,
    pub diff: BudgetDiff,
}

/// Compares an edited export with its budget, writing nothing.
pub fn compare(ledger: &Ledger, actor: &Actor, source: &dyn Source) -> Result<BudgetDiff> {
    diff(ledger, actor, source).map(|(diff, _)| diff)
}

/// Writes the cells the file changed. Under `Accept::AllOrNothing` a conflict or
/// a problem writes nothing; under `Accept::ValidRows` the other cells are written
/// and the conflicts keep the budget's values.
pub fn apply(
    ledger: &mut Ledger,
    actor: &Actor,
    source: &dyn Source,
    accept: Accept,
) -> Result<BudgetRoundTrip> {
    let (diff, edits) = diff(ledger, actor, source)?;
    if accept == Accept::AllOrNothing && (diff.problems_total > 0 || !diff.conflicts.is_empty()) {
        return Err(Error::invalid("file", refusal(&diff)));
    }
    if edits.is_empty() {
        return Err(Error::invalid(
            "file",
            format!(
                "{} changes nothing in budget {}: every cell holds what the budget holds{}",
                diff.file_name,
                diff.stamp.label,
                if diff.conflicts.is_empty() {
                    String::new()
                } else {
                    format!(" or is in conflict ({})", diff.conflicts.len())
                }
            ),
        ));
    }
    let request = ImportRequest {
        kind: ImportKind::Budget,
        mapping: Mapping::default(),
        decimal_separator: DecimalSeparator::Auto,
        date_order: DateOrder::Auto,
        budget_id: Some(diff.budget.id),
        force: true,
    };
    let problem_rows: HashSet<usize> = diff.problems.iter().map(|problem| problem.row).collect();
    let record = ImportRecord::new(
        ImportKind::Budget,
        source.info(),
        &request,
        actor,
        diff.rows_read,
        diff.rows_read.saturating_sub(problem_rows.len()),
    );
    let budget_id = diff.budget.id;
    let import = write_import(ledger, actor, &record, false, |write| {
        write_lines(write, actor, record.id, budget_id, edits)
    })?;
    Ok(BudgetRoundTrip { import, diff })
}

/// "2 cells changed both in the file and in the budget …; nothing was imported."
fn refusal(diff: &BudgetDiff) -> String {
    let mut reasons = Vec::new();
    if let Some(first) = diff.conflicts.first() {
        reasons.push(format!(
            "{} changed both in the file and in the budget since the export (first: {} {}: file {}, budget {})",
            cells(diff.conflicts.len()),
            first.sku,
            first.period,
            first.in_file,
            first.in_budget
        ));
    }
    if let Some(first) = diff.problems.first() {
        reasons.push(format!(
            "{} {} (first: {})",
            diff.problems_total,
            if diff.problems_total == 1 {
                "problem"
            } else {
                "problems"
            },
            first.describe()
        ));
    }
    format!(
        "{}: {}; nothing was imported. Fix the file, or import the other {} only",
        diff.file_name,
        reasons.join("; "),
        cells(diff.changes.len())
    )
}

/// "1 cell", "3 cells".
fn cells(count: usize) -> String {
    if count == 1 {
        "1 cell".to_owned()
    } else {
        format!("{count} cells")
    }
}

/// The file's columns: the SKU's, and each month's of the budget's year.
struct Layout {
    sku: usize,
    months: Vec<(usize, Month)>,
}

fn layout(info: &super::SourceInfo, periods: &[Month]) -> Result<Layout> {
    let sku = info
        .headers
        .iter()
        .position(|header| normalised(header) == "sku")
        .ok_or_else(|| {
            Error::bad_file(
                &info.file_name,
                "is a budget export without its SKU column; put it back (or export the budget again)",
            )
        })?;
    let months: Vec<(usize, Month)> = info
        .headers
        .iter()
        .enumerate()
        .filter_map(|(index, header)| {
            cells::month(&Cell::Text(header), DateOrder::Auto)
                .filter(|month| periods.contains(month))
                .map(|month| (index, month))
        })
        .collect();
    if months.is_empty() {
        return Err(Error::bad_file(
            &info.file_name,
            format!(
                "is a budget export without a month column of its year ({} to {})",
                periods[0], periods[11]
            ),
        ));
    }
    Ok(Layout { sku, months })
}

/// A cell as the file has it, as exported and as the budget holds it now.
struct Sides {
    file: Decimal,
    exported: Option<(Decimal, Option<i64>)>,
    now: Decimal,
    now_version: Option<i64>,
    written_since: bool,
}

enum Verdict {
    Unchanged,
    /// The file left it as exported; the budget changed it since.
    KeptFromBudget,
    Write,
    Conflict,
}

fn judge(sides: &Sides) -> Verdict {
    match sides.exported {
        Some((exported, _)) if sides.file == exported => {
            if sides.now == exported {
                Verdict::Unchanged
            } else {
                Verdict::KeptFromBudget
            }
        }
        _ if sides.file == sides.now => Verdict::Unchanged,
        Some((_, version)) if version == sides.now_version => Verdict::Write,
        Some(_) => Verdict::Conflict,
        None if sides.written_since => Verdict::Conflict,
        None => Verdict::Write,
    }
}

fn diff(
    ledger: &Ledger,
    actor: &Actor,
    source: &dyn Source,
) -> Result<(BudgetDiff, Vec<LineEdit>)> {
    let info = source.info();
    let stamp = info.stamp.clone().ok_or_else(|| {
        Error::bad_file(
            &info.file_name,
            "is not a budget exported by Salesplan (its first line names the budget and the export); import it with a mapping instead",
        )
    })?;
    let conn = ledger.read();
    let budget = budgets::editable(conn, actor, stamp.budget_id)?;
    let periods = budgets::periods_of(conn, budget.fiscal_year)?;
    let layout = layout(info, &periods)?;
    let snapshot: Option<Snapshot> = ledger::exports::snapshot(conn, stamp.export_id)?
        .filter(|snapshot| snapshot.budget_id == budget.id);
    let products = ledger::reference::list::<Product>(conn, true)?;
    let codes = super::line::Codes::of("product", &products);
    let separator = decimal_separator(source, &layout)?;

    // The file's quantities per (product, month), and the rows they came from.
    let mut in_file: BTreeMap<(Uuid, Month), Decimal> = BTreeMap::new();
    let mut seen: HashMap<Uuid, usize> = HashMap::new();
    let mut findings = Findings::default();
    let mut rows_read = 0;
    let problem =
        |row: usize, column: usize, field: &str, kind: ProblemKind, message: String| Problem {
            row,
            column: Some(column_letter(column)),
            header: info.headers.get(column).cloned(),
            field: field.to_owned(),
            kind,
            message,
        };
    source.rows(&mut |row_number, row| {
        rows_read += 1;
        let sku_cell = row.get(layout.sku).copied().unwrap_or(Cell::Empty);
        let quantities: Vec<(usize, &Month, Cell<'_>)> = layout
            .months
            .iter()
            .map(|(column, period)| {
                (
                    *column,
                    period,
                    row.get(*column).copied().unwrap_or(Cell::Empty),
                )
            })
            .collect();
        if sku_cell.is_blank() {
            if quantities.iter().any(|(_, _, cell)| !cell.is_blank()) {
                findings.add(problem(
                    row_number,
                    layout.sku,
                    "sku",
                    ProblemKind::MissingValue,
                    "is empty".into(),
                ));
            }
            return true;
        }
        let sku = sku_cell.shown().trim().to_owned();
        let product = match codes.find(&sku) {
            Ok(id) => id,
            Err(message) => {
                findings.add(problem(
                    row_number,
                    layout.sku,
                    "sku",
                    ProblemKind::Unknown,
                    message,
                ));
                return true;
            }
        };
        if let Some(first) = seen.insert(product, row_number) {
            findings.add(problem(
                row_number,
                layout.sku,
                "sku",
                ProblemKind::DuplicateInFile,
                format!("{sku} is also on row {first}"),
            ));
            return true;
        }
        for (column, period, cell) in quantities {
            let quantity = if cell.is_blank() {
                Some(Decimal::ZERO)
            } else {
                cells::decimal(&cell, separator)
            };
            match quantity {
                None => findings.add(problem(
                    row_number,
                    column,
                    "quantity",
                    ProblemKind::WrongType,
                    format!(
                        "'{}' is not a number",
                        crate::values::one_line(&cell.shown(), 40)
                    ),
                )),
                Some(value) if value.is_sign_negative() && !value.is_zero() => {
                    findings.add(problem(
                        row_number,
                        column,
                        "quantity",
                        ProblemKind::Negative,
                        format!("{value} is negative"),
                    ))
                }
                Some(value) => {
                    in_file.insert((product, *period), value.normalize());
                }
            }
        }
        true
    })?;

    let now: HashMap<(Uuid, Month), (Decimal, i64)> = ledger::budgets::lines(conn, budget.id)?
        .into_iter()
        .map(|line| {
            (
                (line.product_id, line.period),
                (line.quantity, line.version),
            )
        })
        .collect();
    let exported: HashMap<(Uuid, Month), (Decimal, i64)> = snapshot
        .as_ref()
        .map(|snapshot| {
            snapshot
                .cells
                .iter()
                .map(|cell| {
                    (
                        (cell.product_id, cell.period),
                        (cell.quantity, cell.version),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let written_since = match &snapshot {
        Some(_) => HashSet::new(),
        None => ledger::budgets::lines_written_since(conn, budget.id, stamp.exported_at)?,
    };
    // A product row deleted from the file empties its cells; while a row's SKU
    // cannot be read, no row counts as deleted (it may be that one).
    let unreadable_sku = findings
        .problems
        .iter()
        .any(|problem| problem.field == "sku");
    if !unreadable_sku {
        let mut exported_products: Vec<Uuid> = match &snapshot {
            Some(snapshot) => snapshot.cells.iter().map(|cell| cell.product_id).collect(),
            None => now.keys().map(|(product, _)| *product).collect(),
        };
        exported_products.sort();
        exported_products.dedup();
        for product in exported_products {
            if seen.contains_key(&product) {
                continue;
            }
            for (_, period) in &layout.months {
                in_file.entry((product, *period)).or_insert(Decimal::ZERO);
            }
        }
    }

    let names: HashMap<Uuid, (&str, &str)> = products
        .iter()
        .map(|product| {
            (
                product.id,
                (product.fields.sku.as_str(), product.fields.name.as_str()),
            )
        })
        .collect();
    let mut result = BudgetDiff {
        file_name: info.file_name.clone(),
        stamp: stamp.clone(),
        budget: budget.clone(),
        export_kept: snapshot.is_some(),
        changes: Vec::new(),
        conflicts: Vec::new(),
        added: 0,
        changed: 0,
        removed: 0,
        unchanged: 0,
        kept_from_budget: 0,
        rows_read,
        problems: Vec::new(),
        problems_total: findings.total,
    };
    let mut edits = Vec::new();
    let mut ordered: Vec<(&(Uuid, Month), &Decimal)> = in_file.iter().collect();
    ordered.sort_by(|a, b| (names.get(&a.0.0), &a.0.1).cmp(&(names.get(&b.0.0), &b.0.1)));
    for ((product, period), file) in ordered {
        let key = (*product, *period);
        let current = now.get(&key);
        let line_id = budgets::line_id(budget.id, *product, *period);
        let sides = Sides {
            file: *file,
            exported: snapshot.as_ref().map(|_| {
                exported
                    .get(&key)
                    .map_or((Decimal::ZERO, None), |(quantity, version)| {
                        (*quantity, Some(*version))
                    })
            }),
            now: current.map_or(Decimal::ZERO, |(quantity, _)| *quantity),
            now_version: current.map(|(_, version)| *version),
            written_since: written_since.contains(&line_id),
        };
        let (sku, name) = names.get(product).copied().unwrap_or_default();
        match judge(&sides) {
            Verdict::Unchanged => result.unchanged += 1,
            Verdict::KeptFromBudget => result.kept_from_budget += 1,
            Verdict::Conflict => result.conflicts.push(CellConflict {
                sku: sku.to_owned(),
                product: name.to_owned(),
                period: *period,
                exported: sides.exported.map(|(quantity, _)| quantity),
                in_file: sides.file,
                in_budget: sides.now,
            }),
            Verdict::Write => {
                let kind = if sides.now.is_zero() {
                    result.added += 1;
                    CellChangeKind::Added
                } else if sides.file.is_zero() {
                    result.removed += 1;
                    CellChangeKind::Removed
                } else {
                    result.changed += 1;
                    CellChangeKind::Changed
                };
                result.changes.push(CellChange {
                    sku: sku.to_owned(),
                    product: name.to_owned(),
                    period: *period,
                    kind,
                    before: sides.now,
                    after: sides.file,
                });
                edits.push(LineEdit {
                    product_id: *product,
                    period: *period,
                    quantity: Some(sides.file),
                    unit_price: None,
                    amount: None,
                    base_version: sides.now_version,
                });
            }
        }
    }
    result.problems = findings.problems;
    Ok((result, edits))
}

/// The decimal mark of the month cells written as text (a csv from a German spreadsheet).
fn decimal_separator(source: &dyn Source, layout: &Layout) -> Result<DecimalSeparator> {
    let mut samples = Vec::new();
    let mut rows = 0;
    source.rows(&mut |_, row| {
        for (column, _) in &layout.months {
            if let Some(Cell::Text(text)) = row.get(*column) {
                samples.push((*text).to_owned());
            }
        }
        rows += 1;
        rows < 1000
    })?;
    Ok(cells::detect_decimal_separator(
        samples.iter().map(String::as_str),
    ))
}

#[cfg(test)]
mod tests {
    use super::{Sides, Verdict, judge};
    use rust_decimal::Decimal;

    fn sides(
        file: i64,
        exported: Option<(i64, Option<i64>)>,
        now: i64,
        version: Option<i64>,
    ) -> Sides {
        Sides {
            file: Decimal::from(file),
            exported: exported.map(|(quantity, version)| (Decimal::from(quantity), version)),
            now: Decimal::from(now),
            now_version: version,
            written_since: false,
        }
    }

    #[test]
    fn a_cell_is_judged_from_what_was_exported_what_the_file_holds_and_what_the_budget_holds() {
        let verdict = |s: Sides| match judge(&s) {
            Verdict::Unchanged => "unchanged",
            Verdict::KeptFromBudget => "kept",
            Verdict::Write => "write",
            Verdict::Conflict => "conflict",
        };
        assert_eq!(
            verdict(sides(10, Some((10, Some(1))), 10, Some(1))),
            "unchanged"
        );
        assert_eq!(
            verdict(sides(12, Some((10, Some(1))), 10, Some(1))),
            "write"
        );
        assert_eq!(
            verdict(sides(12, Some((0, None)), 0, None)),
            "write",
            "a new cell"
        );
        assert_eq!(
            verdict(sides(10, Some((10, Some(1))), 15, Some(2))),
            "kept",
            "the budget changed, the file did not: the budget's value stays"
        );
        assert_eq!(
            verdict(sides(12, Some((10, Some(1))), 15, Some(2))),
            "conflict"
        );
        assert_eq!(
            verdict(sides(12, Some((10, Some(1))), 12, Some(2))),
            "unchanged",
            "both made the same change"
        );
        assert_eq!(
            verdict(sides(12, Some((10, Some(1))), 10, Some(2))),
            "conflict",
            "changed and changed back in the budget: its version tells"
        );
        // Without the export kept: a difference is a conflict only where the line was written since.
        assert_eq!(verdict(sides(12, None, 10, Some(1))), "write");
        let mut since = sides(12, None, 10, Some(2));
        since.written_since = true;
        assert_eq!(verdict(since), "conflict");
    }
}
