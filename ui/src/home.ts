// The home screen's widgets: their titles, their keys and how "Arrange" moves
// them. A widget is a name ("sales") or a saved report pinned to the home
// ({ report: id }), so widgets are compared by key, never by identity.
import type { AvailableWidget, Widget } from "./ipc";

type Named = Exclude<Widget, { report: string }>;

export const WIDGET_TITLES: Record<Named, string> = {
  sales: "Sales",
  landing: "Landing estimate",
  trend: "The year month by month",
  movers: "What moved",
  approvals: "Waiting for your approval",
  stock: "Stock alerts",
  accuracy: "Forecast accuracy",
  insights: "What stands out",
};

/** A widget's key: its name, or `report-<id>` for a pinned report. */
export function widgetKey(widget: Widget): string {
  return typeof widget === "string" ? widget : `report-${widget.report}`;
}

/** Whether a layout shows a widget. */
export function shows(layout: Widget[], widget: Widget): boolean {
  return layout.some((one) => widgetKey(one) === widgetKey(widget));
}

/** A widget's title: a pinned report's is the report's name. */
export function widgetTitle(widget: Widget, available: AvailableWidget[]): string {
  if (typeof widget === "string") return WIDGET_TITLES[widget];
  const pin = available.find((one) => widgetKey(one.widget) === widgetKey(widget));
  return pin?.name ?? "Saved report";
}

/** A widget moved one place up (-1) or down (+1); the same list, unchanged, at either end. */
export function moved(layout: Widget[], widget: Widget, by: -1 | 1): Widget[] {
  const at = layout.findIndex((one) => widgetKey(one) === widgetKey(widget));
  const to = at + by;
  if (at < 0 || to < 0 || to >= layout.length) return layout;
  const next = layout.filter((_, index) => index !== at);
  next.splice(to, 0, layout[at] as Widget);
  return next;
}

/** Widgets that take the whole width (pinned reports too); the others share a row two by two. */
export function isWide(widget: Widget): boolean {
  return typeof widget !== "string" || ["sales", "insights", "landing", "trend", "movers"].includes(widget);
}
