// How good past forecasts were, in plain words first (typical error, which way
// they leaned, against repeating last year), the measures behind a toggle.
import { accuracySentence, againstLastYear, leaning, snapshotLabel, typicalError } from "../accuracy";
import { formatPeriod, formatQuantity } from "../format";
import type { AccuracyReport, AccuracyRow } from "../ipc";
import { methodName } from "../methods";

export function Accuracy({ report }: { report: AccuracyReport }) {
  if (report.closed_months.length === 0) {
    return <p className="muted">No month has been closed yet: accuracy is scored once months close.</p>;
  }
  const bySnapshot = report.by_snapshot.map((row) => ({
    ...row,
    label: snapshotLabel(row.label, formatPeriod),
  }));
  const byMethod = report.by_method.map((row) => ({ ...row, label: methodName(row.label).plain }));
  return (
    <>
      <p data-testid="accuracy-sentence">{accuracySentence(report.total)}</p>
      <p className="muted">
        Each forecast as it stood when a month closed, against what was then sold. Closed:{" "}
        {report.closed_months.map((month) => formatPeriod(month)).join(", ")}.
      </p>
      <PlainTable caption="By level" rows={[...report.rows, report.total]} testId="accuracy-levels" />
      <PlainTable caption="By month the forecast was made" rows={bySnapshot} testId="accuracy-snapshots" />
      <PlainTable caption="By forecast method" rows={byMethod} testId="accuracy-methods" />
      <details className="details" data-testid="accuracy-details">
        <summary>Details for analysts</summary>
        <ul className="muted">
          <li>WAPE: the absolute errors summed, as % of what was sold (the "typical error" above).</li>
          <li>Bias: (forecast − actual) ÷ actual in %; above 0 the forecast was too high.</li>
          <li>MASE: the error against repeating the same month of last year; below 1 is better than that.</li>
          <li>
            Months scored: month forecasts compared with actuals (a series' month counts once per snapshot).
          </li>
        </ul>
        <TechnicalTable rows={[...report.rows, report.total]} />
        <TechnicalTable
          rows={report.by_method.map((row) => ({ ...row, label: `${methodName(row.label).technical}` }))}
        />
      </details>
    </>
  );
}

function PlainTable({ caption, rows, testId }: { caption: string; rows: AccuracyRow[]; testId: string }) {
  return (
    <div className="table-scroll">
      <table data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th />
            <th className="number">Sold</th>
            <th className="number">Forecast</th>
            <th className="number">Typical error</th>
            <th>Leaning</th>
            <th>Against repeating last year</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <td>{row.label}</td>
              <td className="number">{formatQuantity(row.actual)}</td>
              <td className="number">{formatQuantity(row.forecast)}</td>
              <td className="number">{typicalError(row.wape)}</td>
              <td>{leaning(row.bias)}</td>
              <td>{againstLastYear(row.mase)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TechnicalTable({ rows }: { rows: AccuracyRow[] }) {
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th />
            <th className="number">Months scored</th>
            <th className="number">WAPE %</th>
            <th className="number">Bias %</th>
            <th className="number">MASE</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <td>{row.label}</td>
              <td className="number">{row.points}</td>
              <td className="number">{row.wape ?? "–"}</td>
              <td className="number">{row.bias ?? "–"}</td>
              <td className="number">{row.mase ?? "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
