// The screen the app opens on: the figures each role's work needs, within the
// user's scope, as widgets the user removes, adds and reorders ("Arrange").
// What each widget holds is worked out in the core (home::home); this screen
// only draws it, and says so when a widget has nothing to show yet. The
// movers, landing, accuracy, stock and insights come from the digest the core
// keeps: shown at once, and worked out again here in the background when the ledger changed
// since (after an import, a sync, a close) or on "Refresh".
import { useEffect, useState } from "react";
import { reportOption, trendOption } from "../charts/options";
import { Chart } from "../components/Chart";
import { ErrorNote, Page, useAction, useLoad } from "../components/common";
import { LandingFigures } from "../components/LandingFigures";
import { NoPlan } from "../components/NoPlan";
import { ReportHead } from "../components/ReportHead";
import { formatCount, formatInstant, formatMoney, formatPeriod, plural } from "../format";
import { isWide, moved, shows, widgetKey, widgetTitle } from "../home";
import {
  type Comparison,
  type Home as HomeData,
  ipc,
  type Ranking,
  type ReportResult,
  type SessionInfo,
  type Widget,
} from "../ipc";
import { useNavigate } from "../navigate";
import { focusLevel, type ScreenId } from "../navigation";
import { shownFigure } from "../reports";

const MOVES = [
  { by: -1, way: "up", arrow: "↑" },
  { by: 1, way: "down", arrow: "↓" },
] as const;

export function Home({ session }: { session: SessionInfo }) {
  const [arranging, setArranging] = useState(false);
  const loaded = useLoad(() => ipc.home(), "home");
  const [shown, setShown] = useState<HomeData | null>(null);
  const action = useAction();
  const home = shown ?? loaded.value;
  const money = (amount: string | number) => formatMoney(String(amount), session.currency);
  const refresh = () =>
    action.run(async () => {
      setShown(await ipc.homeRefresh());
    });
  const outOfDate = home?.digest?.current === false;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once for each digest out of date
  useEffect(() => {
    if (outOfDate) refresh();
  }, [outOfDate, home?.digest?.computed_at]);
  if (!home) {
    return (
      <Page title="Home">
        <ErrorNote message={loaded.error} />
        {!loaded.error && <p className="muted">Loading…</p>}
      </Page>
    );
  }
  const save = (run: () => Promise<HomeData>) =>
    action.run(async () => {
      setShown(await run());
    });
  const arrange = (layout: Widget[]) => save(() => ipc.homeArrange(layout));
  const hidden = home.available.filter((pin) => !shows(home.layout, pin.widget));
  return (
    <Page
      title="Home"
      actions={
        <>
          <button
            type="button"
            className="secondary"
            data-testid="home-refresh"
            disabled={action.busy}
            title="Work out every figure again from the ledger as it stands"
            onClick={refresh}
          >
            Refresh
          </button>
          <button type="button" data-testid="home-arrange" onClick={() => setArranging(!arranging)}>
            {arranging ? "Done" : "Arrange"}
          </button>
        </>
      }
    >
      <ErrorNote message={action.error} />
      {home.digest && (
        <p
          className="muted digest-stamp"
          data-testid="home-digest"
          data-computed-at={home.digest.computed_at}
          data-current={home.digest.current}
          title="The movers, landing, accuracy, stock and insights are kept between openings; the sales and approvals are always as the ledger stands"
        >
          Updated {formatInstant(home.digest.computed_at)}
          {outOfDate && (action.busy ? " · working them out again…" : " · the ledger changed since")}
        </p>
      )}
      {arranging && (
        <div className="note" data-testid="home-arranging">
          <p>
            Move widgets with ↑ and ↓, remove the ones you do not need, add others back. Your home screen is
            kept for you on this computer.
          </p>
          <div className="toolbar">
            {hidden.map((pin) => (
              <button
                type="button"
                className="secondary"
                key={widgetKey(pin.widget)}
                data-testid={`home-add-${widgetKey(pin.widget)}`}
                disabled={action.busy}
                onClick={() => arrange([...home.layout, pin.widget])}
              >
                Add “{widgetTitle(pin.widget, home.available)}”
              </button>
            ))}
            {home.arranged && (
              <button
                type="button"
                className="secondary"
                data-testid="home-reset"
                disabled={action.busy}
                onClick={() => save(() => ipc.homeReset())}
              >
                Back to the default for your role
              </button>
            )}
          </div>
        </div>
      )}
      {home.layout.length === 0 && (
        <p className="muted" data-testid="home-empty">
          Your home screen shows nothing. Choose “Arrange” to add widgets.
        </p>
      )}
      <div className="widgets">
        {home.layout.map((widget) => {
          const key = widgetKey(widget);
          const title = widgetTitle(widget, home.available);
          const problem = home.problems.find((one) => widgetKey(one.widget) === key);
          return (
            <section
              className={isWide(widget) ? "card widget wide" : "card widget"}
              key={key}
              data-testid={`widget-${key}`}
            >
              <header className="widget-header">
                <h2>{title}</h2>
                {arranging && (
                  <div className="widget-tools">
                    {MOVES.map(({ by, way, arrow }) => (
                      <button
                        type="button"
                        className="secondary"
                        key={way}
                        title={`Move ${way}`}
                        aria-label={`Move ${title} ${way}`}
                        data-testid={`home-${way}-${key}`}
                        disabled={moved(home.layout, widget, by) === home.layout || action.busy}
                        onClick={() => arrange(moved(home.layout, widget, by))}
                      >
                        {arrow}
                      </button>
                    ))}
                    <button
                      type="button"
                      className="secondary"
                      data-testid={`home-remove-${key}`}
                      disabled={action.busy}
                      onClick={() => arrange(home.layout.filter((one) => widgetKey(one) !== key))}
                    >
                      Remove
                    </button>
                  </div>
                )}
              </header>
              {problem ? (
                <ErrorNote message={problem.message} />
              ) : (
                <WidgetBody widget={widget} home={home} money={money} />
              )}
            </section>
          );
        })}
      </div>
    </Page>
  );
}

function WidgetBody({
  widget,
  home,
  money,
}: {
  widget: Widget;
  home: HomeData;
  money: (amount: string) => string;
}) {
  const navigate = useNavigate();
  const nothing = (text: string) => <p className="muted">{text}</p>;
  const open = (label: string, screen: Parameters<typeof navigate>[0]) => (
    <button type="button" className="secondary" onClick={() => navigate(screen)}>
      {label}
    </button>
  );
  if (typeof widget !== "string") {
    const pinned = home.reports.find((one) => one.id === widget.report);
    if (!pinned) return nothing("This report has nothing to show.");
    return (
      <>
        <PinnedReport result={pinned.result} title={widgetTitle(widget, home.available)} />
        {open("Open Reports", "reports")}
      </>
    );
  }
  switch (widget) {
    case "sales": {
      const sales = home.sales;
      if (!sales) return nothing("No sales in your scope yet.");
      const month = formatPeriod(sales.month);
      const running = sales.month_in_progress;
      return (
        <>
          <p className="muted" data-testid="home-scope">
            {sales.scope_label}
            {running
              ? `: ${month} to day ${running.day} of ${running.days}, last year and budget pro rata`
              : ""}
          </p>
          <div className="kpis">
            <Figures label={month} figures={sales.month_to_date} money={money} testId="home-month" />
            <Figures
              label={`${sales.fiscal_year} to date`}
              figures={sales.year_to_date}
              money={money}
              testId="home-ytd"
            />
          </div>
          <NoPlan plan={sales.plan} year={sales.fiscal_year} scenario="Base" />
        </>
      );
    }
    case "landing":
      return home.landing ? (
        <LandingFigures data={home.landing} money={money} />
      ) : (
        nothing("No forecast yet.")
      );
    case "trend": {
      const months = home.trend;
      if (!months) return nothing("No sales in your scope yet.");
      const number = (value: string | null) => (value === null ? null : Number(value));
      return (
        <Chart
          title="The year month by month"
          testId="home-trend"
          height={220}
          option={trendOption(
            months.map((month) => formatPeriod(month.month)),
            months.map((month) => number(month.actual)),
            months.map((month) => Number(month.last_year)),
            months.map((month) => number(month.budget)),
            (value) => money(String(value)),
          )}
        />
      );
    }
    case "movers": {
      const movers = home.movers;
      if (!movers) return nothing("No sales in your scope yet.");
      return (
        <div className="columns">
          <MoversTable
            caption="Products, year to date vs last year"
            ranking={movers.products}
            money={money}
          />
          {movers.people && (
            <MoversTable caption="People, year to date vs last year" ranking={movers.people} money={money} />
          )}
        </div>
      );
    }
    case "approvals": {
      const waiting = home.approvals ?? [];
      return (
        <>
          <p data-testid="home-approvals-count">
            {waiting.length === 0 ? "Nothing waits for you." : `${plural(waiting.length, "budget")} waiting.`}
          </p>
          {waiting.length > 0 && (
            <table>
              <tbody>
                {waiting.slice(0, 5).map((summary) => (
                  <tr key={summary.budget.id}>
                    <td>{summary.budget.owner_name}</td>
                    <td>
                      {summary.budget.fiscal_year} · {summary.budget.scenario}
                    </td>
                    <td className="number">{money(summary.total_amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {waiting.length > 0 && open("Open approvals", "inbox")}
        </>
      );
    }
    case "stock": {
      const stock = home.stock;
      if (!stock) return nothing("No stock alerts.");
      return (
        <>
          <p data-testid="home-stock-unread">
            {stock.unread === 0 ? "No unread stock alerts." : `${plural(stock.unread, "unread alert")}.`}
          </p>
          <ul className="plain">
            {stock.by_kind.map((kind) => (
              <li key={kind.kind}>
                {kind.count} {kind.kind.replaceAll("_", " ")}
              </li>
            ))}
          </ul>
          <ul className="plain muted">
            {stock.newest.map((alert) => (
              <li key={alert.id}>
                {alert.location_code} {alert.sku}: {alert.message}
              </li>
            ))}
          </ul>
          {open("Open alerts", "alerts")}
        </>
      );
    }
    case "insights": {
      const found = home.insights ?? [];
      if (found.length === 0) return nothing("Nothing stands out yet.");
      return (
        <ol className="insights" data-testid="home-insights">
          {found.map((insight) => (
            <li key={insight.sentence}>
              <span>{insight.sentence}</span>{" "}
              <button
                type="button"
                className="link"
                onClick={() => {
                  if (insight.link.level) focusLevel(insight.link.level);
                  navigate(insight.link.screen as ScreenId);
                }}
              >
                Show
              </button>
            </li>
          ))}
        </ol>
      );
    }
    case "accuracy": {
      const accuracy = home.accuracy;
      if (!accuracy) return nothing("No closed month has been scored yet.");
      const total = accuracy.total;
      return (
        <>
          <div className="kpis" data-testid="home-accuracy">
            <Kpi label="WAPE (lower is better)" value={total.wape === null ? "–" : `${total.wape} %`} />
            <Kpi label="Bias" value={total.bias === null ? "–" : `${total.bias} %`} />
            <Kpi label="Month forecasts scored" value={String(total.points)} />
          </div>
          {open("Open the forecast", "forecast")}
        </>
      );
    }
  }
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div className="kpi">
      <span>{label}</span>
      <strong>{value}</strong>
    </div>
  );
}

function signedPercent(value: string | null): string {
  if (value === null) return "–";
  return `${value.startsWith("-") ? "" : "+"}${value} %`;
}

function Figures({
  label,
  figures,
  money,
  testId,
}: {
  label: string;
  figures: Comparison;
  money: (amount: string) => string;
  testId: string;
}) {
  const tone = (value: string | null) => (value === null ? "" : value.startsWith("-") ? "down" : "up");
  return (
    <div className="kpi" data-testid={testId}>
      <span>{label}</span>
      <strong data-testid={`${testId}-actual`}>{money(figures.actual)}</strong>
      <span>
        vs last year <b className={tone(figures.change_percent)}>{signedPercent(figures.change_percent)}</b> (
        {money(figures.last_year)})
      </span>
      {figures.budget !== null && (
        <span>
          vs budget{" "}
          <b className={tone(figures.variance_percent)} data-testid={`${testId}-variance`}>
            {signedPercent(figures.variance_percent)}
          </b>{" "}
          ({money(figures.budget)})
        </span>
      )}
    </div>
  );
}

function MoversTable({
  caption,
  ranking,
  money,
}: {
  caption: string;
  ranking: Ranking;
  money: (amount: string) => string;
}) {
  const rows = [
    ...ranking.rising.map((mover) => ({ mover, up: true })),
    ...ranking.falling.map((mover) => ({ mover, up: false })),
  ];
  return (
    <table>
      <caption>{caption}</caption>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td className="muted">Nothing moved.</td>
          </tr>
        )}
        {rows.map(({ mover, up }) => (
          <tr key={`${up}-${mover.key}`}>
            <td>{up ? "▲" : "▼"}</td>
            <td>{mover.label}</td>
            <td className="number">{money(mover.actual)}</td>
            <td className={`number ${up ? "up" : "down"}`}>
              {mover.change.startsWith("-") ? "" : "+"}
              {money(mover.change)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A saved report pinned to the home: its chart, or its first rows and the total. */
function PinnedReport({ result, title }: { result: ReportResult; title: string }) {
  const chart = result.definition.visual !== "table" && result.definition.visual !== "pivot";
  const format = (value: number) => formatCount(Math.round(value));
  if (chart) {
    return (
      <Chart option={reportOption(result, format)} title={title} testId="pinned-report-chart" height={260} />
    );
  }
  const rows = result.rows.slice(0, PINNED_ROWS);
  return (
    <div className="table-scroll">
      <table className="report-table" data-testid="pinned-report-table">
        <ReportHead result={result} />
        <tbody>
          {rows.map((row) => (
            <tr key={row.members.map((member) => member.key).join("|")}>
              {row.members.map((member, at) => (
                <td key={`${result.definition.rows[at]}-${member.key}`}>{member.label}</td>
              ))}
              {row.values.map((value, at) => (
                <td key={result.columns[at]?.label ?? at} className="number">
                  {shownFigure(value, result.columns[at]?.figure, result.columns[at]?.measure)}
                </td>
              ))}
            </tr>
          ))}
          <tr className="total-row">
            {result.definition.rows.length > 0 && <td colSpan={result.definition.rows.length}>Total</td>}
            {result.total.values.map((value, at) => (
              <td key={result.columns[at]?.label ?? at} className="number">
                {shownFigure(value, result.columns[at]?.figure, result.columns[at]?.measure)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      {result.rows.length > PINNED_ROWS && (
        <p className="muted">{plural(result.rows.length - PINNED_ROWS, "more row")} in Reports.</p>
      )}
    </div>
  );
}

/** How many rows a pinned table report shows on the home. */
const PINNED_ROWS = 8;
