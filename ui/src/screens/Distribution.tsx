// Distribution: stock moved between locations. What is in transit lane by
// lane, the transfers by state, asking for stock, and one transfer's card:
// approving and shipping it (Supply Chain), receiving it with what did not
// arrive as shipped (the destination), cancelling it before it ships.
import { type FormEvent, useState } from "react";
import { Choice, ErrorNote, Field, Notice, Page, useAction, useLoad } from "../components/common";
import { CancelConfirm } from "../components/Overlay";
import { formatInstant, formatQuantity, plural } from "../format";
import {
  type ArrivedLine,
  type BranchNeed,
  ipc,
  type ReleaseLine,
  type ReplenishItem,
  type ReplenishRequest,
  type Rule,
  type SessionInfo,
  type ShippedLine,
  type Transfer,
  type TransferState,
} from "../ipc";
import { has } from "../navigation";
import { decimalText, fieldsOf, locationOptions, productOptions } from "../options";

/** What each state of a transfer is called on screen. */
export const TRANSFER_STATES: Record<TransferState, string> = {
  requested: "requested",
  approved: "approved",
  in_transit: "in transit",
  partially_received: "partly received",
  received: "received",
  closed: "closed",
  cancelled: "cancelled",
};

/** Whether a transfer still has something to do: not closed, not cancelled. */
export function isOpenTransfer(transfer: Transfer): boolean {
  return transfer.state !== "closed" && transfer.state !== "cancelled";
}

/** Whether stock is on its way under the transfer. */
export function isMoving(transfer: Transfer): boolean {
  return transfer.state === "in_transit" || transfer.state === "partially_received";
}

/** The total still in transit on a transfer. */
export function inTransit(transfer: Transfer): number {
  return transfer.lines.reduce((sum, line) => sum + Number(line.in_transit), 0);
}

export function Distribution({ session }: { session: SessionInfo }) {
  const mayDistribute = has(session.grants, "distribute");
  const mayRequest = has(session.grants, "request_transfers");
  const list = useLoad(() => ipc.transfers(null), "transfers");
  const lanes = useLoad(() => ipc.transferLanes(), "transfer-lanes");
  const [only, setOnly] = useState<TransferState | "open" | "all">("open");
  const [chosen, setChosen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const shown = (list.value ?? []).filter((transfer) =>
    only === "all" ? true : only === "open" ? isOpenTransfer(transfer) : transfer.state === only,
  );
  const changed = (message: string, transfer?: Transfer) => {
    setNotice(message);
    setRound((n) => n + 1);
    list.reload();
    lanes.reload();
    if (transfer) setChosen(transfer.id);
  };
  return (
    <Page title="Distribution">
      <p className="muted">
        {mayDistribute
          ? "Stock moving between the warehouse and the branches: approve what branches ask for, ship it (it is in transit until it arrives), and see what is on its way."
          : mayRequest
            ? "Ask the warehouse for stock, and receive it when it arrives: what did not arrive as shipped is recorded with a reason."
            : "What moves to and from your branch, and what is on its way."}
      </p>
      <Notice message={notice} />
      <h2>In transit</h2>
      <ErrorNote message={lanes.error} />
      {lanes.value && lanes.value.length === 0 && <p className="muted">Nothing is on its way.</p>}
      {(lanes.value?.length ?? 0) > 0 && (
        <table data-testid="transfer-lanes">
          <thead>
            <tr>
              <th>From</th>
              <th>To</th>
              <th className="number">Units</th>
              <th className="number">Products</th>
              <th>Transfers</th>
            </tr>
          </thead>
          <tbody>
            {lanes.value?.map((lane) => (
              <tr key={`${lane.from_location_id}/${lane.to_location_id}`}>
                <td>{lane.from_code}</td>
                <td>{lane.to_code}</td>
                <td className="number">{formatQuantity(lane.in_transit)}</td>
                <td className="number">{lane.products}</td>
                <td>{lane.transfers.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayDistribute && <Replenishment key={`replenish/${round}`} onReleased={changed} />}
      {mayRequest && <RequestForm key={`request/${round}`} session={session} onMade={changed} />}
      <h2>Transfers</h2>
      <ErrorNote message={list.error} />
      <div className="filters">
        <Field label="Show">
          <select
            name="transfer-state"
            value={only}
            onChange={(e) => setOnly(e.target.value as TransferState | "open" | "all")}
          >
            <option value="open">open (not closed or cancelled)</option>
            <option value="all">all</option>
            {Object.entries(TRANSFER_STATES).map(([state, label]) => (
              <option key={state} value={state}>
                {label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {list.value && shown.length === 0 && (
        <p className="muted" data-testid="transfers-none">
          No transfers to show.
        </p>
      )}
      {shown.length > 0 && (
        <table data-testid="transfers">
          <thead>
            <tr>
              <th>Transfer</th>
              <th>From</th>
              <th>To</th>
              <th>State</th>
              <th className="number">Lines</th>
              <th className="number">In transit</th>
              <th>Asked</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((transfer) => (
              <tr key={transfer.id} className={transfer.id === chosen ? "selected" : undefined}>
                <td>
                  <button type="button" className="link" onClick={() => setChosen(transfer.id)}>
                    {transfer.number}
                  </button>
                </td>
                <td title={transfer.from_name}>{transfer.from_code}</td>
                <td title={transfer.to_name}>{transfer.to_code}</td>
                <td data-testid="transfer-state">{TRANSFER_STATES[transfer.state]}</td>
                <td className="number">{transfer.lines.length}</td>
                <td className="number">{formatQuantity(String(inTransit(transfer)))}</td>
                <td>{transfer.events[0] ? formatInstant(transfer.events[0].at) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && (
        <TransferCard key={`${chosen}/${round}`} id={chosen} session={session} onChanged={changed} />
      )}
    </Page>
  );
}

const RULES: [Rule, string][] = [
  ["fair-share", "fair share: in proportion to each branch's need"],
  ["equal-cover", "equal cover: every branch to the same share of its target"],
  ["priority", "priority: the branches named first, then fair share"],
];

/**
 * What each branch needs from the warehouse (DRP), shared out by the chosen
 * rule where the warehouse is short, editable, released into approved
 * transfers in one step; and lateral moves worth making.
 */
function Replenishment({ onReleased }: { onReleased: (message: string) => void }) {
  const locations = useLoad(() => ipc.referenceList("location", false), "replenish-locations");
  const [rule, setRule] = useState<Rule>("fair-share");
  const [first, setFirst] = useState("");
  const [belowSafety, setBelowSafety] = useState(false);
  const [shortOnly, setShortOnly] = useState(false);
  const [edited, setEdited] = useState<Record<string, string>>({});
  const action = useAction();
  const codes = new Map(
    (locations.value ?? []).map((record) => [
      fieldsOf<{ code: string }>(record).code.toUpperCase(),
      record.id,
    ]),
  );
  const priority = first
    .split(",")
    .map((code) => codes.get(code.trim().toUpperCase()))
    .filter((id): id is string => id !== undefined);
  const request: ReplenishRequest = { rule, priority, below_safety: belowSafety };
  const proposal = useLoad(() => ipc.replenishBranches(request), `replenish/${JSON.stringify(request)}`);
  const moves = useLoad(() => ipc.rebalance(), "rebalance");
  const all = proposal.value?.items ?? [];
  // What is shown is what a release releases.
  const items = shortOnly ? all.filter((item) => item.short) : all;
  const key = (item: ReplenishItem, branch: BranchNeed) => `${item.product_id}/${branch.location_id}`;
  const quantity = (item: ReplenishItem, branch: BranchNeed) => edited[key(item, branch)] ?? branch.allocated;

  async function release() {
    const lines: ReleaseLine[] = items.flatMap((item) =>
      item.branches.map((branch) => ({
        location_id: branch.location_id,
        product_id: item.product_id,
        quantity: decimalText(quantity(item, branch)) || "0",
      })),
    );
    let made: Transfer[] = [];
    if (await action.run(async () => (made = await ipc.replenishRelease(lines)))) {
      setEdited({});
      onReleased(
        `Released ${plural(made.length, "transfer")}, approved: ${made.map((transfer) => `${transfer.number} to ${transfer.to_code}`).join(", ")}. Ship each when it is picked.`,
      );
    }
  }

  return (
    <section className="card" data-testid="replenishment">
      <h2>What the branches need</h2>
      <p className="muted">
        {proposal.value
          ? `From ${proposal.value.warehouse_code}: each branch's forecast demand over ${proposal.value.lead_time_days} days to the branch and ${proposal.value.review_days} days between deliveries, plus its safety stock, less what it holds and has coming, in whole packs.`
          : ""}
      </p>
      <div className="inline-row">
        <Field label="When the warehouse is short">
          <select name="replenish-rule" value={rule} onChange={(e) => setRule(e.target.value as Rule)}>
            {RULES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        {rule === "priority" && (
          <Field label="Branches first (codes, in order)">
            <input name="replenish-priority" value={first} onChange={(e) => setFirst(e.target.value)} />
          </Field>
        )}
        <label className="hint">
          <input type="checkbox" checked={belowSafety} onChange={(e) => setBelowSafety(e.target.checked)} />{" "}
          Share out the warehouse's safety stock too
        </label>
        <label className="hint">
          <input
            type="checkbox"
            name="replenish-short-only"
            checked={shortOnly}
            onChange={(e) => setShortOnly(e.target.checked)}
          />{" "}
          Only what the warehouse is short of ({all.filter((item) => item.short).length} of {all.length})
        </label>
      </div>
      <ErrorNote message={proposal.error ?? action.error} />
      {proposal.value && all.length === 0 && <p className="muted">No branch needs anything now.</p>}
      {shortOnly && all.length > 0 && items.length === 0 && (
        <p className="muted">The warehouse has enough of everything the branches need.</p>
      )}
      {items.length > 0 && (
        <table data-testid="replenish-grid">
          <thead>
            <tr>
              <th>SKU</th>
              <th className="number">Warehouse can give</th>
              <th>Branch</th>
              <th className="number">Target</th>
              <th className="number">Has and coming</th>
              <th className="number">Needs</th>
              <th className="number">Gets</th>
              <th className="number">Cover after</th>
            </tr>
          </thead>
          <tbody>
            {items.flatMap((item) =>
              item.branches.map((branch, at) => (
                <tr key={key(item, branch)} className={item.short ? "short" : undefined}>
                  <td title={item.product_name}>{at === 0 ? item.sku : ""}</td>
                  <td className="number" data-testid={at === 0 ? "replenish-available" : undefined}>
                    {at === 0 ? `${formatQuantity(item.available)}${item.short ? " (short)" : ""}` : ""}
                  </td>
                  <td>{branch.location_code}</td>
                  <td className="number">{formatQuantity(branch.target)}</td>
                  <td className="number">{formatQuantity(branch.position)}</td>
                  <td className="number">{formatQuantity(branch.need)}</td>
                  <td className="number">
                    <input
                      className="quantity"
                      name={`gets-${item.sku}-${branch.location_code}`}
                      inputMode="decimal"
                      value={quantity(item, branch)}
                      onChange={(e) => setEdited({ ...edited, [key(item, branch)]: e.target.value })}
                    />
                  </td>
                  <td className="number">
                    {branch.cover_after === null ? "" : `${branch.cover_after} months`}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      {items.length > 0 && (
        <div className="form-actions">
          <button type="button" disabled={action.busy} data-testid="replenish-release" onClick={release}>
            {shortOnly ? "Release these into transfers" : "Release into transfers"}
          </button>
        </div>
      )}
      {(moves.value?.length ?? 0) > 0 && (
        <>
          <h3>Move between branches</h3>
          <table data-testid="rebalance">
            <thead>
              <tr>
                <th>SKU</th>
                <th>From</th>
                <th className="number">Cover there</th>
                <th>To</th>
                <th className="number">Runs out in</th>
                <th className="number">Move</th>
              </tr>
            </thead>
            <tbody>
              {moves.value?.map((move) => (
                <tr key={`${move.product_id}/${move.from_location_id}/${move.to_location_id}`}>
                  <td title={move.product_name}>{move.sku}</td>
                  <td>{move.from_code}</td>
                  <td className="number">{move.from_cover} months</td>
                  <td>{move.to_code}</td>
                  <td className="number">{move.to_runs_out_in_days} days</td>
                  <td className="number">{formatQuantity(move.quantity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** Asking for stock: from where, to where (a branch manager's own branch), and what. */
function RequestForm({
  session,
  onMade,
}: {
  session: SessionInfo;
  onMade: (message: string, transfer?: Transfer) => void;
}) {
  const locations = useLoad(() => ipc.referenceList("location", false), "transfer-locations");
  const products = useLoad(() => ipc.referenceList("product", false), "transfer-products");
  const own = session.actor.location_id ?? "";
  const [from, setFrom] = useState("");
  const [to, setTo] = useState(own);
  const [lines, setLines] = useState<{ product: string; quantity: string }[]>([
    { product: "", quantity: "" },
  ]);
  const [note, setNote] = useState("");
  const action = useAction();
  const places = locationOptions(locations.value ?? []);
  const choices = productOptions(products.value ?? []);
  const setLine = (at: number, change: Partial<{ product: string; quantity: string }>) =>
    setLines(lines.map((line, index) => (index === at ? { ...line, ...change } : line)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    let made: Transfer | undefined;
    const ok = await action.run(async () => {
      made = await ipc.transferRequest({
        from_location_id: from,
        to_location_id: to,
        note,
        lines: lines
          .filter((line) => line.product && line.quantity.trim())
          .map((line) => ({ product_id: line.product, quantity: decimalText(line.quantity) })),
      });
    });
    if (ok && made) {
      onMade(
        `${made.number} asked: ${plural(made.lines.length, "product")} from ${made.from_code} to ${made.to_code}. Supply Chain approves it next.`,
        made,
      );
    }
  }

  return (
    <form className="card" onSubmit={submit} data-testid="transfer-request">
      <h2>Ask for stock</h2>
      <div className="inline-row">
        <Field label="From">
          <Choice name="transfer-from" value={from} options={places} onChange={setFrom} allowEmpty />
        </Field>
        <Field label="To">
          <Choice
            name="transfer-to"
            value={to}
            options={places.filter((place) => !own || place.value === own)}
            onChange={setTo}
            allowEmpty={!own}
          />
        </Field>
      </div>
      {lines.map((line, at) => (
        // The lines are edited in place and never reordered: their position is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <div className="inline-row" key={at}>
          <Field label="Product">
            <Choice
              name={`transfer-product-${at}`}
              value={line.product}
              options={choices}
              onChange={(product) => setLine(at, { product })}
              allowEmpty
            />
          </Field>
          <Field label="Quantity">
            <input
              className="quantity"
              name={`transfer-quantity-${at}`}
              inputMode="decimal"
              value={line.quantity}
              onChange={(e) => setLine(at, { quantity: e.target.value })}
            />
          </Field>
        </div>
      ))}
      <div className="form-actions">
        <button
          type="button"
          className="secondary"
          onClick={() => setLines([...lines, { product: "", quantity: "" }])}
        >
          Another product
        </button>
      </div>
      <Field label="Note (optional)">
        <input name="transfer-note" value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <ErrorNote message={action.error} />
      <div className="form-actions">
        <button type="submit" disabled={action.busy} data-testid="transfer-ask">
          Ask for it
        </button>
      </div>
    </form>
  );
}

/** One transfer: its lines, who took each step, and the steps the user may take now. */
function TransferCard({
  id,
  session,
  onChanged,
}: {
  id: string;
  session: SessionInfo;
  onChanged: (message: string, transfer?: Transfer) => void;
}) {
  const loaded = useLoad(() => ipc.transfer(id), `transfer/${id}`);
  const [asking, setAsking] = useState<"approve" | "ship" | "cancel" | null>(null);
  const [reason, setReason] = useState("");
  const [shipping, setShipping] = useState<Record<string, string>>({});
  const action = useAction();
  const transfer = loaded.value;
  if (!transfer) return <ErrorNote message={loaded.error} />;
  const own = session.actor.location_id;
  const mayDistribute = has(session.grants, "distribute");
  const mayAskHere = has(session.grants, "request_transfers") && (!own || own === transfer.to_location_id);
  const mayReceive = has(session.grants, "post_stock") && (!own || own === transfer.to_location_id);
  const mayCancel =
    (transfer.state === "requested" && (mayDistribute || mayAskHere)) ||
    (transfer.state === "approved" && mayDistribute);

  async function step(which: "approve" | "ship" | "cancel") {
    let done: Transfer | undefined;
    const id = transfer?.id ?? "";
    const ok = await action.run(async () => {
      if (which === "approve") done = await ipc.transferApprove(id);
      if (which === "cancel") done = await ipc.transferCancel(id, reason);
      if (which === "ship") {
        const lines: ShippedLine[] = (transfer?.lines ?? [])
          .filter((line) => (shipping[line.id] ?? "").trim() !== "")
          .map((line) => ({ product_id: line.product_id, quantity: decimalText(shipping[line.id] ?? "") }));
        done = await ipc.transferShip(id, lines);
      }
    });
    setAsking(null);
    if (ok && done) onChanged(`${done.number} is ${TRANSFER_STATES[done.state]}.`, done);
  }

  return (
    <section className="card" data-testid="transfer">
      <h3>
        {transfer.number} · {TRANSFER_STATES[transfer.state]}
      </h3>
      <p>
        From {transfer.from_code} {transfer.from_name} to {transfer.to_code} {transfer.to_name}.
        {transfer.note ? ` ${transfer.note}.` : ""}
        {transfer.cancel_reason ? ` Cancelled: ${transfer.cancel_reason}.` : ""}
      </p>
      <table data-testid="transfer-lines">
        <thead>
          <tr>
            <th>SKU</th>
            <th>Product</th>
            <th className="number">Quantity</th>
            <th className="number">Shipped</th>
            <th className="number">Received</th>
            <th className="number">Short</th>
            <th className="number">Damaged</th>
            <th className="number">Surplus</th>
            <th className="number">In transit</th>
            {asking === "ship" && <th className="number">Ship now</th>}
          </tr>
        </thead>
        <tbody>
          {transfer.lines.map((line) => (
            <tr key={line.id}>
              <td>{line.sku}</td>
              <td>{line.product_name}</td>
              <td className="number">
                {formatQuantity(line.quantity)} {line.unit}
              </td>
              <td className="number">{line.shipped === null ? "" : formatQuantity(line.shipped)}</td>
              <td className="number" data-testid="line-received">
                {formatQuantity(line.received)}
              </td>
              <td className="number">{formatQuantity(line.short)}</td>
              <td className="number">{formatQuantity(line.damaged)}</td>
              <td className="number">{formatQuantity(line.surplus)}</td>
              <td className="number" data-testid="line-in-transit">
                {formatQuantity(line.in_transit)}
              </td>
              {asking === "ship" && (
                <td className="number">
                  <input
                    className="quantity"
                    name={`ship-${line.sku}`}
                    inputMode="decimal"
                    placeholder={formatQuantity(line.quantity)}
                    value={shipping[line.id] ?? ""}
                    onChange={(e) => setShipping({ ...shipping, [line.id]: e.target.value })}
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <ol className="events" data-testid="transfer-events">
        {transfer.events.map((event) => (
          <li key={`${event.what}/${event.at}`}>
            {event.what} by {event.by}, {formatInstant(event.at)}
          </li>
        ))}
      </ol>
      <ErrorNote message={action.error} />
      <div className="form-actions">
        {mayDistribute && transfer.state === "requested" && (
          <button type="button" data-testid="transfer-approve" onClick={() => step("approve")}>
            Approve
          </button>
        )}
        {mayDistribute && transfer.state === "approved" && asking !== "ship" && (
          <button type="button" data-testid="transfer-ship" onClick={() => setAsking("ship")}>
            Ship…
          </button>
        )}
        {asking === "ship" && (
          <>
            <button
              type="button"
              data-testid="transfer-ship-confirm"
              disabled={action.busy}
              onClick={() => step("ship")}
            >
              Ship from {transfer.from_code}
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(null)}>
              Not now
            </button>
          </>
        )}
        {mayCancel && (
          <button
            type="button"
            className="secondary"
            data-testid="transfer-cancel"
            onClick={() => setAsking("cancel")}
          >
            Cancel the transfer
          </button>
        )}
      </div>
      {asking === "ship" && (
        <p className="muted">
          Each line ships what was approved; type less where {transfer.from_code} is short (0 ships none). The
          stock leaves {transfer.from_code} now and is in transit until {transfer.to_code} receives it.
        </p>
      )}
      {asking === "cancel" && (
        <CancelConfirm
          number={transfer.number}
          what="transfer"
          about={
            transfer.state === "approved"
              ? "It was approved: say why (the branch counts on it)."
              : "The request is kept as cancelled."
          }
          busy={action.busy}
          reason={reason}
          onReason={setReason}
          onConfirm={() => step("cancel")}
          onCancel={() => setAsking(null)}
        />
      )}
      {mayReceive && isMoving(transfer) && <ReceiveTransfer transfer={transfer} onReceived={onChanged} />}
    </section>
  );
}

type Amounts = Pick<ArrivedLine, "received" | "short" | "damaged" | "surplus">;
const KINDS: [keyof Amounts, string][] = [
  ["received", "Arrived"],
  ["short", "Short"],
  ["damaged", "Damaged"],
  ["surplus", "Surplus"],
];

/** What arrived of each line, and what did not arrive as shipped (with why): all in one go. */
function ReceiveTransfer({
  transfer,
  onReceived,
}: {
  transfer: Transfer;
  onReceived: (message: string, transfer?: Transfer) => void;
}) {
  const [amounts, setAmounts] = useState<Record<string, Partial<Amounts>>>({});
  const [reason, setReason] = useState("");
  const [day, setDay] = useState("");
  const action = useAction();
  const amount = (line: string, kind: keyof Amounts) => amounts[line]?.[kind] ?? "";
  const setAmount = (line: string, kind: keyof Amounts, text: string) =>
    setAmounts({ ...amounts, [line]: { ...amounts[line], [kind]: text } });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const lines: ArrivedLine[] = transfer.lines
      .filter((line) => KINDS.some(([kind]) => amount(line.id, kind).trim() !== ""))
      .map((line) => ({
        line_id: line.id,
        received: decimalText(amount(line.id, "received")) || "0",
        short: decimalText(amount(line.id, "short")) || "0",
        damaged: decimalText(amount(line.id, "damaged")) || "0",
        surplus: decimalText(amount(line.id, "surplus")) || "0",
        reason,
      }));
    let done: Transfer | undefined;
    const ok = await action.run(async () => {
      done = await ipc.transferReceive(transfer.id, { lines, day: day || undefined });
    });
    if (ok && done) {
      onReceived(
        `Received ${plural(lines.length, "line")} of ${done.number} at ${done.to_code}: it is ${TRANSFER_STATES[done.state]}.`,
        done,
      );
    }
  }

  function everything() {
    setAmounts(Object.fromEntries(transfer.lines.map((line) => [line.id, { received: line.in_transit }])));
  }

  return (
    <form className="card" onSubmit={submit} data-testid="transfer-receive">
      <h3>Receive what arrived</h3>
      <table>
        <thead>
          <tr>
            <th>SKU</th>
            <th className="number">On its way</th>
            {KINDS.map(([kind, label]) => (
              <th key={kind} className="number">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {transfer.lines.map((line) => (
            <tr key={line.id}>
              <td>{line.sku}</td>
              <td className="number">{formatQuantity(line.in_transit)}</td>
              {KINDS.map(([kind]) => (
                <td key={kind} className="number">
                  <input
                    className="quantity"
                    name={`${kind}-${line.sku}`}
                    inputMode="decimal"
                    value={amount(line.id, kind)}
                    onChange={(e) => setAmount(line.id, kind, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="inline-row">
        <Field label="Arrived on (empty: today)">
          <input name="received-day" type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        </Field>
        <Field label="What happened (for short, damaged or surplus)">
          <input name="received-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
      </div>
      <ErrorNote message={action.error} />
      <div className="form-actions">
        <button type="button" className="secondary" data-testid="receive-everything" onClick={everything}>
          Everything arrived
        </button>
        <button type="submit" disabled={action.busy} data-testid="transfer-receive-post">
          Post the receipt
        </button>
      </div>
    </form>
  );
}
