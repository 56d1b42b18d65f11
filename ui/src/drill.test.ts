import { describe, expect, it } from "vitest";
import { atLevel, drilled, TOP } from "./drill";

describe("drilling down", () => {
  it("adds the clicked row to the steps and goes one level down", () => {
    const branches = drilled([TOP], "Company", null);
    expect(branches?.[1]).toEqual({ label: "Company", level: "branch", within: [] });
    const salesmen = drilled(branches ?? [], "North", "b-1");
    expect(salesmen?.[2]).toEqual({
      label: "North",
      level: "salesman",
      within: [{ level: "branch", key: "b-1" }],
    });
  });

  it("stops at products and keeps the steps when the level changes", () => {
    const products = [
      { label: "Dairy", level: "product" as const, within: [{ level: "category" as const, key: "c" }] },
    ];
    expect(drilled(products, "Milk", "p")).toBeNull();
    expect(atLevel(products, "branch")).toEqual([{ ...products[0], level: "branch" }]);
  });
});
