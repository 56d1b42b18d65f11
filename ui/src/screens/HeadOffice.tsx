// Head office: where this laptop syncs, signing in there, "sync now", what
// waits to be sent, and the changes head office refused (and why).
import { type FormEvent, useEffect, useState } from "react";
import { ErrorNote, Field, Notice, Page, useAction, useLoad } from "../components/common";
import { formatInstant } from "../format";
import { ipc, type SessionInfo, type SyncOverview } from "../ipc";

/** One line for the sidebar: online or not, what waits, what was refused. */
export function syncSummary(overview: SyncOverview | null): string {
  if (!overview) return "";
  const { status } = overview;
  if (!status.connection) return "Not connected to head office";
  if (!overview.signed_in) return "Head office: sign in to sync";
  const where = overview.syncing
    ? "Syncing…"
    : overview.online === false
      ? "Offline"
      : status.last_pull_at
        ? `Synced ${formatInstant(status.last_pull_at)}`
        : "Not synced yet";
  const waiting = status.pending > 0 ? ` · ${status.pending} waiting` : "";
  const refused = status.rejected > 0 ? ` · ${status.rejected} refused` : "";
  return `${where}${waiting}${refused}`;
}

/** The sidebar's sync line; refreshed after every background sync. */
export function useSyncOverview(): { overview: SyncOverview | null; reload: () => void } {
  const loaded = useLoad(() => ipc.syncOverview(), "sync");
  const { reload } = loaded;
  useEffect(() => {
    const stop = ipc.onSyncChanged(reload);
    const every = window.setInterval(reload, 15_000);
    return () => {
      window.clearInterval(every);
      stop.then((unlisten) => unlisten());
    };
  }, [reload]);
  return { overview: loaded.value, reload };
}

export function HeadOffice({
  session,
  sync,
}: {
  session: SessionInfo;
  sync: { overview: SyncOverview | null; reload: () => void };
}) {
  // The refusals are read again whenever a sync changed their count.
  const conflicts = useLoad(
    () => ipc.syncConflicts(100),
    `${sync.overview?.status.rejected}/${sync.overview?.status.last_push_at}`,
  );
  const setAside = useLoad(() => ipc.syncSetAside(100), `${sync.overview?.status.set_aside}`);
  const [server, setServer] = useState("");
  const [password, setPassword] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const status = sync.overview?.status;
  const connection = status?.connection ?? null;

  useEffect(() => {
    if (connection && !server) setServer(connection.server_url);
  }, [connection, server]);

  function refresh(next?: SyncOverview) {
    sync.reload();
    conflicts.reload();
    if (next?.last_result) setNotice(`Synced: ${next.last_result}.`);
  }

  async function connect(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    let next: SyncOverview | undefined;
    if (await action.run(async () => (next = await ipc.syncConnect(server, password)))) {
      setPassword("");
      setNotice(`Signed in to ${next?.status.connection?.server_url} as ${session.actor.username}.`);
      refresh();
    }
  }

  async function syncNow() {
    setNotice(null);
    let next: SyncOverview | undefined;
    if (await action.run(async () => (next = await ipc.syncNow()))) refresh(next);
    else refresh();
  }

  async function signOut() {
    setNotice(null);
    if (await action.run(() => ipc.syncSignOut())) {
      setNotice("Signed out of head office. Changes wait here until you sign in again.");
      refresh();
    }
  }

  const signedIn = sync.overview?.signed_in ?? false;
  return (
    <Page
      title="Head office"
      actions={
        signedIn && (
          <button type="button" data-testid="sync-now" disabled={action.busy} onClick={syncNow}>
            {action.busy ? "Syncing…" : "Sync now"}
          </button>
        )
      }
    >
      <ErrorNote message={action.error} />
      <Notice message={notice} />
      <div data-testid="sync-notes">
        {(sync.overview?.notes ?? []).map((note) => (
          <p className="muted" key={note}>
            {note}
          </p>
        ))}
      </div>
      {status && (
        <dl className="card sync-status" data-testid="sync-status">
          <dt>Server</dt>
          <dd data-testid="sync-server">
            {connection ? `${connection.server_url} as ${connection.username}` : "not connected"}
          </dd>
          <dt>State</dt>
          <dd data-testid="sync-state">{syncSummary(sync.overview)}</dd>
          <dt>Waiting to be sent</dt>
          <dd data-testid="sync-pending">{status.pending}</dd>
          {status.staying.length > 0 && (
            <>
              <dt>Stays on this laptop</dt>
              <dd data-testid="sync-staying">
                {status.staying.map((group) => (
                  <div key={group.reason}>
                    {group.changes} changes: {group.reason}
                  </div>
                ))}
              </dd>
            </>
          )}
          {status.set_aside > 0 && (
            <>
              <dt>Set aside here</dt>
              <dd data-testid="sync-set-aside">
                {status.set_aside} changes from head office this ledger could not take; `salesplan --user NAME
                sync conflicts` lists them with the reasons
              </dd>
            </>
          )}
          <dt>Last sent</dt>
          <dd>{status.last_push_at ? formatInstant(status.last_push_at) : "never"}</dd>
          <dt>Last received</dt>
          <dd>{status.last_pull_at ? formatInstant(status.last_pull_at) : "never"}</dd>
          {sync.overview?.last_result && (
            <>
              <dt>Last sync</dt>
              <dd data-testid="sync-last">{sync.overview.last_result}</dd>
            </>
          )}
          {status.last_error && (
            <>
              <dt>Last failure</dt>
              <dd className="error-text">
                {status.last_error_at ? `${formatInstant(status.last_error_at)}: ` : ""}
                {status.last_error}
              </dd>
            </>
          )}
        </dl>
      )}
      {!signedIn && (
        <form className="card" data-testid="sync-connect" onSubmit={connect}>
          <h2>{connection ? "Sign in to head office" : "Connect to head office"}</h2>
          <p className="muted">
            This laptop syncs as {connection?.username ?? session.actor.username}. The sign-in is kept in the
            system keychain, never in the ledger.
          </p>
          <Field label="Server address">
            <input
              name="server"
              placeholder="https://salesplan.example.com"
              value={server}
              onChange={(e) => setServer(e.target.value)}
            />
          </Field>
          <Field label="Password at head office">
            <input
              name="password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <button type="submit" data-testid="sync-sign-in" disabled={action.busy || !server || !password}>
            Sign in
          </button>
        </form>
      )}
      <h2>Refused by head office</h2>
      <ErrorNote message={conflicts.error} />
      <table data-testid="conflicts-table">
        <thead>
          <tr>
            <th>Made</th>
            <th>What</th>
            <th>Change</th>
            <th>Why head office refused it</th>
          </tr>
        </thead>
        <tbody>
          {(conflicts.value ?? []).map((conflict) => (
            <tr key={conflict.seq}>
              <td>{formatInstant(conflict.recorded_at)}</td>
              <td>
                {conflict.entity.replaceAll("_", " ")}
                {conflict.more > 0 && (
                  <span className="muted"> and {conflict.more} more changes of the same edit</span>
                )}
              </td>
              <td>{conflict.kind}</td>
              <td>{conflict.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {conflicts.value?.length === 0 && <p className="muted">Nothing refused.</p>}
      {(setAside.value ?? []).length > 0 && (
        <>
          <h2>Set aside here</h2>
          <p className="muted">
            Changes from head office this ledger could not take: nothing of them was applied. Head office's
            administrator can check its records with <code>salesplan-server verify</code>.
          </p>
          <table data-testid="set-aside-table">
            <thead>
              <tr>
                <th>Set aside</th>
                <th>What</th>
                <th>Change</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {(setAside.value ?? []).map((aside) => (
                <tr key={aside.seq}>
                  <td>{formatInstant(aside.set_aside_at)}</td>
                  <td>{aside.entity.replaceAll("_", " ")}</td>
                  <td>{aside.kind}</td>
                  <td>{aside.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {signedIn && (
        <p>
          <button type="button" className="secondary" data-testid="sync-sign-out" onClick={signOut}>
            Sign out of head office
          </button>
        </p>
      )}
    </Page>
  );
}
