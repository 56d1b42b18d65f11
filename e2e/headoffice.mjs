// A real head office for end-to-end tests: PostgreSQL started from the
// system's initdb/pg_ctl in a temp dir on a free port, and the salesplan-server
// binary serving on loopback.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT, tempDir } from "./webdriver.mjs";

const SERVER = join(ROOT, "target", "debug", "salesplan-server");

function pgBin() {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  const bin = join("/usr/lib/postgresql", versions[0], "bin");
  if (!existsSync(join(bin, "initdb"))) throw new Error(`no initdb under ${bin}: run scripts/setup.sh`);
  return bin;
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, its tools run as the postgres user. */
function pg(tool, args) {
  const command = join(pgBin(), tool);
  const asRoot = process.getuid?.() === 0;
  return execFileSync(asRoot ? "runuser" : command, asRoot ? ["-u", "postgres", "--", command, ...args] : args, {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export async function startHeadOffice() {
  const dir = tempDir("salesplan-headoffice-");
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  pg("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const pgPort = await freePort();
  pg("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-o", `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "-w", "start"]);
  pg("createdb", ["-h", "127.0.0.1", "-p", String(pgPort), "-U", "postgres", "salesplan"]);
  const env = { ...process.env, SALESPLAN_DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/salesplan` };
  const admin = (args, extra = {}) => execFileSync(SERVER, args, { env: { ...env, ...extra }, encoding: "utf8" });
  admin(["migrate"]);
  admin(["company", "create", "--name", "Lakeside Trading GmbH", "--currency", "EUR"]);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let serving = null;
  const headOffice = {
    url,
    /** Runs a `salesplan-server` administration command. */
    admin,
    async serve() {
      serving = spawn(SERVER, ["serve", "--listen", `127.0.0.1:${port}`], { env, stdio: "ignore" });
      for (let attempt = 0; attempt < 100; attempt++) {
        if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return;
        await sleep(100);
      }
      throw new Error(`salesplan-server did not answer on ${url}`);
    },
    async halt() {
      if (!serving || serving.exitCode !== null) return;
      const exited = new Promise((resolve) => serving.once("exit", resolve));
      serving.kill();
      await exited;
    },
    async stop() {
      await headOffice.halt();
      try {
        pg("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
      } catch {}
    },
  };
  await headOffice.serve();
  return headOffice;
}
