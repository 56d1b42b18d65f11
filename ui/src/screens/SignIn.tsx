// The first screen: which ledger is open, and signing in (offline, against it).
import { type FormEvent, useState } from "react";
import { ErrorNote, Field, useAction } from "../components/common";
import { ipc, type SessionInfo, type Welcome } from "../ipc";

export function SignIn({
  welcome,
  onSignedIn,
}: {
  welcome: Welcome | null;
  onSignedIn: (s: SessionInfo) => void;
}) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await action.run(async () => onSignedIn(await ipc.signIn(username, password)));
  }

  const problem = welcome?.problem?.message ?? null;
  return (
    <main className="sign-in">
      <form className="card" onSubmit={submit} data-testid="sign-in-form">
        <h1>Salesplan</h1>
        <p className="muted">{welcome?.company_name ?? "Sales budgeting and rolling forecasts"}</p>
        <ErrorNote message={problem} />
        <Field label="Username">
          <input
            name="username"
            autoComplete="username"
            // biome-ignore lint/a11y/noAutofocus: the sign-in form is the whole window; typing starts here.
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            disabled={!!problem}
          />
        </Field>
        <Field label="Password">
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            disabled={!!problem}
          />
        </Field>
        <ErrorNote message={action.error} />
        <button type="submit" disabled={action.busy || !!problem || !username}>
          {action.busy ? "Signing in…" : "Sign in"}
        </button>
        {welcome?.demo_password && (
          <p className="hint" data-testid="demo-hint">
            Demo company: sign in as <b>admin</b>, <b>sam</b> (salesman), <b>maria</b> (manager), <b>sven</b>{" "}
            (supply chain) or <b>bella</b> (branch manager), password <b>{welcome.demo_password}</b>.
          </p>
        )}
        <p className="ledger-path muted">Ledger: {welcome?.ledger_path ?? "…"}</p>
      </form>
    </main>
  );
}
