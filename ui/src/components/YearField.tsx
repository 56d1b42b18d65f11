// Picking a fiscal year from a list (no typing: a half-typed "202" is no year):
// the years around today, and "all" where a screen can show every year.
import { Field } from "./common";

const THIS_YEAR = new Date().getFullYear();

/** Next year first, back to three years ago. */
export const YEARS = [THIS_YEAR + 1, THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2, THIS_YEAR - 3];

export function YearField<T extends number | null>({
  value,
  onChange,
  allowAll = false,
}: {
  value: T;
  onChange: (year: T) => void;
  /** Offer "all" (null). */
  allowAll?: boolean;
}) {
  const years = value === null || YEARS.includes(value) ? YEARS : [...YEARS, value];
  return (
    <Field label="Fiscal year">
      <select
        name="year"
        value={value ?? ""}
        onChange={(e) => onChange((e.target.value ? Number(e.target.value) : null) as T)}
      >
        {allowAll && <option value="">all</option>}
        {years.map((year) => (
          <option key={year} value={year}>
            {year}
          </option>
        ))}
      </select>
    </Field>
  );
}
