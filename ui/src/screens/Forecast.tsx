// The rolling forecast of the signed-in scope: a chart of history and forecast,
// the grid of baseline / override / final by month (click a final cell to
// override it, with a reason), the overrides in force, and the accuracy of
// past forecasts. Drill down by clicking a row, as on budget vs actual.

import { useState } from "react";
import { forecastOption } from "../charts/options";
import { Accuracy } from "../components/Accuracy";
import { Chart } from "../components/Chart";
import { Choice, ErrorNote, Field, FormFooter, Notice, Page, useAction, useLoad } from "../components/common";
import { Crumbs, LevelField } from "../components/DrillBar";
import { ExportButtons } from "../components/ExportButtons";
import { JobProgressBar } from "../components/JobProgressBar";
import { Confirm, SidePanel } from "../components/Overlay";
import { type Crumb, drilled, startPath } from "../drill";
import { formatCount, formatInstant, formatMoney, formatPeriod, formatQuantity } from "../format";
import {
  type ClosePreview,
  type ForecastRow,
  type ForecastView,
  ipc,
  type OverrideKind,
  type SessionInfo,
} from "../ipc";
import { methodName } from "../methods";
import { has, takeFocusedLevel } from "../navigation";
import { measuredProducts } from "../options";

const HISTORY_MONTHS = 24;
/** Forecast quantities: whole units unless the product is measured (kg, l…). */
const quantity = (value: string | null, counted = true) =>
  value === null ? "" : formatQuantity(value, counted);

export function Forecast({ session }: { session: SessionInfo }) {
  // An insight's link opens the forecast at its level.
  const [path, setPath] = useState<Crumb[]>(() => startPath(takeFocusedLevel()));
  const [round, setRound] = useState(0);
  const [chosen, setChosen] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ row: ForecastRow; month: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [closing, setClosing] = useState<ClosePreview | null>(null);
  const action = useAction();
  const here = path[path.length - 1] as Crumb;
  const key = `${round}/${here.level}/${JSON.stringify(here.within)}`;
  const view = useLoad(
    () => ipc.forecastShow({ level: here.level, within: here.within, history_months: HISTORY_MONTHS }),
    key,
  );
  const overrides = useLoad(() => ipc.forecastOverrides(), `overrides/${round}`);
  const products = useLoad(() => ipc.referenceList("product", true), "forecast-products");
  const measured = measuredProducts(products.value ?? []);
  /** Whether a row's quantities are whole units: all but a measured product's (kg, l…). */
  const counted = (row: ForecastRow) =>
    !(here.level === "product" && row.key !== null && measured.has(row.key));
  const accuracy = useLoad(() => ipc.forecastAccuracy({ level: here.level, within: here.within }), key);
  const reload = () => setRound((n) => n + 1);

  function open(row: ForecastRow) {
    const deeper = drilled(path, row.label, row.key);
    if (deeper && row.key) {
      setPath(deeper);
      setChosen(null);
    } else {
      setChosen(row.key);
    }
  }

  async function recompute() {
    setNotice(null);
    await action.run(async () => {
      const summary = await ipc.forecastRun({});
      setNotice(
        `Baseline recomputed for ${summary.series} series from ${formatPeriod(summary.first_month)}.`,
      );
      reload();
    });
  }

  async function askToClose(month: string) {
    setNotice(null);
    await action.run(async () => setClosing(await ipc.forecastClosePreview(month)));
  }

  async function closeMonth(month: string) {
    setClosing(null);
    setNotice(null);
    await action.run(async () => {
      const summary = await ipc.forecastCloseMonth(month);
      setNotice(
        `${formatPeriod(summary.closed_month)} closed: its sales are frozen and the forecast as it stood is kept. The forecast now starts ${formatPeriod(summary.open_month)}.`,
      );
      reload();
    });
  }

  const data = view.value;
  const shown = data ? (data.rows.find((row) => row.key !== null && row.key === chosen) ?? data.total) : null;
  const canClose = has(session.grants, "close_months");
  const lastMonthEnded = data ? data.open_month < currentMonth() : false;
  return (
    <Page
      title="Forecast"
      actions={
        data && (
          <>
            {data.can_override && (
              <button
                type="button"
                className="secondary"
                disabled={action.busy}
                onClick={recompute}
                data-testid="forecast-run"
              >
                Recompute baseline
              </button>
            )}
            {canClose && lastMonthEnded && (
              <button
                type="button"
                disabled={action.busy}
                onClick={() => askToClose(data.open_month)}
                data-testid="forecast-close"
              >
                Close {formatPeriod(data.open_month)}
              </button>
            )}
          </>
        )
      }
    >
      {action.busy && <JobProgressBar />}
      {closing && (
        <Confirm
          title={`Close ${formatPeriod(closing.month)}?`}
          confirmLabel={`Close ${formatPeriod(closing.month)}`}
          onConfirm={() => closeMonth(closing.month)}
          onCancel={() => setClosing(null)}
        >
          <p data-testid="close-summary">
            This freezes {formatCount(closing.sales)} sales records of {formatPeriod(closing.month)} (
            {formatQuantity(closing.units)} units, {formatMoney(closing.amount, session.currency)}): no sale
            can be recorded or imported into {formatPeriod(closing.month)} afterwards.
          </p>
          <p>
            The forecast as it stands is kept to score its accuracy, and the forecast then starts{" "}
            {formatPeriod(closing.next_open_month)}. <strong>This cannot be undone.</strong>
          </p>
        </Confirm>
      )}
      <ErrorNote message={action.error ?? view.error} />
      <Notice message={notice} />
      <ExportButtons
        what={{
          what: "forecast",
          query: { level: here.level, within: here.within, history_months: HISTORY_MONTHS },
        }}
      />
      <div className="filters">
        <LevelField path={path} onChange={setPath} />
      </div>
      <Crumbs path={path} onChange={setPath} />
      {data && (
        <>
          {lastMonthEnded && (
            <p className="hint" data-testid="open-month">
              The forecast starts at {formatPeriod(data.open_month)}, which has ended but is not closed yet:
              its sales may still come in.{" "}
              {canClose
                ? `Close ${formatPeriod(data.open_month)} (above) once its sales are complete; the forecast then moves on a month.`
                : `It moves on a month once an administrator closes ${formatPeriod(data.open_month)}.`}
            </p>
          )}
          <p className="muted" data-testid="forecast-status">
            Forecast from {formatPeriod(data.open_month)} for {data.horizon} months
            {data.run_at
              ? `; baseline computed ${formatInstant(data.run_at)} (${runMethod(data.run_method)})`
              : "; no baseline yet"}
            {data.last_closed ? `; last closed month ${formatPeriod(data.last_closed)}` : ""}. Quantities;
            amounts at the planned prices are in the export.
          </p>
          {shown && <ForecastChart view={data} row={shown} />}
          <ForecastGrid
            view={data}
            counted={counted}
            onOpen={open}
            onOverride={data.can_override ? (row, month) => setEditing({ row, month }) : null}
          />
          {editing && (
            <OverrideForm
              key={`${editing.row.key ?? "total"}/${editing.month}`}
              view={data}
              row={editing.row}
              month={editing.month}
              target={[
                ...here.within,
                ...(editing.row.key ? [{ level: here.level, key: editing.row.key }] : []),
              ]}
              onDone={(message) => {
                setEditing(null);
                setNotice(message);
                reload();
              }}
              onCancel={() => setEditing(null)}
            />
          )}
        </>
      )}
      <h2>Overrides in force</h2>
      <ErrorNote message={overrides.error} />
      {overrides.value && overrides.value.length === 0 && (
        <p className="muted">No overrides: the forecast is the baseline.</p>
      )}
      {overrides.value && overrides.value.length > 0 && (
        <table data-testid="overrides">
          <thead>
            <tr>
              <th>Target</th>
              <th>Months</th>
              <th>Change</th>
              <th>Reason</th>
              <th>By</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {overrides.value.map((made) => (
              <tr key={made.id}>
                <td>{made.target_label}</td>
                <td>
                  {formatPeriod(made.first_month)}
                  {made.last_month !== made.first_month ? ` – ${formatPeriod(made.last_month)}` : ""}
                </td>
                <td className="number">
                  {made.kind === "absolute" ? `= ${quantity(made.value)}` : `${made.value} %`}
                </td>
                <td>{made.reason}</td>
                <td>{made.created_by_name}</td>
                <td>
                  {data?.can_override && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => action.run(() => ipc.forecastRemoveOverride(made.id)).then(reload)}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Accuracy of past forecasts</h2>
      <ErrorNote message={accuracy.error} />
      {accuracy.value && <Accuracy report={accuracy.value} />}
    </Page>
  );
}

/** How the baseline's methods were chosen, in words. */
function runMethod(method: string | null): string {
  if (method === "auto" || method === null) return "the best method for each product, chosen automatically";
  if (method === "ets") return "exponential smoothing for each product";
  return `${methodName(method).plain} for every product`;
}

function currentMonth(): string {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
}

const numbers = (values: (string | null)[]) => values.map((value) => (value === null ? null : Number(value)));

/** History bars, then the final forecast (line with points), baseline (dashed), budget (grey) and the 80 % band. */
function ForecastChart({ view, row }: { view: ForecastView; row: ForecastRow }) {
  const months = [...view.history, ...view.months];
  return (
    <Chart
      title={`History and forecast of ${row.label}`}
      testId="forecast-chart"
      caption={row.label}
      option={forecastOption(
        months.map((month) => formatPeriod(month)),
        {
          history: row.actual.map(Number),
          baseline: row.baseline.map(Number),
          final: row.final_quantity.map(Number),
          budget: row.budget.map(Number),
          low: numbers(row.low),
          high: numbers(row.high),
        },
        (value) => quantity(String(value)),
      )}
    />
  );
}

function ForecastGrid({
  view,
  counted,
  onOpen,
  onOverride,
}: {
  view: ForecastView;
  counted: (row: ForecastRow) => boolean;
  onOpen: (row: ForecastRow) => void;
  onOverride: ((row: ForecastRow, month: number) => void) | null;
}) {
  const rows = [...view.rows, view.total];
  return (
    <div className="table-scroll" data-testid="forecast-grid">
      <table className="forecast-grid">
        <thead>
          <tr>
            <th className="sticky-1" />
            <th className="sticky-2" />
            {view.months.map((month) => (
              <th key={month} className="number">
                {formatPeriod(month)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const isTotal = index === rows.length - 1;
            const id = isTotal ? "total" : (row.key ?? row.label);
            const units = (value: string | null) => quantity(value, counted(row));
            return [
              <tr key={`${id}-baseline`} data-row={row.label} className={isTotal ? "total-row" : ""}>
                <td rowSpan={3} className="sticky-1">
                  {isTotal ? (
                    row.label
                  ) : (
                    <button type="button" className="link" onClick={() => onOpen(row)}>
                      {row.label}
                    </button>
                  )}
                  <MethodsChosen row={row} />
                </td>
                <td className="muted sticky-2">Baseline</td>
                {row.baseline.map((value, m) => (
                  <td key={view.months[m]} className="number muted">
                    {units(value)}
                  </td>
                ))}
              </tr>,
              <tr key={`${id}-override`} data-row={row.label}>
                <td className="muted sticky-2">Override</td>
                {row.overridden.map((value, m) => (
                  <td key={view.months[m]} className="number overridden" data-testid={`override-${m}`}>
                    {units(value)}
                  </td>
                ))}
              </tr>,
              <tr key={`${id}-final`} data-row={row.label} className="final-row">
                <td className="sticky-2">Final</td>
                {row.final_quantity.map((value, m) => (
                  <td key={view.months[m]} className="number" data-testid={`final-${m}`}>
                    {onOverride && !isTotal ? (
                      <button
                        type="button"
                        className="link"
                        title="Override this month"
                        onClick={() => onOverride(row, m)}
                      >
                        {units(value)}
                      </button>
                    ) : (
                      units(value)
                    )}
                  </td>
                ))}
              </tr>,
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Under a row's name: the method(s) its baseline came from, as people say them. */
function MethodsChosen({ row }: { row: ForecastRow }) {
  if (row.methods.length === 0) return null;
  const [single] = row.methods;
  const text =
    row.methods.length === 1 && single
      ? methodName(single.method).plain
      : `${row.methods.length} methods over ${row.methods.reduce((sum, m) => sum + m.series, 0)} series`;
  const title = row.methods
    .map((m) => `${methodName(m.method).plain} (${methodName(m.method).technical}): ${m.series} series`)
    .join("\n");
  return (
    <small className="method" title={title} data-testid="method-chosen">
      {text}
    </small>
  );
}

function OverrideForm({
  view,
  row,
  month,
  target,
  onDone,
  onCancel,
}: {
  view: ForecastView;
  row: ForecastRow;
  month: number;
  target: { level: ForecastView["level"]; key: string }[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [first, setFirst] = useState(view.months[month] ?? view.open_month);
  const [last, setLast] = useState(view.months[month] ?? view.open_month);
  const [kind, setKind] = useState<OverrideKind>("absolute");
  const [value, setValue] = useState(row.final_quantity[month] ?? "");
  const [reason, setReason] = useState("");
  const [expires, setExpires] = useState("");
  const action = useAction();
  const monthOptions = view.months.map((m) => ({ value: m, label: formatPeriod(m) }));
  async function save() {
    await action.run(async () => {
      const made = await ipc.forecastOverride({
        target,
        first_month: first,
        // Months as YYYY-MM sort as text: the later of the two ends the override.
        last_month: [first, last].sort()[1],
        kind,
        value: value.trim().replace(",", "."),
        reason,
        expires_on: expires || undefined,
      });
      onDone(`Override saved for ${made.target_label}: ${made.reason}`);
    });
  }
  return (
    <SidePanel title={`Override ${row.label}`} onClose={onCancel}>
      <form
        data-testid="override-form"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <div className="filters">
          <Field label="From">
            <Choice value={first} options={monthOptions} onChange={setFirst} />
          </Field>
          <Field label="To">
            <Choice value={last} options={monthOptions} onChange={setLast} />
          </Field>
          <Field label="Change">
            <select
              name="override-kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as OverrideKind)}
            >
              <option value="absolute">set the quantity to</option>
              <option value="percent">change by %</option>
            </select>
          </Field>
          <Field label={kind === "absolute" ? "Quantity" : "Percent"}>
            <input
              name="override-value"
              data-autofocus
              value={value}
              onChange={(e) => setValue(e.target.value)}
              inputMode="decimal"
            />
          </Field>
          <Field label="Expires (optional)">
            <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
          </Field>
        </div>
        <Field label="Reason">
          <input
            name="override-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Why you know better"
          />
        </Field>
        <p className="muted">
          Baseline {quantity(row.baseline[month] ?? "0")} for {formatPeriod(view.months[month] ?? "")}. Above
          a single series the quantity is shared by the baseline.
        </p>
        <FormFooter error={action.error} busy={action.busy} onCancel={onCancel} saveTestId="override-save" />
      </form>
    </SidePanel>
  );
}
