// The Inventory screen's table as Rust sends it (`stock_table`): locations and
// products named once, the items as columns pointing at them. The screen draws
// only the rows in view, so an item becomes a row object only when drawn.
import type { StockTable } from "./ipc";

/** One item of the table, ready to draw. */
export interface StockRow {
  location_id: string;
  location_code: string;
  location_name: string;
  product_id: string;
  sku: string;
  product_name: string;
  unit: string;
  on_hand: string;
  /** Shipped to the location and not arrived yet. */
  in_transit: string;
  on_order: string;
  available: string;
  value: string | null;
  /** The policy's ABC class; null without a policy (so are its figures). */
  class: string | null;
  reorder_point: string | null;
  order_quantity: string | null;
  overridden: boolean;
  cover: string | null;
  /** At or below the reorder point counting what is on order: time to order. */
  calls_for_order: boolean;
}

/** Entry `i` of a column; the columns are of one length and point only at listed names. */
function at<T>(column: T[], i: number | undefined): T {
  const value = i === undefined ? undefined : column[i];
  if (value === undefined)
    throw new Error(`The stock table has no entry ${i} in a column of ${column.length}.`);
  return value;
}

/** Item `i` of `table` as a row. */
export function rowOf(table: StockTable, i: number): StockRow {
  const items = table.items;
  const location = at(table.locations, items.location[i]);
  const product = at(table.products, items.product[i]);
  return {
    location_id: location.id,
    location_code: location.code,
    location_name: location.name,
    product_id: product.id,
    sku: product.sku,
    product_name: product.name,
    unit: product.unit,
    on_hand: at(items.on_hand, i),
    in_transit: at(items.in_transit, i),
    on_order: at(items.on_order, i),
    available: at(items.available, i),
    value: at(items.value, i),
    class: at(items.class, i),
    reorder_point: at(items.reorder_point, i),
    order_quantity: at(items.order_quantity, i),
    overridden: at(items.overridden, i),
    cover: at(items.cover, i),
    calls_for_order: at(items.calls_for_order, i),
  };
}

/**
 * The positions of the items whose location (code or name), SKU or product
 * name contain `wanted`, in any case, in the table's order; all when blank.
 */
export function matching(table: StockTable, wanted: string): number[] {
  const count = table.items.location.length;
  const all = Array.from({ length: count }, (_, i) => i);
  const text = wanted.trim().toLowerCase();
  if (!text) return all;
  const places = table.locations.map((place) => `${place.code} ${place.name}`.toLowerCase());
  const products = table.products.map((product) => `${product.sku} ${product.name}`.toLowerCase());
  return all.filter((i) =>
    `${at(places, table.items.location[i])} ${at(products, table.items.product[i])}`.includes(text),
  );
}
