// Where the fiscal year will land: actuals of the closed months + the forecast
// of the rest, against the approved budget. Shown on the sales overview and on
// the home screen.
import type { Landing } from "../ipc";
import { NoPlan } from "./NoPlan";

export function LandingFigures({ data, money }: { data: Landing; money: (amount: string) => string }) {
  const signed = (amount: string) => `${amount.startsWith("-") ? "" : "+"}${money(amount)}`;
  return (
    <>
      <div className="kpis" data-testid="landing">
        <div className="kpi">
          <span>Landing estimate {data.fiscal_year}</span>
          <strong data-testid="landing-value">{money(data.landing)}</strong>
          <span>
            {money(data.actual_to_date)} sold in closed months + {money(data.forecast_rest)} forecast
          </span>
        </div>
        {data.budget !== null && data.gap !== null && (
          <>
            <div className="kpi">
              <span>Budget {data.fiscal_year}</span>
              <strong data-testid="landing-budget">{money(data.budget)}</strong>
              <span>year to date {money(data.budget_to_date ?? "0")}</span>
            </div>
            <div className="kpi">
              <span>Forecast vs budget</span>
              <strong className={data.gap.startsWith("-") ? "down" : "up"} data-testid="landing-gap">
                {signed(data.gap)}
                {data.gap_percent !== null ? ` (${data.gap_percent} %)` : ""}
              </strong>
              <span>year to date {signed(data.gap_to_date ?? "0")}</span>
            </div>
          </>
        )}
      </div>
      <NoPlan plan={data.plan} year={data.fiscal_year} scenario="Base" />
      {data.budget !== null && Number(data.unplanned) !== 0 && (
        <p className="muted">
          {money(data.unplanned)} of the landing has no approved budget and is not counted in the gap.
        </p>
      )}
    </>
  );
}
