import { describe, expect, it } from "vitest";
import { importableFor } from "./importKinds";
import type { Grant } from "./ipc";

describe("import kinds", () => {
  it("offers each role what it may import, first what it imports most", () => {
    const salesman: Grant[] = [
      { action: "view_actuals", scope: "own" },
      { action: "post_actuals", scope: "own" },
      { action: "edit_budgets", scope: "own" },
    ];
    expect(importableFor(salesman)).toEqual(["actuals", "budget"]);
    const supplyChain: Grant[] = [
      { action: "view_actuals", scope: "all" },
      { action: "view_stock", scope: "all" },
      { action: "post_stock", scope: "all" },
    ];
    expect(importableFor(supplyChain)).toEqual(["stock"]);
    expect(importableFor([{ action: "edit_reference", scope: "all" }])).toEqual([
      "products",
      "customers",
      "locations",
      "departments",
      "product_categories",
      "budget_categories",
    ]);
  });
});
