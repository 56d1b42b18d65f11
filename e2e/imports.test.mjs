// Issue #4 end to end, in the real app: a salesman imports an xlsx of his
// sales of the open month through the wizard (open, columns, check, import) and
// the variance screen counts them; the report is exported to the downloads folder.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createDemo, launchApp, ROOT } from "./webdriver.mjs";

const PASSWORD = "salesplan-demo";
/** The demo's open month: its last month of sales (ended, not closed yet); sales go there. */
let OPEN;
const WORKBOOK = join(mkdtempSync(join(tmpdir(), "salesplan-workbook-")), "wizard-actuals.xlsx");
let app;
let s;

before(async () => {
  const demo = createDemo();
  OPEN = demo.lastMonth;
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

/** The company row's actual year to date on the variance screen, for the open month's year. */
async function actualYearToDate() {
  await s.open("variance");
  await s.type('input[type="number"]', OPEN.slice(0, 4));
  const row = await s.until(async () => {
    const rows = await s.rows('[data-testid="variance-table"]');
    return rows[0]?.[0] === "Company" && rows[0];
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
  const folder = mkdtempSync(join(tmpdir(), "salesplan-watched-"));
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
