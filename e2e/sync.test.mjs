// Issue #6 end to end: the real app syncs with a real head office (PostgreSQL
// + salesplan-server). The administrator connects the demo ledger and its
// changes go up; a user added at head office arrives with "Sync now"; with
// head office down the app says it works offline; once head office revokes the
// sign-in, the app asks for it again. The app runs with a real GNOME Keyring
// (its own D-Bus session): the sign-in survives closing and reopening it.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startHeadOffice } from "./headoffice.mjs";
import { launchApp } from "./webdriver.mjs";

const DEMO_PASSWORD = "salesplan-demo";
const HEAD_OFFICE_PASSWORD = "head-office-pass-1";
let headOffice;
let app;
let s;
const keyringDir = mkdtempSync(join(tmpdir(), "salesplan-keyring-"));
// Background syncs every 2 s, so the sidebar follows without a click.
const launch = (name, ledgerDir) => launchApp(name, { SALESPLAN_SYNC_SECONDS: "2" }, { ledgerDir, keyringDir });

before(async () => {
  headOffice = await startHeadOffice();
  headOffice.admin(["user", "add", "admin", "--role", "administrator"], {
    SALESPLAN_NEW_PASSWORD: HEAD_OFFICE_PASSWORD,
  });
  app = await launch("sync");
  s = app.session;
});

after(async () => {
  await app?.stop();
  await headOffice?.stop();
  rmSync(keyringDir, { recursive: true, force: true });
});

const line = () => s.text('[data-testid="sync-line"]');

/** Head office's feed as the administrator reads it: the kinds of record it holds. */
async function headOfficeHolds() {
  const login = await fetch(`${headOffice.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: HEAD_OFFICE_PASSWORD }),
  }).then((r) => r.json());
  const health = await fetch(`${headOffice.url}/health`).then((r) => r.json());
  const entities = new Map();
  let cursor = 0;
  for (;;) {
    const page = await fetch(`${headOffice.url}/sync/pull?epoch=${health.epoch}&cursor=${cursor}&limit=1000`, {
      headers: { authorization: `Bearer ${login.token}` },
    }).then((r) => r.json());
    for (const change of page.changes) entities.set(change.entity, (entities.get(change.entity) ?? 0) + 1);
    cursor = page.cursor;
    if (!page.more) return entities;
  }
}

test("the administrator connects the demo ledger and its changes reach head office", async () => {
  await s.signIn("admin", DEMO_PASSWORD);
  await s.until(async () => (await line()) === "Not connected to head office", "the sidebar's sync line");
  // The sidebar line re-renders as the background loop reports; click until the screen is open.
  await s.until(async () => {
    await s.click('[data-testid="sync-line"]');
    return (await s.text("h1")) === "Head office";
  }, "the Head office screen");
  await s.type('[data-testid="sync-connect"] input[name="server"]', headOffice.url);
  await s.type('[data-testid="sync-connect"] input[name="password"]', HEAD_OFFICE_PASSWORD);
  await s.click('[data-testid="sync-sign-in"]');
  await s.until(async () => (await s.text('[data-testid="sync-server"]')) === `${headOffice.url} as admin`, "connected", 90_000);
  // The demo's history goes up in the background; nothing waits once it is done.
  await s.until(
    async () => (await line()).startsWith("Synced") && (await s.text('[data-testid="sync-pending"]')) === "0",
    "the first sync",
    180_000,
  );
  await s.screenshot("head-office-synced");
  // The token went into the keychain: no note that it could not be kept.
  assert.equal(await s.count('[data-testid="sync-notes"] p'), 0, await s.text("main"));
  const held = await headOfficeHolds();
  assert.ok(held.get("product") >= 40, `products at head office: ${held.get("product")}`);
  // The demo's closed months went up; the salesmen's sales wait for their accounts at head office.
  assert.ok(held.get("closed_month") >= 6, `closed months at head office: ${held.get("closed_month")}`);
  assert.equal(held.get("actual_sale") ?? 0, 0, "no sale names an account head office knows yet");
  assert.match(
    await s.text('[data-testid="sync-staying"]'),
    /changes: names \w+, whom head office does not know yet: add \w+ at head office, then sync again/,
  );
  assert.deepEqual(await s.rows('[data-testid="conflicts-table"]'), []);
});

test("a user added at head office arrives with Sync now, and her history goes up", async () => {
  headOffice.admin(
    ["user", "add", "nina", "--name", "Nina Hofmann", "--role", "salesman", "--department", "WHS", "--branch", "BR-N"],
    { SALESPLAN_NEW_PASSWORD: "nina-pass-123" },
  );
  await s.click('[data-testid="sync-now"]');
  await s.until(async () => (await s.text(".notice")).startsWith("Synced:"), "sync now");
  // The sync brings nina's account, and her sales go in the same sync.
  await s.until(async () => ((await headOfficeHolds()).get("actual_sale") ?? 0) > 1000, "nina's sales at head office");
  assert.doesNotMatch(await s.text('[data-testid="sync-status"]'), /names nina/);
  await s.screenshot("head-office-nina-added");
  await s.open("users");
  await s.until(
    async () => (await s.rows('[data-testid="users-table"]')).some((row) => row.join(" ").includes("nina")),
    "nina in the users list",
  );
});

test("the sign-in is kept in the keychain: the app reopened syncs without asking for it", async () => {
  const { ledgerDir } = app;
  await app.stop();
  app = await launch("sync-reopened", ledgerDir);
  s = app.session;
  // Connecting took head office's password for the account the ledger syncs as:
  // it signs in on the laptop now, and the demo's no longer does.
  await s.type('[data-testid="sign-in-form"] input[name="username"]', "admin");
  await s.type('[data-testid="sign-in-form"] input[name="password"]', DEMO_PASSWORD);
  await s.click('[data-testid="sign-in-form"] button[type="submit"]');
  await s.until(async () => (await s.text('[data-testid="sign-in-form"]')).includes("wrong username or password"), "the demo password refused");
  await s.signIn("admin", HEAD_OFFICE_PASSWORD);
  await s.until(async () => (await line()).startsWith("Synced"), "a sync with the kept sign-in", 60_000);
  await s.open("sync");
  assert.equal(await s.text('[data-testid="sync-server"]'), `${headOffice.url} as admin`);
  assert.equal(await s.count('[data-testid="sync-connect"]'), 0, "no sign-in form");
});

test("with head office down the app works offline, and syncs again when it is back", async () => {
  await headOffice.halt();
  await s.open("sync");
  await s.click('[data-testid="sync-now"]');
  await s.until(async () => (await s.text('[data-testid="error"]')).includes("cannot be reached"), "the offline note");
  await s.until(async () => (await line()).startsWith("Offline"), "the sidebar says offline");
  await s.screenshot("head-office-offline");
  await headOffice.serve();
  await s.click('[data-testid="sync-now"]');
  await s.until(async () => (await line()).startsWith("Synced"), "synced again");
});

test("a sign-in head office revoked is refused and asked for again", async () => {
  headOffice.admin(["user", "deactivate", "admin"]);
  // The app syncs on its own every 2 s here: its own sync or "Sync now", whichever
  // comes first, meets the refusal (the button goes when the sign-in does).
  if ((await s.count('[data-testid="sync-now"]')) === 1) await s.click('[data-testid="sync-now"]').catch(() => {});
  await s.until(async () => (await s.count('[data-testid="sync-connect"]')) === 1, "the sign-in form again");
  assert.match(await s.text('[data-testid="sync-notes"]'), /no longer honours this laptop's sign-in/);
  assert.equal(await line(), "Head office: sign in to sync");
  await s.screenshot("head-office-revoked");
});
