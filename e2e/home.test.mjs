// Issue #16, the home screen, end to end in the real app: each role opens on
// the widgets its work needs, within its scope; the figures agree with the
// chart drawn beside them and with the screens they stand for; a user
// rearranges their home and finds it so after signing in again, while another
// user's stays as it was; a branch manager sets an alert rule and meets it
// in her alert centre, and pins a shared report to her home. The slow figures
// are kept between openings and worked out again when the ledger changes.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchApp, ROOT } from "./webdriver.mjs";

const PASSWORD = "salesplan-demo";
let app;
let s;

before(async () => {
  app = await launchApp("home");
  s = app.session;
});

after(async () => {
  await app?.stop();
});

const euros = (text) => Number(text.replace(/[^\d.-]/g, ""));

/** The CLI on the app's ledger, as `user`; its JSON answer. */
const cliAs = (user, ...args) =>
  JSON.parse(
    execFileSync(join(ROOT, "target", "debug", "salesplan"), ["--db", app.ledgerPath, "--user", user, "--json", ...args], {
      encoding: "utf8",
      env: { ...process.env, SALESPLAN_PASSWORD: PASSWORD },
    }),
  );
const cli = (...args) => cliAs("admin", ...args);

/** When the home screen's digest was worked out, and whether it still holds. */
const digest = async () => {
  await s.find('[data-testid="home-digest"]');
  return run(`const stamp = document.querySelector('[data-testid="home-digest"]').dataset;
    return { at: stamp.computedAt, current: stamp.current === "true" };`);
};

/** The products that rose most, as the movers widget lists them. */
const risingProducts = () =>
  run(`return Array.from(document.querySelectorAll('[data-testid="widget-movers"] table:first-of-type tr'))
    .filter((row) => row.cells[0]?.textContent === "▲").map((row) => row.cells[1].textContent);`);
const run = (script) => s.call("POST", "/execute/sync", { script, args: [] });

/** The widgets on the home screen, top to bottom. */
const widgets = () =>
  run("return Array.from(document.querySelectorAll('section.widget')).map((one) => one.dataset.testid.replace('widget-', ''));");

/** The series the trend chart draws, by name. */
const trend = async () => {
  await s.find('[data-testid="home-trend"] canvas');
  const series = JSON.parse(await run("return document.querySelector('[data-testid=\"home-trend\"]').dataset.series;"));
  return Object.fromEntries(series.map((one) => [one.name, one.data]));
};

test("the administrator opens on the company's home: sales against last year and the plan, the landing, what waits", async () => {
  await s.signIn("admin", PASSWORD);
  assert.equal(await s.text(".page h1"), "Home");
  await s.until(async () => (await widgets()).length === 8, "eight widgets");
  assert.deepEqual(await widgets(), ["sales", "insights", "landing", "approvals", "stock", "trend", "movers", "accuracy"]);
  assert.equal(await s.text('[data-testid="home-scope"]'), "Company");

  // The year to date is the sum of the months the chart draws, and the plan is there.
  const ytd = euros(await s.text('[data-testid="home-ytd-actual"]'));
  const series = await trend();
  assert.deepEqual(Object.keys(series), ["Actual", "Last year", "Budget"]);
  const drawn = series.Actual.filter((value) => value !== null);
  assert.ok(drawn.length >= 1 && drawn.length <= 12, JSON.stringify(series.Actual));
  const sum = drawn.reduce((total, value) => total + value, 0);
  assert.ok(Math.abs(sum - ytd) <= 1, `chart ${sum} vs figure ${ytd}`);
  // The latest month's figure is the chart's last bar.
  const month = euros(await s.text('[data-testid="home-month-actual"]'));
  assert.ok(Math.abs(drawn.at(-1) - month) <= 1, `${drawn.at(-1)} vs ${month}`);
  assert.match(await s.text('[data-testid="home-ytd-variance"]'), /%/);
  assert.ok(series.Budget.every((value) => value > 0), "the demo plans every month of its year");

  // The landing is the Forecast's, the approvals the inbox's, the alerts the centre's.
  assert.match(await s.text('[data-testid="widget-landing"] [data-testid="landing-value"]'), /€/);
  assert.match(await s.text('[data-testid="home-approvals-count"]'), /\d+ budgets? waiting/);
  assert.match(await s.text('[data-testid="home-stock-unread"]'), /\d+ unread alert/);
  assert.match(await s.text('[data-testid="home-accuracy"]'), /%/);
  // What stands out: five sentences with their numbers, each opening the screen that shows it.
  assert.equal(await s.count('[data-testid="home-insights"] li'), 5);
  assert.match(await s.text('[data-testid="home-insights"]'), /below the plan .*: volume .*, price .*, mix /);
  await s.screenshot("admin-home");
  const gap = await run(`const items = Array.from(document.querySelectorAll('[data-testid="home-insights"] li'));
    const at = items.findIndex((item) => item.textContent.includes("below the plan"));
    items[at].querySelector("button").click();
    return at;`);
  assert.ok(gap >= 0);
  await s.until(async () => (await s.text(".page h1")) === "Budget vs actual", "the variance the gap is on");
  await s.signOut();
});

test("the movers and insights are kept between openings and worked out again when the ledger changes", async () => {
  await s.signIn("admin", PASSWORD);
  const kept = await digest();
  assert.ok(kept.current, "worked out when the administrator first opened her home");
  const before = await risingProducts();
  // Another process (the CLI, as a watched folder's import would be) sells
  // a great deal of one product in the latest month.
  const month = cli("home").sales.month;
  cli("sales", "add", "--month", month, "--sku", "DRY-010", "--branch", "BR-N", "--salesman", "sam", "--quantity", "100000", "--price", "10");
  // Home again: the kept digest at once, then worked out again in the background.
  await s.open("overview");
  await s.open("home");
  await s.until(async () => {
    const now = await digest();
    return now.current && now.at !== kept.at;
  }, "the digest worked out again");
  const after = await risingProducts();
  assert.notDeepEqual(after, before);
  // The app's ranking is the ledger's: the CLI works it out on its own.
  const ranked = cli("home").movers.products.rising.map((mover) => mover.label);
  assert.deepEqual(after, ranked);
  await s.screenshot("admin-home-after-a-sale");
  await s.signOut();
});

test("a salesman's home is his own sales; he rearranges it and finds it so after signing in again", async () => {
  await s.signIn("sam", PASSWORD);
  await s.until(async () => (await widgets()).length === 6, "six widgets");
  assert.deepEqual(await widgets(), ["sales", "insights", "landing", "trend", "movers", "accuracy"]);
  assert.equal(await s.text('[data-testid="home-scope"]'), "Sam Becker");
  const own = euros(await s.text('[data-testid="home-ytd-actual"]'));

  await s.click('[data-testid="home-arrange"]');
  await s.find('[data-testid="home-arranging"]');
  // Nothing a salesman may not see is offered.
  assert.equal(await s.count('[data-testid="home-add-stock"]'), 0);
  assert.equal(await s.count('[data-testid="home-add-approvals"]'), 0);
  await s.click('[data-testid="home-remove-landing"]');
  await s.until(async () => (await widgets()).length === 5, "landing removed");
  await s.click('[data-testid="home-up-trend"]');
  await s.until(async () => (await widgets())[1] === "trend", "trend moved up");
  await s.screenshot("sam-home-arranging");
  await s.click('[data-testid="home-arrange"]');
  await s.signOut();

  await s.signIn("sam", PASSWORD);
  await s.until(async () => (await widgets()).length === 5, "his arrangement");
  assert.deepEqual(await widgets(), ["sales", "trend", "insights", "movers", "accuracy"]);
  assert.equal(euros(await s.text('[data-testid="home-ytd-actual"]')), own);
  await s.screenshot("sam-home-arranged");
  await s.signOut();

  // The company's home is not his: the administrator's is as it was, and larger.
  await s.signIn("admin", PASSWORD);
  await s.until(async () => (await widgets()).length === 8, "the administrator's default");
  assert.ok(euros(await s.text('[data-testid="home-ytd-actual"]')) > own);
  await s.signOut();

  // Back to his role's default.
  await s.signIn("sam", PASSWORD);
  await s.click('[data-testid="home-arrange"]');
  await s.click('[data-testid="home-reset"]');
  await s.until(async () => (await widgets()).length === 6, "the default again");
  assert.deepEqual(await widgets(), ["sales", "insights", "landing", "trend", "movers", "accuracy"]);
  await s.signOut();
});

test("a manager starts on what waits for her approval and goes to it", async () => {
  await s.signIn("maria", PASSWORD);
  await s.until(async () => (await widgets())[0] === "approvals", "approvals first");
  const waiting = Number((await s.text('[data-testid="home-approvals-count"]')).match(/\d+/)[0]);
  assert.ok(waiting >= 1, "the demo's next-year round waits for maria");
  await s.screenshot("maria-home");
  await s.click('[data-testid="widget-approvals"] button.secondary');
  await s.until(async () => (await s.text(".page h1")) === "Approvals", "the approvals screen");
  await s.signOut();
});

test("a branch manager sets an alert rule, checks it and finds it in her alerts", async () => {
  await s.signIn("bella", PASSWORD);
  const badge = async () => Number((await run("return document.querySelector('[data-testid=\"alert-badge\"]')?.textContent ?? '0'")) || 0);
  await s.open("alerts");
  await s.find('[data-testid="alert-rules"]');
  // Her branch's stock alerts are counted first.
  const before = await s.until(async () => (await badge()) || false, "her alert badge");
  await s.click('[data-testid="rule-new"]');
  await s.type('input[name="rule-name"]', "North sold");
  await s.choose('select[name="rule-measure"]', "Sales of last month");
  await s.choose('select[name="rule-branch"]', "North Branch");
  await s.choose('select[name="rule-condition"]', "above");
  await s.type('input[name="rule-threshold"]', "0");
  await s.screenshot("bella-rule-form");
  await s.click('[data-testid="rule-save"]');
  await s.until(async () => (await s.rows('[data-testid="rules-table"]')).length === 1, "the rule listed");
  await s.click('[data-testid="rules-check"]');
  const row = await s.until(async () => {
    const [rule] = await s.rows('[data-testid="rules-table"]');
    return rule?.[1] === "holds" && rule;
  }, "the rule holds");
  assert.match(row[2], /^North sold: sales in \d{4}-\d{2} are €[\d,]+, above €0\.$/);
  // Unread in the alert centre: the badge counts it.
  await s.open("home");
  await s.open("alerts");
  await s.until(async () => (await badge()) === before + 1, "the badge counts the rule");
  await s.screenshot("bella-rule-holds");
  await s.click('[data-testid="rules-table"] tbody tr button.secondary');
  await s.until(async () => (await badge()) === before, "marked read");
  await s.signOut();
});

test("a branch manager pins a shared report to her home and finds it there, in her branch alone", async () => {
  await s.signIn("bella", PASSWORD);
  await s.open("reports");
  await s.find('[data-testid="saved-report"]');
  await run(`Array.from(document.querySelectorAll('[data-testid="saved-report"]'))
    .find((button) => button.textContent === "Sales by branch against last year").click();`);
  await s.until(async () => (await s.count('[data-testid="report-pin"]')) === 1, "the saved report open");
  await s.click('[data-testid="report-pin"]');
  await s.until(async () => /Pinned/.test(await s.text('[data-testid="notice"]')), "the pin confirmed");

  await s.open("home");
  await s.until(async () => (await widgets()).at(-1)?.startsWith("report-"), "the report last on her home");
  const key = (await widgets()).at(-1);
  assert.equal(await s.text(`[data-testid="widget-${key}"] h2`), "Sales by branch against last year");
  assert.equal(await s.count(`[data-testid="widget-${key}"] canvas, [data-testid="widget-${key}"] table`), 1);
  // What it shows is her scope's: the CLI runs the same pin as she sees it.
  const home = cliAs("bella", "home");
  assert.equal(`report-${home.reports[0].id}`, key);
  assert.equal(home.reports[0].result.rows.length, 1, "her branch, not the company's five");
  await run(`document.querySelector('[data-testid="widget-${key}"]').scrollIntoView();`);
  await s.screenshot("bella-home-pinned-report");
  await s.signOut();
});
