// The budget grid: products × months of quantities (or amounts), edited like a spreadsheet.
// In the amounts view a typed number is the month's amount, entered directly.
// Keys: arrows/Tab/Enter move, typing or F2 edits, Enter/Tab commit, Escape cancels,
// Delete clears, Ctrl+V pastes a block from Excel, Ctrl+R fills right, Ctrl+Z undoes the last edit.
import { type ClipboardEvent, type KeyboardEvent, useMemo, useRef, useState } from "react";
import { formatAmount, formatMoney, formatPeriod } from "../format";
import { type Cell, type CellEdit, fillRight, move, parseClipboard, parseNumber, pasteEdits } from "../grid";
import type { BudgetLine, BudgetSheet, LineEdit, ReferenceRecord } from "../ipc";

interface Row {
  productId: string;
  label: string;
}

export function BudgetGrid({
  sheet,
  products,
  editable,
  onEdit,
}: {
  sheet: BudgetSheet;
  products: ReferenceRecord[];
  editable: boolean;
  /** Writes the edits (all or nothing); rejects with the reason when refused. */
  onEdit: (edits: LineEdit[]) => Promise<boolean>;
}) {
  const [added, setAdded] = useState<string[]>([]);
  const [active, setActive] = useState<Cell>({ row: 0, col: 0 });
  const [draft, setDraft] = useState<string | null>(null);
  const [undo, setUndo] = useState<LineEdit[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [measure, setMeasure] = useState<"quantity" | "amount">("quantity");
  /** What a cell shows and edits in the current view. */
  const shown = (line: BudgetLine | undefined) => (measure === "amount" ? line?.amount : line?.quantity);
  const gridRef = useRef<HTMLDivElement>(null);
  const currency = sheet.budget.currency;
  const periods = sheet.periods;

  const skuOf = useMemo(() => {
    const map = new Map<string, string>();
    for (const product of products) {
      const fields = product.item.fields as { sku: string; name: string };
      map.set(product.id, `${fields.sku} ${fields.name}`);
    }
    return map;
  }, [products]);

  const rows: Row[] = useMemo(() => {
    const ids = [...new Set([...sheet.lines.map((line) => line.product_id), ...added])];
    return ids
      .map((productId) => ({ productId, label: skuOf.get(productId) ?? productId }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [sheet.lines, added, skuOf]);

  // One lookup per cell: index the lines by product and month once per sheet.
  const byCell = useMemo(
    () => new Map(sheet.lines.map((line) => [`${line.product_id}|${line.period}`, line])),
    [sheet.lines],
  );
  const lineAt = (row: number, col: number) => byCell.get(`${rows[row]?.productId}|${periods[col]}`);

  async function write(cells: CellEdit[]) {
    const edits: LineEdit[] = [];
    const previous: LineEdit[] = [];
    for (const cell of cells) {
      const productId = rows[cell.row]?.productId;
      const period = periods[cell.col];
      if (!productId || !period) continue;
      const before = lineAt(cell.row, cell.col);
      const typed =
        measure === "amount"
          ? { quantity: null, amount: cell.value }
          : { quantity: cell.value, amount: null };
      const was = shown(before) ?? "0";
      edits.push({ product_id: productId, period, unit_price: null, base_version: null, ...typed });
      previous.push({
        product_id: productId,
        period,
        unit_price: null,
        base_version: null,
        ...(measure === "amount" ? { quantity: null, amount: was } : { quantity: was, amount: null }),
      });
    }
    if (edits.length === 0) return;
    setProblem(null);
    if (await onEdit(edits)) setUndo(previous);
  }

  function commitDraft(next: Cell) {
    const text = draft;
    setDraft(null);
    setActive(next);
    gridRef.current?.focus();
    if (text === null) return;
    const value = text.trim() === "" ? "0" : parseNumber(text);
    if (value === null) {
      setProblem(`"${text}" is not a number.`);
      return;
    }
    void write([{ row: active.row, col: active.col, value }]);
  }

  function onKeyDown(event: KeyboardEvent) {
    const size: [number, number] = [rows.length, periods.length];
    if (draft !== null) {
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        commitDraft(move(active, event.key, ...size, event.shiftKey));
      } else if (event.key === "Escape") {
        setDraft(null);
        gridRef.current?.focus();
      }
      return;
    }
    if (rows.length === 0) return;
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && event.key.toLowerCase() === "z") {
      event.preventDefault();
      if (undo && editable) {
        const last = undo;
        setUndo(null);
        void onEdit(last);
      }
    } else if (ctrl && event.key.toLowerCase() === "r") {
      event.preventDefault();
      if (editable)
        void write(fillRight(active, shown(lineAt(active.row, active.col)) ?? "0", periods.length));
    } else if (["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Tab", "Enter"].includes(event.key)) {
      event.preventDefault();
      setActive(move(active, event.key, ...size, event.shiftKey));
    } else if (!editable) {
      return;
    } else if (event.key === "F2") {
      setDraft(shown(lineAt(active.row, active.col)) ?? "");
    } else if (event.key === "Delete" || event.key === "Backspace") {
      void write([{ row: active.row, col: active.col, value: "0" }]);
    } else if (!ctrl && /^[0-9.,-]$/.test(event.key)) {
      event.preventDefault();
      setDraft(event.key);
    }
  }

  function onPaste(event: ClipboardEvent) {
    if (!editable || draft !== null) return;
    event.preventDefault();
    const { edits, error } = pasteEdits(
      active,
      parseClipboard(event.clipboardData.getData("text/plain")),
      rows.length,
      periods.length,
    );
    if (error) setProblem(error);
    else void write(edits);
  }

  const money = (amount: number) => formatMoney(String(amount), currency);
  const monthTotals = periods.map((_, col) =>
    rows.reduce((sum, _row, row) => sum + Number(lineAt(row, col)?.amount ?? 0), 0),
  );
  const unused = products.filter((product) => !rows.some((row) => row.productId === product.id));

  return (
    <div className="grid-wrap">
      <div className="grid-view" role="radiogroup" aria-label="Show">
        {(["quantity", "amount"] as const).map((view) => (
          <label key={view}>
            <input
              type="radio"
              name="grid-measure"
              checked={measure === view}
              onChange={() => setMeasure(view)}
              data-testid={`grid-show-${view}`}
            />{" "}
            {view === "quantity" ? "Quantities" : `Amounts (${currency})`}
          </label>
        ))}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: the wrapper takes focus and keys for the table inside it, as a spreadsheet does. */}
      <div
        className="grid"
        role="grid"
        ref={gridRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        data-testid="budget-grid"
      >
        <table>
          <thead>
            <tr>
              <th>Product</th>
              {periods.map((period) => (
                <th key={period} className="number">
                  {formatPeriod(period)}
                </th>
              ))}
              <th className="number sticky-quantity">Quantity</th>
              <th className="number sticky-total">Amount</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => {
              const lines = periods.map((_, c) => lineAt(r, c));
              const quantity = lines.reduce((sum, line) => sum + Number(line?.quantity ?? 0), 0);
              const amount = lines.reduce((sum, line) => sum + Number(line?.amount ?? 0), 0);
              return (
                <tr key={row.productId}>
                  <th className="row-head">{row.label}</th>
                  {lines.map((line, c) => {
                    const isActive = active.row === r && active.col === c;
                    return (
                      // biome-ignore lint/a11y/useKeyWithClickEvents: the grid handles the keys for every cell.
                      <td
                        key={periods[c]}
                        className={`number cell${isActive ? " active" : ""}`}
                        data-row={r}
                        data-col={c}
                        onClick={() => {
                          if (draft !== null) commitDraft({ row: r, col: c });
                          else setActive({ row: r, col: c });
                        }}
                        onDoubleClick={() => editable && setDraft(shown(line) ?? "")}
                      >
                        {isActive && draft !== null ? (
                          <input
                            // biome-ignore lint/a11y/noAutofocus: editing starts in the cell the user is on.
                            autoFocus
                            className="cell-input"
                            value={draft}
                            onChange={(e) => setDraft(e.target.value)}
                          />
                        ) : measure === "amount" && line ? (
                          formatAmount(line.amount)
                        ) : (
                          (shown(line) ?? "")
                        )}
                      </td>
                    );
                  })}
                  <td className="number total sticky-quantity">{quantity}</td>
                  <td className="number total sticky-total">{money(amount)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th>Amount</th>
              {monthTotals.map((total, c) => (
                <td key={periods[c]} className="number total">
                  {money(total)}
                </td>
              ))}
              <td className="sticky-quantity" />
              <td className="number total sticky-total" data-testid="grid-total">
                {money(monthTotals.reduce((sum, value) => sum + value, 0))}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {editable && unused.length > 0 && (
        <label className="add-row">
          Add a product:{" "}
          <select
            value=""
            onChange={(e) => {
              const id = e.target.value;
              if (id) setAdded((current) => [...current, id]);
            }}
          >
            <option value="">choose…</option>
            {unused.map((product) => (
              <option key={product.id} value={product.id}>
                {skuOf.get(product.id)}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="muted hint-keys">
        {editable
          ? "Arrows move · type or F2 to edit · Enter saves · Ctrl+V pastes from Excel · Ctrl+R fills right · Ctrl+Z undoes"
          : "Read only: this budget cannot be edited in its current status, or not by you."}
      </p>
    </div>
  );
}
