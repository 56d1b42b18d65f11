import { describe, expect, it } from "vitest";
import { isWide, moved, shows, widgetKey, widgetTitle } from "./home";
import type { Widget } from "./ipc";

describe("arranging the home screen", () => {
  it("moves a widget one place, and not past either end", () => {
    const layout = ["sales", "trend", "movers"] as const;
    expect(moved([...layout], "trend", -1)).toEqual(["trend", "sales", "movers"]);
    expect(moved([...layout], "trend", 1)).toEqual(["sales", "movers", "trend"]);
    expect(moved([...layout], "sales", -1)).toEqual([...layout]);
    expect(moved([...layout], "movers", 1)).toEqual([...layout]);
    expect(moved([...layout], "stock", 1)).toEqual([...layout]);
    // Unmoved, it is the same list: the screen greys out that arrow.
    const same = [...layout];
    expect(moved(same, "sales", -1)).toBe(same);
  });
});

describe("a pinned report", () => {
  const pinned: Widget = { report: "0193-report" };
  const layout: Widget[] = ["sales", pinned, "trend"];

  it("moves by its key, not by the object that names it", () => {
    expect(moved(layout, { report: "0193-report" }, -1)).toEqual([pinned, "sales", "trend"]);
    expect(moved(layout, { report: "0193-report" }, 1)).toEqual(["sales", "trend", pinned]);
    expect(moved(layout, { report: "another" }, 1)).toBe(layout);
  });

  it("is shown, titled by its name and takes the whole width", () => {
    expect(shows(layout, { report: "0193-report" })).toBe(true);
    expect(shows(layout, { report: "another" })).toBe(false);
    const available = [{ widget: pinned, name: "Top products" }];
    expect(widgetTitle({ report: "0193-report" }, available)).toBe("Top products");
    expect(widgetTitle("stock", available)).toBe("Stock alerts");
    expect(widgetKey(pinned)).toBe("report-0193-report");
    expect(isWide(pinned)).toBe(true);
    expect(isWide("stock")).toBe(false);
  });
});
