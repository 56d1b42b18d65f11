// Actual sales in the signed-in user's scope: the last 12 months against the 12 before, by month, product and branch.

import { useState } from "react";
import { salesOption } from "../charts/options";
import { Chart } from "../components/Chart";
import { ErrorNote, Notice, Page, useLoad } from "../components/common";
import { ExportButtons } from "../components/ExportButtons";
import { LandingFigures } from "../components/LandingFigures";
import { SaleForm } from "../components/SaleForm";
import { formatCount, formatMoney, formatPeriod, percentChange } from "../format";
import { ipc, type NamedTotal, type SessionInfo } from "../ipc";
import { has } from "../navigation";

const SCOPE_LABEL = {
  own: "your own sales",
  department: "your department",
  location: "your branch",
  all: "the whole company",
} as const;

export function Overview({ session }: { session: SessionInfo }) {
  const [round, setRound] = useState(0);
  const [entering, setEntering] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const overview = useLoad(() => ipc.salesOverview(), `overview/${round}`);
  const money = (amount: string | number) => formatMoney(String(amount), session.currency);
  const data = overview.value;
  if (!data) {
    return (
      <Page title="Sales overview">
        <ErrorNote message={overview.error} />
        {!overview.error && <p className="muted">Loading…</p>}
      </Page>
    );
  }
  const amounts = data.months.map((month) => Number(month.amount));
  const lastTwelve = amounts.slice(-12).reduce((sum, value) => sum + value, 0);
  const twelveBefore = amounts.slice(-24, -12).reduce((sum, value) => sum + value, 0);
  const change = percentChange(twelveBefore, lastTwelve);
  const window = data.last_twelve_months;
  const canPost = has(session.grants, "post_actuals");
  return (
    <Page
      title="Sales overview"
      actions={
        canPost && (
          <button type="button" onClick={() => setEntering(true)} data-testid="sale-new">
            Record a sale
          </button>
        )
      }
    >
      {entering && (
        <SaleForm
          session={session}
          onDone={(message) => {
            setEntering(false);
            setNotice(message);
            setRound((n) => n + 1);
          }}
          onCancel={() => setEntering(false)}
        />
      )}
      <Notice message={notice} />
      <div className="toolbar">
        <ExportButtons what={{ what: "sales" }} label="Export months" />
        <ExportButtons what={{ what: "sales_lines" }} label="Export every sale" testId="export-lines" />
      </div>
      <p className="muted">
        Every sale comes out in the layout the sales import reads: edit it and import it back.
      </p>
      <p className="muted" data-testid="scope">
        Actual sales of {SCOPE_LABEL[data.scope]}
        {window ? `, ${formatPeriod(window[0])} – ${formatPeriod(window[1])}` : ""}.
      </p>
      <div className="kpis">
        <div className="kpi" data-testid="kpi-last-12">
          <span>Last 12 months</span>
          <strong>{money(lastTwelve)}</strong>
        </div>
        <div className="kpi">
          <span>vs. the 12 months before</span>
          <strong className={change !== null && change < 0 ? "down" : "up"}>
            {change === null ? "–" : `${change > 0 ? "+" : ""}${change} %`}
          </strong>
        </div>
        <div className="kpi">
          <span>Sales records</span>
          <strong>{formatCount(data.sale_count)}</strong>
        </div>
      </div>
      {data.months.length === 0 ? (
        <p className="muted">No actual sales in your scope yet.</p>
      ) : (
        <Chart
          title="Actual sales by month"
          testId="sales-chart"
          option={salesOption(
            data.months.map((month) => ({ label: formatPeriod(month.period), value: Number(month.amount) })),
            money,
          )}
        />
      )}
      {has(session.grants, "view_forecasts") && <LandingEstimate money={money} />}
      <div className="columns">
        <TotalsTable caption="Top products, last 12 months" rows={data.top_products} money={money} />
        <TotalsTable caption="By branch, last 12 months" rows={data.by_location} money={money} />
      </div>
    </Page>
  );
}

/** Where the fiscal year will land, loaded for the overview. */
function LandingEstimate({ money }: { money: (amount: string) => string }) {
  const landing = useLoad(() => ipc.forecastLanding(null), "landing");
  if (!landing.value) return <ErrorNote message={landing.error} />;
  return <LandingFigures data={landing.value} money={money} />;
}

function TotalsTable({
  caption,
  rows,
  money,
}: {
  caption: string;
  rows: NamedTotal[];
  money: (amount: string) => string;
}) {
  return (
    <table>
      <caption>{caption}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <td>{row.name}</td>
            <td className="number">{money(row.amount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
