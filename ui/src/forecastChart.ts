// Geometry of the forecast chart: history as bars, then the forecast months
// with the final forecast, the baseline and the budget as lines and the
// prediction interval as a band. Pure, so it is tested without a browser.
import { niceCeiling } from "./chart";

export interface ForecastSeries {
  /** Actual quantities, oldest first. */
  history: number[];
  baseline: number[];
  final: number[];
  budget: number[];
  low: (number | null)[];
  high: (number | null)[];
}

export interface Point {
  x: number;
  y: number;
  value: number;
}

export interface ForecastGeometry {
  top: number;
  slot: number;
  bars: { x: number; y: number; width: number; height: number; value: number }[];
  final: Point[];
  baseline: Point[];
  /** None when nothing is budgeted. */
  budget: Point[] | null;
  /** The interval as polygon points ("x,y x,y …"), where every month has one. */
  band: string | null;
}

export function forecastGeometry(series: ForecastSeries, width: number, height: number): ForecastGeometry {
  const months = series.history.length + series.final.length;
  const slot = months > 0 ? width / months : 0;
  const values = [
    ...series.history,
    ...series.final,
    ...series.baseline,
    ...series.budget,
    ...series.high.map((value) => value ?? 0),
  ];
  const top = niceCeiling(Math.max(0, ...values));
  const y = (value: number) => height - (Math.max(0, value) / top) * height;
  const at = (offset: number) => (values: number[]) =>
    values.map((value, index) => ({ x: (offset + index) * slot + slot / 2, y: y(value), value }));
  const forecast = at(series.history.length);
  const bars = series.history.map((value, index) => ({
    x: index * slot + 1,
    y: y(value),
    width: Math.max(1, slot - 2),
    height: height - y(value),
    value,
  }));
  const complete =
    series.low.length > 0 && series.low.every((v) => v !== null) && series.high.every((v) => v !== null);
  let band: string | null = null;
  if (complete) {
    const upper = forecast(series.high.map((value) => value ?? 0));
    const lower = forecast(series.low.map((value) => value ?? 0)).reverse();
    band = [...upper, ...lower].map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(" ");
  }
  return {
    top,
    slot,
    bars,
    final: forecast(series.final),
    baseline: forecast(series.baseline),
    budget: series.budget.some((value) => value !== 0) ? forecast(series.budget) : null,
    band,
  };
}

/** SVG polyline points. */
export function polyline(points: Point[]): string {
  return points.map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(" ");
}
