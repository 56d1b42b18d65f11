// Numbers and dates as the user reads them. Money arrives as exact decimal strings.

/** Building an Intl formatter is slow (a grid formats hundreds of numbers): keep one per kind. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter as T;
}

let systemLocale: string | null = null;

/** The user's locale, or en-GB where the system reports none Intl knows (e.g. POSIX "C"). */
export function userLocale(candidates?: readonly string[]): string {
  if (candidates === undefined) {
    systemLocale ??= resolveLocale(globalThis.navigator?.languages ?? []);
    return systemLocale;
  }
  return resolveLocale(candidates);
}

function resolveLocale(candidates: readonly string[]): string {
  for (const candidate of candidates) {
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf(candidate);
      if (supported && supported.toLowerCase() !== "c") return supported;
    } catch {
      // Not a locale tag at all: try the next.
    }
  }
  return "en-GB";
}

/** Formats an exact decimal string as money in the company currency. */
export function formatMoney(amount: string, currency: string, locale = userLocale()): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  const format = { style: "currency", currency, maximumFractionDigits: 0, useGrouping: true } as const;
  return cached(`money|${locale}|${currency}`, () => new Intl.NumberFormat(locale, format)).format(value);
}

/** Money to the cent, for amounts people check against a receipt. */
export function formatExactMoney(amount: string, currency: string, locale = userLocale()): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  const format = { style: "currency", currency, minimumFractionDigits: 2, useGrouping: true } as const;
  return cached(`exact|${locale}|${currency}`, () => new Intl.NumberFormat(locale, format)).format(value);
}

/** An amount to the cent without the currency sign, for grid cells. */
export function formatAmount(amount: string, locale = userLocale()): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  const format = { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true } as const;
  return cached(`amount|${locale}`, () => new Intl.NumberFormat(locale, format)).format(value);
}

/** Units that are measured, not counted: their quantities keep decimals. */
const MEASURED = new Set(["kg", "g", "t", "l", "ml", "cl", "m", "m2", "m3", "lb", "oz", "gal"]);

/** Whether a product's unit ("pcs", "case", "kg"…) is counted in whole units. */
export function isCounted(unit: string): boolean {
  return !MEASURED.has(unit.trim().toLowerCase().replace("²", "2").replace("³", "3"));
}

/** A quantity: whole units where things are counted ("0.38 gift tins" reads as a bug), two decimals where measured. */
export function formatQuantity(amount: string, counted = true, locale = userLocale()): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  const digits = counted ? 0 : 2;
  const format = { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true } as const;
  return cached(`quantity|${digits}|${locale}`, () => new Intl.NumberFormat(locale, format)).format(value);
}

export function formatCount(count: number, locale = userLocale()): string {
  return cached(`count|${locale}`, () => new Intl.NumberFormat(locale, { useGrouping: true })).format(count);
}

/** "2026-10" → "Oct 2026". */
export function formatPeriod(period: string, locale = userLocale()): string {
  const [year, month] = period.split("-").map(Number);
  // Outside the years a date can hold (a mistyped "20262026"), the text as it is.
  if (!year || !month || month < 1 || month > 12 || year < 1 || year > 9999) return period;
  const format = cached(
    `month|${locale}`,
    () => new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" }),
  );
  return format.format(new Date(Date.UTC(year, month - 1, 1)));
}

/** "2026-03-14" → the day in the user's style ("14 Mar 2026"). */
export function formatDay(day: string, locale = userLocale()): string {
  const [year, month, date] = day.split("-").map(Number);
  if (!year || !month || !date) return day;
  const format = cached(
    `day|${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }),
  );
  return format.format(new Date(Date.UTC(year, month - 1, date)));
}

/** Change from `before` to `after` in percent, one decimal; null when there is no base. */
export function percentChange(before: number, after: number): number | null {
  if (before === 0) return null;
  return Math.round(((after - before) / Math.abs(before)) * 1000) / 10;
}

/** "2026-11-25T18:23:52.512Z" → local date and time, minutes precision. */
export function formatInstant(instant: string, locale = userLocale()): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return cached(
    `instant|${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }),
  ).format(date);
}

/** "1 row", "3 rows": a count with its noun, in the singular where it is one. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : nouns}`;
}
