// Watched folders (their new files are imported while the app runs) and the
// alerts a failed file leaves.
import { type FormEvent, useState } from "react";
import { IMPORT_KIND_LABELS, WATCHABLE } from "../importKinds";
import { type ImportKind, ipc } from "../ipc";
import { ErrorNote, Field, useAction, useLoad } from "./common";

/** `importable`: what the signed-in user may import (the session says); a folder imports only those. */
export function WatchedFolders({ importable }: { importable: ImportKind[] }) {
  const kinds = importable.filter((kind) => WATCHABLE.includes(kind));
  const [round, setRound] = useState(0);
  const folders = useLoad(() => ipc.watchFoldersList(), `watched/${round}`);
  const [path, setPath] = useState("");
  const [pattern, setPattern] = useState("*.csv");
  const [kind, setKind] = useState<ImportKind>(kinds[0] ?? "actuals");
  const action = useAction();
  const reload = () => setRound((n) => n + 1);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await action.run(() => ipc.watchFoldersAdd({ path, pattern, kind, mapping_name: null }))) {
      setPath("");
      reload();
    }
  }

  return (
    <section data-testid="watched-folders">
      <h2>Watched folders</h2>
      <p className="muted">
        While Salesplan runs, new or changed files in these folders are imported as yours.
      </p>
      <table>
        <thead>
          <tr>
            <th>Folder</th>
            <th>Files</th>
            <th>What</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(folders.value ?? []).map((folder) => (
            <tr key={folder.id}>
              <td>{folder.path}</td>
              <td>{folder.pattern}</td>
              <td>{IMPORT_KIND_LABELS[folder.kind]}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="link"
                  onClick={async () => {
                    if (await action.run(() => ipc.watchFoldersRemove(folder.id))) reload();
                  }}
                >
                  Stop watching
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-row" onSubmit={add} data-testid="watch-form">
        <Field label="Folder (full path)">
          <input name="folder" value={path} onChange={(e) => setPath(e.target.value)} size={40} />
        </Field>
        <Field label="Files">
          <input name="pattern" value={pattern} onChange={(e) => setPattern(e.target.value)} />
        </Field>
        <Field label="What">
          <select value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {IMPORT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={action.busy || !path.trim()}>
          Watch
        </button>
      </form>
      <ErrorNote message={folders.error ?? action.error} />
    </section>
  );
}

export function Alerts() {
  const [round, setRound] = useState(0);
  const alerts = useLoad(() => ipc.alertsList(), `alerts/${round}`);
  const action = useAction();
  const files = alerts.value?.files ?? [];
  if (!files.length) return null;
  return (
    <section className="alerts" data-testid="alerts">
      {files.map((alert) => (
        <div key={alert.id} className="error" role="alert">
          <strong>{alert.subject}</strong>: {alert.message}{" "}
          <button
            type="button"
            className="link"
            onClick={async () => {
              if (await action.run(() => ipc.alertsDismiss(alert.id))) setRound((n) => n + 1);
            }}
          >
            Dismiss
          </button>
        </div>
      ))}
      <ErrorNote message={action.error} />
    </section>
  );
}
