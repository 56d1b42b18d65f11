// Measures the app as a user starts it: the time from launch to the sign-in
// drawn, and after signing in, the memory (PSS) of the app's process and of
// WebKit's processes on the overview. Prints one JSON line.
//
//   SALESPLAN_APP=target/release/salesplan-desktop node e2e/measure-app.mjs
//   farm-bench … 'node e2e/measure-app.mjs'      (the start time, over runs)
import { readdirSync, readFileSync } from "node:fs";
import { createDemo, launchApp } from "./webdriver.mjs";

/** PSS in kB of every process whose command name starts with one of `names`. */
function pss(names) {
  const found = [];
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (!names.some((name) => comm.startsWith(name))) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      const kb = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      found.push({ pid: Number(pid), comm, kb });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

// A ledger made beforehand: a normal start, not the first one (which makes the demo company).
const demo = createDemo();
const started = performance.now();
const app = await launchApp("measure", {}, { ledgerDir: demo.ledgerDir });
try {
  const s = app.session;
  await s.find('[data-testid="sign-in-form"]');
  const toSignIn = performance.now() - started;
  await s.signIn("admin", "salesplan-demo");
  await s.find('[data-testid="home-ytd-actual"]');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const processes = pss(["salesplan-deskt", "WebKitWebProces", "WebKitNetworkPr"]);
  const mb = (kb) => Math.round(kb / 1024);
  const app_kb = processes.filter((p) => p.comm.startsWith("salesplan")).reduce((sum, p) => sum + p.kb, 0);
  const total_kb = processes.reduce((sum, p) => sum + p.kb, 0);
  console.log(
    JSON.stringify({
      start_to_sign_in_ms: Math.round(toSignIn),
      pss_total_mb: mb(total_kb),
      pss_app_mb: mb(app_kb),
      processes: processes.map((p) => `${p.comm} ${mb(p.kb)} MB`),
    }),
  );
} finally {
  await app.stop();
}
