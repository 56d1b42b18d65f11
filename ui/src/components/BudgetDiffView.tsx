// A budget exported, edited in a spreadsheet and opened again: what writing it
// would change (cells changed, added, removed), the cells changed both in the
// file and in the budget since the export (they keep the budget's values), and
// the file's problems. Nothing is written until the user says so.

import { formatInstant } from "../format";
import type { Accept, BudgetDiff } from "../ipc";
import { ImportProblems } from "./ImportProblems";

const KIND_WORDS = { added: "added", changed: "changed", removed: "emptied" } as const;

export function BudgetDiffView({
  diff,
  running,
  onApply,
  onBack,
}: {
  diff: BudgetDiff;
  running: boolean;
  onApply: (accept: Accept) => void;
  onBack: () => void;
}) {
  const clean = diff.conflicts.length === 0 && diff.problems_total === 0;
  const writes = diff.changes.length;
  return (
    <div data-testid="budget-diff">
      <p>
        This is the budget <strong>{diff.stamp.label}</strong>, exported{" "}
        {formatInstant(diff.stamp.exported_at)}.{" "}
        <strong data-testid="budget-diff-summary">
          {writes} {writes === 1 ? "cell" : "cells"} to write ({diff.changed} changed, {diff.added} added,{" "}
          {diff.removed} emptied), {diff.unchanged} unchanged
        </strong>
        {diff.kept_from_budget > 0 && (
          <span className="muted">
            ; {diff.kept_from_budget} changed in the app since the export and left alone in the file keep the
            app's values
          </span>
        )}
        .
      </p>
      {!diff.export_kept && (
        <p className="muted">
          This export was made from another copy of the ledger: a cell changed here since then counts as a
          conflict.
        </p>
      )}
      {writes > 0 && (
        <div className="table-scroll">
          <table data-testid="budget-diff-changes">
            <thead>
              <tr>
                <th>SKU</th>
                <th>Product</th>
                <th>Month</th>
                <th className="number">In the budget</th>
                <th className="number">In the file</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {diff.changes.map((change) => (
                <tr key={`${change.sku}-${change.period}`}>
                  <td>{change.sku}</td>
                  <td>{change.product}</td>
                  <td>{change.period}</td>
                  <td className="number">{change.before}</td>
                  <td className="number">{change.after}</td>
                  <td>{KIND_WORDS[change.kind]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {diff.conflicts.length > 0 && (
        <>
          <p className="error">
            {diff.conflicts.length} {diff.conflicts.length === 1 ? "cell was" : "cells were"} changed both in
            the file and in the app since the export. They keep the app's values; change them in the budget if
            the file is right.
          </p>
          <div className="table-scroll">
            <table data-testid="budget-diff-conflicts">
              <thead>
                <tr>
                  <th>SKU</th>
                  <th>Product</th>
                  <th>Month</th>
                  <th className="number">Exported</th>
                  <th className="number">In the file</th>
                  <th className="number">In the budget now</th>
                </tr>
              </thead>
              <tbody>
                {diff.conflicts.map((conflict) => (
                  <tr key={`${conflict.sku}-${conflict.period}`}>
                    <td>{conflict.sku}</td>
                    <td>{conflict.product}</td>
                    <td>{conflict.period}</td>
                    <td className="number">{conflict.exported ?? "?"}</td>
                    <td className="number">{conflict.in_file}</td>
                    <td className="number">{conflict.in_budget}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <ImportProblems problems={diff.problems} total={diff.problems_total} />
      <div className="form-actions">
        <button
          type="button"
          onClick={() => onApply(clean ? "all_or_nothing" : "valid_rows")}
          disabled={running || writes === 0}
          data-testid="budget-diff-apply"
        >
          {writes === 0
            ? "Nothing to write"
            : clean
              ? `Write the ${writes} ${writes === 1 ? "cell" : "cells"}`
              : `Write the other ${writes} ${writes === 1 ? "cell" : "cells"} only`}
        </button>
        <button type="button" className="secondary" onClick={onBack} disabled={running}>
          Another file
        </button>
      </div>
    </div>
  );
}
