// The reference kinds as the UI shows them: one field list per kind drives the
// table and the form, so every kind is edited the same way.
import type { Action, ReferenceItem, ReferenceKind, ReferenceRecord } from "./ipc";

export interface Option {
  value: string;
  label: string;
}

export interface Lookups {
  categories: Option[];
  locations: Option[];
}

export interface FieldSpec {
  key: string;
  label: string;
  type: "text" | "money" | "number" | "select" | "checkbox";
  options?: (lookups: Lookups) => Option[];
  /** For selects: may be left empty (sent as null). */
  optional?: boolean;
}

export interface KindSpec {
  kind: ReferenceKind;
  label: string;
  fields: FieldSpec[];
  /** The right to change this kind (default: the administrator's reference data). */
  edit?: Action;
}

const fixed =
  (...values: string[]) =>
  () =>
    values.map((value) => ({ value, label: value }));

export const KINDS: KindSpec[] = [
  {
    kind: "product",
    label: "Products",
    fields: [
      { key: "sku", label: "SKU", type: "text" },
      { key: "name", label: "Name", type: "text" },
      { key: "category_id", label: "Category", type: "select", options: (l) => l.categories },
      { key: "unit", label: "Unit", type: "text" },
      { key: "list_price", label: "List price", type: "money" },
      { key: "active", label: "Active", type: "checkbox" },
    ],
  },
  {
    kind: "product_category",
    label: "Categories",
    fields: [
      { key: "code", label: "Code", type: "text" },
      { key: "name", label: "Name", type: "text" },
    ],
  },
  {
    kind: "location",
    label: "Branches & warehouses",
    fields: [
      { key: "code", label: "Code", type: "text" },
      { key: "name", label: "Name", type: "text" },
      { key: "kind", label: "Kind", type: "select", options: fixed("branch", "warehouse") },
      { key: "city", label: "City", type: "text" },
    ],
  },
  {
    kind: "department",
    label: "Departments",
    fields: [
      { key: "code", label: "Code", type: "text" },
      { key: "name", label: "Name", type: "text" },
    ],
  },
  {
    kind: "budget_category",
    label: "Budget categories",
    fields: [
      { key: "code", label: "Code", type: "text" },
      { key: "name", label: "Name", type: "text" },
    ],
  },
  {
    kind: "customer",
    label: "Customers",
    fields: [
      { key: "code", label: "Code", type: "text" },
      { key: "name", label: "Name", type: "text" },
      {
        key: "channel",
        label: "Channel",
        type: "select",
        options: fixed("retail", "wholesale", "online", "distributor"),
      },
      { key: "location_id", label: "Branch", type: "select", options: (l) => l.locations, optional: true },
    ],
  },
  {
    kind: "supplier",
    label: "Suppliers",
    edit: "edit_suppliers",
    fields: [
      { key: "code", label: "Code", type: "text" },
      { key: "name", label: "Name", type: "text" },
      { key: "currency", label: "Currency", type: "text" },
      { key: "lead_time_days", label: "Lead time (days)", type: "number" },
      { key: "lead_time_sd_days", label: "Lead time ± (days)", type: "money" },
      { key: "order_cost", label: "Order cost", type: "money" },
      { key: "contact", label: "Contact", type: "text" },
    ],
  },
];

export type FormValues = Record<string, string | boolean>;

/** Empty form values for a new row of a kind. */
export function blankValues(spec: KindSpec, lookups: Lookups): FormValues {
  const values: FormValues = {};
  for (const field of spec.fields) {
    if (field.type === "checkbox") values[field.key] = true;
    else if (field.type === "select" && !field.optional)
      values[field.key] = field.options?.(lookups)[0]?.value ?? "";
    else values[field.key] = "";
  }
  return values;
}

export function valuesOf(record: ReferenceRecord): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(record.item.fields)) {
    values[key] = typeof value === "boolean" ? value : value === null ? "" : String(value);
  }
  return values;
}

/** The form's values as the tagged item the shell expects. */
export function toItem(spec: KindSpec, values: FormValues): ReferenceItem {
  const fields: Record<string, string | number | boolean | null> = {};
  for (const field of spec.fields) {
    const value = values[field.key];
    if (field.type === "money" && typeof value === "string")
      fields[field.key] = value.trim().replace(",", ".");
    else if (field.type === "number" && typeof value === "string")
      // A whole number; anything else goes as typed, and the shell names the field it breaks.
      fields[field.key] = /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    else if (field.optional && value === "") fields[field.key] = null;
    else fields[field.key] = value ?? "";
  }
  return { kind: spec.kind, fields } as unknown as ReferenceItem;
}

/** A cell's text: selects show their option's label. */
export function cellText(field: FieldSpec, value: string | boolean | undefined, lookups: Lookups): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (field.type === "select" && field.options) {
    return field.options(lookups).find((option) => option.value === value)?.label ?? (value || "–");
  }
  return value ?? "";
}
