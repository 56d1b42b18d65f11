import { describe, expect, it } from "vitest";
import { forecastGeometry, polyline } from "./forecastChart";

const series = {
  history: [40, 60],
  baseline: [50, 50],
  final: [50, 90],
  budget: [0, 0],
  low: [30, 40],
  high: [70, 95],
};

describe("the forecast chart", () => {
  it("puts the forecast after the history on one scale", () => {
    const chart = forecastGeometry(series, 400, 100);
    expect(chart.top).toBe(100);
    expect(chart.slot).toBe(100);
    expect(chart.bars.map((bar) => bar.height)).toEqual([40, 60]);
    expect(chart.final.map((point) => [point.x, point.y])).toEqual([
      [250, 50],
      [350, 10],
    ]);
    expect(polyline(chart.baseline)).toBe("250.0,50.0 350.0,50.0");
  });

  it("draws the interval only where every month has one, and no budget line without a budget", () => {
    const chart = forecastGeometry(series, 400, 100);
    expect(chart.band).toBe("250.0,30.0 350.0,5.0 350.0,60.0 250.0,70.0");
    expect(chart.budget).toBeNull();
    expect(forecastGeometry({ ...series, low: [30, null], high: [70, null] }, 400, 100).band).toBeNull();
  });
});
