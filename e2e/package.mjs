// The installed package's app (not this checkout's build): it starts under Xvfb
// on a new ledger and draws the sign-in with the demo company. Run by
// scripts/test-package.sh after installing the .deb; SALESPLAN_APP names the
// installed binary.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchApp } from "./webdriver.mjs";

let app;

before(async () => {
  assert.ok(process.env.SALESPLAN_APP, "SALESPLAN_APP: the installed app's binary");
  app = await launchApp("package");
});

after(async () => {
  await app?.stop();
});

test("the installed app opens on the sign-in with the demo company", async () => {
  const s = app.session;
  await s.find('[data-testid="sign-in-form"]');
  await s.signIn("admin", "salesplan-demo");
  await s.find('[data-testid="navigation"]');
  await s.screenshot("installed-app-signed-in");
});
