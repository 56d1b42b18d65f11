import { describe, expect, it } from "vitest";
import type { ReferenceRecord } from "./ipc";
import { branchOptions, decimalText, listPrice, monthOf, productOptions, scenarioChoices } from "./options";

const record = (id: string, item: ReferenceRecord["item"]): ReferenceRecord => ({
  id,
  version: 1,
  created_at: "",
  updated_at: "",
  archived_at: null,
  item,
});

const product = (id: string, sku: string, price: string) =>
  record(id, {
    kind: "product",
    fields: { sku, name: `Item ${sku}`, category_id: "c", unit: "pcs", list_price: price, active: true },
  });
const location = (id: string, name: string, kind: "branch" | "warehouse") =>
  record(id, { kind: "location", fields: { code: id, name, kind, city: "" } });

describe("form options", () => {
  it("lists products by SKU and finds their list price", () => {
    const products = [product("b", "BEV-2", "1.50"), product("a", "AAA-1", "12.00")];
    expect(productOptions(products)).toEqual([
      { value: "a", label: "AAA-1 Item AAA-1" },
      { value: "b", label: "BEV-2 Item BEV-2" },
    ]);
    expect(listPrice(products, "b")).toBe("1.50");
    expect(listPrice(products, "zzz")).toBe("");
  });

  it("offers branches but not warehouses", () => {
    const locations = [location("w", "Central Warehouse", "warehouse"), location("n", "North", "branch")];
    expect(branchOptions(locations)).toEqual([{ value: "n", label: "North" }]);
  });

  it("names the month of a date and reads a typed decimal", () => {
    expect(monthOf(new Date(2026, 0, 31))).toBe("2026-01");
    expect(monthOf(new Date(2026, 10, 1))).toBe("2026-11");
    expect(decimalText(" 1 234,5 ")).toBe("1234.5");
    expect(decimalText("-2")).toBe("-2");
  });
});

describe("scenario choices", () => {
  it("puts Base first, lists each other scenario once and keeps the current one", () => {
    expect(scenarioChoices(["Stretch", "base", "Top-down", "stretch"], "Base")).toEqual([
      "Base",
      "Stretch",
      "Top-down",
    ]);
    expect(scenarioChoices([], "Worst case")).toEqual(["Base", "Worst case"]);
    expect(scenarioChoices([], "")).toEqual(["Base"]);
  });
});
