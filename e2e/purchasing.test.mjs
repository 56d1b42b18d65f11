// Issue #14, purchasing end to end in the real app: sven meets the demo's
// alerts, makes a purchase order from the replenishment proposal, sends it and
// exports it for the supplier; bella receives part of it at her branch, and
// her on-hand and her alerts change.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { launchApp } from "./webdriver.mjs";

const PASSWORD = "salesplan-demo";
let app;
let s;

before(async () => {
  app = await launchApp("purchasing");
  s = app.session;
});

after(async () => {
  await app?.stop();
});

/** The number on an element. */
async function number(css) {
  return Number((await s.text(css)).replace(/[^\d.-]/g, ""));
}

/** Whether nothing on screen matches `css`. */
async function absent(css) {
  return (await s.findAll(css)).length === 0;
}

/** The on-hand of an item on the inventory screen (filtered to its SKU). */
async function onHand(location, sku) {
  await s.open("inventory");
  await s.type('input[name="stock-filter"]', sku);
  return s.until(async () => {
    const row = (await s.rows('[data-testid="stock-table"]')).find(
      (cells) => cells[0] === location && cells[1] === sku,
    );
    return row ? Number(row[4].replace(/[^\d-]/g, "")) : null;
  }, `${sku} at ${location}`);
}

let ordered;

test("sven orders what the proposal says for the water-damaged branch, sends it and exports it", async () => {
  await s.signIn("sven", PASSWORD);
  const badge = await s.until(() => number('[data-testid="alert-badge"]'), "the alert badge");
  assert.ok(badge >= 4, `sven meets alerts: ${badge}`);
  await s.open("purchasing");
  const group = await s.until(async () => {
    const headings = await s.execute(
      `arguments[arguments.length - 1]([...document.querySelectorAll('[data-testid="proposal-group"] h3')].map((h) => h.textContent));`,
    );
    const at = headings.findIndex((text) => text.includes("→ BR-N"));
    return at >= 0 ? at + 1 : null;
  }, "a proposal for North Branch");
  const card = `[data-testid="proposal-group"]:nth-of-type(${group})`;
  const lines = await s.rows(`${card} table`);
  assert.ok(lines.length >= 1, "lines to order");
  for (const cells of lines) {
    const [onHandNow, onOrder, transfers, reorderPoint] = [cells[2], cells[3], cells[4], cells[5]].map((text) =>
      Number(text.replace(/[^\d-]/g, "")),
    );
    assert.ok(
      onHandNow + onOrder + transfers <= reorderPoint,
      `${cells[0]} is at or below its reorder point, counting what transfers bring`,
    );
  }
  await s.screenshot("proposal");
  ordered = lines[0][0];
  await s.click(`${card} [data-testid="proposal-make"]`);
  const notice = await s.until(async () => s.text('[data-testid="notice"]'), "the draft's notice");
  assert.match(notice, /^PO-\d{8}-[0-9A-F]{4}: a draft to .*\. Check it, then send it\.$/);
  await s.until(async () => (await s.text('[data-testid="purchase-order"] h3'))?.endsWith("· draft"), "the draft");

  await s.click('[data-testid="order-send"]');
  await s.find('[data-testid="confirm"]');
  await s.screenshot("order-send-confirm");
  await s.click('[data-testid="confirm"] button:not(.secondary)');
  await s.until(async () => (await s.text('[data-testid="purchase-order"] h3'))?.endsWith("· sent"), "sent");
  // What is on order no longer needs ordering.
  const still = await s.execute(
    `arguments[arguments.length - 1]([...document.querySelectorAll('[data-testid="proposal-group"] h3')].map((h) => h.textContent));`,
  );
  assert.ok(!still.some((text) => text.includes("→ BR-N")), `${still}`);

  await s.click('[data-testid="order-export-csv"]');
  const saved = await s.until(
    async () => (await s.text('[data-testid="purchase-order"] .export-buttons .notice'))?.match(/^Saved to (.+)$/),
    "the order's file",
  );
  const csv = readFileSync(saved[1], "utf8");
  assert.match(csv.split("\n")[0], /^Order,Supplier,Deliver to,Your article,Our SKU,Product,Quantity/);
  assert.ok(csv.includes(`,${ordered},`), `the file orders ${ordered}`);
  await s.screenshot("order-sent");
  await s.signOut();
});

test("bella receives part of the order at her branch: her stock rises and her alerts change", async () => {
  await s.signIn("bella", PASSWORD);
  const badge = await s.until(() => number('[data-testid="alert-badge"]'), "her alert badge");
  const before = await onHand("BR-N", ordered);
  await s.open("purchasing");
  const orders = await s.until(async () => {
    const rows = await s.rows('[data-testid="orders"]');
    return rows.length ? rows : null;
  }, "the orders for her branch");
  assert.ok(orders.every((cells) => cells[2] === "BR-N"), "only her branch's orders");
  assert.ok(await absent('[data-testid="proposal"]'), "a branch manager is not offered ordering");
  await s.click('[data-testid="orders"] tbody tr:first-child button.link');
  await s.find('[data-testid="receive-form"]');
  assert.ok(await absent('[data-testid="order-send"], [data-testid="order-cancel"]'), "she neither sends nor cancels");

  // More than the tolerance without a reason is refused, naming the line.
  await s.type(`[data-testid="receive-form"] input[name="received-${ordered}"]`, "100000");
  await s.click('[data-testid="receive-post"]');
  const refused = await s.until(async () => s.text('[data-testid="receive-form"] [data-testid="error"]'), "the refusal");
  assert.match(refused, /^lines\[0\]\.quantity: PO-.* confirm with a reason$/);

  await s.type(`[data-testid="receive-form"] input[name="received-${ordered}"]`, "100");
  await s.click('[data-testid="receive-post"]');
  const notice = await s.until(async () => s.text('[data-testid="notice"]'), "the receipt's notice");
  assert.match(notice, /^Received 1 line of PO-.* into BR-N's stock: it is partly received\.$/);
  assert.equal((await s.rows('[data-testid="orders"]'))[0][3], "partly received");
  await s.screenshot("order-received-part");

  assert.equal(await onHand("BR-N", ordered), before + 100, "the receipt is in her stock");
  const now = await s.until(() => number('[data-testid="alert-badge"]'), "her alert badge now");
  assert.ok(now < badge, `fewer alerts once the goods are in: ${badge} → ${now}`);
  await s.signOut();
});
