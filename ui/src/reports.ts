// What the Reports screen offers: the measures, dimensions and charts by
// name, and its period choices as the definition's periods.
import type { Dimension, Measure, Period, Visual } from "./ipc";

export const MEASURES: [Measure, string][] = [
  ["sales_amount", "Sales"],
  ["sales_quantity", "Units sold"],
  ["budget", "Budget"],
  ["budget_quantity", "Budgeted units"],
  ["variance", "Variance"],
  ["variance_percent", "Variance %"],
  ["margin", "Margin"],
];

export const DIMENSIONS: [Dimension, string][] = [
  ["product", "Product"],
  ["category", "Category"],
  ["branch", "Branch"],
  ["department", "Department"],
  ["salesman", "Salesman"],
  ["customer", "Customer"],
  ["month", "Month"],
  ["quarter", "Quarter"],
  ["fiscal_year", "Fiscal year"],
];

export const VISUALS: [Visual, string][] = [
  ["table", "Table"],
  ["pivot", "Pivot table"],
  ["bar", "Bars"],
  ["stacked_bar", "Stacked bars"],
  ["line", "Lines"],
  ["area", "Areas"],
  ["heatmap", "Heatmap"],
];

/** The period choice a definition's period is; "saved" for one the screen does not offer. */
export function periodKey(period: Period): string {
  switch (period.kind) {
    case "fiscal_year":
      return period.year === null ? "year" : "saved";
    case "year_to_date":
      return "ytd";
    case "last_months":
      return period.months === 12 ? "last12" : period.months === 3 ? "last3" : "saved";
    default:
      return "saved";
  }
}

/** The period a choice stands for ("saved" keeps `current`). */
export function periodOf(key: string, current: Period): Period {
  switch (key) {
    case "year":
      return { kind: "fiscal_year", year: null };
    case "ytd":
      return { kind: "year_to_date" };
    case "last12":
      return { kind: "last_months", months: 12 };
    case "last3":
      return { kind: "last_months", months: 3 };
    default:
      return current;
  }
}
