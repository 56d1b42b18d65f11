// What can be imported, named as the screens name it.
import type { Action, Grant, ImportKind } from "./ipc";
import { has } from "./navigation";

export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  actuals: "Actual sales",
  budget: "Budget lines",
  products: "Products",
  customers: "Customers",
  stock: "Stock",
  locations: "Branches and warehouses",
  departments: "Departments",
  product_categories: "Product categories",
  budget_categories: "Budget categories",
};

/** What the import wizard offers, in this order. */
export const IMPORTABLE = Object.keys(IMPORT_KIND_LABELS) as ImportKind[];

/** The action an import of each kind writes with (as the core's `action_of`). */
const NEEDS: Record<ImportKind, Action> = {
  actuals: "post_actuals",
  budget: "edit_budgets",
  stock: "post_stock",
  products: "edit_reference",
  customers: "edit_reference",
  locations: "edit_reference",
  departments: "edit_reference",
  product_categories: "edit_reference",
  budget_categories: "edit_reference",
};

/** The kinds a role may import: the wizard offers these and opens on the first. */
export function importableFor(grants: Grant[]): ImportKind[] {
  return IMPORTABLE.filter((kind) => has(grants, NEEDS[kind]));
}

/** What a watched folder imports: files that arrive again and again (a till's sales, stock counts, price lists). */
export const WATCHABLE: ImportKind[] = ["actuals", "products", "customers", "stock"];
