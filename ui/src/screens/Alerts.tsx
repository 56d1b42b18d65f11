// The alert centre: stock that needs doing something about (below its reorder
// point, running out within its lead time, overstocked, dead, negative) in the
// user's scope, and watched files that could not be imported. Each can be
// marked read; a stock alert opens its item on the inventory screen. Below
// them, the user's own alert rules (components/AlertRules.tsx).
import { useState } from "react";
import { AlertRules } from "../components/AlertRules";
import { ErrorNote, type Loaded, Notice, Page, useAction } from "../components/common";
import { type AlertCentre, ipc, type StockAlert, type StockAlertKind } from "../ipc";
import { useNavigate } from "../navigate";
import { focusItem } from "../navigation";

const KINDS: Record<StockAlertKind, string> = {
  negative_on_hand: "Negative stock",
  stock_out_within_lead_time: "Runs out within its lead time",
  below_reorder_point: "At or below its reorder point",
  overstock: "Overstocked",
  dead_stock: "Dead stock",
};

/** `centre`: the frame's, which also counts the badge; `onChanged` reads it again. */
export function Alerts({
  centre,
  onChanged,
  mayWatchStock,
}: {
  centre: Loaded<AlertCentre | null>;
  onChanged: () => void;
  mayWatchStock: boolean;
}) {
  const [showRead, setShowRead] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const go = useNavigate();
  const stock = (centre.value?.stock ?? []).filter((alert) => showRead || !alert.read);

  async function markRead(id: string, what: string) {
    if (await action.run(() => ipc.alertsDismiss(id))) {
      setNotice(`Marked read: ${what}.`);
      onChanged();
    }
  }

  function open(alert: StockAlert) {
    focusItem({ location_id: alert.location_id, product_id: alert.product_id });
    go("inventory");
  }

  return (
    <Page title="Alerts">
      <Notice message={notice} />
      <ErrorNote message={centre.error ?? action.error} />
      {centre.value && centre.value.unread === 0 && (
        <p className="muted" data-testid="alerts-none">
          Nothing needs you now.
        </p>
      )}
      {centre.value?.files.map((alert) => (
        <div key={alert.id} className="error" role="alert">
          <strong>{alert.subject}</strong>: {alert.message}{" "}
          <button type="button" className="link" onClick={() => markRead(alert.id, alert.subject)}>
            Mark read
          </button>
        </div>
      ))}
      {(centre.value?.stock.length ?? 0) > 0 && (
        <>
          <label className="hint">
            <input type="checkbox" checked={showRead} onChange={(e) => setShowRead(e.target.checked)} /> Show
            the ones marked read
          </label>
          <table data-testid="stock-alerts">
            <thead>
              <tr>
                <th>What</th>
                <th>Where</th>
                <th>Item</th>
                <th>Why</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {stock.map((alert) => (
                <tr key={alert.key} className={alert.read ? "muted" : undefined}>
                  <td>{KINDS[alert.kind]}</td>
                  <td>{alert.location_code}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      title="Open it on the inventory screen"
                      onClick={() => open(alert)}
                    >
                      {alert.sku}
                    </button>{" "}
                    {alert.product_name}
                  </td>
                  <td>{alert.message}</td>
                  <td>
                    {!alert.read && (
                      <button
                        type="button"
                        className="secondary"
                        data-testid="alert-read"
                        onClick={() => markRead(alert.id, `${alert.sku} at ${alert.location_code}`)}
                      >
                        Mark read
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <AlertRules onChanged={onChanged} mayWatchStock={mayWatchStock} />
    </Page>
  );
}
