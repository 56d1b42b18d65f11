// What can be imported, named as the screens name it.
import type { ImportKind } from "./ipc";

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
  suppliers: "Suppliers",
  supplier_products: "What suppliers sell (terms)",
};

/** What a watched folder imports: files that arrive again and again (a till's sales, stock counts, price lists). */
export const WATCHABLE: ImportKind[] = ["actuals", "products", "customers", "stock", "supplier_products"];
