// Reports: pick measures, rows and columns, a period, a comparison and a
// chart; run it in your own scope, with totals; click any cell for the sales
// behind it; export the table (xlsx, csv) and the chart (PNG). Reports are
// saved under a name, one's own or shared with everyone (each reader sees
// only their own scope's figures); only their owner changes or deletes one.
// A saved report can be pinned to one's home screen.
import { useEffect, useState } from "react";
import { reportOption } from "../charts/options";
import { Chart } from "../components/Chart";
import { ErrorNote, Field, Notice, Page, useAction, useLoad } from "../components/common";
import { ExportButtons } from "../components/ExportButtons";
import { ReportHead } from "../components/ReportHead";
import { formatAmount, formatCount } from "../format";
import {
  type CellMember,
  type Dimension,
  type DrillRows,
  ipc,
  type Measure,
  type ReportComparison,
  type ReportDefinition,
  type ReportFilterShown,
  type ReportResult,
  type SavedReport,
  type SessionInfo,
  type Visual,
} from "../ipc";
import {
  DIMENSIONS,
  filterable,
  filterLabel,
  keepOnly,
  MEASURES,
  periodKey,
  periodOf,
  shownFigure,
  VISUALS,
  withoutFilter,
} from "../reports";

const FRESH: ReportDefinition = {
  measures: ["sales_amount"],
  rows: ["branch"],
  columns: [],
  filters: [],
  period: { kind: "year_to_date" },
  comparison: "last_year",
  visual: "bar",
  chart: { order: "label", top: null, labels: false },
};

export function Reports({ session }: { session: SessionInfo }) {
  const saved = useLoad(() => ipc.reportsList(), "reports");
  const [definition, setDefinition] = useState<ReportDefinition>(FRESH);
  const [chosen, setChosen] = useState<SavedReport | null>(null);
  const [result, setResult] = useState<ReportResult | null>(null);
  const [drill, setDrill] = useState<{ where: string; rows: DrillRows } | null>(null);
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const mine = chosen !== null && chosen.created_by === session.actor.id;

  async function run(asked: ReportDefinition) {
    setDrill(null);
    await action.run(async () => setResult(await ipc.reportRun(asked)));
  }

  // A report opens with its figures.
  // biome-ignore lint/correctness/useExhaustiveDependencies: run once, on the first definition
  useEffect(() => {
    void run(FRESH);
  }, []);

  function open(report: SavedReport) {
    setChosen(report);
    setDefinition(report.definition);
    setName(report.name);
    setShared(report.shared);
    setNotice(null);
    void run(report.definition);
  }

  function change(patch: Partial<ReportDefinition>) {
    setDefinition((current) => ({ ...current, ...patch }));
  }

  // A filter added from a row or taken off a chip runs at once.
  function refilter(next: ReportDefinition) {
    setDefinition(next);
    void run(next);
  }

  async function save() {
    const toSave = { id: mine ? chosen.id : null, name, definition, shared };
    let stored: SavedReport | null = null;
    if (await action.run(async () => (stored = await ipc.reportsSave(toSave)))) {
      setChosen(stored);
      setNotice(`Saved “${name}”${shared ? ", shared with everyone" : ""}.`);
      saved.reload();
    }
  }

  async function remove() {
    if (!chosen) return;
    if (await action.run(() => ipc.reportsDelete(chosen.id))) {
      setNotice(`Deleted “${chosen.name}”.`);
      setChosen(null);
      setName("");
      saved.reload();
    }
  }

  async function pin() {
    if (!chosen) return;
    if (await action.run(() => ipc.homePin(chosen.id))) {
      setNotice(`Pinned “${chosen.name}” to your home screen: it shows there in your own scope.`);
    }
  }

  async function openCell(members: CellMember[], where: string) {
    const asked = result?.definition ?? definition;
    await action.run(async () => setDrill({ where, rows: await ipc.reportDrill(asked, members) }));
  }

  return (
    <Page title="Reports">
      <Notice message={notice} />
      <div className="reports">
        <aside className="reports-saved" data-testid="reports-saved">
          <h2>Saved reports</h2>
          <ErrorNote message={saved.error} />
          <ul>
            {saved.value?.map((report) => (
              <li key={report.id}>
                <button
                  type="button"
                  className={chosen?.id === report.id ? "link current" : "link"}
                  onClick={() => open(report)}
                  data-testid="saved-report"
                >
                  {report.name}
                </button>
                <small className="muted">
                  {report.created_by === session.actor.id ? "yours" : report.owner_name}
                  {report.shared ? " · shared" : ""}
                </small>
              </li>
            ))}
          </ul>
          {saved.value?.length === 0 && <p className="muted">None yet: build one and save it.</p>}
        </aside>
        <div className="reports-main">
          <Builder
            definition={definition}
            onChange={change}
            filtersShown={result?.filters ?? []}
            onRemoveFilter={(dimension) => refilter(withoutFilter(definition, dimension))}
          />
          <div className="form-actions">
            <button
              type="button"
              onClick={() => run(definition)}
              disabled={action.busy}
              data-testid="report-run"
            >
              Run
            </button>
            <Field label="Name">
              <input
                value={name}
                onChange={(event) => setName(event.target.value)}
                data-testid="report-name"
              />
            </Field>
            <label className="check">
              <input
                type="checkbox"
                checked={shared}
                onChange={(event) => setShared(event.target.checked)}
                data-testid="report-shared"
              />
              Shared with everyone
            </label>
            <button
              type="button"
              className="secondary"
              onClick={save}
              disabled={action.busy || name.trim() === ""}
              data-testid="report-save"
            >
              {mine ? "Save changes" : "Save"}
            </button>
            {mine && (
              <button type="button" className="secondary" onClick={remove} data-testid="report-delete">
                Delete
              </button>
            )}
            {chosen && (
              <button type="button" className="secondary" onClick={pin} data-testid="report-pin">
                Pin to home
              </button>
            )}
          </div>
          <ErrorNote message={action.error} />
          {result && (
            <Result
              result={result}
              onCell={openCell}
              onKeepOnly={(dimension, key) => refilter(keepOnly(definition, dimension, key))}
              title={chosen?.name ?? null}
            />
          )}
          {drill && <Drill where={drill.where} rows={drill.rows} onClose={() => setDrill(null)} />}
        </div>
      </div>
    </Page>
  );
}

/** What the report asks: measures, rows, columns, filters, period, comparison, chart. */
function Builder({
  definition,
  onChange,
  filtersShown,
  onRemoveFilter,
}: {
  definition: ReportDefinition;
  onChange: (patch: Partial<ReportDefinition>) => void;
  filtersShown: ReportFilterShown[];
  onRemoveFilter: (dimension: Dimension) => void;
}) {
  function toggle(measure: Measure, on: boolean) {
    const measures = on
      ? [...definition.measures, measure]
      : definition.measures.filter((one) => one !== measure);
    onChange({ measures });
  }
  return (
    <div className="report-builder" data-testid="report-builder">
      <fieldset className="measures">
        <legend>Measures</legend>
        {MEASURES.map(([measure, label]) => (
          <label key={measure} className="check">
            <input
              type="checkbox"
              checked={definition.measures.includes(measure)}
              onChange={(event) => toggle(measure, event.target.checked)}
              data-testid={`measure-${measure}`}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <DimensionField
        label="Rows"
        value={definition.rows[0]}
        onChange={(chosen) => onChange({ rows: [...chosen, ...definition.rows.slice(1)] })}
        testId="report-rows"
      />
      <DimensionField
        label="Then by"
        value={definition.rows[1]}
        onChange={(chosen) => onChange({ rows: [...definition.rows.slice(0, 1), ...chosen] })}
        testId="report-rows-2"
      />
      <DimensionField
        label="Columns"
        value={definition.columns[0]}
        onChange={(chosen) => onChange({ columns: chosen })}
        testId="report-columns"
      />
      <div className="report-filters" data-testid="report-filters">
        <span className="muted">Only:</span>
        {definition.filters.length === 0 && (
          <span className="muted">everything in your scope (“Only” on a row keeps one)</span>
        )}
        {definition.filters.map((filter) => (
          <span key={filter.dimension} className="chip" data-testid="report-filter">
            {filterLabel(filter, filtersShown)}
            <button
              type="button"
              className="link"
              aria-label={`Remove the filter on ${filter.dimension}`}
              onClick={() => onRemoveFilter(filter.dimension)}
              data-testid="report-filter-remove"
            >
              ×
            </button>
          </span>
        ))}
      </div>
      <Field label="Period">
        <select
          value={periodKey(definition.period)}
          onChange={(event) => onChange({ period: periodOf(event.target.value, definition.period) })}
          data-testid="report-period"
        >
          <option value="year">This fiscal year</option>
          <option value="ytd">Year to date</option>
          <option value="last12">Last 12 months</option>
          <option value="last3">Last 3 months</option>
          {periodKey(definition.period) === "saved" && <option value="saved">As saved</option>}
        </select>
      </Field>
      <Field label="Compare with">
        <select
          value={definition.comparison}
          onChange={(event) => onChange({ comparison: event.target.value as ReportComparison })}
          data-testid="report-comparison"
        >
          <option value="none">Nothing</option>
          <option value="last_year">Last year</option>
          <option value="budget">The budget</option>
          <option value="forecast">The forecast</option>
        </select>
      </Field>
      <Field label="Show as">
        <select
          value={definition.visual}
          onChange={(event) => onChange({ visual: event.target.value as Visual })}
          data-testid="report-visual"
        >
          {VISUALS.map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Order">
        <select
          value={definition.chart.order}
          onChange={(event) =>
            onChange({
              chart: { ...definition.chart, order: event.target.value as "label" | "largest" | "smallest" },
            })
          }
          data-testid="report-order"
        >
          <option value="label">By name</option>
          <option value="largest">Largest first</option>
          <option value="smallest">Smallest first</option>
        </select>
      </Field>
      <Field label="Only the first">
        <input
          type="number"
          min={1}
          value={definition.chart.top ?? ""}
          placeholder="all"
          onChange={(event) =>
            onChange({
              chart: {
                ...definition.chart,
                top: event.target.value === "" ? null : Number(event.target.value),
              },
            })
          }
          data-testid="report-top"
        />
      </Field>
    </div>
  );
}

/** A dimension to cut by, or none. */
function DimensionField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: Dimension | undefined;
  onChange: (chosen: Dimension[]) => void;
  testId: string;
}) {
  return (
    <Field label={label}>
      <select
        value={value ?? ""}
        onChange={(event) => onChange(event.target.value === "" ? [] : [event.target.value as Dimension])}
        data-testid={testId}
      >
        <option value="">(none)</option>
        {DIMENSIONS.map(([key, name]) => (
          <option key={key} value={key}>
            {name}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** The figures: the chart the report asks for, then the table with its totals; a cell opens its sales. */
function Result({
  result,
  onCell,
  onKeepOnly,
  title,
}: {
  result: ReportResult;
  onCell: (members: CellMember[], where: string) => void;
  onKeepOnly: (dimension: Dimension, key: string) => void;
  title: string | null;
}) {
  const { definition } = result;
  const chart = definition.visual !== "table" && definition.visual !== "pivot";
  const format = (value: number) => formatCount(Math.round(value));
  const rowCells = (members: { key: string }[]): CellMember[] =>
    members.map((member, at) => ({ dimension: definition.rows[at] as Dimension, key: member.key }));
  const columnCells = (at: number): CellMember[] =>
    result.columns[at]?.members.map((member, index) => ({
      dimension: definition.columns[index] as Dimension,
      key: member.key,
    })) ?? [];
  const label = title ?? "Report";
  return (
    <div className="report-result" data-testid="report-result">
      <p className="muted" data-testid="report-months">
        {result.first} to {result.last}
        {result.compared_first && ` against ${result.compared_first} to ${result.compared_last}`}
      </p>
      {result.notes.map((note) => (
        <p key={note} className="muted" data-testid="report-note">
          {note}
        </p>
      ))}
      {chart && (
        <Chart option={reportOption(result, format)} title={label} testId="report-chart" height={320} />
      )}
      <div className="table-scroll">
        <table className="report-table" data-testid="report-table">
          <ReportHead result={result} />
          <tbody>
            {result.rows.map((row) => {
              const where = row.members.map((member) => member.label).join(" · ");
              return (
                <tr key={row.members.map((member) => member.key).join("|")} data-testid="report-row">
                  {row.members.map((member, at) => {
                    const dimension = definition.rows[at] as Dimension;
                    return (
                      <td key={`${dimension}-${member.key}`}>
                        {member.label}
                        {filterable(dimension) && member.key !== "" && (
                          <button
                            type="button"
                            className="link only"
                            title={`Keep only ${member.label}`}
                            onClick={() => onKeepOnly(dimension, member.key)}
                            data-testid="report-keep-only"
                          >
                            Only
                          </button>
                        )}
                      </td>
                    );
                  })}
                  {result.columns.map((column, at) => (
                    <td key={column.label} className="number">
                      <button
                        type="button"
                        className="cell"
                        onClick={() => onCell([...rowCells(row.members), ...columnCells(at)], where)}
                        data-testid="report-cell"
                      >
                        {shownFigure(row.values[at] ?? null, column.figure, column.measure)}
                      </button>
                    </td>
                  ))}
                </tr>
              );
            })}
            <tr className="total-row" data-testid="report-total">
              {definition.rows.length > 0 && <td colSpan={definition.rows.length}>Total</td>}
              {result.columns.map((column, at) => (
                <td key={column.label} className="number">
                  <button
                    type="button"
                    className="cell"
                    onClick={() => onCell(columnCells(at), "Total")}
                    data-testid="report-total-cell"
                  >
                    {shownFigure(result.total.values[at] ?? null, column.figure, column.measure)}
                  </button>
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      {result.hidden_rows > 0 && (
        <p className="muted">
          {formatCount(result.hidden_rows)} more rows are in the total but not shown (“Only the first”).
        </p>
      )}
      <ExportButtons what={{ what: "report", name: title, definition }} testId="report-export" />
    </div>
  );
}

/** The sales behind a cell, the newest first. */
function Drill({ where, rows, onClose }: { where: string; rows: DrillRows; onClose: () => void }) {
  return (
    <section className="report-drill" data-testid="report-drill">
      <header className="page-header">
        <h2>
          {where}: {formatCount(Number(rows.count))} sales, {rows.first} to {rows.last}
        </h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </header>
      {Number(rows.count) > rows.sales.length && (
        <p className="muted">The newest {formatCount(rows.sales.length)} are listed.</p>
      )}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>Sold</th>
              <th>Product</th>
              <th>Branch</th>
              <th>Salesman</th>
              <th>Customer</th>
              <th className="number">Quantity</th>
              <th className="number">Price</th>
              <th className="number">Amount</th>
            </tr>
          </thead>
          <tbody>
            {rows.sales.map((sale) => (
              <tr key={sale.id} data-testid="drill-sale">
                <td>{sale.sold}</td>
                <td>
                  {sale.sku} {sale.product}
                </td>
                <td>{sale.branch}</td>
                <td>{sale.salesman ?? "–"}</td>
                <td>{sale.customer ?? "–"}</td>
                <td className="number">{formatAmount(sale.quantity)}</td>
                <td className="number">{formatAmount(sale.unit_price)}</td>
                <td className="number">{formatAmount(sale.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
