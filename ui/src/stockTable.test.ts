import { describe, expect, it } from "vitest";
import type { StockTable } from "./ipc";
import { matching, rowOf } from "./stockTable";

/** Two locations, two products, three items: soap at both, water at the branch with a policy. */
const table: StockTable = {
  policies_computed_at: null,
  locations: [
    { id: "l-wh", code: "WH-1", name: "Central Warehouse" },
    { id: "l-n", code: "BR-N", name: "North Branch" },
  ],
  products: [
    { id: "p-soap", sku: "HOU-020", name: "Soap", unit: "pcs" },
    { id: "p-water", sku: "BEV-010", name: "Still Water", unit: "case" },
  ],
  items: {
    location: [0, 1, 1],
    product: [0, 0, 1],
    on_hand: ["12", "3", "0"],
    in_transit: ["0", "0", "6"],
    on_order: ["0", "0", "24"],
    available: ["12", "3", "30"],
    value: ["9.60", "2.40", null],
    class: [null, null, "A"],
    reorder_point: [null, null, "30"],
    order_quantity: [null, null, "48"],
    overridden: [false, false, true],
    cover: [null, null, "0.0"],
    calls_for_order: [false, false, true],
  },
};

describe("the stock table from Rust's columns", () => {
  it("makes an item a row with its location's and product's names", () => {
    expect(rowOf(table, 2)).toEqual({
      location_id: "l-n",
      location_code: "BR-N",
      location_name: "North Branch",
      product_id: "p-water",
      sku: "BEV-010",
      product_name: "Still Water",
      unit: "case",
      on_hand: "0",
      in_transit: "6",
      on_order: "24",
      available: "30",
      value: null,
      class: "A",
      reorder_point: "30",
      order_quantity: "48",
      overridden: true,
      cover: "0.0",
      calls_for_order: true,
    });
    expect(rowOf(table, 0).location_name).toBe("Central Warehouse");
  });

  it("finds items by location code or name, SKU or product name, in any case", () => {
    expect(matching(table, "")).toEqual([0, 1, 2]);
    expect(matching(table, "  ")).toEqual([0, 1, 2]);
    expect(matching(table, "soap")).toEqual([0, 1]);
    expect(matching(table, "north")).toEqual([1, 2]);
    expect(matching(table, "branch bev")).toEqual([2]);
    expect(matching(table, "hou-020")).toEqual([0, 1]);
    expect(matching(table, "coffee")).toEqual([]);
  });
});
