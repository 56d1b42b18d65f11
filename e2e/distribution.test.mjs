// Issue #15, distribution end to end in the real app: bella asks the
// warehouse for water; sven approves and ships it (in transit on both
// screens); bella receives it two short with the reason; the stock of both
// locations and bella's alert change.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchApp } from "./webdriver.mjs";

const PASSWORD = "salesplan-demo";
const SKU = "BEV-010";
let app;
let s;

before(async () => {
  app = await launchApp("distribution");
  s = app.session;
});

after(async () => {
  await app?.stop();
});

/** An item's row on the inventory screen: [on hand, in transit] as numbers. */
async function stock(location) {
  await s.open("inventory");
  await s.type('input[name="stock-filter"]', SKU);
  return s.until(async () => {
    const row = (await s.rows('[data-testid="stock-table"]')).find(
      (cells) => cells[0] === location && cells[1] === SKU,
    );
    const number = (text) => Number(text.replace(/[^\d-]/g, "") || "0");
    return row ? [number(row[4]), number(row[5])] : null;
  }, `${SKU} at ${location}`);
}

/** What the alerts screen says of the water at bella's branch. */
async function waterAlerts() {
  await s.open("alerts");
  await s.until(async () => (await s.count('[data-testid="stock-alerts"], [data-testid="alerts-none"]')) > 0, "alerts");
  const rows = await s.rows('[data-testid="stock-alerts"]');
  return rows.filter((cells) => cells[1] === "BR-N" && cells[2].startsWith(SKU)).map((cells) => cells.join(" | "));
}

let number;
let earlier = { north: [0, 0], alerts: [] };

test("bella asks the warehouse for water for her branch", async () => {
  await s.signIn("bella", PASSWORD);
  earlier = { north: await stock("BR-N"), alerts: await waterAlerts() };
  await s.open("distribution");
  await s.find('[data-testid="transfer-request"]');
  await s.choose('select[name="transfer-from"]', "Central Warehouse");
  await s.choose('select[name="transfer-product-0"]', SKU);
  await s.type('input[name="transfer-quantity-0"]', "24");
  await s.type('input[name="transfer-note"]', "water damage");
  await s.screenshot("bella-asks");
  await s.click('[data-testid="transfer-ask"]');
  const notice = await s.until(async () => s.text('[data-testid="notice"]'), "the request's notice");
  assert.match(notice, /^TR-\d{8}-[0-9A-F]{4} asked: 1 product from WH-1 to BR-N\. Supply Chain approves it next\.$/);
  number = notice.split(" ")[0];
  await s.until(async () => (await s.text('[data-testid="transfer"] h3'))?.endsWith("· requested"), "requested");
  // Hers to ask, not to approve.
  assert.equal(await s.count('[data-testid="transfer-approve"]'), 0);
  await s.screenshot("bella-requested");
  await s.signOut();
});

let warehouseBefore;

test("sven approves and ships it: it leaves the warehouse and is in transit", async () => {
  await s.signIn("sven", PASSWORD);
  [warehouseBefore] = await stock("WH-1");
  await s.open("distribution");
  const row = await s.until(async () => {
    const rows = await s.rows('[data-testid="transfers"]');
    return rows.find((cells) => cells[0] === number);
  }, "bella's request in the list");
  assert.deepEqual(row.slice(1, 4), ["WH-1", "BR-N", "requested"]);
  await s.execute(
    `const [number, done] = arguments; [...document.querySelectorAll('[data-testid="transfers"] button.link')].find((b) => b.textContent === number).click(); done(true);`,
    [number],
  );
  await s.click('[data-testid="transfer-approve"]');
  await s.until(async () => (await s.text('[data-testid="transfer"] h3'))?.endsWith("· approved"), "approved");
  await s.click('[data-testid="transfer-ship"]');
  await s.screenshot("sven-ships");
  await s.click('[data-testid="transfer-ship-confirm"]');
  await s.until(async () => (await s.text('[data-testid="transfer"] h3'))?.endsWith("· in transit"), "in transit");
  const lanes = await s.until(async () => s.rows('[data-testid="transfer-lanes"]'), "the lanes");
  const lane = lanes.find((cells) => cells[0] === "WH-1" && cells[1] === "BR-N");
  assert.ok(lane?.[4].includes(number), `the lane carries ${number}: ${JSON.stringify(lanes)}`);
  await s.screenshot("sven-in-transit");
  const [warehouseAfter] = await stock("WH-1");
  assert.equal(warehouseAfter, warehouseBefore - 24, "24 left the warehouse");
  const [northOnHand, northComing] = await stock("BR-N");
  assert.equal(northOnHand, earlier.north[0], "nothing arrived yet");
  assert.equal(northComing, earlier.north[1] + 24, "24 more on their way to BR-N");
  await s.screenshot("sven-inventory-in-transit");
  await s.signOut();
});

test("bella receives it two short with the reason; her stock and her alert change", async () => {
  await s.signIn("bella", PASSWORD);
  const [, coming] = await stock("BR-N");
  assert.equal(coming, earlier.north[1] + 24, "in transit on her screen too");
  await s.open("distribution");
  await s.execute(
    `const [number, done] = arguments; const find = () => [...document.querySelectorAll('[data-testid="transfers"] button.link')].find((b) => b.textContent === number); const wait = () => find() ? (find().click(), done(true)) : setTimeout(wait, 50); wait();`,
    [number],
  );
  await s.find('[data-testid="transfer-receive"]');
  // Below the card: brought into view as a user scrolls to it.
  await s.click(`input[name="received-${SKU}"]`);
  await s.type(`input[name="received-${SKU}"]`, "22");
  await s.type(`input[name="short-${SKU}"]`, "2");
  await s.click('[data-testid="transfer-receive-post"]');
  // Without the reason: refused, and said where.
  const refused = await s.until(async () => s.text('[data-testid="transfer-receive"] [data-testid="error"]'), "the refusal");
  assert.match(refused, /reason/);
  await s.type('input[name="received-reason"]', "two cases missing from the pallet");
  await s.screenshot("bella-receives");
  await s.click('[data-testid="transfer-receive-post"]');
  await s.until(async () => (await s.text('[data-testid="transfer"] h3'))?.endsWith("· closed"), "closed");
  const lines = await s.rows('[data-testid="transfer-lines"]');
  assert.deepEqual(
    lines[0].slice(3, 9).map((text) => Number(text.replace(/[^\d]/g, "") || "0")),
    [24, 22, 2, 0, 0, 0],
    "shipped 24, received 22, 2 short, nothing in transit",
  );
  const events = await s.text('[data-testid="transfer-events"]');
  assert.match(events, /requested by Bella/);
  assert.match(events, /shipped by Sven/);
  assert.match(events, /closed by Bella/);
  await s.screenshot("bella-received");
  const [onHand, stillComing] = await stock("BR-N");
  assert.equal(onHand, earlier.north[0] + 22);
  assert.equal(stillComing, earlier.north[1]);
  const alerts = await waterAlerts();
  assert.notDeepEqual(alerts, earlier.alerts, "the water's alert changed");
  await s.screenshot("bella-alerts-after");
});

test("sven sees what the branches need, the warehouse short of BEV-020, and releases it by equal cover", async () => {
  await s.signOut();
  await s.signIn("sven", PASSWORD);
  await s.open("distribution");
  const grid = await s.until(async () => {
    const rows = await s.rows('[data-testid="replenish-grid"]');
    return rows.length > 0 ? rows : null;
  }, "the replenishment grid");
  const short = grid.find((cells) => cells[0] === "BEV-020");
  assert.ok(short?.[1].includes("(short)"), `the warehouse is short of BEV-020: ${JSON.stringify(short)}`);
  // Only what the warehouse is short of: BEV-020 among them, every item shown short.
  await s.click('input[name="replenish-short-only"]');
  const shortOnly = await s.until(async () => {
    const rows = await s.rows('[data-testid="replenish-grid"]');
    return rows.length > 0 && rows.length < grid.length ? rows : null;
  }, "the grid of what the warehouse is short of");
  const firsts = shortOnly.filter((cells) => cells[0] !== "");
  assert.ok(firsts.some((cells) => cells[0] === "BEV-020"), "BEV-020 is short");
  assert.ok(firsts.every((cells) => cells[1].includes("(short)")), JSON.stringify(firsts));
  await s.screenshot("sven-short-only");
  await s.click('input[name="replenish-short-only"]');
  await s.until(async () => (await s.rows('[data-testid="replenish-grid"]')).length === grid.length, "every need again");
  await s.choose('select[name="replenish-rule"]', "equal cover");
  // The preview follows the rule: each branch's cover after the allocation.
  await s.until(async () => (await s.rows('[data-testid="replenish-grid"]')).length > 0, "the grid again");
  await s.screenshot("sven-replenishment");
  await s.click('[data-testid="replenish-release"]');
  const notice = await s.until(async () => s.text('[data-testid="notice"]'), "the release's notice");
  assert.match(notice, /^Released \d+ transfers?, approved: TR-/);
  await s.screenshot("sven-released");
  const approved = (await s.rows('[data-testid="transfers"]')).filter((cells) => cells[3] === "approved");
  assert.ok(approved.length >= 1, "approved transfers to ship");
});
