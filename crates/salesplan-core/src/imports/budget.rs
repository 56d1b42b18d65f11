//! Importing budget lines into one budget: a row is a product in a month with a
//! quantity (and optionally a unit price) or an amount typed directly. The
//! budget must be editable; each line's earlier state is kept so the import can
//! be reversed while the budget still is.

use super::fields::ImportKind;
use super::history::ImportRecord;
use super::importer::{Importer, Writing};
use super::line::{Codes, Line, Seen};
use super::{ImportRequest, ProblemKind};
use crate::access::Actor;
use crate::budgets::{self, Budget, BudgetLine, LineEdit};
use crate::error::{Error, Result};
use crate::ledger::{self, Entity, Reader, Write};
use crate::month::Month;
use crate::reference::Product;
use rust_decimal::Decimal;
use std::collections::HashSet;
use uuid::Uuid;

/// What budget lines are read against: the budget, its months and the products.
pub(super) struct BudgetLines {
    budget: Budget,
    periods: Vec<Month>,
    products: Codes,
    /// A product and month once per file.
    seen: Seen<(Uuid, Month)>,
}

impl Importer for BudgetLines {
    const KIND: ImportKind = ImportKind::Budget;
    const NUMBERS: &'static [&'static str] = &["quantity", "unit_price", "amount"];
    const DATES: &'static [&'static str] = &["month"];
    type Row = LineEdit;

    fn open(conn: Reader<'_>, actor: &Actor, request: &ImportRequest) -> Result<BudgetLines> {
        let budget_id = request
            .budget_id
            .ok_or_else(|| Error::invalid("budget_id", "choose the budget the lines go into"))?;
        let budget = budgets::editable(conn, actor, budget_id)?;
        Ok(BudgetLines {
            periods: budgets::periods_of(conn, budget.fiscal_year)?,
            budget,
            products: Codes::load::<Product>("product", conn)?,
            seen: Seen::new(HashSet::new()),
        })
    }

    fn check(&mut self, line: &mut Line<'_>) -> Option<LineEdit> {
        let product_id = line.named("sku", &self.products, true);
        let period = line.month("month").filter(|month| {
            let inside = self.periods.contains(month);
            if !inside {
                line.problem(
                    "month",
                    ProblemKind::OutOfRange,
                    format!(
                        "{month} is outside fiscal year {} ({} to {})",
                        self.budget.fiscal_year, self.periods[0], self.periods[11]
                    ),
                );
            }
            inside
        });
        let mut number = |field: &str| {
            let value = line.decimal(field, false);
            line.not_negative(field, value)
        };
        let (quantity, unit_price, amount) =
            (number("quantity"), number("unit_price"), number("amount"));
        if quantity.is_none()
            && amount.is_none()
            && line.cell("quantity").is_blank()
            && line.cell("amount").is_blank()
        {
            line.problem(
                "quantity",
                ProblemKind::MissingValue,
                "give a quantity or an amount",
            );
        }
        let (Some(product_id), Some(period), true) = (product_id, period, line.is_clean()) else {
            return None;
        };
        if self
            .seen
            .first((product_id, period), line.number())
            .is_err()
        {
            line.problem(
                "month",
                ProblemKind::DuplicateInFile,
                format!(
                    "{} {period} is on an earlier row too",
                    line.cell("sku").shown()
                ),
            );
            return None;
        }
        Some(LineEdit {
            product_id,
            period,
            quantity,
            unit_price,
            amount,
            base_version: None,
        })
    }

    fn write(
        self,
        write: &mut Write<'_>,
        actor: &Actor,
        record: &ImportRecord,
        rows: Vec<LineEdit>,
        _writing: &Writing<'_>,
    ) -> Result<()> {
        write_lines(write, actor, record.id, self.budget.id, rows)
    }
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
            ledger::budgets::get_line(write.read(), budget.id, edit.product_id, edit.period)?;
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
                    now.period,
                    Decimal::ZERO,
                    now.unit_price,
                )
            }
        };
        budgets::put_line(write, line)?;
    }
    Ok(images.len())
}
