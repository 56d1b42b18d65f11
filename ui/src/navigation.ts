// The screens, and which grant shows each. The UI hides what a role cannot do;
// the shell still refuses it if called anyway.
import type { Action, Grant, VarianceLevel } from "./ipc";

export type ScreenId =
  | "home"
  | "overview"
  | "budgets"
  | "inbox"
  | "variance"
  | "reports"
  | "forecast"
  | "inventory"
  | "purchasing"
  | "distribution"
  | "availability"
  | "alerts"
  | "imports"
  | "reference"
  | "users"
  | "audit"
  | "settings"
  | "sync"
  | "account";

export interface Screen {
  id: ScreenId;
  label: string;
  /** The grant a user needs to see the screen (any one of a list); null: every signed-in user. */
  needs: Action | Action[] | null;
}

export const SCREENS: Screen[] = [
  { id: "home", label: "Home", needs: "arrange_home" },
  { id: "overview", label: "Sales overview", needs: "view_actuals" },
  { id: "budgets", label: "Budgets", needs: "view_budgets" },
  { id: "inbox", label: "Approvals", needs: "approve_budgets" },
  { id: "variance", label: "Budget vs actual", needs: "view_budgets" },
  { id: "reports", label: "Reports", needs: "keep_reports" },
  { id: "forecast", label: "Forecast", needs: "view_forecasts" },
  { id: "inventory", label: "Inventory", needs: "view_stock" },
  { id: "purchasing", label: "Purchasing", needs: "view_stock" },
  { id: "distribution", label: "Distribution", needs: "view_transfers" },
  { id: "availability", label: "Stock availability", needs: "view_availability" },
  {
    id: "alerts",
    label: "Alerts",
    needs: ["view_stock", "post_actuals", "post_stock", "edit_reference", "keep_alert_rules"],
  },
  { id: "imports", label: "Imports", needs: ["post_actuals", "post_stock", "edit_reference"] },
  { id: "reference", label: "Reference data", needs: "view_reference" },
  { id: "users", label: "Users", needs: "view_users" },
  { id: "audit", label: "Audit trail", needs: "view_audit" },
  { id: "settings", label: "Company settings", needs: "view_reference" },
  { id: "sync", label: "Head office", needs: null },
  { id: "account", label: "My account", needs: null },
];

export function has(grants: Grant[], action: Action): boolean {
  return grants.some((grant) => grant.action === action);
}

export function screensFor(grants: Grant[]): Screen[] {
  return SCREENS.filter((screen) => {
    const needs = screen.needs;
    if (needs === null) return true;
    return (Array.isArray(needs) ? needs : [needs]).some((action) => has(grants, action));
  });
}

/** The screen a user starts on: their home, which shows what their role's work needs. */
export function homeScreen(grants: Grant[]): ScreenId {
  return screensFor(grants)[0]?.id ?? "account";
}

/** An item a screen is asked to open (an alert's "Open"): taken once by the inventory screen. */
let focusedItem: { location_id: string; product_id: string } | null = null;

export function focusItem(item: { location_id: string; product_id: string }) {
  focusedItem = item;
}

export function takeFocusedItem(): { location_id: string; product_id: string } | null {
  const item = focusedItem;
  focusedItem = null;
  return item;
}

/** The level Budget vs actual is asked to open at (an insight's link): taken once. */
let focusedLevel: VarianceLevel | null = null;

export function focusLevel(level: VarianceLevel) {
  focusedLevel = level;
}

export function takeFocusedLevel(): VarianceLevel | null {
  const level = focusedLevel;
  focusedLevel = null;
  return level;
}
