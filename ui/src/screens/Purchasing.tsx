// Purchasing: what to order from each supplier (items at or below their
// reorder point, counting what is on order), purchase orders from draft to
// sent to received, and receiving one in parts. Supply Chain orders; a branch
// manager sees and receives the orders delivered to the branch.
import { type FormEvent, useState } from "react";
import { ErrorNote, Field, Notice, Page, useAction, useLoad } from "../components/common";
import { ExportButtons } from "../components/ExportButtons";
import { CancelConfirm, Confirm } from "../components/Overlay";
import { formatDay, formatExactMoney, formatQuantity, plural } from "../format";
import {
  ipc,
  type OrderState,
  type ProposalGroup,
  type PurchaseOrder,
  type ReceivedLine,
  type SessionInfo,
} from "../ipc";
import { has } from "../navigation";
import { decimalText } from "../options";

/** What each state of an order is called on screen. */
export const STATES: Record<OrderState, string> = {
  draft: "draft",
  sent: "sent",
  partially_received: "partly received",
  received: "received",
  cancelled: "cancelled",
};

/** Whether goods are still expected against an order. */
export function isOpen(order: PurchaseOrder): boolean {
  return order.state === "sent" || order.state === "partially_received";
}

export function Purchasing({ session }: { session: SessionInfo }) {
  const mayOrder = has(session.grants, "purchase");
  const orders = useLoad(() => ipc.purchaseOrders(), "purchase-orders");
  const [chosen, setChosen] = useState<string | null>(null);
  const [showClosed, setShowClosed] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const shown = (orders.value ?? []).filter(
    (order) => showClosed || order.state === "draft" || isOpen(order),
  );
  const changed = (message: string, order?: PurchaseOrder) => {
    setNotice(message);
    setRound((n) => n + 1);
    orders.reload();
    if (order) setChosen(order.id);
  };
  return (
    <Page title="Purchasing">
      <p className="muted">
        {mayOrder
          ? "What to order comes from each item's reorder point and what is already on order or on its way; the warehouse's counts what the branches will draw from it. Make draft orders from it, send them, and receive them as the goods arrive."
          : "The orders delivered to your branch. Receive each as the goods arrive: what you post goes into your stock."}
      </p>
      <Notice message={notice} />
      {mayOrder && <ProposalSection key={`proposal/${round}`} onMade={changed} />}
      <h2>Orders</h2>
      <ErrorNote message={orders.error} />
      <label className="hint">
        <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} /> Show
        received and cancelled orders
      </label>
      {orders.value && shown.length === 0 && (
        <p className="muted" data-testid="orders-none">
          No open orders{mayOrder ? ": make one from what to order above." : " for your branch."}
        </p>
      )}
      {shown.length > 0 && (
        <table data-testid="orders">
          <thead>
            <tr>
              <th>Order</th>
              <th>Supplier</th>
              <th>Deliver to</th>
              <th>State</th>
              <th className="number">Lines</th>
              <th className="number">Total</th>
              <th>Expected</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((order) => (
              <tr key={order.id} className={order.id === chosen ? "selected" : undefined}>
                <td>
                  <button type="button" className="link" onClick={() => setChosen(order.id)}>
                    {order.number}
                  </button>
                </td>
                <td title={order.supplier_name}>{order.supplier_code}</td>
                <td title={order.location_name}>{order.location_code}</td>
                <td data-testid="order-state">{STATES[order.state]}</td>
                <td className="number">{order.lines.length}</td>
                <td className="number">{formatExactMoney(order.total, order.currency)}</td>
                <td>{earliest(order)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && <OrderCard key={`${chosen}/${round}`} id={chosen} session={session} onChanged={changed} />}
    </Page>
  );
}

/** The first day an open order's outstanding lines are expected. */
function earliest(order: PurchaseOrder): string {
  const days = order.lines
    .filter((line) => Number(line.received) < Number(line.quantity))
    .map((line) => line.expected_on)
    .sort();
  const first = days[0];
  return first && order.state !== "cancelled" ? formatDay(first) : "";
}

/** What to order: a group per supplier and delivery location, quantities editable, each made into a draft. */
function ProposalSection({ onMade }: { onMade: (message: string, order?: PurchaseOrder) => void }) {
  const proposal = useLoad(() => ipc.replenishPropose(), "proposal");
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const action = useAction();
  const value = proposal.value;
  const key = (group: ProposalGroup, productId: string) =>
    `${group.supplier_id}/${group.location_id}/${productId}`;

  async function make(group: ProposalGroup) {
    let made: PurchaseOrder | undefined;
    const lines = group.lines
      .map((line) => ({
        product_id: line.product_id,
        quantity: decimalText(quantities[key(group, line.product_id)] ?? line.proposed),
        unit_cost: null,
      }))
      .filter((line) => Number(line.quantity) > 0);
    const ok = await action.run(async () => {
      made = await ipc.purchaseOrderCreate({
        supplier_id: group.supplier_id,
        location_id: group.location_id,
        note: "",
        lines,
      });
    });
    if (ok && made)
      onMade(`${made.number}: a draft to ${group.supplier_name}. Check it, then send it.`, made);
  }

  return (
    <section data-testid="proposal">
      <h2>What to order</h2>
      <ErrorNote message={proposal.error ?? action.error} />
      {value && value.groups.length === 0 && value.unsourced.length === 0 && (
        <p className="muted" data-testid="proposal-none">
          Nothing needs ordering: every item is above its reorder point, counting what is on order and what
          transfers bring or take.
        </p>
      )}
      {value?.groups.map((group) => (
        <div className="card" key={`${group.supplier_id}/${group.location_id}`} data-testid="proposal-group">
          <h3>
            {group.supplier_code} {group.supplier_name} → {group.location_code} {group.location_name}
          </h3>
          <table>
            <thead>
              <tr>
                <th>SKU</th>
                <th>Product</th>
                <th className="number">On hand</th>
                <th className="number">On order</th>
                <th
                  className="number"
                  title="Transfers on their way or approved to come, less those approved to leave"
                >
                  Transfers
                </th>
                <th className="number">Reorder point</th>
                <th className="number">Order</th>
                <th className="number">Unit cost</th>
                <th>Arrives</th>
              </tr>
            </thead>
            <tbody>
              {group.lines.map((line) => (
                <tr key={line.product_id}>
                  <td>{line.sku}</td>
                  <td>{line.product_name}</td>
                  <td className="number">{formatQuantity(line.on_hand)}</td>
                  <td className="number">{formatQuantity(line.on_order)}</td>
                  <td className="number">{formatQuantity(line.transfers)}</td>
                  <td
                    className="number"
                    title={
                      line.branch_draw === null
                        ? undefined
                        : `The branches will draw ${formatQuantity(line.branch_draw)} within the supplier's lead time, plus the safety stock`
                    }
                  >
                    {formatQuantity(line.reorder_point)}
                  </td>
                  <td className="number">
                    <input
                      className="quantity"
                      name={`order-${line.sku}`}
                      inputMode="decimal"
                      title={`In packs of ${formatQuantity(line.pack_size)}; 0 leaves it out`}
                      value={quantities[key(group, line.product_id)] ?? line.proposed}
                      onChange={(e) =>
                        setQuantities({ ...quantities, [key(group, line.product_id)]: e.target.value })
                      }
                    />
                  </td>
                  <td className="number">
                    {line.unit_cost ? formatExactMoney(line.unit_cost, group.currency) : ""}
                  </td>
                  <td>{formatDay(line.expected_on)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-actions">
            <button
              type="button"
              disabled={action.busy}
              data-testid="proposal-make"
              onClick={() => make(group)}
            >
              Make a draft order
            </button>
          </div>
        </div>
      ))}
      {(value?.unsourced.length ?? 0) > 0 && (
        <p className="muted" data-testid="proposal-unsourced">
          Also at or below the reorder point, with no primary supplier to order from:{" "}
          {value?.unsourced.map((line) => `${line.sku} at ${line.location_code}`).join(", ")}. Give each a
          primary supplier under Reference data → Suppliers.
        </p>
      )}
    </section>
  );
}

/** One order: its lines, its steps, its export and, while goods are expected, the receiving form. */
function OrderCard({
  id,
  session,
  onChanged,
}: {
  id: string;
  session: SessionInfo;
  onChanged: (message: string, order?: PurchaseOrder) => void;
}) {
  const loaded = useLoad(() => ipc.purchaseOrder(id), `purchase-order/${id}`);
  const [asking, setAsking] = useState<"send" | "cancel" | null>(null);
  const [reason, setReason] = useState("");
  const action = useAction();
  const order = loaded.value;
  if (!order) return <ErrorNote message={loaded.error} />;
  const mayOrder = has(session.grants, "purchase");
  const mayReceive =
    has(session.grants, "post_stock") &&
    (session.actor.location_id === null || session.actor.location_id === order.location_id);

  async function step(which: "send" | "cancel") {
    let done: PurchaseOrder | undefined;
    const ok = await action.run(async () => {
      done =
        which === "send"
          ? await ipc.purchaseOrderSend(order?.id ?? "")
          : await ipc.purchaseOrderCancel(order?.id ?? "", reason);
    });
    setAsking(null);
    if (ok && done) onChanged(`${done.number} is ${STATES[done.state]}.`, done);
  }

  return (
    <section className="card" data-testid="purchase-order">
      <h3>
        {order.number} · {STATES[order.state]}
      </h3>
      <p>
        To {order.supplier_code} {order.supplier_name}
        {order.supplier_contact ? ` (${order.supplier_contact})` : ""}, delivered to {order.location_code}{" "}
        {order.location_name}. Made by {order.created_by_name}.
        {order.cancel_reason ? ` Cancelled: ${order.cancel_reason}.` : ""}
      </p>
      <table data-testid="order-lines">
        <thead>
          <tr>
            <th>SKU</th>
            <th>Product</th>
            <th>Their article</th>
            <th className="number">Ordered</th>
            <th className="number">Received</th>
            <th className="number">Unit cost</th>
            <th>Expected</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.id}>
              <td>{line.sku}</td>
              <td>{line.product_name}</td>
              <td>{line.supplier_sku}</td>
              <td className="number">
                {formatQuantity(line.quantity)} {line.unit}
              </td>
              <td className="number" data-testid="line-received">
                {formatQuantity(line.received)}
              </td>
              <td className="number">{formatExactMoney(line.unit_cost, order.currency)}</td>
              <td>{formatDay(line.expected_on)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Total {formatExactMoney(order.total, order.currency)}</p>
      <ErrorNote message={action.error} />
      <div className="form-actions">
        {mayOrder && order.state === "draft" && (
          <button type="button" data-testid="order-send" onClick={() => setAsking("send")}>
            Send to {order.supplier_code}
          </button>
        )}
        {mayOrder && (order.state === "draft" || isOpen(order)) && (
          <button
            type="button"
            className="secondary"
            data-testid="order-cancel"
            onClick={() => setAsking("cancel")}
          >
            Cancel the order
          </button>
        )}
      </div>
      <ExportButtons
        what={{ what: "purchase_order", id: order.id }}
        label="For the supplier:"
        testId="order-export"
      />
      {asking === "send" && (
        <Confirm
          title={`Send ${order.number}?`}
          confirmLabel="Send"
          busy={action.busy}
          onConfirm={() => step("send")}
          onCancel={() => setAsking(null)}
        >
          <p>
            {plural(order.lines.length, "line")} for {formatExactMoney(order.total, order.currency)} go to{" "}
            {order.supplier_name}. A sent order's quantities no longer change (its expected dates still do);
            export it to send the supplier the file.
          </p>
        </Confirm>
      )}
      {asking === "cancel" && (
        <CancelConfirm
          number={order.number}
          what="order"
          about={
            order.state === "draft"
              ? "The draft is kept as cancelled."
              : "Nothing more is received against it; what has arrived stays in stock. Say why (the supplier is told)."
          }
          busy={action.busy}
          reason={reason}
          onReason={setReason}
          onConfirm={() => step("cancel")}
          onCancel={() => setAsking(null)}
        />
      )}
      {mayReceive && isOpen(order) && <ReceiveForm order={order} onReceived={onChanged} />}
    </section>
  );
}

/** What arrived, line by line: a receipt movement each, all in one go. */
function ReceiveForm({
  order,
  onReceived,
}: {
  order: PurchaseOrder;
  onReceived: (message: string, order?: PurchaseOrder) => void;
}) {
  const [arrived, setArrived] = useState<Record<string, string>>({});
  const [reason, setReason] = useState("");
  const [day, setDay] = useState("");
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const lines: ReceivedLine[] = order.lines
      .filter((line) => (arrived[line.id] ?? "").trim() !== "")
      .map((line) => {
        const quantity = decimalText(arrived[line.id] ?? "");
        // The reason goes with the lines it explains: those that bring more than ordered.
        const over = Number(line.received) + Number(quantity) > Number(line.quantity);
        return { line_id: line.id, quantity, reason: over ? reason : "" };
      });
    let done: PurchaseOrder | undefined;
    const ok = await action.run(async () => {
      done = await ipc.purchaseOrderReceive(order.id, { lines, day: day || undefined });
    });
    if (ok && done) {
      onReceived(
        `Received ${plural(lines.length, "line")} of ${done.number} into ${done.location_code}'s stock: it is ${STATES[done.state]}.`,
        done,
      );
    }
  }

  return (
    <form className="card" onSubmit={submit} data-testid="receive-form">
      <h3>Receive what arrived</h3>
      <table>
        <thead>
          <tr>
            <th>SKU</th>
            <th className="number">Still to come</th>
            <th className="number">Arrived now</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => {
            const left = Math.max(Number(line.quantity) - Number(line.received), 0);
            return (
              <tr key={line.id}>
                <td>{line.sku}</td>
                <td className="number">{formatQuantity(String(left))}</td>
                <td className="number">
                  <input
                    className="quantity"
                    name={`received-${line.sku}`}
                    inputMode="decimal"
                    value={arrived[line.id] ?? ""}
                    onChange={(e) => setArrived({ ...arrived, [line.id]: e.target.value })}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="inline-row">
        <Field label="Arrived on (empty: today)">
          <input name="received-day" type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        </Field>
        <Field label="Why more than ordered (only if so)">
          <input name="received-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
      </div>
      <ErrorNote message={action.error} />
      <div className="form-actions">
        <button type="submit" disabled={action.busy} data-testid="receive-post">
          Post the receipt
        </button>
      </div>
    </form>
  );
}
