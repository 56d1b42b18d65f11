// Forecast accuracy in plain words: how far off the forecast typically was, which
// way it leaned, and whether it beat simply repeating last year. The technical
// measures (WAPE, bias, MASE) stay behind a "details" toggle.

/** WAPE → "12 %": the typical error as a share of what was sold. */
export function typicalError(wape: string | null): string {
  return wape === null ? "–" : `${Math.round(Number(wape))} %`;
}

/** Bias → "too high by 4 %", "too low by 7 %" or "about right" (within ±2 %). */
export function leaning(bias: string | null): string {
  if (bias === null) return "–";
  const value = Number(bias);
  if (Math.abs(value) <= 2) return "about right";
  return `too ${value > 0 ? "high" : "low"} by ${Math.round(Math.abs(value))} %`;
}

/** MASE → against repeating last year's months: "better", "worse" or "about the same" (within 5 %). */
export function againstLastYear(mase: string | null): string {
  if (mase === null) return "–";
  const value = Number(mase);
  if (value < 0.95) return "better";
  if (value > 1.05) return "worse";
  return "about the same";
}

/** "as of 2026-10" → "as of Oct 2026" with the given month formatter; other labels as they are. */
export function snapshotLabel(label: string, month: (period: string) => string): string {
  const found = /^as of (\d{4}-\d{2})$/.exec(label);
  return found?.[1] ? `as of ${month(found[1])}` : label;
}

/** The one sentence that leads the accuracy section. */
export function accuracySentence(total: {
  points: number;
  wape: string | null;
  bias: string | null;
  mase: string | null;
}): string {
  if (total.wape === null) return "Nothing to score yet.";
  const lean = leaning(total.bias);
  const against = againstLastYear(total.mase);
  const beat =
    against === "better"
      ? "better than simply repeating last year"
      : against === "worse"
        ? "worse than simply repeating last year"
        : "about as good as simply repeating last year";
  return `Over ${total.points} month forecasts scored, the forecast was typically ${typicalError(total.wape)} off, ${
    lean === "about right" ? "with no lean either way" : `leaning ${lean}`
  }, and did ${beat}.`;
}
