// What each chart of the app draws, as Apache ECharts options: pure, so they
// are tested without a browser. One look for all of them (`base`): the app's
// colours, a tooltip on the axis, the legend below, and zoom on a time axis
// long enough to want it.
import type { EChartsCoreOption } from "echarts/core";
import type { ReportResult } from "../ipc";

/** The app's colours (styles.css): brand, accent, budget grey, muted. */
export const COLORS = {
  brand: "#1f4e79",
  accent: "#3d8bd4",
  budget: "#b8c4d1",
  muted: "#66727f",
  band: "rgba(47, 111, 235, 0.14)",
  line: "#dde3ea",
} as const;

/** A time axis zooms (wheel, drag, and a slider) from this many points on. */
export const ZOOM_FROM = 13;

type Format = (value: number) => string;

/** One series as a chart draws it: what the end-to-end tests and a reader check. */
export interface SeriesData {
  name: string;
  data: (number | null)[];
}

/** The series a chart's option holds, by name and values. */
export function seriesData(option: EChartsCoreOption): SeriesData[] {
  const series = (option.series ?? []) as { name?: string; data?: unknown[] }[];
  return series
    .filter((one) => one.name !== undefined && !one.name.startsWith("_"))
    .map((one) => ({
      name: one.name ?? "",
      data: (one.data ?? []).map((value) => (typeof value === "number" ? value : null)),
    }));
}

/** One line of the axis tooltip, as ECharts hands it to a formatter. */
interface TooltipItem {
  seriesName: string;
  dataIndex: number;
  value: unknown;
  marker: string;
  axisValueLabel: string;
}

/** What a series' line in the tooltip says instead of its formatted value. */
type Says = Record<string, (at: number) => string | null>;

function escaped(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The axis tooltip: the period, then each series that has a value there
 * (helpers named "_…" left out), formatted, or as `says` words it.
 */
export function tooltipText(items: TooltipItem[], format: Format, says: Says = {}): string {
  const shown = items.filter((item) => !item.seriesName.startsWith("_"));
  const lines = shown.flatMap((item) => {
    const own = says[item.seriesName];
    const text = own ? own(item.dataIndex) : typeof item.value === "number" ? format(item.value) : null;
    return text === null ? [] : [`${item.marker}${escaped(item.seriesName)}: <b>${escaped(text)}</b>`];
  });
  return [escaped(items[0]?.axisValueLabel ?? ""), ...lines].join("<br/>");
}

/** What every chart shares, for `labels` along a category (time) axis. */
function base(labels: string[], format: Format, legend: string[] | null, says: Says = {}): EChartsCoreOption {
  const zoom = labels.length >= ZOOM_FROM;
  return {
    animation: false,
    color: [COLORS.accent, COLORS.brand, COLORS.budget, COLORS.muted],
    textStyle: { fontFamily: "inherit", color: COLORS.muted },
    grid: { left: 8, right: 16, top: 16, bottom: (zoom ? 48 : 8) + (legend ? 28 : 0), containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (items: TooltipItem[]) => tooltipText(items, format, says),
    },
    legend: legend
      ? { data: legend, bottom: zoom ? 36 : 0, icon: "roundRect", itemWidth: 12, itemHeight: 8 }
      : undefined,
    xAxis: {
      type: "category",
      data: labels,
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: COLORS.line } },
      axisLabel: { color: COLORS.muted },
    },
    yAxis: {
      type: "value",
      axisLabel: { color: COLORS.muted, formatter: (value: number) => format(value) },
      splitLine: { lineStyle: { color: COLORS.line } },
    },
    dataZoom: zoom
      ? [
          { type: "inside", start: 0, end: 100 },
          { type: "slider", height: 20, bottom: 8, start: 0, end: 100 },
        ]
      : undefined,
  };
}

/** Sales by month, as bars. */
export function salesOption(points: { label: string; value: number }[], format: Format): EChartsCoreOption {
  return {
    ...base(
      points.map((point) => point.label),
      format,
      null,
    ),
    series: [{ name: "Actual", type: "bar", data: points.map((point) => point.value), barMaxWidth: 28 }],
  };
}

/** Budget and actual side by side for each month (no budget: no bar). */
export function varianceOption(
  labels: string[],
  budget: (number | null)[],
  actual: number[],
  format: Format,
): EChartsCoreOption {
  return {
    ...base(labels, format, ["Budget", "Actual"]),
    series: [
      { name: "Budget", type: "bar", data: budget, itemStyle: { color: COLORS.budget }, barMaxWidth: 24 },
      { name: "Actual", type: "bar", data: actual, itemStyle: { color: COLORS.accent }, barMaxWidth: 24 },
    ],
  };
}

/**
 * The fiscal year month by month: this year's sales as bars (none yet for the
 * months to come), last year's as a dashed line, the budget as a grey line
 * where there is one.
 */
export function trendOption(
  labels: string[],
  actual: (number | null)[],
  lastYear: number[],
  budget: (number | null)[],
  format: Format,
): EChartsCoreOption {
  const planned = budget.some((value) => value !== null);
  const series = [
    { name: "Actual", type: "bar", data: actual, itemStyle: { color: COLORS.accent }, barMaxWidth: 24 },
    {
      name: "Last year",
      type: "line",
      data: lastYear,
      itemStyle: { color: COLORS.muted },
      lineStyle: { type: "dashed", width: 1.5 },
      showSymbol: false,
    },
    ...(planned
      ? [
          {
            name: "Budget",
            type: "line",
            data: budget,
            itemStyle: { color: COLORS.budget },
            lineStyle: { width: 2 },
            showSymbol: false,
          },
        ]
      : []),
  ];
  return {
    ...base(
      labels,
      format,
      series.map((one) => one.name),
    ),
    series,
  };
}

export interface ForecastSeries {
  /** Actual quantities, oldest first. */
  history: number[];
  baseline: number[];
  final: number[];
  budget: number[];
  low: (number | null)[];
  high: (number | null)[];
}

/**
 * The history as bars, then the forecast months: the final forecast (line
 * with points), the baseline (dashed), the budget (grey, where there is one)
 * and the 80 % interval as a band where every month has one.
 */
export function forecastOption(labels: string[], series: ForecastSeries, format: Format): EChartsCoreOption {
  const before = series.history.length;
  const blank = (n: number) => Array<null>(n).fill(null);
  const ahead = (values: (number | null)[]) => [...blank(before), ...values];
  const band =
    series.low.length > 0 &&
    series.low.every((value) => value !== null) &&
    series.high.every((value) => value !== null);
  const lines = [
    {
      name: "Final forecast",
      type: "line",
      data: ahead(series.final),
      itemStyle: { color: COLORS.brand },
      lineStyle: { width: 2 },
      symbolSize: 6,
    },
    {
      name: "Baseline",
      type: "line",
      data: ahead(series.baseline),
      itemStyle: { color: COLORS.muted },
      lineStyle: { type: "dashed", width: 1.5 },
      showSymbol: false,
    },
  ];
  const budget = series.budget.some((value) => value !== 0)
    ? [
        {
          name: "Budget",
          type: "line",
          data: ahead(series.budget),
          itemStyle: { color: COLORS.budget },
          lineStyle: { width: 2 },
          showSymbol: false,
        },
      ]
    : [];
  // The band: the low end, invisible, with the width up to the high end stacked on it.
  const interval = band
    ? [
        {
          name: "_low",
          type: "line",
          data: ahead(series.low),
          stack: "interval",
          lineStyle: { opacity: 0 },
          showSymbol: false,
          silent: true,
        },
        {
          name: "80 % interval",
          type: "line",
          data: ahead(series.high.map((high, at) => (high ?? 0) - (series.low[at] ?? 0))),
          stack: "interval",
          lineStyle: { opacity: 0 },
          areaStyle: { color: COLORS.band },
          itemStyle: { color: COLORS.band },
          showSymbol: false,
          silent: true,
        },
      ]
    : [];
  const names = ["Actual", ...lines.map((line) => line.name), ...budget.map((line) => line.name)];
  const says: Says = {
    "80 % interval": (at) => {
      const low = series.low[at - before];
      const high = series.high[at - before];
      return low === null || low === undefined || high === null || high === undefined
        ? null
        : `${format(low)} – ${format(high)}`;
    },
  };
  return {
    ...base(labels, format, band ? [...names, "80 % interval"] : names, says),
    series: [
      {
        name: "Actual",
        type: "bar",
        data: [...series.history, ...blank(series.final.length)],
        itemStyle: { color: COLORS.accent },
        barMaxWidth: 24,
      },
      ...interval,
      ...lines,
      ...budget,
    ],
  };
}

/** A report's figure as a number for a chart (none stays a gap). */
function figure(value: string | null): number | null {
  return value === null ? null : Number(value);
}

/**
 * What a report's chart draws: a category per row (the total when it has no
 * rows), and a series per value column — its measures and what they are
 * compared with, or, cut by columns, one per column member of the first measure.
 */
export function reportSeries(result: ReportResult): { labels: string[]; series: SeriesData[] } {
  const rows = result.rows.length > 0 ? result.rows : [result.total];
  const labels = rows.map((row) => row.members.map((member) => member.label).join(" · ") || "Total");
  const byColumns = result.definition.columns.length > 0;
  const first = result.definition.measures[0];
  const series = result.columns
    .map((column, at) => ({ column, at }))
    .filter(({ column }) =>
      byColumns
        ? !column.total && column.figure === "value" && column.measure === first
        : column.figure === "value" || column.figure === "compared",
    )
    .map(({ column, at }) => ({
      name: byColumns ? column.members.map((member) => member.label).join(" · ") : column.label,
      data: rows.map((row) => figure(row.values[at] ?? null)),
    }));
  return { labels, series };
}

/** A report drawn as its definition says: bars, stacked bars, lines, areas or a heatmap. */
export function reportOption(result: ReportResult, format: Format): EChartsCoreOption {
  const { visual, chart } = result.definition;
  const { labels, series } = reportSeries(result);
  if (visual === "heatmap") {
    const values = series.flatMap((one) => one.data.filter((value): value is number => value !== null));
    return {
      animation: false,
      textStyle: { fontFamily: "inherit", color: COLORS.muted },
      grid: { left: 8, right: 16, top: 16, bottom: 64, containLabel: true },
      tooltip: {
        formatter: (item: { value: [number, number, number | null] }) => {
          const [x, y, value] = item.value;
          return `${escaped(labels[y] ?? "")} · ${escaped(series[x]?.name ?? "")}: ${value === null ? "–" : format(value)}`;
        },
      },
      xAxis: { type: "category", data: series.map((one) => one.name), axisLabel: { color: COLORS.muted } },
      yAxis: { type: "category", data: labels, axisLabel: { color: COLORS.muted } },
      visualMap: {
        min: Math.min(0, ...values),
        max: Math.max(1, ...values),
        calculable: true,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        inRange: { color: ["#f4f7fb", COLORS.accent, COLORS.brand] },
        formatter: (value: number) => format(value),
      },
      series: [
        {
          name: "_cells",
          type: "heatmap",
          data: series.flatMap((one, x) => one.data.map((value, y) => [x, y, value])),
          label: { show: chart.labels, formatter: (item: { value: number[] }) => format(item.value[2] ?? 0) },
        },
      ],
    };
  }
  const type = visual === "line" || visual === "area" ? "line" : "bar";
  const drawn = series.map((one) => ({
    name: one.name,
    type,
    data: one.data,
    barMaxWidth: 28,
    stack: visual === "stacked_bar" || visual === "area" ? "total" : undefined,
    areaStyle: visual === "area" ? { opacity: 0.5 } : undefined,
    showSymbol: type === "line" && labels.length < ZOOM_FROM,
    label: chart.labels
      ? { show: true, position: "top", formatter: (item: { value: number }) => format(item.value) }
      : undefined,
  }));
  return {
    ...base(
      labels,
      format,
      drawn.map((one) => one.name),
    ),
    color: [
      COLORS.accent,
      COLORS.brand,
      COLORS.muted,
      COLORS.budget,
      "#6aa84f",
      "#e69138",
      "#8e7cc3",
      "#c27ba0",
    ],
    series: drawn,
  };
}
