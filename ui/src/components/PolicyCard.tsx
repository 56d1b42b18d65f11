// One item's stock policy with every number it was made of (demand, lead
// time, σ and where it came from, z or the fill rate, safety stock, reorder
// point, order quantity), and the override Supply Chain may set with a reason.
import { type FormEvent, useState } from "react";
import { formatDay, formatPeriod, formatQuantity } from "../format";
import {
  type DemandSource,
  ipc,
  type OrderBasis,
  type PolicyLine,
  type PolicyMethod,
  type SigmaSource,
} from "../ipc";
import { decimalText } from "../options";
import { ErrorNote, Field, useAction, useLoad } from "./common";

const DEMAND: Record<DemandSource, string> = {
  forecast: "the final forecast (overrides included)",
  history: "the last 12 months' sales (no forecast)",
  branches: "what the branches it supplies need",
};

const SIGMA: Record<SigmaSource, string> = {
  measured: "measured: the forecast's one-month-ahead errors",
  model: "the forecasting method's residual spread",
  history: "the spread of the last 12 months' sales",
  branches: "its branches' σ combined (√Σσ²)",
};

const METHOD: Record<PolicyMethod, string> = {
  normal: "normal demand: d·L + z·√(L·σ_d² + d²·σ_L²)",
  poisson: "slow mover, Poisson demand: the smallest reorder point meeting the fill rate",
  negative_binomial: "slow mover, negative binomial demand: the smallest reorder point meeting the fill rate",
  no_demand: "no demand to plan for",
};

const BASIS: Record<OrderBasis, string> = {
  eoq: "the economic order quantity, in whole packs",
  one_month: "one month's demand, in whole packs (no order cost to weigh)",
  minimum_order: "raised to the supplier's minimum order",
  maximum_cover: "cut to the company's most months of demand per order",
  nothing: "nothing to order",
};

export function PolicyCard({
  locationId,
  productId,
  canEdit,
  onChanged,
}: {
  locationId: string;
  productId: string;
  canEdit: boolean;
  onChanged: (message: string) => void;
}) {
  const [round, setRound] = useState(0);
  const policy = useLoad(
    () => ipc.stockPolicy(locationId, productId),
    `policy/${locationId}/${productId}/${round}`,
  );
  const changed = (message: string) => {
    setRound((n) => n + 1);
    onChanged(message);
  };
  if (policy.error) {
    return (
      <section className="card" data-testid="stock-policy">
        <p className="muted">No stock policy for this item: {policy.error}</p>
      </section>
    );
  }
  if (!policy.value) return null;
  return <Breakdown line={policy.value} canEdit={canEdit} onChanged={changed} />;
}

function Breakdown({
  line,
  canEdit,
  onChanged,
}: {
  line: PolicyLine;
  canEdit: boolean;
  onChanged: (message: string) => void;
}) {
  const p = line.computed;
  const unit = p.unit;
  return (
    <section className="card" data-testid="stock-policy">
      <h2>
        Policy of {p.sku} at {p.location_code}: order {formatQuantity(line.order_quantity)} {unit} when stock
        falls to {formatQuantity(line.reorder_point)}
      </h2>
      <dl className="breakdown">
        <dt>Class</dt>
        <dd>
          {p.abc}, service level {p.service_level} %
        </dd>
        <dt>Demand d</dt>
        <dd data-testid="policy-demand">
          {formatQuantity(p.demand_per_month)} {unit}/month from {DEMAND[p.demand_source]}, months from{" "}
          {formatPeriod(p.first_month)}
        </dd>
        <dt>Lead time L</dt>
        <dd>
          {p.lead_time_days} days (σ_L {p.lead_time_sd_days} days) from {p.supplied_by}
        </dd>
        <dt>σ_d</dt>
        <dd data-testid="policy-sigma">
          {p.sigma} {unit}/month, {SIGMA[p.sigma_source]}
          {p.sigma_points > 0 ? ` (${p.sigma_points} months)` : ""}
        </dd>
        <dt>Method</dt>
        <dd>
          {METHOD[p.method]}
          {p.z ? `, z = ${p.z}` : ""}
          {p.fill_rate ? `, fill rate ${p.fill_rate} %` : ""}
        </dd>
        <dt>Lead-time demand d·L</dt>
        <dd>{formatQuantity(p.lead_time_demand, false)}</dd>
        <dt>Safety stock</dt>
        <dd data-testid="policy-safety-stock">{formatQuantity(p.safety_stock, false)}</dd>
        <dt>Reorder point</dt>
        <dd data-testid="policy-reorder-point">
          {formatQuantity(p.reorder_point)}
          {line.override?.reorder_point ? ` — overridden: ${formatQuantity(line.reorder_point)}` : ""}
        </dd>
        <dt>Order quantity</dt>
        <dd>
          {formatQuantity(p.order_quantity)} — {BASIS[p.order_basis]}
          {p.eoq ? ` (EOQ ${formatQuantity(p.eoq, false)})` : ""}
          {line.override?.order_quantity ? ` — overridden: ${formatQuantity(line.order_quantity)}` : ""}
        </dd>
      </dl>
      {p.notes.map((note) => (
        <p key={note} className="muted">
          Note: {note}
        </p>
      ))}
      {line.override && (
        <p data-testid="policy-override">
          Overridden by {line.override.created_by_name ?? "someone"}: {line.override.reason}
        </p>
      )}
      <ProjectedStock line={line} />
      {canEdit && <OverrideForm line={line} onChanged={onChanged} />}
    </section>
  );
}

function OverrideForm({ line, onChanged }: { line: PolicyLine; onChanged: (message: string) => void }) {
  const current = line.override;
  const [reorderPoint, setReorderPoint] = useState(current?.reorder_point ?? "");
  const [orderQuantity, setOrderQuantity] = useState(current?.order_quantity ?? "");
  const [reason, setReason] = useState(current?.reason ?? "");
  const action = useAction();
  const p = line.computed;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await action.run(() =>
      ipc.stockPolicyOverride(
        {
          location_id: p.location_id,
          product_id: p.product_id,
          reorder_point: reorderPoint.trim() ? decimalText(reorderPoint) : null,
          order_quantity: orderQuantity.trim() ? decimalText(orderQuantity) : null,
          reason,
        },
        current?.version ?? null,
      ),
    );
    if (ok) onChanged(`The policy of ${p.sku} at ${p.location_code} is overridden: ${reason.trim()}.`);
  }

  async function remove() {
    if (await action.run(() => ipc.stockPolicyRemoveOverride(p.location_id, p.product_id))) {
      setReorderPoint("");
      setOrderQuantity("");
      setReason("");
      onChanged(`The computed policy of ${p.sku} at ${p.location_code} applies again.`);
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} data-testid="policy-override-form">
      <div className="form-grid">
        <Field label="Reorder point">
          <input
            name="override-reorder-point"
            inputMode="decimal"
            placeholder={p.reorder_point}
            value={reorderPoint}
            onChange={(e) => setReorderPoint(e.target.value)}
          />
        </Field>
        <Field label="Order quantity">
          <input
            name="override-order-quantity"
            inputMode="decimal"
            placeholder={p.order_quantity}
            value={orderQuantity}
            onChange={(e) => setOrderQuantity(e.target.value)}
          />
        </Field>
        <Field label="Why">
          <input
            name="override-reason"
            placeholder="promotion, new listing, shelf space…"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
      </div>
      <ErrorNote message={action.error} />
      <button type="submit" disabled={action.busy}>
        {current ? "Change override" : "Override"}
      </button>{" "}
      {current && (
        <button type="button" className="secondary" disabled={action.busy} onClick={remove}>
          Remove override
        </button>
      )}
    </form>
  );
}

/** The stock month by month over the horizon, plus what open orders bring, less the forecast demand, and the day it runs out. */
function ProjectedStock({ line }: { line: PolicyLine }) {
  const p = line.computed;
  const projection = useLoad(
    () => ipc.stockProjection(p.location_id, p.product_id),
    `projection/${p.location_id}/${p.product_id}/${line.reorder_point}`,
  );
  const value = projection.value;
  if (!value) return <ErrorNote message={projection.error} />;
  return (
    <div className="projection" data-testid="stock-projection">
      <h3>
        Projected stock:{" "}
        {value.stock_out_on
          ? `runs out around ${formatDay(value.stock_out_on)}`
          : "lasts the forecast horizon"}
      </h3>
      <table>
        <thead>
          <tr>
            <th>Month</th>
            {value.months.map((month) => (
              <th key={month.month} className="number">
                {formatPeriod(month.month)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Demand</td>
            {value.months.map((month) => (
              <td key={month.month} className="number">
                {formatQuantity(month.demand, false)}
              </td>
            ))}
          </tr>
          <tr>
            <td>Arriving (open orders)</td>
            {value.months.map((month) => (
              <td key={month.month} className="number">
                {Number(month.arriving) > 0 ? formatQuantity(month.arriving, false) : ""}
              </td>
            ))}
          </tr>
          <tr>
            <td>Stock at the end</td>
            {value.months.map((month) => (
              <td key={month.month} className={Number(month.closing) < 0 ? "number negative" : "number"}>
                {formatQuantity(month.closing, false)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
