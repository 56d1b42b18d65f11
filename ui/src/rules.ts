// What an alert rule can watch and how, as the rule form offers it.
import type { RuleCondition, RuleMeasure } from "./ipc";

export const RULE_MEASURES: { value: RuleMeasure; label: string; unit: string }[] = [
  { value: "variance_vs_budget", label: "Year to date against plan", unit: "%" },
  { value: "change_vs_last_year", label: "Year to date against last year", unit: "%" },
  { value: "change_vs_last_month", label: "Last month against the month before", unit: "%" },
  { value: "sales_month", label: "Sales of last month", unit: "money" },
  { value: "sales_year_to_date", label: "Sales of the year to date", unit: "money" },
  { value: "stock_alerts", label: "Stock alerts", unit: "count" },
];

export const RULE_CONDITIONS: { value: RuleCondition; label: string }[] = [
  { value: "below", label: "below" },
  { value: "above", label: "above" },
  { value: "beyond", label: "further from zero than (either way)" },
];

/** The day a week after `date` (its local calendar day), `YYYY-MM-DD`: how far "Snooze a week" snoozes. */
export function weekAfter(date: Date): string {
  const later = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 7);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${later.getFullYear()}-${two(later.getMonth() + 1)}-${two(later.getDate())}`;
}
