// Issue #5 end to end, in the real app: a salesman overrides next month's
// forecast of one product with a reason and sees the final row and the chart
// change; the administrator closes last month and its snapshot is scored.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchApp } from "./webdriver.mjs";

const PASSWORD = "salesplan-demo";
const SOAP = "HOU-020 Dish Soap 750ml";
let app;
let s;

before(async () => {
  app = await launchApp("forecast");
  s = app.session;
});

after(async () => {
  await app?.stop();
});

const showChart = () =>
  s.call("POST", "/execute/sync", {
    script: "document.querySelector('[data-testid=\"forecast-chart\"]').scrollIntoView();",
    args: [],
  });

/** The final forecast the chart draws for the `month`-th month ahead (from the series it was given). */
const chartPoint = (month) =>
  s.call("POST", "/execute/sync", {
    script: `const figure = document.querySelector('[data-testid="forecast-chart"]');
      if (!figure || !figure.querySelector("canvas")) return null;
      const final = JSON.parse(figure.dataset.series).find((one) => one.name === "Final forecast");
      return final ? final.data.filter((value) => value !== null)[arguments[0]] ?? null : null;`,
    args: [month],
  });

test("a salesman overrides next month for one product with a reason; final and chart change", async () => {
  await s.signIn("sam", PASSWORD);
  await s.open("forecast");
  await s.find('[data-testid="forecast-grid"]');
  await s.choose('select[name="level"]', "product");
  const soapRow = `tr.final-row[data-row="${SOAP}"]`;
  await s.find(soapRow);
  // Clicking a product (the bottom level) charts it.
  await s.click(`tr[data-row="${SOAP}"] td button.link`);
  await s.until(async () => (await s.text('[data-testid="forecast-chart"] figcaption')).startsWith(SOAP), "the soap chart");
  const before = Number(await chartPoint(1));
  assert.ok(before > 0 && before < 500, `next month's forecast ${before}`);
  await showChart();
  await s.screenshot("forecast-before");

  await s.click(`${soapRow} [data-testid="final-1"] button`);
  await s.find('[data-testid="override-form"]');
  // The form opens beside the grid, in the window, with the focus in it.
  assert.ok(await s.inView('[data-testid="override-form"] input[name="override-value"]'), "the form is in view");
  assert.equal(await s.focused(), "override-value");
  await s.screenshot("override-form");
  await s.type('input[name="override-value"]', "500");
  await s.click('[data-testid="override-save"]');
  const refused = await s.until(async () => s.text('[data-testid="override-form"] [data-testid="error"]'), "the refusal");
  assert.equal(refused, "reason: say why the forecast is overridden");

  await s.type('input[name="override-reason"]', "Shelf promotion agreed with Corner Markets");
  await s.click('[data-testid="override-save"]');
  const notice = await s.until(async () => s.text('[data-testid="notice"]'), "the saved override");
  assert.equal(notice, `Override saved for Sam Becker › ${SOAP}: Shelf promotion agreed with Corner Markets`);
  assert.ok(await s.inView('[data-testid="notice"]'), "the notice is a toast in the window");
  const cells = await s.until(async () => {
    const rows = await s.rows('[data-testid="forecast-grid"]');
    const at = rows.findIndex((row) => row[0].startsWith(SOAP));
    return at >= 0 && rows[at + 1]?.[2] === "500" && rows.slice(at, at + 3);
  }, "the override row");
  // Baseline row: label, "Baseline", months…; override row: "Override", months…; final row: "Final", months…
  assert.notEqual(cells[0][3], "500", "the baseline is unchanged");
  assert.equal(cells[1][2], "500");
  assert.equal(cells[1][1], "", "only next month is overridden");
  assert.equal(cells[2][2], "500");
  await s.until(async () => Number(await chartPoint(1)) === 500, "the chart's new point");
  // The list of overrides reloads after the grid: wait for its row.
  const overrides = await s.until(async () => {
    const rows = await s.rows('[data-testid="overrides"]');
    return rows.length > 0 && rows;
  }, "the override in the list");
  assert.deepEqual(overrides[0].slice(2, 5), ["= 500", "Shelf promotion agreed with Corner Markets", "Sam Becker"]);
  await showChart();
  await s.screenshot("forecast-overridden");
});

test("the administrator closes last month; its snapshot is scored and the landing estimate shows", async () => {
  await s.signOut();
  await s.signIn("admin", PASSWORD);
  await s.open("forecast");
  const status = await s.until(async () => s.text('[data-testid="forecast-status"]'), "the forecast status");
  // The forecast says its first month has ended but is still open, and why.
  const closing = (await s.text('[data-testid="forecast-close"]')).replace("Close ", "");
  assert.match(await s.text('[data-testid="open-month"]'), new RegExp(`starts at ${closing}, which has ended but is not closed yet`));
  // Closing asks first, saying what it freezes; cancelling leaves the month open.
  await s.click('[data-testid="forecast-close"]');
  const summary = await s.until(async () => s.text('[data-testid="close-summary"]'), "the close confirmation");
  assert.match(summary, new RegExp(`^This freezes [\\d,]+ sales records of ${closing} \\([\\d,.]+ units, €[\\d,.]+\\)`));
  await s.screenshot("close-confirm");
  await s.click('[data-testid="confirm"] button.secondary');
  assert.equal(await s.count('[data-testid="confirm"]'), 0);
  assert.equal(await s.text('[data-testid="forecast-status"]'), status, "nothing closed");
  await s.click('[data-testid="forecast-close"]');
  await s.click('[data-testid="confirm-yes"]');
  const notice = await s.until(async () => s.text('[data-testid="notice"]'), "the close", 30_000);
  assert.match(notice, /closed: its sales are frozen/);
  const after = await s.until(async () => {
    const text = await s.text('[data-testid="forecast-status"]');
    return text !== status && text;
  }, "the rolled window");
  assert.match(after, /Forecast from \w+ \d{4} for 12 months/);
  const snapshots = await s.until(async () => {
    const rows = await s.rows('[data-testid="accuracy-snapshots"]');
    return rows.length === 7 && rows;
  }, "seven scored snapshots");
  assert.equal(snapshots[6][0], `as of ${closing}`, "the newest snapshot is of the month just closed");
  assert.match(snapshots[6][3], /^\d+ %$/, "its typical error");
  assert.match(snapshots[6][4], /^(too (high|low) by \d+ %|about right)$/);
  // Plain words first; the measures behind the toggle.
  assert.match(
    await s.text('[data-testid="accuracy-sentence"]'),
    /^Over \d+ month forecasts scored, the forecast was typically \d+ % off, (leaning too (high|low) by \d+ %|with no lean either way), and did (better|worse|about as good) /,
  );
  const methods = (await s.rows('[data-testid="accuracy-methods"]')).map((row) => row[0]);
  assert.ok(methods.includes("Same month last year"), methods.join(", "));
  assert.ok(!methods.some((name) => /_|croston|tsb/.test(name)), methods.join(", "));
  assert.equal(await s.inView('[data-testid="accuracy-details"] table'), false, "the measures are folded away");
  await s.click('[data-testid="accuracy-details"] summary');
  await s.screenshot("forecast-accuracy");

  await s.open("overview");
  const landing = await s.until(async () => s.text('[data-testid="landing-value"]'), "the landing estimate");
  assert.match(landing, /€/);
  // The demo company's plans for the year are approved: the landing is set
  // against them, the gap is landing − budget, and no plan is missing.
  const euros = (text) => Number(text.replace(/[^\d.-]/g, ""));
  const budget = euros(await s.text('[data-testid="landing-budget"]'));
  const gap = await s.text('[data-testid="landing-gap"]');
  assert.match(gap, /^[+-]€[\d,]+(\.\d\d)? \([+-]?[\d.]+ %\)$/);
  // Each figure is rounded to the euro as shown.
  assert.ok(Math.abs(euros(landing) - budget - euros(gap.split(" (")[0])) <= 2, `${landing} − ${budget} vs ${gap}`);
  assert.equal(await s.count('[data-testid="no-plan"]'), 0);
  await s.screenshot("overview-landing");
});
