// Inventory: on-hand stock per location and product in the user's scope (the
// sum of movements) beside each item's stock policy (class, reorder point,
// order quantity, cover), an item's movements with the stock each left and
// its policy's breakdown, and a stocktake count or an adjustment typed in place.
import { type FormEvent, useMemo, useState } from "react";
import { Choice, ErrorNote, Field, Notice, Page, useAction, useLoad } from "../components/common";
import { PolicyCard } from "../components/PolicyCard";
import { formatAmount, formatDay, formatInstant, formatQuantity } from "../format";
import { ipc, type SessionInfo, type StockReason } from "../ipc";
import { has, takeFocusedItem } from "../navigation";
import { decimalText, locationOptions, productOptions } from "../options";
import { matching, rowOf } from "../stockTable";
import { windowOf } from "../windowed";

/** The height of a row of the stock table (one line each: `one-line-rows`), in px. */
const ROW_HEIGHT = 37;

/** What each kind of movement is called on screen. */
export const REASONS: Record<StockReason, string> = {
  receipt: "receipt",
  issue: "issue",
  sale: "sale",
  transfer_in: "transfer in",
  transfer_out: "transfer out",
  adjustment: "adjustment",
  count: "count",
};

interface Item {
  location_id: string;
  product_id: string;
}

export function Inventory({ session }: { session: SessionInfo }) {
  const stock = useLoad(() => ipc.stockTable(), "stock");
  const [filter, setFilter] = useState("");
  const [item, setItem] = useState<Item | null>(takeFocusedItem);
  const [notice, setNotice] = useState<string | null>(null);
  const [entries, setEntries] = useState(0);
  const mayPost = has(session.grants, "post_stock");
  const mayEditPolicies = has(session.grants, "edit_policies");
  const recompute = useAction();
  const [scrollTop, setScrollTop] = useState(0);
  const table = stock.value;
  const rows = useMemo(() => (table ? matching(table, filter) : []), [table, filter]);
  // Ten thousand items draw as fast as forty: only the rows in view are in the page.
  // Rows for a window's height: the frame is never taller than the window, and
  // its own height is known only once its rows are drawn (reading it then drew
  // a dozen rows until something else drew the screen again).
  const shown = windowOf(rows.length, scrollTop, window.innerHeight, ROW_HEIGHT);
  const drawn = table ? rows.slice(shown.first, shown.end).map((i) => rowOf(table, i)) : [];
  const done = (message: string) => {
    setNotice(message);
    setEntries((n) => n + 1);
    stock.reload();
  };
  async function recomputePolicies() {
    let message = "";
    const ok = await recompute.run(async () => {
      const summary = await ipc.stockPoliciesRecompute();
      message = `${summary.policies} stock policies worked out again from the forecast and the suppliers' terms.`;
    });
    if (ok) done(message);
  }
  return (
    <Page title="Inventory">
      <p className="muted">
        Stock is the sum of an item's movements (receipts, sales, transfers, counts, adjustments); nothing is
        ever overwritten. Choose an item to see its movements{mayPost ? ", count it or adjust it" : ""}.
      </p>
      <Notice message={notice} />
      {mayPost && <StockEntry session={session} item={item} onChoose={setItem} onDone={done} />}
      <div className="filters">
        <Field label="Find">
          <input
            name="stock-filter"
            placeholder="location, SKU or product"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        </Field>
        {mayEditPolicies && (
          <button
            type="button"
            data-testid="policies-recompute"
            disabled={recompute.busy}
            onClick={recomputePolicies}
          >
            Work out policies again
          </button>
        )}
      </div>
      <p className="muted">
        Reorder points and order quantities come from the forecast and its measured error
        {table?.policies_computed_at ? `, worked out ${formatInstant(table.policies_computed_at)}` : ""}.
        Choose an item for its breakdown.
      </p>
      <ErrorNote message={stock.error ?? recompute.error} />
      {table?.items.location.length === 0 && (
        <p className="muted" data-testid="stock-empty">
          No stock is recorded in your scope yet.{" "}
          {mayPost ? "Record a count above, or import a stock file under Imports." : ""}
        </p>
      )}
      <div
        className="table-scroll"
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        data-testid="stock-frame"
      >
        <table data-testid="stock-table" className="one-line-rows">
          <thead>
            <tr>
              <th>Location</th>
              <th>SKU</th>
              <th>Product</th>
              <th>Class</th>
              <th className="number">On hand</th>
              <th className="number">In transit</th>
              <th className="number">On order</th>
              <th
                className="number"
                title="On hand, in transit and what open purchase orders still bring, plus transfers approved to come, less those approved to leave"
              >
                Available
              </th>
              <th className="number" title="On hand at the primary supplier's cost price">
                Value
              </th>
              <th
                className="number"
                title="Order when what is available falls to this (* a person's override). At the warehouse it counts what the branches will draw within the supplier's lead time."
              >
                Reorder at
              </th>
              <th className="number" title="How much one order brings">
                Order qty
              </th>
              <th className="number" title="Months the stock on hand lasts at the forecast's demand">
                Cover
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.before > 0 && <tr className="spacer" style={{ height: shown.before }} />}
            {drawn.map((row) => {
              const chosen = item?.location_id === row.location_id && item?.product_id === row.product_id;
              return (
                <tr key={`${row.location_id}/${row.product_id}`} className={chosen ? "selected" : undefined}>
                  <td title={row.location_name}>{row.location_code}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      title="Its movements, and count or adjust it"
                      onClick={() => setItem({ location_id: row.location_id, product_id: row.product_id })}
                    >
                      {row.sku}
                    </button>
                  </td>
                  <td>{row.product_name}</td>
                  <td>{row.class ?? ""}</td>
                  <td className="number">
                    {formatQuantity(row.on_hand)} {row.unit}
                    {row.calls_for_order && (
                      <span
                        className="tag warning"
                        title="At or below its reorder point, counting what is available: time to order"
                      >
                        reorder
                      </span>
                    )}
                  </td>
                  <td className="number" data-testid="stock-in-transit">
                    {Number(row.in_transit) > 0 ? formatQuantity(row.in_transit) : ""}
                  </td>
                  <td className="number">{Number(row.on_order) > 0 ? formatQuantity(row.on_order) : ""}</td>
                  <td className="number">{formatQuantity(row.available)}</td>
                  <td className="number">{row.value === null ? "" : formatAmount(row.value)}</td>
                  <td className="number">
                    {row.reorder_point === null ? "" : formatQuantity(row.reorder_point)}
                    {row.overridden ? " *" : ""}
                  </td>
                  <td className="number">
                    {row.order_quantity === null ? "" : formatQuantity(row.order_quantity)}
                  </td>
                  <td className="number">{row.cover ?? ""}</td>
                </tr>
              );
            })}
            {shown.after > 0 && <tr className="spacer" style={{ height: shown.after }} />}
          </tbody>
        </table>
      </div>
      {item && (
        <PolicyCard
          key={`${item.location_id}/${item.product_id}/${entries}`}
          locationId={item.location_id}
          productId={item.product_id}
          canEdit={mayEditPolicies}
          onChanged={done}
        />
      )}
      {item && <Movements item={item} entries={entries} />}
    </Page>
  );
}

/** A count or an adjustment of the chosen item (or of any item chosen here). */
function StockEntry({
  session,
  item,
  onChoose,
  onDone,
}: {
  session: SessionInfo;
  item: Item | null;
  onChoose: (item: Item) => void;
  onDone: (message: string) => void;
}) {
  const products = useLoad(() => ipc.referenceList("product", false), "stock-products");
  const locations = useLoad(() => ipc.referenceList("location", false), "stock-locations");
  const ownLocation = session.actor.location_id ?? "";
  const location = item?.location_id ?? ownLocation;
  const product = item?.product_id ?? "";
  const [kind, setKind] = useState<"count" | "adjustment">("count");
  const [quantity, setQuantity] = useState("");
  const [reason, setReason] = useState("");
  const [day, setDay] = useState("");
  const action = useAction();
  const label = (options: { value: string; label: string }[], id: string) =>
    options.find((option) => option.value === id)?.label ?? "";
  const locationChoices = locationOptions(locations.value ?? []).filter(
    (option) => !ownLocation || option.value === ownLocation,
  );
  const productChoices = productOptions(products.value ?? []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const what = `${label(productChoices, product)} at ${label(locationChoices, location)}`;
    let message = "";
    const ok = await action.run(async () => {
      if (kind === "count") {
        const moved = await ipc.stockCount({
          location_id: location,
          product_id: product,
          counted: decimalText(quantity),
          day: day || undefined,
          note: reason,
        });
        message = `Count of ${what} recorded: ${formatQuantity(decimalText(quantity))} found (${signed(moved.quantity)} against the books).`;
      } else {
        await ipc.stockAdjust({
          location_id: location,
          product_id: product,
          quantity: decimalText(quantity),
          reason,
          day: day || undefined,
        });
        message = `Adjustment of ${what} recorded: ${signed(decimalText(quantity))}.`;
      }
    });
    if (ok) {
      setQuantity("");
      setReason("");
      onDone(message);
    }
  }

  return (
    <form className="card inline-form" onSubmit={submit} data-testid="stock-entry">
      <h2>Count or adjust stock</h2>
      <div className="form-grid">
        <Field label="Location">
          <Choice
            name="location"
            value={location}
            options={locationChoices}
            onChange={(id) => onChoose({ location_id: id, product_id: product })}
            allowEmpty={!ownLocation}
          />
        </Field>
        <Field label="Product">
          <Choice
            name="product"
            value={product}
            options={productChoices}
            onChange={(id) => onChoose({ location_id: location, product_id: id })}
            allowEmpty
          />
        </Field>
        <Field label="What">
          <select
            name="kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as "count" | "adjustment")}
          >
            <option value="count">count (how many there are)</option>
            <option value="adjustment">adjustment (+/−, with why)</option>
          </select>
        </Field>
        <Field label={kind === "count" ? "Counted" : "Quantity (+/−)"}>
          <input
            name="quantity"
            inputMode="decimal"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
        </Field>
        <Field label={kind === "count" ? "Note (optional)" : "Why"}>
          <input
            name="reason"
            placeholder={kind === "count" ? "" : "damaged, lost, found…"}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
        <Field label="Day (default today)">
          <input type="date" name="day" value={day} onChange={(e) => setDay(e.target.value)} />
        </Field>
      </div>
      <ErrorNote message={action.error} />
      <button type="submit" disabled={action.busy || !location || !product || !quantity.trim()}>
        Record {kind}
      </button>
    </form>
  );
}

/** "+3", "−2": a movement as it changes the stock. */
function signed(quantity: string): string {
  return quantity.startsWith("-") ? `−${formatQuantity(quantity.slice(1))}` : `+${formatQuantity(quantity)}`;
}

/** The chosen item's movements, newest first; read again after each entry (`entries` counts them). */
function Movements({ item, entries }: { item: Item; entries: number }) {
  const history = useLoad(
    () => ipc.stockMovements(item.location_id, item.product_id),
    `${item.location_id}/${item.product_id}/${entries}`,
  );
  const value = history.value;
  return (
    <section className="card" data-testid="stock-movements">
      <ErrorNote message={history.error} />
      {value && (
        <>
          <h2>
            {value.product} at {value.location}: {formatQuantity(value.on_hand)} {value.unit} on hand
          </h2>
          {value.movements.length === 0 && <p className="muted">No movement recorded for this item yet.</p>}
          <table>
            <thead>
              <tr>
                <th>Day</th>
                <th>What</th>
                <th className="number">Quantity</th>
                <th className="number">Stock after</th>
                <th>Note</th>
                <th>Recorded</th>
              </tr>
            </thead>
            <tbody>
              {[...value.movements].reverse().map((line) => (
                <tr key={line.movement.id}>
                  <td>{formatDay(line.movement.moved_on)}</td>
                  <td>{REASONS[line.movement.reason]}</td>
                  <td className="number">{signed(line.movement.quantity)}</td>
                  <td className="number">{formatQuantity(line.balance)}</td>
                  <td>{line.movement.note}</td>
                  <td className="muted">
                    {formatInstant(line.movement.created_at)}
                    {line.recorded_by ? ` by ${line.recorded_by}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
