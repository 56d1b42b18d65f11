// Issue #2 end to end, in the real app binary in a real window: sign in as the
// administrator, create a salesman, sign out, sign in as the salesman, find no
// Users screen, and see the command refused when called anyway.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { after, before, test } from "node:test";
import { launchApp } from "./webdriver.mjs";

const DEMO_PASSWORD = "salesplan-demo";
let app;
let s;

before(async () => {
  app = await launchApp("foundation");
  s = app.session;
});

after(async () => {
  await app?.stop();
});

const signIn = (username, password) => s.signIn(username, password);
const navigationLabels = () => s.navigationLabels();
const open = (screen) => s.open(screen);

test("the app opens on the demo company and refuses a wrong password", async () => {
  const hint = await s.text('[data-testid="demo-hint"]');
  assert.match(hint, /salesplan-demo/);
  await s.screenshot("sign-in");
  await s.type('input[name="username"]', "admin");
  await s.type('input[name="password"]', "not-the-password");
  await s.click('[data-testid="sign-in-form"] button[type="submit"]');
  assert.equal(await s.text('[data-testid="error"]'), "wrong username or password");
  await s.screenshot("sign-in-refused");
});

test("the administrator sees every screen and creates a salesman", async () => {
  await signIn("admin", DEMO_PASSWORD);
  assert.deepEqual(await navigationLabels(), [
    "Home",
    "Sales overview",
    "Budgets",
    "Approvals",
    "Budget vs actual",
    "Reports",
    "Forecast",
    "Inventory",
    "Purchasing",
    "Distribution",
    "Stock availability",
    "Alerts",
    "Imports",
    "Reference data",
    "Users",
    "Audit trail",
    "Company settings",
    "Head office",
    "My account",
  ]);
  assert.equal(await s.text(".page h1"), "Home", "the app opens on the home screen");
  await open("overview");
  const total = await s.until(async () => {
    const text = await s.text('[data-testid="kpi-last-12"] strong');
    return text.includes("€") && text;
  }, "the sales overview");
  assert.match(total, /\d/);
  // Drawn by ECharts, from the months' sales; saved as a PNG into the downloads folder.
  await s.find('[data-testid="sales-chart"] canvas');
  const series = JSON.parse(
    await s.call("POST", "/execute/sync", {
      script: "return document.querySelector('[data-testid=\"sales-chart\"]').dataset.series;",
      args: [],
    }),
  );
  assert.equal(series[0].name, "Actual");
  assert.ok(series[0].data.length >= 24 && series[0].data.every((value) => value > 0), JSON.stringify(series));
  await s.screenshot("admin-overview");
  await s.click('[data-testid="sales-chart"] [data-testid="chart-png"]');
  const saved = await s.until(async () => s.text('[data-testid="chart-saved"]'), "the chart's PNG");
  const path = saved.replace(/^Saved to /, "");
  assert.equal(dirname(path), app.downloadsPath);
  const png = readFileSync(path);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
  // Twice the chart's size in pixels (its width and height are in the PNG's header).
  assert.ok(png.readUInt32BE(16) >= 1000 && png.readUInt32BE(20) >= 400, `${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`);

  await open("reference");
  await s.until(async () => (await s.count('[data-testid="reference-table"] tbody tr')) === 40, "40 products");
  await s.screenshot("admin-reference-data");

  await open("users");
  await s.click('[data-testid="user-add"]');
  await s.type('[data-testid="user-form"] input[name="username"]', "tessa");
  await s.type('[data-testid="user-form"] input[name="display_name"]', "Tessa Tester");
  await s.choose('[data-testid="user-form"] select[name="role"]', "Salesman");
  await s.choose('[data-testid="user-form"] select[name="department"]', "Retail Sales");
  await s.choose('[data-testid="user-form"] select[name="location"]', "South Branch");
  await s.type('[data-testid="user-form"] input[name="password"]', "tessa-password-1");
  await s.screenshot("admin-user-form");
  await s.click('[data-testid="user-save"]');
  assert.equal(await s.text('[data-testid="notice"]'), "Added tessa.");
  // The notice shows as soon as the save returns; the table follows with its reload.
  const tessa = await s.until(async () => {
    const rows = await s.rows('[data-testid="users-table"]');
    return rows.find((cells) => cells[0] === "tessa");
  }, "tessa in the users table");
  assert.deepEqual(tessa.slice(0, 6), ["tessa", "Tessa Tester", "Salesman", "Retail Sales", "South Branch", "active"]);
  await s.screenshot("admin-users");

  await open("audit");
  const created = await s.until(async () => {
    const entries = await s.rows('[data-testid="audit-table"]');
    return entries.find((cells) => cells[1].startsWith("Administrator added user tessa"));
  }, "tessa's creation in the audit trail");
  // A sentence with names, not JSON with ids.
  assert.match(created[1], /department Retail Sales · location South Branch · role salesman/);
  assert.doesNotMatch(created[1], /[0-9a-f]{8}-[0-9a-f]{4}-/);
  assert.match(await s.text('[data-testid="audit-scope"]'), /by anyone/);
  await s.screenshot("admin-audit");
  await open("settings");
  await s.find("form select");
  await s.screenshot("admin-settings");
  await open("account");
  await s.screenshot("admin-account");
  await s.signOut();
});

test("the new salesman is offered no Users screen and is refused the command", async () => {
  await signIn("tessa", "tessa-password-1");
  const labels = await navigationLabels();
  assert.ok(!labels.includes("Users"), `navigation offered: ${labels.join(", ")}`);
  assert.deepEqual(labels, [
    "Home",
    "Sales overview",
    "Budgets",
    "Budget vs actual",
    "Reports",
    "Forecast",
    "Distribution",
    "Stock availability",
    "Alerts",
    "Imports",
    "Reference data",
    "Audit trail",
    "Company settings",
    "Head office",
    "My account",
  ]);
  await s.until(async () => (await s.text("main")).includes("No sales in your scope yet"), "an empty home");
  await open("overview");
  await s.until(async () => (await s.text("main")).includes("No actual sales in your scope yet"), "an empty overview");
  await s.screenshot("salesman-overview");

  // A salesman may not see the stock screens, but sees what each location holds, to quote from.
  await s.open("availability");
  await s.find('[data-testid="availability-table"] tbody tr td');
  assert.match(await s.text('[data-testid="availability-source"]'), /this ledger holds every sale/);
  await s.type('input[name="availability-filter"]', "BEV-010");
  const rows = await s.until(async () => {
    const skus = await s.execute(
      `arguments[arguments.length - 1]([...document.querySelectorAll(
         '[data-testid="availability-table"] tbody tr:not(.spacer) td:nth-child(2)')].map((td) => td.textContent));`,
    );
    return skus.length === 6 && skus.every((sku) => sku === "BEV-010") && skus;
  }, "BEV-010 at each of the six locations");
  assert.equal(rows.length, 6);
  await s.screenshot("salesman-availability");

  // The UI hides the screen; the shell must refuse the command all the same.
  const outcome = await s.execute(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke("users_list", {}).then(
       (users) => done({ allowed: true, count: users.length }),
       (error) => done({ allowed: false, error }));`,
  );
  assert.equal(outcome.allowed, false, "users_list must be refused for a salesman");
  assert.equal(outcome.error.code, "forbidden");
  assert.equal(outcome.error.message, "Viewing users is not allowed for a Salesman; it needs the role Administrator");

  const create = await s.execute(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke("users_create", { new_user: { username: "mallory",
       profile: { display_name: "M", role: "administrator", department_id: null, location_id: null },
       password: "mallory-password" } }).then(() => done({ allowed: true }), (error) => done({ allowed: false, error }));`,
  );
  assert.deepEqual([create.allowed, create.error.code], [false, "forbidden"]);

  await open("reference");
  await s.until(async () => (await s.count('[data-testid="reference-table"] tbody tr')) === 40, "products");
  assert.equal(await s.count('[data-testid="reference-add"]'), 0, "a salesman gets no Add button");
  await s.screenshot("salesman-reference-data");
});
