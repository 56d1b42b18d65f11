// My account: who I am and what I may see; change my password.
import { type FormEvent, useState } from "react";
import { ErrorNote, Field, Notice, Page, useAction } from "../components/common";
import { ipc, type SessionInfo } from "../ipc";
import { roleLabel } from "../roles";

export function Account({ session }: { session: SessionInfo }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    const changed = await action.run(async () => {
      if (next !== repeat) throw new Error("The two new passwords differ.");
      await ipc.passwordChangeOwn(current, next);
    });
    if (changed) {
      setNotice("Password changed.");
      setCurrent("");
      setNext("");
      setRepeat("");
    }
  }

  return (
    <Page title="My account">
      <p>
        Signed in as <b>{session.actor.display_name}</b> ({session.actor.username}),{" "}
        {roleLabel(session.actor.role)}.
      </p>
      <form className="card" onSubmit={submit}>
        <h2>Change password</h2>
        <Field label="Current password">
          <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </Field>
        <Field label="New password (at least 8 characters)">
          <input type="password" value={next} onChange={(e) => setNext(e.target.value)} />
        </Field>
        <Field label="Repeat the new password">
          <input type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </Field>
        <ErrorNote message={action.error} />
        <Notice message={notice} />
        <button type="submit" disabled={action.busy || !current || !next}>
          Change password
        </button>
      </form>
    </Page>
  );
}
