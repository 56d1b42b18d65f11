// Budget vs actual: a chart by month and a table by level, drilling down from
// the company to branches, salesmen, categories and products by clicking a row.

import { useState } from "react";
import { varianceOption } from "../charts/options";
import { Chart } from "../components/Chart";
import { ErrorNote, Page, useLoad } from "../components/common";
import { Crumbs, LevelField } from "../components/DrillBar";
import { ExportButtons } from "../components/ExportButtons";
import { NoPlan } from "../components/NoPlan";
import { ScenarioField } from "../components/ScenarioField";
import { YearField } from "../components/YearField";
import { type Crumb, drilled, NEXT, startPath } from "../drill";
import { formatMoney, formatPeriod } from "../format";
import { ipc, type SessionInfo, type VarianceReport } from "../ipc";
import { takeFocusedLevel } from "../navigation";

/** The year of last month: the latest year with closed months of actuals. */
function lastClosedYear(): number {
  const date = new Date();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - 1);
  return date.getUTCFullYear();
}

const NO_BUDGET = "no budget";

export function Variance({ session }: { session: SessionInfo }) {
  const [year, setYear] = useState(lastClosedYear);
  const [scenario, setScenario] = useState("Base");
  // An insight's link opens the report at its level.
  const [path, setPath] = useState<Crumb[]>(() => startPath(takeFocusedLevel()));
  const here = path[path.length - 1] as Crumb;
  const report = useLoad(
    () => ipc.budgetsVariance({ fiscal_year: year, scenario, level: here.level, within: here.within }),
    `${year}/${scenario}/${path.length}/${here.level}/${JSON.stringify(here.within)}`,
  );
  const money = (amount: string | number) => formatMoney(String(amount), session.currency);

  function drill(label: string, key: string | null) {
    const deeper = drilled(path, label, key);
    if (deeper) setPath(deeper);
  }

  return (
    <Page title="Budget vs actual">
      <ExportButtons
        what={{
          what: "variance",
          query: { fiscal_year: year, scenario, level: here.level, within: here.within },
        }}
      />
      <div className="filters">
        <YearField value={year} onChange={setYear} />
        <ScenarioField value={scenario} onChange={setScenario} />
        <LevelField path={path} onChange={setPath} />
      </div>
      <Crumbs path={path} onChange={setPath} />
      <ErrorNote message={report.error} />
      {report.value && (
        <>
          <NoPlan plan={report.value.plan} year={year} scenario={scenario} />
          <p className="muted" data-testid="variance-note">
            {report.value.plan.approved > 0 &&
              "Actual − budget: positive is favourable (more sold than budgeted). "}
            {report.value.year_to_date_through
              ? `Year to date through ${formatPeriod(report.value.year_to_date_through)}.`
              : "No actuals in this year yet."}
            {report.value.plan.approved > 0 && Number(report.value.unplanned_to_date) !== 0
              ? ` ${money(report.value.unplanned_to_date)} of sales this year to date have no approved budget: they are shown as actuals but not counted as variance.`
              : ""}
          </p>
          <ComparisonChart report={report.value} money={money} />
          <table data-testid="variance-table">
            <thead>
              <tr>
                <th />
                <th className="number">Budget YTD</th>
                <th className="number">Actual YTD</th>
                <th className="number">Variance</th>
                <th className="number">%</th>
                <th className="number">Budget year</th>
                <th className="number">Actual year</th>
              </tr>
            </thead>
            <tbody>
              {[...report.value.rows, report.value.total].map((row, index) => {
                const isTotal = index === report.value?.rows.length;
                const ytd = row.year_to_date;
                const good = Number(ytd.variance ?? 0) >= 0;
                return (
                  <tr key={isTotal ? "total" : (row.key ?? row.label)} className={isTotal ? "total-row" : ""}>
                    <td>
                      {!isTotal && NEXT[here.level] && (row.key || here.level === "company") ? (
                        <button type="button" className="link" onClick={() => drill(row.label, row.key)}>
                          {row.label}
                        </button>
                      ) : (
                        row.label
                      )}
                    </td>
                    <td className="number">{ytd.budget === null ? NO_BUDGET : money(ytd.budget)}</td>
                    <td className="number">{money(ytd.actual)}</td>
                    <td className={`number ${ytd.variance === null ? "" : good ? "up" : "down"}`}>
                      {ytd.variance === null ? "–" : money(ytd.variance)}
                    </td>
                    <td className={`number ${ytd.variance === null ? "" : good ? "up" : "down"}`}>
                      {ytd.variance_percent ?? "–"}
                    </td>
                    <td className="number">
                      {row.full_year.budget === null ? NO_BUDGET : money(row.full_year.budget)}
                    </td>
                    <td className="number">{money(row.full_year.actual)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </Page>
  );
}

/** Budget (grey) and actual (blue) side by side for each month. */
function ComparisonChart({ report, money }: { report: VarianceReport; money: (value: number) => string }) {
  const months = report.total.months;
  return (
    <Chart
      title="Budget and actual by month"
      testId="variance-chart"
      option={varianceOption(
        report.periods.map((period) => formatPeriod(period)),
        months.map((month) => (month.budget === null ? null : Number(month.budget))),
        months.map((month) => Number(month.actual)),
        money,
      )}
    />
  );
}
