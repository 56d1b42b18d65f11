// Stock availability: how much of each product each location holds, for every
// role, read-only — what a salesman quotes from. On a laptop that syncs these
// are head office's levels as of the last sync (the laptop holds only some of
// the sales); a ledger that does not sync sums its own.
import { useMemo, useState } from "react";
import { ErrorNote, Field, Page, useLoad } from "../components/common";
import { formatInstant, formatQuantity } from "../format";
import { type AvailableItem, ipc } from "../ipc";
import { windowOf } from "../windowed";

/** The height of a row (one line each: `one-line-rows`), in px. */
const ROW_HEIGHT = 37;

/** The items whose location, SKU or product name holds `wanted`, in any case. */
export function matchingItems(items: AvailableItem[], wanted: string): AvailableItem[] {
  const text = wanted.trim().toLowerCase();
  if (!text) return items;
  return items.filter((item) =>
    `${item.location_code} ${item.location_name} ${item.sku} ${item.product_name}`
      .toLowerCase()
      .includes(text),
  );
}

export function Availability() {
  const available = useLoad(() => ipc.stockAvailability(), "availability");
  const [filter, setFilter] = useState("");
  const [scrollTop, setScrollTop] = useState(0);
  const value = available.value;
  const items = useMemo(() => matchingItems(value?.items ?? [], filter), [value, filter]);
  const shown = windowOf(items.length, scrollTop, window.innerHeight, ROW_HEIGHT);
  return (
    <Page title="Stock availability">
      <p className="muted" data-testid="availability-source">
        {!value
          ? ""
          : !value.from_head_office
            ? "What each location holds now: this ledger holds every sale and movement."
            : value.as_of
              ? `What each location held at head office on ${formatInstant(value.as_of)}, when this laptop last synced.`
              : "Head office's stock levels come with the first sync: open Head office and sync."}
      </p>
      <ErrorNote message={available.error} />
      <div className="filters">
        <Field label="Find">
          <input
            name="availability-filter"
            placeholder="location, SKU or product"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        </Field>
      </div>
      <div
        className="table-scroll"
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        data-testid="availability-frame"
      >
        <table data-testid="availability-table" className="one-line-rows">
          <thead>
            <tr>
              <th>Location</th>
              <th>SKU</th>
              <th>Product</th>
              <th className="number">On hand</th>
            </tr>
          </thead>
          <tbody>
            {shown.before > 0 && <tr className="spacer" style={{ height: shown.before }} />}
            {items.slice(shown.first, shown.end).map((item) => (
              <tr key={`${item.location_id}/${item.product_id}`}>
                <td title={item.location_name}>{item.location_code}</td>
                <td>{item.sku}</td>
                <td>{item.product_name}</td>
                <td className="number">
                  {formatQuantity(item.on_hand)} {item.unit}
                </td>
              </tr>
            ))}
            {shown.after > 0 && <tr className="spacer" style={{ height: shown.after }} />}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
