// Issue #4 end to end, in the real app: a salesman imports an xlsx of his
// sales of the open month through the wizard (open, columns, check, import) and
// the variance screen counts them; the report is exported to the downloads folder.
// Issue #19: his budget exported as csv, edited, comes back in through the same
// wizard with no columns to map; a cell also changed in the app is a conflict.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createDemo, launchApp, ROOT, tempDir } from "./webdriver.mjs";

const PASSWORD = "salesplan-demo";
/** The demo's open month: its last month of sales (ended, not closed yet); sales go there. */
let OPEN;
/** The demo's ledger folder, for the CLI to act beside the app. */
let LEDGER_DIR;
const WORKBOOK = join(tempDir("salesplan-workbook-"), "wizard-actuals.xlsx");
let app;
let s;

before(async () => {
  const demo = createDemo();
  OPEN = demo.lastMonth;
  LEDGER_DIR = demo.ledgerDir;
  // Written by rust_xlsxwriter for the open month, so the test never ages.
  // Built with the workspace by scripts/test-all.sh (cargo build --all-targets).
  execFileSync(join(ROOT, "target", "debug", "examples", "wizard_workbook"), [WORKBOOK, OPEN], {
    stdio: "inherit",
  });
  app = await launchApp("imports", {}, { ledgerDir: demo.ledgerDir });
  s = app.session;
});

after(async () => {
  await app?.stop();
});

/** The top row's (sam's own sales) actual year to date on the variance screen, for the open month's year. */
async function actualYearToDate() {
  await s.open("variance");
  await s.choose('select[name="year"]', OPEN.slice(0, 4));
  const row = await s.until(async () => {
    const rows = await s.rows('[data-testid="variance-table"]');
    return rows[0]?.[0] === "Sam Becker" && rows[0];
  }, "the variance table");
  return Number(row[2].replace(/[^\d-]/g, ""));
}

test("a salesman imports an xlsx of actuals through the wizard and the variance counts it", async () => {
  await s.signIn("sam", PASSWORD);
  const before = await actualYearToDate();

  await s.open("imports");
  await s.type('[data-testid="import-open-form"] input[name="path"]', WORKBOOK);
  await s.click('[data-testid="import-open"]');
  const sample = await s.until(async () => {
    const rows = await s.rows('[data-testid="import-sample"]');
    return rows.length === 3 && rows;
  }, "the first rows of the file");
  assert.deepEqual(sample[0].slice(1, 4), ["BEV-010", "BR-N", "sam"]);
  // The columns were matched from the headers.
  const mapped = await s.execute(
    `const done = arguments[arguments.length - 1];
     done(["date", "sku", "branch", "quantity"].map((key) => document.querySelector('select[name="map-' + key + '"]').value));`,
  );
  assert.deepEqual(mapped, ["Date", "SKU", "Branch", "Quantity"]);
  await s.screenshot("import-columns");

  await s.click('[data-testid="import-check"]');
  const summary = await s.until(async () => s.text('[data-testid="report-summary"]'), "the data-quality report");
  assert.equal(summary, "3 rows read, 3 valid");
  await s.screenshot("import-report");
  await s.click('[data-testid="import-all"]');
  const result = await s.until(async () => s.text('[data-testid="import-result"] .notice'), "the import's result");
  assert.equal(result, "Imported 3 rows from wizard-actuals.xlsx (0 skipped).");
  // The history reloads after the result shows: wait for the new entry.
  const latest = await s.until(async () => {
    const first = (await s.rows('[data-testid="import-history"] table'))[0];
    return first?.[1] === "wizard-actuals.xlsx" && first;
  }, "the import in the history");
  assert.deepEqual(latest.slice(1, 6), ["wizard-actuals.xlsx", "3", "0", "sam", "imported"]);
  await s.screenshot("import-done");

  // 1,000 × 100.00 + 500 × 80.00 + 250 × 40.00
  const after = await actualYearToDate();
  assert.equal(after - before, 150_000, `actual YTD ${before} → ${after}`);
  await s.screenshot("variance-after-import");

  await s.click('[data-testid="export-xlsx"]');
  const saved = await s.until(async () => (await s.text(".export-buttons .notice")).match(/^Saved to (.+)$/), "the export");
  assert.ok(saved[1].startsWith(app.downloadsPath), saved[1]);
  assert.ok(existsSync(saved[1]));
  assert.equal(readFileSync(saved[1]).subarray(0, 2).toString(), "PK", "an xlsx (a zip) file");
});

test("the same file again is recognised, and reversing takes the sales back out", async () => {
  await s.open("imports");
  await s.type('[data-testid="import-open-form"] input[name="path"]', WORKBOOK);
  await s.click('[data-testid="import-open"]');
  await s.click('[data-testid="import-check"]');
  await s.until(async () => (await s.text('[data-testid="import-report"]')).includes("This file was imported before"), "the warning");
  await s.screenshot("import-again");
  const before = await actualYearToDate();
  await s.open("imports");
  await s.click('[data-testid="import-reverse"]');
  await s.until(async () => (await s.rows('[data-testid="import-history"] table'))[0]?.[5] === "reversal", "the reversal");
  const after = await actualYearToDate();
  assert.equal(before - after, 150_000);
});

test("a file dropped into a watched folder is imported while the app runs", async () => {
  const folder = tempDir("salesplan-watched-");
  await s.open("imports");
  await s.type('[data-testid="watch-form"] input[name="folder"]', folder);
  await s.click('[data-testid="watch-form"] button[type="submit"]');
  await s.until(async () => (await s.rows('[data-testid="watched-folders"] table'))[0]?.[0] === folder, "the folder listed");
  const name = `till-${OPEN}-20.csv`;
  const file = join(folder, name);
  writeFileSync(file, `Date,SKU,Branch,Salesman,Quantity,Unit price\n${OPEN}-20,BEV-010,BR-N,sam,10,2.00\n`);
  const minuteAgo = new Date(Date.now() - 60_000);
  utimesSync(file, minuteAgo, minuteAgo);
  await s.open("overview");
  await s.open("imports");
  const row = await s.until(
    async () => {
      await s.open("overview");
      await s.open("imports");
      const rows = await s.rows('[data-testid="import-history"] table');
      return rows.find((r) => r[1] === name);
    },
    "the watched file in the history",
    15_000,
  );
  assert.deepEqual(row.slice(1, 5), [name, "1", "0", "sam"]);
  await s.screenshot("watched-folder-imported");
});

/** The CLI on the app's ledger, as sam; its JSON answer. */
function cli(...args) {
  const binary = join(ROOT, "target", "debug", "salesplan");
  const out = execFileSync(binary, ["--db", join(LEDGER_DIR, "ledger.db"), "--user", "sam", "--json", ...args], {
    encoding: "utf8",
    env: { ...process.env, SALESPLAN_PASSWORD: PASSWORD },
  });
  return JSON.parse(out);
}

test("his budget exported as csv and edited comes back in, a cell changed in both places kept as the app has it", async () => {
  const year = Number(OPEN.slice(0, 4)) + 1;
  const created = cli("budgets", "create", "--year", String(year), "--from-last-year", "5");
  const budgetId = created.id;
  await s.open("budgets");
  await s.click('[data-testid="budget-open"]');
  await s.until(async () => (await s.count('[data-testid="budget-grid"] tbody tr')) > 30, "the budget's grid");
  await s.click('[data-testid="export-csv"]');
  const saved = await s.until(async () => (await s.text(".export-buttons .notice")).match(/^Saved to (.+)$/), "the export");
  const lines = readFileSync(saved[1], "utf8").trimEnd().split("\n");
  assert.match(lines[0], /^Salesplan budget export \| /, "the file names the budget it is");
  const headers = lines[1].split(",");
  const [march, june] = [`${year}-03`, `${year}-06`].map((month) => headers.indexOf(month));
  const row = (index) => lines[index].split(",");
  const [first, second] = [row(2), row(3)];
  const [exportedMarch, exportedJune] = [first[march], second[june]];
  // In the app since the export: the second product's June.
  cli("budgets", "edit-line", budgetId, "--sku", second[0], "--month", `${year}-06`, "--quantity", "555");
  // In the file: the first product's March, and the second product's June too.
  first[march] = "777";
  second[june] = "444";
  lines[2] = first.join(",");
  lines[3] = second.join(",");
  const edited = join(LEDGER_DIR, "budget edited.csv");
  writeFileSync(edited, `${lines.join("\n")}\n`);

  await s.open("imports");
  await s.type('[data-testid="import-open-form"] input[name="path"]', edited);
  await s.click('[data-testid="import-open"]');
  const summary = await s.until(async () => s.text('[data-testid="budget-diff-summary"]'), "the difference");
  assert.match(summary, /^1 cell to write \(1 changed, 0 added, 0 emptied\), \d+ unchanged$/);
  assert.deepEqual((await s.rows('[data-testid="budget-diff-changes"]'))[0].slice(0, 5), [
    first[0],
    first[1],
    `${year}-03`,
    exportedMarch,
    "777",
  ]);
  const conflict = (await s.rows('[data-testid="budget-diff-conflicts"]'))[0];
  assert.deepEqual(
    [conflict[0], conflict[2], conflict[3], conflict[4], conflict[5]],
    [second[0], `${year}-06`, exportedJune, "444", "555"],
  );
  await s.screenshot("budget-round-trip-difference");
  await s.click('[data-testid="budget-diff-apply"]');
  const result = await s.until(async () => s.text('[data-testid="import-result"] .notice'), "the result");
  assert.match(result, /^Wrote 1 cell into the budget /);

  const sheet = cli("budgets", "show", budgetId);
  const quantity = (sku, month) => {
    const product = cli("products", "list").find((p) => p.fields.sku === sku);
    return Number(sheet.lines.find((l) => l.product_id === product.id && l.period === month).quantity);
  };
  assert.equal(quantity(first[0], `${year}-03`), 777, "the edited cell is written");
  assert.equal(quantity(second[0], `${year}-06`), 555, "the conflict keeps the app's value");
});

test("on a first day the username field has the cursor, and supply chain's wizard opens on stock", async () => {
  await s.signOut();
  assert.equal(await s.focused(), "username", "typing starts in the username field");
  await s.signIn("sven", PASSWORD);
  await s.open("imports");
  const offered = await s.execute(
    `const done = arguments[arguments.length - 1];
     const select = document.querySelector('[data-testid="import-open-form"] select[name="kind"]');
     done({ value: select.value, options: [...select.options].map((o) => o.value) });`,
  );
  assert.equal(offered.value, "stock", "the wizard opens on what supply chain imports");
  assert.ok(!offered.options.includes("actuals"), `no actual sales for a role that may not post them: ${offered.options}`);
  const watched = await s.execute(
    `const done = arguments[arguments.length - 1];
     done(document.querySelector('[data-testid="watch-form"] select').value);`,
  );
  assert.equal(watched, "stock", "a watched folder of his imports stock too");
  await s.screenshot("supply-chain-imports");
});

test("the administrator downloads the products template, fills in a row and imports it", async () => {
  await s.signOut();
  await s.signIn("admin", PASSWORD);
  await s.open("imports");
  await s.choose('[data-testid="import-open-form"] select[name="kind"]', "Products");
  await s.click('[data-testid="template-csv"]');
  const saved = await s.until(
    async () => (await s.text('[data-testid="import-template"] .notice')).match(/^Saved to (.+)$/),
    "the template",
  );
  const template = readFileSync(saved[1], "utf8").trim();
  assert.equal(template, "SKU,Name,Category,Unit,List price,Active");
  // Filled in as a user would, in any editor.
  writeFileSync(saved[1], `${template}\nBEV-099,Ginger Ale 0.33L,BEV,case,7.49,yes\n`);
  await s.type('[data-testid="import-open-form"] input[name="path"]', saved[1]);
  await s.click('[data-testid="import-open"]');
  await s.find('[data-testid="import-sample"]');
  await s.click('[data-testid="import-check"]');
  assert.equal(await s.until(async () => s.text('[data-testid="report-summary"]'), "the report"), "1 row read, 1 valid");
  await s.click('[data-testid="import-all"]');
  await s.until(async () => (await s.text('[data-testid="import-result"] .notice')).startsWith("Imported 1 row"), "the result");
  const ginger = cli("products", "list").find((p) => p.fields.sku === "BEV-099");
  assert.deepEqual([ginger.fields.name, ginger.fields.unit, ginger.fields.list_price], ["Ginger Ale 0.33L", "case", "7.49"]);
  await s.screenshot("template-imported");
});
