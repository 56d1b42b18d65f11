// What the Reports screen offers: the measures, dimensions and charts by
// name, and its period choices as the definition's periods.
import { formatCount } from "./format";
import type {
  Dimension,
  Measure,
  Period,
  ReportDefinition,
  ReportFilter,
  ReportFilterShown,
  Visual,
} from "./ipc";

export const MEASURES: [Measure, string][] = [
  ["sales_amount", "Sales"],
  ["sales_quantity", "Units sold"],
  ["budget", "Budget"],
  ["budget_quantity", "Budgeted units"],
  ["variance", "Variance"],
  ["variance_percent", "Variance %"],
  ["margin", "Margin"],
  ["forecast", "Forecast"],
  ["forecast_quantity", "Forecast units"],
  ["landing", "Landing"],
  ["stock_on_hand", "On hand (today)"],
  ["stock_value", "Stock value (today)"],
  ["stock_cover", "Cover in months (today)"],
  ["forecast_wape", "Forecast WAPE % (closed months)"],
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

/** Time cuts by the period, never by a filter. */
export function filterable(dimension: Dimension): boolean {
  return dimension !== "month" && dimension !== "quarter" && dimension !== "fiscal_year";
}

/** The definition kept to one member of a dimension (its filter on that dimension replaced). */
export function keepOnly(definition: ReportDefinition, dimension: Dimension, key: string): ReportDefinition {
  const others = definition.filters.filter((filter) => filter.dimension !== dimension);
  return { ...definition, filters: [...others, { dimension, members: [key] }] };
}

/** The definition without its filter on a dimension. */
export function withoutFilter(definition: ReportDefinition, dimension: Dimension): ReportDefinition {
  return { ...definition, filters: definition.filters.filter((filter) => filter.dimension !== dimension) };
}

/** A filter as a chip reads: its dimension and its members' names, as the last run named them. */
export function filterLabel(filter: ReportFilter, shown: ReportFilterShown[]): string {
  const dimension = DIMENSIONS.find(([key]) => key === filter.dimension)?.[1] ?? filter.dimension;
  const names = shown.find((one) => one.dimension === filter.dimension)?.members;
  const same =
    names !== undefined &&
    names.length === filter.members.length &&
    names.every((member, at) => member.key === filter.members[at]);
  if (same) return `${dimension}: ${names.map((member) => member.label).join(", ")}`;
  const count = filter.members.length;
  return `${dimension}: ${count} chosen`;
}

/** A figure as a report's table shows it: changes in % with a sign, a WAPE without, months of cover to a tenth, money and units whole. */
export function shownFigure(value: string | null, figure?: string, measure?: string): string {
  if (value === null) return "–";
  const number = Number(value);
  if (figure === "change_percent" || measure === "variance_percent") {
    return `${number > 0 ? "+" : ""}${number.toFixed(1)} %`;
  }
  // An error in %: never signed.
  if (measure === "forecast_wape") return `${number.toFixed(1)} %`;
  if (measure === "stock_cover" && figure === "value") return number.toFixed(1);
  return formatCount(Math.round(number));
}
