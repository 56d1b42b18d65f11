import { describe, expect, it } from "vitest";
import { reportOption, reportSeries } from "./charts/options";
import type { ReportResult } from "./ipc";
import {
  filterable,
  filterLabel,
  keepOnly,
  periodKey,
  periodOf,
  shownFigure,
  withoutFilter,
} from "./reports";

function result(columns: string[], visual: ReportResult["definition"]["visual"]): ReportResult {
  const byBranch = columns.length > 0;
  return {
    definition: {
      measures: ["sales_amount"],
      rows: ["month"],
      columns: byBranch ? ["branch"] : [],
      filters: [],
      period: { kind: "year_to_date" },
      comparison: byBranch ? "none" : "last_year",
      visual,
      chart: { order: "label", top: null, labels: false },
    },
    first: "2026-01",
    last: "2026-02",
    compared_first: null,
    compared_last: null,
    columns: byBranch
      ? [
          ...columns.map((label) => ({
            members: [{ key: label, label }],
            total: false,
            measure: "sales_amount" as const,
            figure: "value" as const,
            compared: null,
            label: `${label} · Sales`,
          })),
          {
            members: [],
            total: true,
            measure: "sales_amount",
            figure: "value",
            compared: null,
            label: "Sales",
          },
        ]
      : [
          {
            members: [],
            total: false,
            measure: "sales_amount",
            figure: "value",
            compared: null,
            label: "Sales",
          },
          {
            members: [],
            total: false,
            measure: "sales_amount",
            figure: "compared",
            compared: "last_year",
            label: "Sales LY",
          },
          {
            members: [],
            total: false,
            measure: "sales_amount",
            figure: "change",
            compared: "last_year",
            label: "Sales Δ LY",
          },
        ],
    rows: [
      {
        members: [{ key: "2026-01", label: "2026-01" }],
        values: byBranch ? ["10", "5", "15"] : ["10", "8", "2"],
      },
      {
        members: [{ key: "2026-02", label: "2026-02" }],
        values: byBranch ? ["20", null, "20"] : ["20", "25", "-5"],
      },
    ],
    total: { members: [], values: byBranch ? ["30", "5", "35"] : ["30", "33", "-3"] },
    hidden_rows: 0,
    notes: [],
    currency: "EUR",
    filters: [],
  };
}

describe("a report's chart", () => {
  it("draws each measure and what it is compared with over the rows", () => {
    const { labels, series } = reportSeries(result([], "bar"));
    expect(labels).toEqual(["2026-01", "2026-02"]);
    expect(series).toEqual([
      { name: "Sales", data: [10, 20] },
      { name: "Sales LY", data: [8, 25] },
    ]);
  });

  it("cut by columns, draws a series per column member, stacked when asked, gaps kept", () => {
    const option = reportOption(result(["North", "South"], "stacked_bar"), String) as {
      series: { name: string; stack?: string; data: (number | null)[] }[];
    };
    expect(option.series.map((one) => [one.name, one.stack, one.data])).toEqual([
      ["North", "total", [10, 20]],
      ["South", "total", [5, null]],
    ]);
  });

  it("a heatmap holds one cell per row and column member", () => {
    const option = reportOption(result(["North", "South"], "heatmap"), String) as {
      series: { data: unknown[] }[];
      yAxis: { data: string[] };
    };
    expect(option.yAxis.data).toEqual(["2026-01", "2026-02"]);
    expect(option.series[0]?.data).toEqual([
      [0, 0, 10],
      [0, 1, 20],
      [1, 0, 5],
      [1, 1, null],
    ]);
  });
});

describe("the period choices", () => {
  it("read a definition's period and give it back", () => {
    for (const key of ["year", "ytd", "last12", "last3"]) {
      expect(periodKey(periodOf(key, { kind: "year_to_date" }))).toBe(key);
    }
    const saved = { kind: "months", from: "2026-01", to: "2026-03" } as const;
    expect(periodKey(saved)).toBe("saved");
    expect(periodOf("saved", saved)).toBe(saved);
  });
});

describe("report filters", () => {
  const asked = result([], "table").definition;
  it("keeps one member of a dimension, replacing that dimension's filter only", () => {
    const branch = keepOnly(asked, "branch", "b1");
    expect(branch.filters).toEqual([{ dimension: "branch", members: ["b1"] }]);
    const both = keepOnly(keepOnly(branch, "product", "p1"), "branch", "b2");
    expect(both.filters).toEqual([
      { dimension: "product", members: ["p1"] },
      { dimension: "branch", members: ["b2"] },
    ]);
    expect(withoutFilter(both, "product").filters).toEqual([{ dimension: "branch", members: ["b2"] }]);
    expect(asked.filters).toEqual([]);
  });
  it("names a filter's members as the last run named them, else counts them", () => {
    const filter = { dimension: "branch" as const, members: ["b1", "b2"] };
    const shown = [
      {
        dimension: "branch" as const,
        members: [
          { key: "b1", label: "North" },
          { key: "b2", label: "South" },
        ],
      },
    ];
    expect(filterLabel(filter, shown)).toBe("Branch: North, South");
    expect(filterLabel({ ...filter, members: ["b3"] }, shown)).toBe("Branch: 1 chosen");
    expect(filterLabel(filter, [])).toBe("Branch: 2 chosen");
  });
  it("never filters by time", () => {
    expect(filterable("month")).toBe(false);
    expect(filterable("quarter")).toBe(false);
    expect(filterable("fiscal_year")).toBe(false);
    expect(filterable("customer")).toBe(true);
  });
});

describe("a figure in a report's table", () => {
  it("reads as its measure and figure say", () => {
    expect(shownFigure(null, "value", "sales_amount")).toBe("–");
    expect(shownFigure("12.34", "change_percent", "sales_amount")).toBe("+12.3 %");
    expect(shownFigure("-4", "value", "variance_percent")).toBe("-4.0 %");
    expect(shownFigure("2.4", "value", "stock_cover")).toBe("2.4");
    expect(shownFigure("12.25", "value", "forecast_wape")).toBe("12.3 %");
    expect(shownFigure("1234.6", "value", "sales_amount")).toMatch(/^1.?235$/);
  });
});
