// Issue #14, first part, end to end in the real app: Supply Chain goes from
// its home to the Inventory screen with the demo's stock, opens an item's movements and
// counts it; a branch manager sees and counts only her branch, and a sale she
// records takes its quantity out of her branch's stock; sven keeps the suppliers,
// reads a policy's breakdown and overrides it with a reason, and meets the
// demo's alerts in the alert centre.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchApp } from "./webdriver.mjs";

const PASSWORD = "salesplan-demo";
let app;
let s;

before(async () => {
  app = await launchApp("inventory");
  s = app.session;
});

after(async () => {
  await app?.stop();
});

/** The on-hand of a location's item, as the stock table shows it (after the filter). */
async function onHand(location, sku) {
  const rows = await s.rows('[data-testid="stock-table"]');
  const row = rows.find((cells) => cells[0] === location && cells[1] === sku);
  return row ? Number(row[4].replace(/[^\d-]/g, "")) : null;
}

test("sven starts on his home's stock alerts, sees the warehouse's soap move and counts it", async () => {
  await s.signIn("sven", PASSWORD);
  // Supply Chain's home opens on its work: the stock alerts first.
  await s.find('[data-testid="widget-stock"] [data-testid="home-stock-unread"]');
  assert.equal(await s.text(".page h1"), "Home");
  await s.open("inventory");
  await s.find('[data-testid="stock-table"]');
  await s.type('input[name="stock-filter"]', "HOU-020");
  const before = await s.until(() => onHand("WH-1", "HOU-020"), "the warehouse's soap");
  const branches = (await s.rows('[data-testid="stock-table"]')).map((cells) => cells[0]);
  assert.deepEqual(branches.sort(), ["BR-C", "BR-E", "BR-N", "BR-S", "BR-W", "WH-1"]);
  await s.screenshot("inventory-sven");

  await s.click('[data-testid="stock-table"] tbody tr:last-child button.link');
  const heading = await s.until(async () => s.text('[data-testid="stock-movements"] h2'), "the movements");
  assert.match(heading, /^HOU-020 Dish Soap 750ml at WH-1 Central Warehouse: /);
  const kinds = new Set((await s.rows('[data-testid="stock-movements"] table')).map((cells) => cells[1]));
  for (const kind of ["receipt", "transfer out", "count"]) assert.ok(kinds.has(kind), `${kind} in ${[...kinds]}`);

  // A count: the location and product are those chosen; the stock becomes what was found.
  await s.type('[data-testid="stock-entry"] input[name="quantity"]', String(before + 7));
  await s.type('[data-testid="stock-entry"] input[name="reason"]', "Found a pallet behind the racks");
  await s.click('[data-testid="stock-entry"] button[type="submit"]');
  const notice = await s.until(async () => s.text('[data-testid="notice"]'), "the count's notice");
  assert.match(notice, /^Count of HOU-020 Dish Soap 750ml at Central Warehouse recorded: .* found \(\+7 against the books\)\.$/);
  await s.until(async () => (await onHand("WH-1", "HOU-020")) === before + 7, "the new on-hand");
  const [latest] = await s.rows('[data-testid="stock-movements"] table');
  assert.deepEqual([latest[1], latest[2], latest[4]], ["count", "+7", "Found a pallet behind the racks"]);

  // An adjustment without a reason is refused, saying what is missing.
  await s.choose('[data-testid="stock-entry"] select[name="kind"]', "adjustment");
  await s.type('[data-testid="stock-entry"] input[name="quantity"]', "-2");
  await s.click('[data-testid="stock-entry"] button[type="submit"]');
  const refused = await s.until(async () => s.text('[data-testid="stock-entry"] [data-testid="error"]'), "the refusal");
  assert.match(refused, /^reason: say why the stock is adjusted/);
  await s.screenshot("inventory-count");
  await s.signOut();
});

/** The table's row of an item: its cells. */
async function rowOf(location, sku) {
  const rows = await s.rows('[data-testid="stock-table"]');
  return rows.find((cells) => cells[0] === location && cells[1] === sku) ?? null;
}

test("sven reads how a reorder point was worked out and overrides it, saying why", async () => {
  await s.signIn("sven", PASSWORD);
  await s.open("inventory");
  await s.find('[data-testid="stock-table"]');
  await s.type('input[name="stock-filter"]', "FRZ-010");
  const row = await s.until(() => rowOf("WH-1", "FRZ-010"), "the warehouse's peas");
  const [, , , abc, onHandNow, inTransit, onOrder, available, value, reorderPoint, orderQuantity] = row;
  assert.equal(inTransit, "", "nothing on its way to the warehouse");
  assert.equal(onOrder, "", "nothing on order");
  assert.equal(available, onHandNow.replace(/\s.*$/, ""), "available is what is on hand");
  assert.match(value, /^[\d.,]+$/, `the stock's value at cost: ${value}`);
  assert.match(abc, /^[ABC]$/);
  assert.ok(Number(reorderPoint.replace(/[^\d]/g, "")) > 0, `reorder point ${reorderPoint}`);
  assert.ok(Number(orderQuantity.replace(/[^\d]/g, "")) > 0, `order quantity ${orderQuantity}`);

  const buttons = await s.rows('[data-testid="stock-table"]');
  const at = buttons.findIndex((cells) => cells[0] === "WH-1" && cells[1] === "FRZ-010");
  await s.click(`[data-testid="stock-table"] tbody tr:nth-child(${at + 1}) button.link`);
  const heading = await s.until(async () => s.text('[data-testid="stock-policy"] h2'), "the policy");
  assert.match(heading, /^Policy of FRZ-010 at WH-1: order .* when stock falls to /);
  assert.match(await s.text('[data-testid="policy-demand"]'), /what the branches it supplies need/);
  assert.match(await s.text('[data-testid="policy-sigma"]'), /its branches' σ combined/);
  await s.execute(
    `document.querySelector('[data-testid="stock-policy"]').scrollIntoView(); arguments[arguments.length - 1]();`,
  );
  await s.screenshot("inventory-policy");

  // An override needs its reason; with one, the table shows the new reorder point, marked.
  await s.type('[data-testid="policy-override-form"] input[name="override-reorder-point"]', "999");
  await s.click('[data-testid="policy-override-form"] button[type="submit"]');
  const refused = await s.until(
    async () => s.text('[data-testid="policy-override-form"] [data-testid="error"]'),
    "the refusal",
  );
  assert.match(refused, /^reason: is required/);
  await s.type('[data-testid="policy-override-form"] input[name="override-reason"]', "Summer barbecue promotion");
  await s.click('[data-testid="policy-override-form"] button[type="submit"]');
  await s.until(async () => (await rowOf("WH-1", "FRZ-010"))?.[9] === "999 *", "the overridden reorder point");
  assert.match(await s.text('[data-testid="policy-override"]'), /^Overridden by sven: Summer barbecue promotion$/);
  await s.screenshot("inventory-policy-override");

  await s.click('[data-testid="policy-override-form"] button.secondary');
  await s.until(async () => (await rowOf("WH-1", "FRZ-010"))?.[9] === reorderPoint, "the computed policy again");
  await s.signOut();
});

test("sven meets the demo's alerts, opens one's item and marks it read", async () => {
  await s.signIn("sven", PASSWORD);
  const badge = Number(await s.until(async () => s.text('[data-testid="alert-badge"]'), "the alert badge"));
  assert.ok(badge >= 4, `a few alerts at once: ${badge}`);
  await s.open("alerts");
  const rows = await s.until(async () => {
    const found = await s.rows('[data-testid="stock-alerts"]');
    return found.length ? found : null;
  }, "the stock alerts");
  const kinds = new Set(rows.map((cells) => cells[0]));
  for (const kind of ["At or below its reorder point", "Runs out within its lead time", "Overstocked", "Dead stock"]) {
    assert.ok(kinds.has(kind), `${kind} in ${[...kinds]}`);
  }
  await s.screenshot("alerts-sven");

  // Mark the first read: the badge counts one less.
  await s.click('[data-testid="stock-alerts"] tbody tr:first-child [data-testid="alert-read"]');
  await s.until(async () => Number(await s.text('[data-testid="alert-badge"]')) === badge - 1, "one less unread");

  // Open a below-reorder-point item: the inventory screen shows its policy and projected stock.
  const now = await s.rows('[data-testid="stock-alerts"]');
  const below = now.findIndex((cells) => cells[0] === "At or below its reorder point");
  const [, location, item] = now[below];
  const sku = item.split(" ")[0];
  await s.click(`[data-testid="stock-alerts"] tbody tr:nth-child(${below + 1}) button.link`);
  const heading = await s.until(async () => s.text('[data-testid="stock-policy"] h2'), "the item's policy");
  assert.ok(heading.startsWith(`Policy of ${sku} at ${location}:`), heading);
  const projected = await s.until(async () => s.text('[data-testid="stock-projection"] h3'), "the projection");
  assert.match(projected, /^Projected stock: runs out around /);
  await s.execute(
    `document.querySelector('[data-testid="stock-projection"]').scrollIntoView(); arguments[arguments.length - 1]();`,
  );
  await s.screenshot("alerts-open-item");
  await s.signOut();
});

test("bella sees and counts the stock of her branch only", async () => {
  await s.signIn("bella", PASSWORD);
  await s.open("inventory");
  await s.find('[data-testid="stock-table"] tbody tr');
  const locations = new Set((await s.rows('[data-testid="stock-table"]')).map((cells) => cells[0]));
  assert.deepEqual([...locations], ["BR-N"]);
  const offered = await s.execute(
    `const done = arguments[arguments.length - 1];
     done([...document.querySelectorAll('[data-testid="stock-entry"] select[name="location"] option')].map((o) => o.textContent).filter(Boolean));`,
  );
  assert.deepEqual(offered, ["North Branch"]);
  await s.screenshot("inventory-bella");
  await s.signOut();
});

test("a sale bella records takes its quantity out of her branch's stock", async () => {
  await s.signIn("bella", PASSWORD);
  await s.open("inventory");
  await s.type('input[name="stock-filter"]', "HOU-020");
  const before = await s.until(() => onHand("BR-N", "HOU-020"), "the branch's soap");
  await s.open("overview");
  await s.click('[data-testid="sale-new"]');
  await s.choose('[data-testid="sale-form"] select[name="product"]', "HOU-020");
  await s.type('[data-testid="sale-form"] input[name="quantity"]', "5");
  await s.click('[data-testid="sale-save"]');
  const notice = await s.until(async () => s.text('[data-testid="notice"]'), "the sale's notice");
  assert.match(notice, /^Sale recorded: .* 5 taken out of the branch's stock\.$/);
  await s.open("inventory");
  await s.type('input[name="stock-filter"]', "HOU-020");
  await s.until(async () => (await onHand("BR-N", "HOU-020")) === before - 5, "the on-hand less the sale");
  await s.click('[data-testid="stock-table"] tbody tr:last-child button.link');
  await s.until(async () => s.text('[data-testid="stock-movements"] h2'), "the movements");
  const [latest] = await s.rows('[data-testid="stock-movements"] table');
  assert.deepEqual([latest[1], latest[2]], ["sale", "−5"]);
  await s.screenshot("inventory-sale");
  await s.signOut();
});

test("sven keeps the suppliers: a lead time of 0 is refused, naming it, and a new one is added", async () => {
  await s.signIn("sven", PASSWORD);
  await s.open("reference");
  await s.click('[data-testid="tab-supplier"]');
  const rows = async () => s.count('[data-testid="reference-table"] tbody tr');
  await s.until(async () => (await rows()) === 6, "the demo's six suppliers");
  await s.click('[data-testid="reference-add"]');
  const form = '[data-testid="reference-form"]';
  for (const [field, value] of [
    ["code", "SUP-ALP"],
    ["name", "Alpen Getränke AG"],
    ["currency", "CHF"],
    ["lead_time_days", "0"],
    ["lead_time_sd_days", "2.5"],
    ["order_cost", "75"],
    ["contact", "Hanna Brunner"],
  ]) {
    await s.type(`${form} input[name="${field}"]`, value);
  }
  await s.click(`${form} button[type="submit"]`);
  const refused = await s.until(async () => s.text(`${form} [data-testid="error"]`), "the refusal");
  assert.match(refused, /^lead_time_days: must be from 1 to 365/);
  await s.type(`${form} input[name="lead_time_days"]`, "9");
  await s.click(`${form} button[type="submit"]`);
  await s.until(async () => (await rows()) === 7, "the new supplier listed");
  const added = (await s.rows('[data-testid="reference-table"]')).find((cells) => cells[0] === "SUP-ALP");
  assert.deepEqual(added.slice(0, 4), ["SUP-ALP", "Alpen Getränke AG", "CHF", "9"]);
  await s.screenshot("suppliers-sven");

  // What the new supplier sells: water, primary from now on.
  await s.execute(
    `const done = arguments[arguments.length - 1];
     const row = [...document.querySelectorAll('[data-testid="reference-table"] tbody tr')]
       .find((tr) => tr.cells[0].textContent === "SUP-ALP");
     row.querySelector('[data-testid="supplier-products"]').click();
     done(true);`,
  );
  const catalogue = '[data-testid="supplier-catalogue"]';
  assert.equal(await s.until(async () => s.text(`${catalogue} h2`), "the catalogue"), "What SUP-ALP Alpen Getränke AG sells");
  const line = '[data-testid="supplier-line-form"]';
  await s.choose(`${line} select[name="product"]`, "BEV-010");
  await s.type(`${line} input[name="cost"]`, "0.38");
  await s.type(`${line} input[name="pack"]`, "0");
  await s.click(`${line} input[name="primary"]`);
  await s.click(`${line} button[type="submit"]`);
  const noPack = await s.until(async () => s.text(`${line} [data-testid="error"]`), "the empty pack refused");
  assert.match(noPack, /^pack_size: must be more than 0/);
  await s.type(`${line} input[name="pack"]`, "12");
  await s.type(`${line} input[name="min_order"]`, "24");
  await s.click(`${line} button[type="submit"]`);
  const [water] = await s.until(async () => {
    const lines = await s.rows(`${catalogue} table`);
    return lines.length === 1 && lines;
  }, "the water line");
  assert.deepEqual(water.slice(0, 8), ["BEV-010", "Sparkling Water 1L", "", "0.38", "12", "24", "9", "yes"]);
  await s.screenshot("supplier-catalogue-sven");
  await s.signOut();
});
