// Dates the user picks by meaning ("the last 7 days") rather than by typing a
// date in a format they must guess.

/** The start (local midnight) of the day `days − 1` days before `now`, as an instant; none for "any time". */
export function sinceInstant(days: number | null, now = new Date()): string | undefined {
  if (days === null) return undefined;
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  return start.toISOString();
}
