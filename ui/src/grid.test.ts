import { describe, expect, it } from "vitest";
import { fillRight, move, parseClipboard, parseNumber, pasteEdits } from "./grid";

describe("grid", () => {
  it("reads a block copied from Excel", () => {
    expect(parseClipboard("1\t2\t3\r\n4\t5\t6\r\n")).toEqual([
      ["1", "2", "3"],
      ["4", "5", "6"],
    ]);
    expect(parseClipboard("42")).toEqual([["42"]]);
  });

  it("reads numbers with either decimal mark and thousands separators", () => {
    const cases: [string, string | null][] = [
      ["1234.5", "1234.5"],
      ["1,234.5", "1234.5"],
      ["1.234,5", "1234.5"],
      ["1 234,50", "1234.50"],
      ["12,5", "12.5"],
      ["1,234", "1234"],
      ["1.234", "1234"],
      ["-3", "-3"],
      ["€ 12", "12"],
      ["abc", null],
      ["", null],
      ["1.2.3,4", "123.4"],
    ];
    for (const [input, expected] of cases) expect(parseNumber(input), input).toBe(expected);
  });

  it("moves within the grid's edges", () => {
    expect(move({ row: 0, col: 0 }, "ArrowUp", 5, 12)).toEqual({ row: 0, col: 0 });
    expect(move({ row: 0, col: 11 }, "Tab", 5, 12)).toEqual({ row: 0, col: 11 });
    expect(move({ row: 2, col: 3 }, "Enter", 5, 12)).toEqual({ row: 3, col: 3 });
    expect(move({ row: 2, col: 3 }, "Enter", 5, 12, true)).toEqual({ row: 1, col: 3 });
    expect(move({ row: 4, col: 3 }, "ArrowDown", 5, 12)).toEqual({ row: 4, col: 3 });
  });

  it("pastes a block at the active cell, cut at the edges, refusing text", () => {
    const block = parseClipboard("1\t2\t3\n4\t\t6");
    const { edits, error } = pasteEdits({ row: 3, col: 10 }, block, 5, 12);
    expect(error).toBeNull();
    expect(edits).toEqual([
      { row: 3, col: 10, value: "1" },
      { row: 3, col: 11, value: "2" },
      { row: 4, col: 10, value: "4" },
    ]);
    const bad = pasteEdits({ row: 0, col: 0 }, [["1", "x"]], 5, 12);
    expect(bad).toEqual({ edits: [], error: 'Pasted row 1, column 2: "x" is not a number.' });
  });

  it("fills right from the active cell", () => {
    expect(fillRight({ row: 1, col: 9 }, "7", 12)).toEqual([
      { row: 1, col: 10, value: "7" },
      { row: 1, col: 11, value: "7" },
    ]);
  });
});
