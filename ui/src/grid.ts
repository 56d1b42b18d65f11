// The budget grid's logic, pure: clipboard blocks, numbers as people type them,
// moving the active cell, and turning a paste into cell edits.

export interface Cell {
  row: number;
  col: number;
}

/** A block copied from a spreadsheet: rows by newline, cells by tab. Trailing empty line dropped. */
export function parseClipboard(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => line.split("\t"));
}

/**
 * A number as typed or pasted: "1234.5", "1,234.5", "1.234,5", "1 234,5", "€ 12".
 * The last of "," and "." is the decimal mark when it is followed by one or two digits
 * or when both appear; a lone "," or "." followed by exactly three digits is a thousands separator.
 * Returns null for anything that is not a number.
 */
export function parseNumber(input: string): string | null {
  let text = input.trim().replace(/[\s\u00a0\u202f€$£%]/g, "");
  if (text === "") return null;
  const lastComma = text.lastIndexOf(",");
  const lastDot = text.lastIndexOf(".");
  const last = Math.max(lastComma, lastDot);
  if (last >= 0) {
    const both = lastComma >= 0 && lastDot >= 0;
    const digitsAfter = text.length - last - 1;
    const decimalMark = both || digitsAfter !== 3 ? text[last] : null;
    const thousands = decimalMark === "," ? "." : decimalMark === "." ? "," : text[last];
    text = text.split(thousands ?? "").join("");
    if (decimalMark === ",") text = text.replace(",", ".");
  }
  return /^-?\d+(\.\d+)?$/.test(text) ? text : null;
}

/** The cell an arrow, Tab or Enter key leads to, kept inside the grid. */
export function move(cell: Cell, key: string, rows: number, cols: number, shift = false): Cell {
  const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max - 1);
  switch (key) {
    case "ArrowUp":
      return { row: clamp(cell.row - 1, rows), col: cell.col };
    case "ArrowDown":
    case "Enter":
      return { row: clamp(cell.row + (shift ? -1 : 1), rows), col: cell.col };
    case "ArrowLeft":
      return { row: cell.row, col: clamp(cell.col - 1, cols) };
    case "ArrowRight":
      return { row: cell.row, col: clamp(cell.col + 1, cols) };
    case "Tab":
      return { row: cell.row, col: clamp(cell.col + (shift ? -1 : 1), cols) };
    default:
      return cell;
  }
}

export interface CellEdit {
  row: number;
  col: number;
  value: string;
}

/**
 * A pasted block anchored at `at`, cut to the grid's edges. Each cell must be a
 * number; the first that is not is reported with its place in the block.
 */
export function pasteEdits(
  at: Cell,
  block: string[][],
  rows: number,
  cols: number,
): { edits: CellEdit[]; error: string | null } {
  const edits: CellEdit[] = [];
  for (let r = 0; r < block.length && at.row + r < rows; r++) {
    const cells = block[r] ?? [];
    for (let c = 0; c < cells.length && at.col + c < cols; c++) {
      const raw = cells[c] ?? "";
      if (raw.trim() === "") continue;
      const value = parseNumber(raw);
      if (value === null) {
        return { edits: [], error: `Pasted row ${r + 1}, column ${c + 1}: "${raw}" is not a number.` };
      }
      edits.push({ row: at.row + r, col: at.col + c, value });
    }
  }
  return { edits, error: null };
}

/** Fill right: the active cell's value into every month to its right. */
export function fillRight(at: Cell, value: string, cols: number): CellEdit[] {
  const edits: CellEdit[] = [];
  for (let col = at.col + 1; col < cols; col++) edits.push({ row: at.row, col, value });
  return edits;
}
