// Benchmark (not a test): how long the real app takes from clicking "Open" on a
// budget to the grid being drawn, timed inside the page. Run after building the app:
//   node e2e/bench-grid.mjs
import { launchApp } from "./webdriver.mjs";

const app = await launchApp("bench-grid");
const s = app.session;
try {
  await s.signIn("admin", "salesplan-demo");
  const year = new Date().getUTCFullYear();
  // One budget per salesman from last year's actuals: about 40 products × 12 months each.
  const created = await s.execute(
    `const done = arguments[arguments.length - 1];
     const invoke = window.__TAURI_INTERNALS__.invoke;
     invoke("budgets_salesmen", {}).then(async (salesmen) => {
       let lines = 0;
       for (const salesman of salesmen) {
         const sheet = await invoke("budgets_create", { new_budget: { fiscal_year: ${year}, scenario: "Bench",
           owner: { kind: "salesman", id: salesman.id }, from_last_year_percent: "0" } });
         lines += sheet.lines.length;
       }
       done({ budgets: salesmen.length, lines });
     }, (error) => done({ error }));`,
  );
  console.log(`set-up: ${created.budgets} budgets, ${created.lines} lines`);
  await s.open("budgets");
  const times = [];
  for (let run = 0; run < 10; run++) {
    await s.find('[data-testid="budget-open"]');
    const elapsed = await s.execute(
      `const done = arguments[arguments.length - 1];
       const index = arguments[0];
       const start = performance.now();
       document.querySelectorAll('[data-testid="budget-open"]')[index].click();
       const check = () => {
         const rows = document.querySelectorAll('[data-testid="budget-grid"] tbody tr').length;
         if (rows >= 30) requestAnimationFrame(() => done(performance.now() - start));
         else requestAnimationFrame(check);
       };
       check();`,
      [run % created.budgets],
    );
    times.push(elapsed);
    await s.click(".page-actions button");
  }
  times.sort((a, b) => a - b);
  console.log(`open a budget in the grid: median ${times[5].toFixed(1)} ms, best ${times[0].toFixed(1)} ms, worst ${times[9].toFixed(1)} ms (10 runs)`);
} finally {
  await app.stop();
}
