import { describe, expect, it } from "vitest";
import type { Grant } from "./ipc";
import { screensFor } from "./navigation";

const salesman: Grant[] = [
  { action: "view_reference", scope: "all" },
  { action: "change_own_password", scope: "own" },
  { action: "view_audit", scope: "own" },
  { action: "view_actuals", scope: "own" },
  { action: "post_actuals", scope: "own" },
];

describe("navigation", () => {
  it("offers a salesman no Users screen", () => {
    const ids = screensFor(salesman).map((screen) => screen.id);
    expect(ids).toEqual(["overview", "reference", "audit", "settings", "account"]);
  });

  it("offers the Users screen to whoever may view users", () => {
    const ids = screensFor([...salesman, { action: "view_users", scope: "all" }]).map((screen) => screen.id);
    expect(ids).toContain("users");
  });

  it("always offers My account, even with no grants", () => {
    expect(screensFor([]).map((screen) => screen.id)).toEqual(["account"]);
  });
});
