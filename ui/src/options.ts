// Choices for the forms' selects, built from reference rows: products by SKU,
// branches (not warehouses) or every location by name; and the month a new entry defaults to.
import { isCounted } from "./format";
import type { ReferenceRecord } from "./ipc";

export interface Option {
  value: string;
  label: string;
}

export function fieldsOf<T>(record: ReferenceRecord): T {
  return record.item.fields as T;
}

/** Products as "SKU name", sorted by SKU. */
export function productOptions(records: ReferenceRecord[]): Option[] {
  return records
    .filter((record) => record.item.kind === "product")
    .map((record) => {
      const { sku, name } = fieldsOf<{ sku: string; name: string }>(record);
      return { value: record.id, label: `${sku} ${name}` };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The ids of the products whose unit is measured (kg, l…), not counted. */
export function measuredProducts(records: ReferenceRecord[]): Set<string> {
  return new Set(
    records
      .filter((record) => record.item.kind === "product")
      .filter((record) => !isCounted(fieldsOf<{ unit: string }>(record).unit))
      .map((record) => record.id),
  );
}

/** The list price of a product, or "" when unknown. */
export function listPrice(records: ReferenceRecord[], productId: string): string {
  const record = records.find((r) => r.id === productId && r.item.kind === "product");
  return record ? fieldsOf<{ list_price: string }>(record).list_price : "";
}

/** Branches only: sales and budgets belong to branches, not warehouses. */
export function branchOptions(records: ReferenceRecord[]): Option[] {
  return records
    .filter((record) => record.item.kind === "location")
    .filter((record) => fieldsOf<{ kind: string }>(record).kind === "branch")
    .map((record) => ({ value: record.id, label: fieldsOf<{ name: string }>(record).name }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Every location, branches and warehouses, by name: stock is kept at both. */
export function locationOptions(records: ReferenceRecord[]): Option[] {
  return records
    .filter((record) => record.item.kind === "location")
    .map((record) => ({ value: record.id, label: fieldsOf<{ name: string }>(record).name }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** `YYYY-MM` of a date, in local time. */
export function monthOf(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}`;
}

/** A decimal typed with a comma or spaces ("1 234,5"), as the shell reads it ("1234.5"). */
export function decimalText(text: string): string {
  return text.trim().replace(/\s/g, "").replace(",", ".");
}

/** The scenarios to choose from: Base first, then the others known (case-insensitively once), sorted; `current` is kept. */
export function scenarioChoices(known: string[], current: string): string[] {
  const seen = new Map<string, string>();
  for (const scenario of ["Base", ...known, current]) {
    const name = scenario.trim();
    if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  const [base, ...others] = [...seen.values()];
  return [base as string, ...others.sort((a, b) => a.localeCompare(b))];
}
