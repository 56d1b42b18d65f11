import { describe, expect, it } from "vitest";
import type { Mapping, TargetField } from "./ipc";
import { choiceOf, missingRequired, percentDone, withChoice, withDefault } from "./mapping";

const fields: TargetField[] = [
  { key: "date", label: "Date or month", required: true },
  { key: "sku", label: "Product (SKU)", required: true },
  { key: "customer", label: "Customer (code)", required: false },
];

describe("the mapping editor", () => {
  it("sets a column, a constant or nothing for a field", () => {
    let mapping: Mapping = { fields: {}, defaults: {} };
    mapping = withChoice(mapping, "date", "Datum");
    mapping = withChoice(mapping, "sku", "=", "BEV-010");
    expect(choiceOf(mapping, "date")).toBe("Datum");
    expect(choiceOf(mapping, "sku")).toBe("=");
    expect(mapping.fields.sku).toEqual({ from: "constant", value: "BEV-010" });
    mapping = withChoice(mapping, "date", "");
    expect(choiceOf(mapping, "date")).toBe("");
    expect(mapping.fields.date).toBeUndefined();
  });

  it("names the required fields left without a source", () => {
    const mapping = withChoice({ fields: {}, defaults: {} }, "sku", "=", " ");
    expect(missingRequired(fields, mapping).map((field) => field.key)).toEqual(["date", "sku"]);
    const complete = withChoice(withChoice(mapping, "sku", "SKU"), "date", "Date");
    expect(missingRequired(fields, complete)).toEqual([]);
  });

  it("keeps a default for empty cells, which also fills a required field", () => {
    let mapping = withDefault({ fields: {}, defaults: {} }, "date", "2026-10");
    expect(mapping.defaults).toEqual({ date: "2026-10" });
    expect(missingRequired(fields, mapping).map((field) => field.key)).toEqual(["sku"]);
    mapping = withDefault(mapping, "date", " ");
    expect(mapping.defaults).toEqual({});
  });

  it("turns rows done into a percentage", () => {
    expect(percentDone(0, 0)).toBe(0);
    expect(percentDone(250, 1000)).toBe(25);
    expect(percentDone(1200, 1000)).toBe(100);
  });
});
