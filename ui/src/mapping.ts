// The import wizard's mapping editor: what each target field takes (a column,
// a constant, or nothing), and whether every required field has a source.
import type { FieldSource, Mapping, TargetField } from "./ipc";

/** What a field's select shows: "" for nothing, "=" for a constant, else a column name. */
export function choiceOf(mapping: Mapping, key: string): string {
  const source = mapping.fields[key];
  if (!source) return "";
  return source.from === "column" ? source.column : "=";
}

/** The mapping with `key` set from a select's choice (and the constant typed, for "="). */
export function withChoice(mapping: Mapping, key: string, choice: string, constant = ""): Mapping {
  const fields: { [key: string]: FieldSource } = { ...mapping.fields };
  if (choice === "") delete fields[key];
  else if (choice === "=") fields[key] = { from: "constant", value: constant };
  else fields[key] = { from: "column", column: choice };
  return { ...mapping, fields };
}

/** The required fields that have no column and no constant. */
export function missingRequired(fields: TargetField[], mapping: Mapping): TargetField[] {
  return fields.filter((field) => {
    if (!field.required || (mapping.defaults[field.key] ?? "").trim() !== "") return false;
    const source = mapping.fields[field.key];
    return !source || (source.from === "constant" && source.value.trim() === "");
  });
}

/** Percent of a job done, 0–100, whole. */
export function percentDone(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}

/** The mapping with a value used where `key`'s cell is empty ("" for none). */
export function withDefault(mapping: Mapping, key: string, value: string): Mapping {
  const defaults: { [key: string]: string } = { ...mapping.defaults };
  if (value.trim() === "") delete defaults[key];
  else defaults[key] = value;
  return { ...mapping, defaults };
}
