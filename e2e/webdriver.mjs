// A small W3C WebDriver client over fetch, and the harness that starts Xvfb,
// tauri-driver (with WebKitWebDriver) and the real app binary on a fresh ledger.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const ROOT = resolve(import.meta.dirname, "..");
export const SHOTS = join(ROOT, "test-output", "e2e");
/** Each test file saves its screenshots in a folder of its own. */
const shotsFor = (name) => join(SHOTS, name);

// Temp folders made by this test file's process, removed when it exits (a
// ledger is 27 MB: a few hundred runs would fill a CI machine's disk).
const made = [];
process.on("exit", () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new temp folder, `prefix` and random letters, removed when the test process ends. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

async function request(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    // A hung WebDriver call fails fast, naming the call, instead of stalling the suite.
    signal: AbortSignal.timeout(30_000),
  }).catch((error) => {
    throw new Error(`${method} ${path}: ${error.message}`);
  });
  const payload = await response.json();
  if (!response.ok) {
    const { error, message } = payload.value ?? {};
    throw new Error(`${method} ${path}: ${JSON.stringify(error ?? response.status)} ${JSON.stringify(message ?? "")}`);
  }
  return payload.value;
}

async function waitForPort(port, what) {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await fetch(`http://127.0.0.1:${port}/status`);
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${what} did not start on port ${port}`);
}

/**
 * Makes a ledger holding the demo company in a new folder with the CLI, as the
 * app's first start would, and answers the folder and the months the demo's
 * sales run over (`YYYY-MM`): tests take their dates from these, never from a
 * literal year or their own clock. Launch the app on it with `{ ledgerDir }`.
 */
export function createDemo() {
  const ledgerDir = tempDir("salesplan-e2e-");
  const cli = join(ROOT, "target", "debug", "salesplan");
  const made = JSON.parse(execFileSync(cli, ["--json", "demo", "--db", join(ledgerDir, "ledger.db")], { encoding: "utf8" }));
  return { ledgerDir, firstMonth: made.first_period, lastMonth: made.last_period };
}

/**
 * Starts everything; returns the session and a stop() that tears it all down.
 * `ledgerDir`: open the ledger an earlier launch left there. `keyringDir`: run
 * the app in a D-Bus session of its own with GNOME Keyring unlocked, keeping
 * its keyring in that folder (so a later launch finds what this one kept).
 */
export async function launchApp(name, extraEnv = {}, { ledgerDir, keyringDir } = {}) {
  const binary = process.env.SALESPLAN_APP ?? join(ROOT, "target", "debug", "salesplan-desktop");
  ledgerDir ??= tempDir("salesplan-e2e-");
  const env = {
    ...process.env,
    SALESPLAN_DB: join(ledgerDir, "ledger.db"),
    SALESPLAN_DOWNLOADS: join(ledgerDir, "downloads"),
    // Watched folders are scanned every second, not every 30, so a test sees them work.
    SALESPLAN_WATCH_SECONDS: "1",
    ...extraEnv,
  };
  const children = [];
  if (!env.DISPLAY) {
    // A display no X server holds: a test file's Xvfb must never be an earlier one still shutting down.
    const free = Array.from({ length: 60 }, (_, i) => 90 + i).filter((n) => !existsSync(`/tmp/.X${n}-lock`));
    const display = `:${free[Math.floor(Math.random() * free.length)] ?? 99}`;
    children.push(spawn("Xvfb", [display, "-screen", "0", "1400x900x24"], { stdio: "ignore" }));
    env.DISPLAY = display;
    await sleep(500);
  }
  const port = 4444 + Math.floor(Math.random() * 500);
  const driverArgs = ["--port", String(port), "--native-port", String(port + 1)];
  const driver = keyringDir
    ? spawn(
        "dbus-run-session",
        [
          "--",
          "sh",
          "-c",
          'printf e2e-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec tauri-driver "$@"',
          "tauri-driver",
          ...driverArgs,
        ],
        {
          env: { ...env, XDG_DATA_HOME: keyringDir, XDG_RUNTIME_DIR: keyringDir },
          stdio: ["ignore", "inherit", "inherit"],
          // Its own process group: stop() ends the bus, the keyring and the driver together.
          detached: true,
        },
      )
    : spawn("tauri-driver", driverArgs, { env, stdio: ["ignore", "inherit", "inherit"] });
  children.push(driver);
  await waitForPort(port, "tauri-driver");
  const base = `http://127.0.0.1:${port}`;
  const created = await request(base, "POST", "/session", {
    capabilities: { alwaysMatch: { "tauri:options": { application: binary } } },
  });
  const session = new Session(base, created.sessionId, shotsFor(name));
  await session.call("POST", "/timeouts", { implicit: 10_000 });
  // Only this run's screenshots: an earlier run's would mix in.
  rmSync(shotsFor(name), { recursive: true, force: true });
  mkdirSync(shotsFor(name), { recursive: true });
  return {
    session,
    ledgerDir,
    ledgerPath: env.SALESPLAN_DB,
    downloadsPath: env.SALESPLAN_DOWNLOADS,
    async stop() {
      await session.call("DELETE", "").catch(() => {});
      // Wait for each to exit, so the next test file starts on a clean slate.
      for (const child of children.reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        if (child.spawnargs[0] === "dbus-run-session") process.kill(-child.pid, "SIGTERM");
        else child.kill();
        await Promise.race([exited, sleep(5_000)]);
      }
    },
  };
}

export class Session {
  constructor(base, id, shots) {
    this.base = base;
    this.id = id;
    this.shotsDir = shots;
    this.shots = 0;
  }

  call(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    try {
      const found = await this.call("POST", "/element", { using: "css selector", value: css });
      return found[ELEMENT];
    } catch (error) {
      // What the window showed instead, to see why.
      const shot = await this.screenshot(`not-found-${css.replaceAll(/[^a-z0-9]+/gi, "-")}`).catch(() => "no screenshot");
      throw new Error(`${error.message}: ${css} (window: ${shot})`);
    }
  }

  async findAll(css) {
    const found = await this.call("POST", "/elements", { using: "css selector", value: css });
    return found.map((element) => element[ELEMENT]);
  }

  /**
   * Runs `act` on the element `css` finds; if React replaced that element
   * between finding and acting (a re-render after a sync or a load), finds it
   * again, as a user's second look would.
   */
  async onElement(css, act) {
    for (let attempt = 1; ; attempt++) {
      const element = await this.find(css);
      try {
        return await act(element);
      } catch (error) {
        if (attempt === 3 || !error.message.includes("stale element reference")) throw error;
      }
    }
  }

  async click(css) {
    try {
      await this.onElement(css, async (element) => {
        // As a user would: scroll the page and any scrolling table so it is in the middle of the window.
        await this.call("POST", "/execute/sync", {
          script: "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
          args: [{ [ELEMENT]: element }],
        });
        await this.call("POST", `/element/${element}/click`, {});
      });
    } catch (error) {
      const shot = await this.screenshot(`not-clicked-${css.replaceAll(/[^a-z0-9]+/gi, "-")}`).catch(() => "no screenshot");
      throw new Error(`${error.message}: ${css} (window: ${shot})`);
    }
  }

  async type(css, text) {
    await this.onElement(css, async (element) => {
      await this.call("POST", `/element/${element}/clear`, {});
      await this.call("POST", `/element/${element}/value`, { text });
    });
  }

  async text(css) {
    return this.onElement(css, (element) => this.call("GET", `/element/${element}/text`));
  }

  /** Picks the <option> of a <select> whose text contains `label`, once the options have loaded. */
  async choose(selectCss, label) {
    const option = await this.until(async () => {
      for (const candidate of await this.findAll(`${selectCss} option`)) {
        const text = await this.call("GET", `/element/${candidate}/text`);
        if (text.includes(label)) return candidate;
      }
      return null;
    }, `an option "${label}" in ${selectCss}`);
    await this.call("POST", `/element/${option}/click`, {});
  }

  /** Waits until `check()` returns a truthy value (the UI updates asynchronously). */
  async until(check, what, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      try {
        last = await check();
        if (last) return last;
      } catch (error) {
        last = error;
      }
      await sleep(150);
    }
    // What the window showed, to see why.
    const shot = await this.screenshot(`timed-out-${what.replaceAll(/[^a-z0-9]+/gi, "-")}`).catch(() => "no screenshot");
    throw new Error(`timed out waiting for ${what} (last: ${last}; window: ${shot})`);
  }

  /** How many elements match, without waiting for any to appear. */
  count(css) {
    return this.call("POST", "/execute/sync", { script: "return document.querySelectorAll(arguments[0]).length;", args: [css] });
  }

  /** Whether the element lies wholly inside the window (seen without scrolling). */
  inView(css) {
    return this.call("POST", "/execute/sync", {
      script: `const box = document.querySelector(arguments[0])?.getBoundingClientRect();
        return !!box && box.width > 0 && box.top >= 0 && box.left >= 0
          && box.bottom <= window.innerHeight && box.right <= window.innerWidth;`,
      args: [css],
    });
  }

  /** The name (or test id) of the control that has the keyboard focus. */
  focused() {
    return this.call("POST", "/execute/sync", {
      script: "const at = document.activeElement; return at?.getAttribute('name') ?? at?.dataset.testid ?? at?.tagName ?? null;",
      args: [],
    });
  }

  /** The text of each body cell of a table, row by row. */
  rows(tableCss) {
    return this.call("POST", "/execute/sync", {
      script: `return [...document.querySelectorAll(arguments[0] + " tbody tr")]
        .map((row) => [...row.cells].map((cell) => cell.textContent.trim()));`,
      args: [tableCss],
    });
  }

  /** Runs async script in the page; `done` is the last argument, as WebDriver passes it. */
  execute(script, args = []) {
    return this.call("POST", "/execute/async", { script, args });
  }

  async signIn(username, password) {
    await this.type('input[name="username"]', username);
    await this.type('input[name="password"]', password);
    await this.click('[data-testid="sign-in-form"] button[type="submit"]');
    await this.find('[data-testid="navigation"]');
  }

  async signOut() {
    await this.click('[data-testid="sign-out"]');
    await this.find('[data-testid="sign-in-form"]');
  }

  async navigationLabels() {
    const buttons = await this.findAll('[data-testid="navigation"] button');
    // A label without its unread count ("Alerts 3" is "Alerts").
    const texts = await Promise.all(buttons.map((button) => this.call("GET", `/element/${button}/text`)));
    return texts.map((text) => text.replace(/\s*\d+$/, ""));
  }

  async open(screen) {
    await this.click(`[data-testid="navigation"] button[data-screen="${screen}"]`);
  }

  async screenshot(name) {
    // What the DOM holds, painted: wait two frames so the shot is not of the frame before.
    await this.execute("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));").catch(() => {});
    this.shots += 1;
    const png = await this.call("GET", "/screenshot");
    const file = join(this.shotsDir, `${String(this.shots).padStart(3, "0")}-${name}.png`);
    writeFileSync(file, Buffer.from(png, "base64"));
    return file;
  }
}
