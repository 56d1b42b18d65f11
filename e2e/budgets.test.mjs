// Issue #3 end to end, in the real app: in next year's round (under way in the
// demo: Sam has not started), a salesman builds his budget from last year +5 %,
// edits two cells in the grid, spreads a yearly amount and saves the budget as
// a template, submits; his manager approves it from the inbox among the others
// waiting; the salesman can no longer edit it and saves a receipt; the variance
// screen shows this year's demo actuals against this year's approved plans; he
// records a sale by hand and builds the year after from his template.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createDemo, launchApp } from "./webdriver.mjs";

const PASSWORD = "salesplan-demo";
const ENTER = "\uE007";
let app;
let s;

/** The year of the demo's last month of sales: its approved plans have actuals to compare. */
let budgetYear;
/** Next year: the round under way, the one sam budgets for. */
let nextYear;

before(async () => {
  const demo = createDemo();
  budgetYear = Number(demo.lastMonth.slice(0, 4));
  nextYear = budgetYear + 1;
  app = await launchApp("budgets", {}, { ledgerDir: demo.ledgerDir });
  s = app.session;
});

after(async () => {
  await app?.stop();
});

const cell = (row, col) => `[data-testid="budget-grid"] td[data-row="${row}"][data-col="${col}"]`;

/** Types a quantity into a cell the way a user does: click, type, Enter. */
async function typeInto(row, col, digits) {
  await s.click(cell(row, col));
  await s.call("POST", `/element/${await s.find('[data-testid="budget-grid"]')}/value`, { text: digits[0] });
  await s.call("POST", `/element/${await s.find(".cell-input")}/value`, { text: `${digits.slice(1)}${ENTER}` });
  await s.until(async () => (await s.text(cell(row, col))) === digits, `cell ${row},${col} to show ${digits}`);
}

test("a salesman builds his budget from last year +5 % and edits two cells", async () => {
  await s.signIn("sam", PASSWORD);
  await s.open("budgets");
  await s.click('[data-testid="budget-new"]');
  await s.type('[data-testid="budget-form"] input[name="year"]', String(nextYear));
  await s.type('[data-testid="budget-form"] input[name="percent"]', "5");
  await s.screenshot("new-budget-form");
  await s.click('[data-testid="budget-create"]');
  await s.until(async () => (await s.count('[data-testid="budget-grid"] tbody tr')) > 30, "the grid of last year's products");
  assert.equal(await s.text('[data-testid="budget-status"]'), "draft");
  // However many months scroll sideways, the year's totals stay in view.
  assert.ok(await s.inView('[data-testid="budget-grid"] thead th.sticky-total'), "the Amount column is in view");
  const totalBefore = await s.text('[data-testid="budget-total"]');

  await typeInto(0, 0, "123");
  await typeInto(1, 0, "250");
  const totalAfter = await s.text('[data-testid="budget-total"]');
  assert.notEqual(totalAfter, totalBefore, "the total follows the edited cells");
  await s.screenshot("budget-grid-edited");

  // A yearly amount of one product, spread evenly to the cent.
  await s.click('[data-testid="spread-open"]');
  await s.choose('[data-testid="spread-form"] select[name="product"]', "HOU-020");
  await s.type('[data-testid="spread-form"] input[name="total"]', "1200");
  await s.choose('[data-testid="spread-form"] select[name="measure"]', "amount");
  await s.choose('[data-testid="spread-form"] select[name="profile"]', "evenly");
  await s.click('[data-testid="spread-save"]');
  await s.until(async () => (await s.text(".notice")).includes("Spread 1200"), "the spread to be done");
  // The amounts view shows the typed amounts: 1,200 evenly is 100.00 a month.
  await s.click('[data-testid="grid-show-amount"]');
  const soapLine = async () => (await s.rows('[data-testid="budget-grid"] table')).find((row) => row[0].startsWith("HOU-020"));
  // The grid reloads after the spread: wait for it rather than read the rows it showed before.
  await s.until(async () => (await soapLine())?.[1] === "100.00", "the spread line in amounts");
  assert.deepEqual((await soapLine()).slice(1, 13), Array(12).fill("100.00"));
  // One product's line changed by +10 %.
  await s.click('[data-testid="adjust-open"]');
  await s.choose('[data-testid="adjust-form"] select[name="product"]', "HOU-020");
  await s.type('[data-testid="adjust-form"] input[name="percent"]', "10");
  await s.click('[data-testid="adjust-save"]');
  await s.until(async () => {
    const row = (await s.rows('[data-testid="budget-grid"] table')).find((r) => r[0].startsWith("HOU-020"));
    return row[1] === "110.00" && row[12] === "110.00";
  }, "the soap line 10 % up");
  await s.screenshot("budget-spread-amount");

  await s.click('[data-testid="template-open"]');
  await s.type('[data-testid="template-form"] input[name="name"]', "Sam's route");
  await s.click('[data-testid="template-save"]');
  await s.until(async () => (await s.text(".notice")).includes('Saved as template "Sam\'s route"'), "the template");

  await s.choose('[data-testid="expense-form"] select[name="category"]', "Travel");
  await s.type('[data-testid="expense-form"] input[name="description"]', "Customer visits");
  await s.type('[data-testid="expense-form"] input[name="allocated"]', "1200");
  await s.click('[data-testid="expense-form"] button[type="submit"]');
  const line = await s.until(async () => (await s.rows('[data-testid="expenses"] table')).find((r) => r[1] === "Customer visits"), "the expense line");
  assert.deepEqual(line.slice(0, 5), ["Travel", "Customer visits", "€1,200.00", "€0.00", "€1,200.00"]);

  await s.click('[data-testid="budget-submit"]');
  await s.until(async () => (await s.text('[data-testid="budget-status"]')) === "submitted", "submitted");
  await s.screenshot("budget-submitted");
  await s.signOut();
});

test("his manager approves it from the inbox", async () => {
  await s.signIn("maria", PASSWORD);
  await s.open("inbox");
  const rows = await s.until(async () => {
    const found = await s.rows('[data-testid="inbox-table"]');
    return found.length > 0 && found;
  }, "a budget in the inbox");
  // Sam's among the round's others that wait for her (the demo's retail salesmen).
  const sams = rows.findIndex((row) => row[2] === "Sam Becker");
  assert.deepEqual(rows[sams].slice(0, 4), [String(nextYear), "Base", "Sam Becker", "submitted"]);
  assert.ok(rows.length > 1, `others of the round wait too: ${JSON.stringify(rows)}`);
  await s.screenshot("manager-inbox");
  await s.click(`[data-testid="inbox-table"] tbody tr:nth-child(${sams + 1}) [data-testid="budget-open"]`);
  const total = await s.until(async () => s.text('[data-testid="budget-total"]'), "the budget");
  // Approving shows the budget against last year first, and waits for the click.
  await s.click('[data-testid="budget-approve"]');
  const comparison = await s.until(async () => {
    const found = await s.rows('[data-testid="approve-comparison"]');
    return found.length > 2 && found;
  }, "the comparison with last year");
  const totalRow = comparison[comparison.length - 1];
  assert.equal(totalRow[0], "Total");
  assert.equal(totalRow[1], total);
  assert.match(totalRow[3], /^[+-][\d.]+ %$/, "the change against last year");
  assert.equal(await s.text('[data-testid="budget-status"]'), "submitted", "nothing approved before the click");
  await s.screenshot("manager-approve-confirm");
  await s.click('[data-testid="confirm-yes"]');
  await s.until(async () => (await s.text('[data-testid="budget-status"]')) === "approved", "approved");
  await s.screenshot("manager-approved");
  // Clicking "Approvals" again returns to the list, sam's no longer in it.
  await s.open("inbox");
  await s.until(async () => {
    const left = await s.rows('[data-testid="inbox-table"]');
    return left.length === rows.length - 1 && !left.some((row) => row[2] === "Sam Becker");
  }, "the inbox without sam's budget");

  // By branch, this year: every branch is measured against the demo's approved plans.
  await s.open("variance");
  await s.choose('select[name="year"]', String(budgetYear));
  await s.choose('select[name="level"]', "branch");
  const branches = await s.until(async () => {
    const rows = await s.rows('[data-testid="variance-table"]');
    return rows.some((row) => row[0] === "North Branch") && rows;
  }, "the branches");
  for (const branch of branches) {
    assert.match(branch[1], /€/, `${branch[0]} has a budget`);
    assert.match(branch[3], /€/, `${branch[0]} has a variance`);
  }
  const note = await s.text('[data-testid="variance-note"]');
  assert.match(note, /^Actual − budget: positive is favourable/);
  assert.doesNotMatch(note, /have no approved budget/, "no sales go unplanned");
  assert.equal(await s.count('[data-testid="no-plan"]'), 0);
  await s.screenshot("manager-variance-by-branch");
  await s.signOut();
});

test("the salesman can no longer edit it, and sees actuals against it", async () => {
  await s.signIn("sam", PASSWORD);
  await s.open("budgets");
  await s.click('[data-testid="budget-open"]');
  await s.until(async () => (await s.text(cell(0, 0))) === "123", "the approved budget");
  assert.match(await s.text(".hint-keys"), /Read only/);
  await s.click(cell(0, 1));
  await s.call("POST", `/element/${await s.find('[data-testid="budget-grid"]')}/value`, { text: "9" });
  assert.equal(await s.count(".cell-input"), 0, "typing opens no editor on an approved budget");

  const refused = await s.execute(
    `const done = arguments[arguments.length - 1];
     const id = arguments[0];
     window.__TAURI_INTERNALS__.invoke("budgets_list", { fiscal_year: null }).then((list) =>
       window.__TAURI_INTERNALS__.invoke("budgets_set_lines", { id: list[0].budget.id, edits: [{ product_id: list[0].budget.id, period: "2000-01", quantity: "1" }] }))
       .then(() => done({ allowed: true }), (error) => done({ allowed: false, error }));`,
  );
  assert.equal(refused.allowed, false);
  assert.match(refused.error.message, /an approved budget cannot be edited/);
  // A month that is no month is refused where the call arrives, saying so.
  const malformed = await s.execute(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke("budgets_list", { fiscal_year: null }).then((list) =>
       window.__TAURI_INTERNALS__.invoke("budgets_set_lines", { id: list[0].budget.id, edits: [{ product_id: list[0].budget.id, period: "x", quantity: "1" }] }))
       .then(() => done({ allowed: true }), (error) => done({ allowed: false, error: String(error?.message ?? error) }));`,
  );
  assert.equal(malformed.allowed, false);
  assert.match(malformed.error, /'x' is not a month; write it as YYYY-MM/);
  await s.screenshot("salesman-approved-read-only");

  // Spending is recorded against the approved budget.
  await s.click('[data-testid="spending-new"]');
  await s.execute(
    `const done = arguments[arguments.length - 1];
     const input = document.querySelector('[data-testid="spending-form"] input[name="day"]');
     Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(input, arguments[0]);
     input.dispatchEvent(new Event("input", { bubbles: true }));
     done(true);`,
    [`${nextYear}-03-14`],
  );
  await s.type('[data-testid="spending-form"] input[name="amount"]', "840,50");
  await s.type('[data-testid="spending-form"] input[name="note"]', "Hamburg fair");
  await s.click('[data-testid="spending-form"] button[type="submit"]');
  const spent = await s.until(async () => {
    const row = (await s.rows('[data-testid="expenses"] table'))[0];
    return row?.[3] === "€840.50" && row;
  }, "the spending to count");
  assert.equal(spent[4], "€359.50");
  await s.screenshot("salesman-spending-recorded");

  // A receipt kept with a spending is saved into the downloads folder.
  await s.execute(
    `const done = arguments[arguments.length - 1];
     const invoke = window.__TAURI_INTERNALS__.invoke;
     invoke("budgets_list", { fiscal_year: null })
       .then((list) => invoke("budgets_show", { id: list[0].budget.id }))
       .then((sheet) => invoke("expenses_spend", { spending: {
         expense_id: sheet.expenses[0].id, spent_on: arguments[0], amount: "12.00", note: "Taxi",
         receipt: { name: "taxi.pdf", bytes: [37, 80, 68, 70] } } }))
       .then(() => done(true), (error) => done(error));`,
    [`${nextYear}-03-15`],
  );
  await s.click('[data-testid="spendings-open"]');
  await s.click('[data-testid="receipt-save"]');
  const saved = await s.until(async () => (await s.text('[data-testid="spendings"] .notice')).match(/saved to (.+)$/), "the receipt saved");
  assert.equal(saved[1], join(app.downloadsPath, "taxi.pdf"));
  assert.equal(readFileSync(saved[1], "latin1"), "%PDF");

  await s.open("variance");
  const rows = await s.until(async () => {
    const found = await s.rows('[data-testid="variance-table"]');
    return found.length >= 2 && found;
  }, "the variance table");
  const company = rows[0];
  assert.equal(company[0], "Sam Becker", "the top row is what the salesman sees: his own sales");
  const amount = (text) => Number(text.replace(/[^\d-]/g, ""));
  assert.ok(amount(company[1]) > 0, `budget YTD ${company[1]}`);
  assert.ok(amount(company[2]) > 0, `actual YTD ${company[2]}`);
  await s.find('[data-testid="variance-chart"] canvas');
  await s.screenshot("salesman-variance");

  // Drill down: the company into categories of sam's sales.
  await s.click('[data-testid="variance-table"] tbody tr:first-child button');
  await s.until(async () => (await s.text('[data-testid="drill-path"]')).includes("Total"), "a drill step");
  await s.until(async () => (await s.rows('[data-testid="variance-table"]'))[0]?.[0] === "North Branch", "the branches");
  await s.screenshot("salesman-variance-by-branch");
});

test("the salesman records a sale by hand and builds the year after from his template", async () => {
  await s.open("overview");
  const before = await s.text('[data-testid="kpi-last-12"] strong');
  await s.click('[data-testid="sale-new"]');
  await s.choose('[data-testid="sale-form"] select[name="product"]', "HOU-020");
  await s.type('[data-testid="sale-form"] input[name="quantity"]', "50000");
  await s.screenshot("sale-form");
  await s.click('[data-testid="sale-save"]');
  await s.until(async () => (await s.text(".notice")).startsWith("Sale recorded"), "the sale recorded");
  const after = await s.until(async () => {
    const now = await s.text('[data-testid="kpi-last-12"] strong');
    return now !== before && now;
  }, "the overview to count the sale");
  const amount = (text) => Number(text.replace(/[^\d-]/g, ""));
  assert.ok(amount(after) > amount(before), `${before} → ${after}`);

  await s.open("budgets");
  await s.until(async () => (await s.rows('[data-testid="templates"] table'))[0]?.[0] === "Sam's route", "the template list");
  await s.click('[data-testid="budget-new"]');
  await s.type('[data-testid="budget-form"] input[name="year"]', String(nextYear + 1));
  await s.choose('[data-testid="budget-form"] select[name="start"]', "template: Sam's route");
  await s.click('[data-testid="budget-create"]');
  await s.until(async () => (await s.count('[data-testid="budget-grid"] tbody tr')) > 30, "the grid filled from the template");
  assert.equal(await s.text('[data-testid="budget-status"]'), "draft");
  await s.screenshot("budget-from-template");
});
