// The home screen's widgets: their titles and how "Arrange" moves them.
import type { Widget } from "./ipc";

export const WIDGET_TITLES: Record<Widget, string> = {
  sales: "Sales",
  landing: "Landing estimate",
  trend: "The year month by month",
  movers: "What moved",
  approvals: "Waiting for your approval",
  stock: "Stock alerts",
  accuracy: "Forecast accuracy",
  insights: "What stands out",
};

/** A widget moved one place up (-1) or down (+1); the same list, unchanged, at either end. */
export function moved(layout: Widget[], widget: Widget, by: -1 | 1): Widget[] {
  const at = layout.indexOf(widget);
  const to = at + by;
  if (at < 0 || to < 0 || to >= layout.length) return layout;
  const next = layout.filter((one) => one !== widget);
  next.splice(to, 0, widget);
  return next;
}

/** Widgets that take the whole width; the others share a row two by two. */
export const WIDE: readonly Widget[] = ["sales", "insights", "landing", "trend", "movers"];
