// Issue #16, reports end to end in the real app: the administrator opens a
// saved report, its chart draws the table's figures and its total is the
// sum of its rows; a cell opens the sales behind it; "Only" keeps one row's
// member as a filter and its chip takes it off; the table goes out as xlsx
// and the chart as PNG. A manager builds her own report, saves it
// shared; a salesman runs it and sees only his own sales. A manager's own
// story: her department by branch × quarter against the budget as stacked
// bars, saved, pinned to her home, exported; a rule she adds fires after she
// imports a file of sales.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchApp, ROOT, tempDir } from "./webdriver.mjs";

const PASSWORD = "salesplan-demo";
let app;
let s;

before(async () => {
  app = await launchApp("reports");
  s = app.session;
});

after(async () => {
  await app?.stop();
});

const number = (text) => Number(text.replace(/[^\d.-]/g, ""));
/** The CLI on the app's ledger, as `user`; its JSON answer. */
const cliAs = (user, ...args) =>
  JSON.parse(
    execFileSync(join(ROOT, "target", "debug", "salesplan"), ["--db", app.ledgerPath, "--user", user, "--json", ...args], {
      encoding: "utf8",
      env: { ...process.env, SALESPLAN_PASSWORD: PASSWORD },
    }),
  );
const run = (script) => s.call("POST", "/execute/sync", { script, args: [] });
const savedNames = () =>
  run("return Array.from(document.querySelectorAll('[data-testid=\"saved-report\"]')).map((one) => one.textContent);");
const openSaved = (name) =>
  run(
    `Array.from(document.querySelectorAll('[data-testid="saved-report"]')).find((one) => one.textContent === ${JSON.stringify(name)}).click(); return true;`,
  );
/** The table's heads, body rows (without the total) and its total row, as text, read at once. */
const table = async () => {
  const [heads, ...rows] = await run(`const table = document.querySelector('[data-testid="report-table"]');
    if (!table) return [[]];
    // A row's member cell holds its name and its "Only" button: the name alone.
    const text = (cell) => (cell.querySelector('[data-testid="report-keep-only"]') ? cell.firstChild.textContent : cell.textContent);
    const cells = (row) => Array.from(row.cells).map((cell) => text(cell).trim());
    return [Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent), ...Array.from(table.querySelectorAll("tbody tr")).map(cells)];`);
  return { heads, rows: rows.slice(0, -1), total: rows.at(-1) };
};

test("a saved report: its chart draws its table, a cell opens its sales, it goes out as xlsx and PNG", async () => {
  await s.signIn("admin", PASSWORD);
  await s.open("reports");
  assert.equal(await s.text(".page h1"), "Reports");
  await s.until(async () => (await savedNames()).includes("Sales by branch against last year"), "the demo's saved reports");
  await openSaved("Sales by branch against last year");
  await s.find('[data-testid="report-chart"] canvas');
  // Largest first, as the report was saved (the screen's own first report is by name).
  const { rows, total } = await s.until(async () => {
    const shown = await table();
    const sales = shown.rows.map((row) => number(row[1] ?? ""));
    const largestFirst = sales.every((value, at) => at === 0 || sales[at - 1] >= value);
    return shown.rows.length >= 4 && shown.rows[0].length === 5 && largestFirst && shown;
  }, "a row per branch, largest first: sales, last year, change, change %");
  // The total is the sum of the rows, and the chart draws the table's sales and last year.
  const sales = rows.map((row) => number(row[1]));
  const sum = sales.reduce((all, value) => all + value, 0);
  assert.ok(Math.abs(sum - number(total[1])) <= rows.length, `${sum} vs ${total[1]}`);
  const series = JSON.parse(await run("return document.querySelector('[data-testid=\"report-chart\"]').dataset.series;"));
  assert.deepEqual(
    series.map((one) => one.name),
    ["Sales", "Sales LY"],
  );
  assert.deepEqual(
    series[0].data.map((value) => Math.round(value)),
    sales,
  );
  await s.screenshot("admin-report");

  // The first branch's sales cell opens the sales behind it.
  await s.click('[data-testid="report-row"] [data-testid="report-cell"]');
  const heading = await s.until(async () => s.text('[data-testid="report-drill"] h2'), "the sales behind the cell");
  assert.ok(heading.startsWith(rows[0][0]), heading);
  const count = number(heading.split(":")[1].split("sales")[0]);
  assert.ok(count > 0);
  assert.equal(await s.count('[data-testid="drill-sale"]'), Math.min(count, 500));

  // "Only" on the first branch keeps the report to it, said in a chip; the
  // chip's × takes the filter off again.
  await s.click('[data-testid="report-row"] [data-testid="report-keep-only"]');
  const kept = await s.until(async () => {
    const shown = await table();
    return shown.rows.length === 1 && shown.rows[0][0] === rows[0][0] && shown;
  }, "the first branch alone");
  assert.deepEqual(kept.rows[0], rows[0], "its figures as before");
  await s.screenshot("admin-report-only-one-branch");
  assert.equal(await s.text('[data-testid="report-filter"]'), `Branch: ${rows[0][0]}×`);
  await s.click('[data-testid="report-filter-remove"]');
  await s.until(async () => (await table()).rows.length === rows.length, "every branch again");
  assert.equal(await s.count('[data-testid="report-filter"]'), 0);

  // Out: the table as xlsx, the chart as PNG, both into the downloads folder.
  await s.click('[data-testid="report-export-xlsx"]');
  const [, saved] = await s.until(async () => (await s.text(".export-buttons .notice")).match(/^Saved to (.+)$/), "the xlsx saved");
  const xlsx = readFileSync(saved);
  assert.deepEqual([...xlsx.subarray(0, 2)], [0x50, 0x4b], "an xlsx (zip) file");
  await s.click('[data-testid="report-chart"] [data-testid="chart-png"]');
  const png = await s.until(async () => s.text('[data-testid="chart-saved"]'), "the chart's PNG");
  assert.deepEqual([...readFileSync(png.replace(/^Saved to /, "")).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  await s.signOut();
});

test("a manager saves a report shared; a salesman runs it and sees only his own sales", async () => {
  await s.signIn("maria", PASSWORD);
  await s.open("reports");
  // The screen opens with a first report run; she builds hers once it is there.
  await s.find('[data-testid="report-table"]');
  await s.choose('[data-testid="report-rows"]', "Salesman");
  await s.choose('[data-testid="report-comparison"]', "The budget");
  await s.choose('[data-testid="report-visual"]', "Table");
  await s.click('[data-testid="report-run"]');
  const hers = await s.until(async () => {
    const shown = await table();
    return shown.heads[0] === "Salesman" && shown.heads.includes("Sales budget") && shown.rows.length > 1 && shown;
  }, "her salesmen against the budget");
  await s.type('[data-testid="report-name"]', "Team against plan");
  await s.click('[data-testid="report-shared"]');
  await s.click('[data-testid="report-save"]');
  await s.until(async () => (await savedNames()).includes("Team against plan"), "saved");
  await s.signOut();

  await s.signIn("sam", PASSWORD);
  await s.open("reports");
  await s.until(async () => (await savedNames()).includes("Team against plan"), "maria's shared report");
  await openSaved("Team against plan");
  const his = await s.until(async () => {
    const shown = await table();
    return shown.heads[0] === "Salesman" && shown.heads.includes("Sales budget") && shown;
  }, "maria's report, run as sam");
  assert.equal(his.rows.length, 1, "one row: his own");
  assert.equal(his.rows[0][0], "Sam Becker");
  const herRowForSam = hers.rows.find((row) => row[0] === "Sam Becker");
  assert.deepEqual(his.rows[0], herRowForSam, "his figures are the ones his manager sees for him");
  // Not his: no Delete, and saving makes his own copy.
  assert.equal(await s.count('[data-testid="report-delete"]'), 0);
  await s.screenshot("salesman-shared-report");
  await s.signOut();
});

test("a manager's department by branch × quarter against the budget, stacked, pinned and exported; her rule fires after an import", async () => {
  await s.signIn("maria", PASSWORD);
  assert.equal(await s.text(".page h1"), "Home");
  await s.open("reports");
  await s.find('[data-testid="report-table"]');
  await s.choose('[data-testid="report-rows"]', "Branch");
  await s.choose('[data-testid="report-columns"]', "Quarter");
  await s.choose('[data-testid="report-comparison"]', "The budget");
  await s.choose('[data-testid="report-visual"]', "Stacked bars");
  await s.click('[data-testid="report-run"]');
  const shown = await s.until(async () => {
    const now = await table();
    return now.heads[0] === "Branch" && now.heads.some((head) => /Q[1-4] · Sales budget$/.test(head)) && now;
  }, "her branches by quarter against the budget");
  // Her department's branches only: the company has five, Retail sells in fewer or as many.
  assert.ok(shown.rows.length >= 1 && shown.rows.length <= 5, JSON.stringify(shown.rows));
  const series = JSON.parse(await run("return document.querySelector('[data-testid=\"report-chart\"]').dataset.series;"));
  // A series per quarter, stacked on each branch's bar.
  assert.ok(series.length >= 2 && series.every((one) => /^\d{4} Q[1-4]$/.test(one.name)), JSON.stringify(series.map((one) => one.name)));
  await s.type('[data-testid="report-name"]', "Branches by quarter against plan");
  await s.click('[data-testid="report-save"]');
  await s.until(async () => (await savedNames()).includes("Branches by quarter against plan"), "saved");
  await s.screenshot("manager-branches-by-quarter");
  await s.until(async () => (await s.count('[data-testid="report-pin"]')) === 1, "the saved report open");
  await s.click('[data-testid="report-pin"]');
  await s.until(async () => /Pinned/.test(await s.text('[data-testid="notice"]')), "the pin confirmed");
  await s.click('[data-testid="report-export-xlsx"]');
  // The export's own notice (a pin's toast may still stand above it for its ten seconds).
  const [, saved] = await s.until(async () => (await s.text(".export-buttons .notice")).match(/^Saved to (.+)$/), "the xlsx saved");
  assert.deepEqual([...readFileSync(saved).subarray(0, 2)], [0x50, 0x4b]);
  await s.open("home");
  const pinned = await s.until(
    async () =>
      run(`const widget = Array.from(document.querySelectorAll('section.widget')).at(-1);
        return widget?.dataset.testid.startsWith("widget-report-") && widget.querySelector("h2").textContent;`),
    "her report pinned last on her home",
  );
  assert.equal(pinned, "Branches by quarter against plan");

  // A rule: her department's sales of last month above what they are now.
  const month = cliAs("maria", "home").sales.month;
  const now = Number(cliAs("maria", "report", "run", "--measure", "sales_amount", "--period", `${month}..${month}`).total.values[0]);
  await s.open("alerts");
  await s.find('[data-testid="alert-rules"]');
  await s.click('[data-testid="rule-new"]');
  await s.type('input[name="rule-name"]', "Retail beat last month");
  await s.choose('select[name="rule-measure"]', "Sales of last month");
  await s.choose('select[name="rule-condition"]', "above");
  await s.type('input[name="rule-threshold"]', String(Math.ceil(now)));
  await s.click('[data-testid="rule-save"]');
  await s.click('[data-testid="rules-check"]');
  await s.until(async () => {
    const [rule] = await s.rows('[data-testid="rules-table"]');
    return rule?.[0] === "Retail beat last month" && rule[1] !== "holds" && rule;
  }, "the rule checked, not holding yet");

  // She imports sam's till export of that month: the app checks her rules after it.
  const workbook = join(tempDir("salesplan-maria-"), "till-export.xlsx");
  execFileSync(join(ROOT, "target", "debug", "examples", "wizard_workbook"), [workbook, month], {
    stdio: "inherit",
  });
  await s.open("imports");
  await s.type('[data-testid="import-open-form"] input[name="path"]', workbook);
  await s.click('[data-testid="import-open"]');
  await s.until(async () => (await s.rows('[data-testid="import-sample"]')).length === 3, "the file's rows");
  await s.click('[data-testid="import-check"]');
  await s.until(async () => s.text('[data-testid="report-summary"]'), "the data-quality report");
  await s.click('[data-testid="import-all"]');
  await s.until(async () => /^Imported 3 rows/.test(await s.text('[data-testid="import-result"] .notice')), "imported");
  await s.open("alerts");
  const fired = await s.until(async () => {
    await s.open("home");
    await s.open("alerts");
    const [rule] = await s.rows('[data-testid="rules-table"]');
    return rule?.[1] === "holds" && rule;
  }, "the rule holds after the import");
  assert.match(fired[2], /^Retail beat last month: sales in \d{4}-\d{2} are €[\d,]+, above €[\d,]+\.$/);
  await s.screenshot("manager-rule-fired-after-import");
  await s.signOut();
});
