//! `salesplan import BUDGET-EXPORT.xlsx`: a budget exported by Salesplan and
//! edited in a spreadsheet goes back into its budget. The difference is shown
//! (cells to write, conflicts, problems); `--dry-run` stops there.

use crate::Context;
use crate::output;
use anyhow::Result;
use salesplan_core::imports::round_trip::{self, BudgetDiff, CellChangeKind};
use salesplan_core::imports::{Accept, Source};
use salesplan_core::values::one_line;
use salesplan_core::{Actor, Ledger};

/// How many cells and conflicts are listed one by one.
const LISTED: usize = 20;

pub fn run(
    context: &Context,
    ledger: &mut Ledger,
    actor: &Actor,
    table: &dyn Source,
    dry_run: bool,
    valid_only: bool,
) -> Result<()> {
    if dry_run {
        let diff = round_trip::compare(ledger, actor, table)?;
        return output::emit(context, &diff, || describe(&diff));
    }
    let accept = if valid_only {
        Accept::ValidRows
    } else {
        Accept::AllOrNothing
    };
    let written = round_trip::apply(ledger, actor, table, accept)?;
    output::emit(context, &written, || {
        let id = written.import.id.to_string();
        format!(
            "{}\nwrote {} cells as import {} (undo it with `salesplan imports reverse {}`)",
            describe(&written.diff),
            written.diff.changes.len(),
            &id[id.len() - 8..],
            &id[id.len() - 8..]
        )
    })
}

/// The difference as people read it.
fn describe(diff: &BudgetDiff) -> String {
    let mut text = format!(
        "{} is budget {} as exported {}{}\n  {} cells to write ({} changed, {} added, {} removed), {} unchanged",
        one_line(&diff.file_name, 120),
        one_line(&diff.stamp.label, 120),
        diff.stamp.exported_at,
        if diff.export_kept {
            ""
        } else {
            " (an export this ledger does not keep: a cell written here since then counts as a conflict)"
        },
        diff.changes.len(),
        diff.changed,
        diff.added,
        diff.removed,
        diff.unchanged
    );
    if diff.kept_from_budget > 0 {
        text.push_str(&format!(
            ", {} changed in the budget since and left alone in the file (the budget's values stay)",
            diff.kept_from_budget
        ));
    }
    for change in diff.changes.iter().take(LISTED) {
        let kind = match change.kind {
            CellChangeKind::Added => "added",
            CellChangeKind::Changed => "changed",
            CellChangeKind::Removed => "removed",
        };
        text.push_str(&format!(
            "\n  {} {}: {} → {} ({kind})",
            change.sku, change.period, change.before, change.after
        ));
    }
    if diff.changes.len() > LISTED {
        text.push_str(&format!("\n  … and {} more", diff.changes.len() - LISTED));
    }
    if !diff.conflicts.is_empty() {
        text.push_str(&format!(
            "\n  {} conflicts (changed in the file and in the budget since the export; the budget's values stay):",
            diff.conflicts.len()
        ));
        for conflict in diff.conflicts.iter().take(LISTED) {
            let exported = conflict
                .exported
                .map_or_else(|| "?".to_owned(), |quantity| quantity.to_string());
            text.push_str(&format!(
                "\n  {} {}: exported {exported}, file {}, budget {}",
                conflict.sku, conflict.period, conflict.in_file, conflict.in_budget
            ));
        }
    }
    for problem in diff.problems.iter().take(LISTED) {
        text.push_str(&format!("\n  {}", problem.describe()));
    }
    if diff.problems_total > LISTED {
        text.push_str(&format!(
            "\n  … and {} more problems",
            diff.problems_total - LISTED
        ));
    }
    text
}
