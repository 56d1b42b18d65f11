import { describe, expect, it } from "vitest";
import {
  forecastOption,
  salesOption,
  seriesData,
  tooltipText,
  trendOption,
  varianceOption,
  ZOOM_FROM,
} from "./options";

const euros = (value: number) => `€${value}`;
const months = (n: number) => Array.from({ length: n }, (_, at) => `M${at + 1}`);

describe("the charts", () => {
  it("draw sales by month as bars, zooming only on a long time axis", () => {
    const short = salesOption(
      months(3).map((label, at) => ({ label, value: at * 10 })),
      euros,
    );
    expect(seriesData(short)).toEqual([{ name: "Actual", data: [0, 10, 20] }]);
    expect(short.dataZoom).toBeUndefined();
    const long = salesOption(
      months(ZOOM_FROM).map((label) => ({ label, value: 1 })),
      euros,
    );
    expect(long.dataZoom).toHaveLength(2);
  });

  it("leave a month without a budget without a budget bar", () => {
    const option = varianceOption(["Jan", "Feb"], [100, null], [90, 120], euros);
    expect(seriesData(option)).toEqual([
      { name: "Budget", data: [100, null] },
      { name: "Actual", data: [90, 120] },
    ]);
    expect((option.legend as { data: string[] }).data).toEqual(["Budget", "Actual"]);
  });

  it("draw the year's trend with last year and the budget, and no budget line without one", () => {
    const option = trendOption(["Jan", "Feb", "Mar"], [10, 20, null], [8, 25, 30], [9, 21, 24], euros);
    expect(seriesData(option)).toEqual([
      { name: "Actual", data: [10, 20, null] },
      { name: "Last year", data: [8, 25, 30] },
      { name: "Budget", data: [9, 21, 24] },
    ]);
    expect((option.legend as { data: string[] }).data).toEqual(["Actual", "Last year", "Budget"]);
    const unplanned = trendOption(["Jan"], [10], [8], [null], euros);
    expect(seriesData(unplanned).map((one) => one.name)).toEqual(["Actual", "Last year"]);
  });

  it("put the forecast after the history, the band where every month has one, no budget line without a budget", () => {
    const series = {
      history: [40, 60],
      baseline: [50, 50],
      final: [50, 90],
      budget: [0, 0],
      low: [30, 40],
      high: [70, 95],
    };
    const option = forecastOption(months(4), series, euros);
    expect(seriesData(option)).toEqual([
      { name: "Actual", data: [40, 60, null, null] },
      // The band: the width above its invisible low end ("_low", not listed).
      { name: "80 % interval", data: [null, null, 40, 55] },
      { name: "Final forecast", data: [null, null, 50, 90] },
      { name: "Baseline", data: [null, null, 50, 50] },
    ]);
    const stacked = (option.series as { name: string; stack?: string; data: unknown[] }[]).filter(
      (one) => one.stack === "interval",
    );
    expect(stacked.map((one) => [one.name, one.data])).toEqual([
      ["_low", [null, null, 30, 40]],
      ["80 % interval", [null, null, 40, 55]],
    ]);
    const partial = forecastOption(months(4), { ...series, low: [30, null], high: [70, null] }, euros);
    expect(seriesData(partial).map((one) => one.name)).toEqual(["Actual", "Final forecast", "Baseline"]);
    const budgeted = forecastOption(months(4), { ...series, budget: [45, 80] }, euros);
    expect(seriesData(budgeted).map((one) => one.name)).toContain("Budget");
  });

  it("say each series' value in the tooltip, the interval as its two ends, and leave helpers out", () => {
    const marker = "";
    const final = { seriesName: "Final forecast", dataIndex: 2, value: 50, marker, axisValueLabel: "M3" };
    const items = [
      { seriesName: "_low", dataIndex: 2, value: 30, marker, axisValueLabel: "M3" },
      { seriesName: "80 % interval", dataIndex: 2, value: 40, marker, axisValueLabel: "M3" },
      final,
      { seriesName: "Actual", dataIndex: 2, value: null, marker, axisValueLabel: "M3" },
    ];
    const says = { "80 % interval": (at: number) => (at === 2 ? "€30 – €70" : null) };
    expect(tooltipText(items, euros, says)).toBe(
      "M3<br/>80 % interval: <b>€30 – €70</b><br/>Final forecast: <b>€50</b>",
    );
    expect(tooltipText([{ ...final, axisValueLabel: "<b>" }], euros)).toContain("&#60;b&#62;");
  });
});
