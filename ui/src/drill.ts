// Drilling down a report: the levels, where a click on a row of each leads,
// and the path of crumbs back up. Shared by budget vs actual and the forecast.
import type { DrillStep, VarianceLevel } from "./ipc";

export const LEVELS: VarianceLevel[] = ["company", "department", "branch", "salesman", "category", "product"];

/** Where a click on a row of each level leads. */
export const NEXT: Record<VarianceLevel, VarianceLevel | null> = {
  company: "branch",
  department: "salesman",
  branch: "salesman",
  salesman: "category",
  category: "product",
  product: null,
};

export interface Crumb {
  label: string;
  level: VarianceLevel;
  within: DrillStep[];
}

/** The top of every drill-down: all the user sees (the company, or their branch, department or own sales). */
export const TOP: Crumb = { label: "Total", level: "company", within: [] };

/** Where a drill-down starts: at the top, or at the level an insight's link asked for. */
export function startPath(level: VarianceLevel | null): Crumb[] {
  return [level ? { ...TOP, level } : TOP];
}

/** How the level picker names a level: the top one is everything in the user's scope. */
export function levelLabel(level: VarianceLevel): string {
  return level === "company" ? "total" : level;
}

/** The path after clicking the row `key` at the current level; null at the bottom. */
export function drilled(path: Crumb[], label: string, key: string | null): Crumb[] | null {
  const here = path[path.length - 1] ?? TOP;
  const next = NEXT[here.level];
  if (!next) return null;
  const within = key ? [...here.within, { level: here.level, key }] : here.within;
  return [...path, { label, level: next, within }];
}

/** The path with the current crumb shown at another level. */
export function atLevel(path: Crumb[], level: VarianceLevel): Crumb[] {
  const here = path[path.length - 1] ?? TOP;
  return [...path.slice(0, -1), { ...here, level }];
}
