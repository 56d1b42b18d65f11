// Benchmark (not a test): how long the real app takes from clicking
// "Inventory" to the stock table's first rows drawn, with about 10,000 items
// (the demo's 240 and 1,660 more products at each of its six locations),
// timed inside the page. Run after building the app and the CLI:
//   node e2e/bench-inventory.mjs
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDemo, launchApp, ROOT } from "./webdriver.mjs";

const PRODUCTS = 1_660;
const LOCATIONS = ["WH-1", "BR-C", "BR-E", "BR-N", "BR-S", "BR-W"];
const demo = createDemo();
const ledger = join(demo.ledgerDir, "ledger.db");
const cli = (user, ...args) =>
  execFileSync(join(ROOT, "target", "debug", "salesplan"), ["--db", ledger, "--user", user, ...args], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, SALESPLAN_PASSWORD: "salesplan-demo" },
  });
const products = join(demo.ledgerDir, "products.csv");
const stock = join(demo.ledgerDir, "stock.csv");
const skus = Array.from({ length: PRODUCTS }, (_, n) => `BULK-${String(n).padStart(4, "0")}`);
writeFileSync(
  products,
  `SKU,Name,Category,Unit,List price,Active\n${skus.map((sku, n) => `${sku},Bulk item ${n},BEV,case,2.00,yes`).join("\n")}\n`,
);
const day = `${demo.lastMonth}-01`;
writeFileSync(
  stock,
  `Date,Location,Product,Quantity,Kind,Note\n${LOCATIONS.flatMap((location) =>
    skus.map((sku, n) => `${day},${location},${sku},${10 + (n % 90)},receipt,opening`),
  ).join("\n")}\n`,
);
cli("admin", "import", products, "--kind", "products");
cli("sven", "import", stock, "--kind", "stock");
const items = JSON.parse(cli("sven", "--json", "stock")).length;

const app = await launchApp("bench-inventory", {}, { ledgerDir: demo.ledgerDir });
const s = app.session;
try {
  await s.signIn("sven", "salesplan-demo");
  await s.find('[data-testid="stock-table"] tbody tr');
  const times = [];
  for (let run = 0; run < 10; run++) {
    await s.open("purchasing");
    await s.find('[data-testid="orders-none"], [data-testid="orders"]');
    const elapsed = await s.execute(
      `const done = arguments[arguments.length - 1];
       const start = performance.now();
       document.querySelector('nav [data-screen="inventory"]').click();
       const check = () => {
         const rows = document.querySelectorAll('[data-testid="stock-table"] tbody tr:not(.spacer)').length;
         if (rows >= 20) requestAnimationFrame(() => done({ ms: performance.now() - start, rows }));
         else requestAnimationFrame(check);
       };
       check();`,
    );
    times.push(elapsed);
  }
  const sorted = times.map((time) => time.ms).sort((a, b) => a - b);
  console.log(
    `inventory first paint, ${items} items (${times[0].rows} rows drawn): median ${sorted[5].toFixed(1)} ms, best ${sorted[0].toFixed(1)} ms, worst ${sorted[9].toFixed(1)} ms (10 runs)`,
  );
} finally {
  await app.stop();
}
