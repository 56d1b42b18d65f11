import { describe, expect, it } from "vitest";
import type { Grant } from "./ipc";
import { focusItem, homeScreen, screensFor, takeFocusedItem } from "./navigation";

const salesman: Grant[] = [
  { action: "view_reference", scope: "all" },
  { action: "change_own_password", scope: "own" },
  { action: "arrange_home", scope: "own" },
  { action: "view_audit", scope: "own" },
  { action: "view_actuals", scope: "own" },
  { action: "post_actuals", scope: "own" },
  { action: "view_budgets", scope: "own" },
  { action: "edit_budgets", scope: "own" },
  { action: "view_forecasts", scope: "own" },
  { action: "edit_forecasts", scope: "own" },
  { action: "view_availability", scope: "all" },
];

describe("navigation", () => {
  it("offers a salesman no Users screen", () => {
    const ids = screensFor(salesman).map((screen) => screen.id);
    expect(ids).toEqual([
      "home",
      "overview",
      "budgets",
      "variance",
      "forecast",
      "availability",
      "alerts",
      "imports",
      "reference",
      "audit",
      "settings",
      "sync",
      "account",
    ]);
  });

  it("offers Approvals only to approvers", () => {
    expect(screensFor(salesman).map((screen) => screen.id)).not.toContain("inbox");
    const manager = [...salesman, { action: "approve_budgets", scope: "department" } as const];
    expect(screensFor(manager).map((screen) => screen.id)).toContain("inbox");
  });

  it("offers Imports to whoever may post sales, stock or reference data", () => {
    const supply: Grant[] = [
      { action: "view_reference", scope: "all" },
      { action: "post_stock", scope: "all" },
    ];
    expect(screensFor(supply).map((screen) => screen.id)).toContain("imports");
    const reader: Grant[] = [{ action: "view_reference", scope: "all" }];
    expect(screensFor(reader).map((screen) => screen.id)).not.toContain("imports");
  });

  it("offers the Users screen to whoever may view users", () => {
    const ids = screensFor([...salesman, { action: "view_users", scope: "all" }]).map((screen) => screen.id);
    expect(ids).toContain("users");
  });

  it("always offers Head office and My account, even with no grants", () => {
    expect(screensFor([]).map((screen) => screen.id)).toEqual(["sync", "account"]);
  });

  it("starts every role on its home screen", () => {
    const supply: Grant[] = [
      { action: "view_reference", scope: "all" },
      { action: "arrange_home", scope: "own" },
      { action: "view_actuals", scope: "all" },
      { action: "view_stock", scope: "all" },
      { action: "post_stock", scope: "all" },
    ];
    expect(homeScreen(supply)).toBe("home");
    expect(homeScreen(salesman)).toBe("home");
    expect(homeScreen([])).toBe("sync");
  });

  it("hands an alert's item to the inventory screen once", () => {
    expect(takeFocusedItem()).toBeNull();
    focusItem({ location_id: "l", product_id: "p" });
    expect(takeFocusedItem()).toEqual({ location_id: "l", product_id: "p" });
    expect(takeFocusedItem()).toBeNull();
  });

  it("offers Alerts to whoever may see stock or has watched folders, not to a read-only user", () => {
    expect(screensFor([{ action: "view_stock", scope: "location" }]).map((screen) => screen.id)).toContain(
      "alerts",
    );
    expect(screensFor([{ action: "view_reference", scope: "all" }]).map((screen) => screen.id)).not.toContain(
      "alerts",
    );
  });
});
