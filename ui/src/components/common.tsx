// Small building blocks every screen uses: loading state, error notes, form fields.
import { type ReactNode, useCallback, useEffect, useState } from "react";
import { IpcError } from "../ipc";

export interface Loaded<T> {
  value: T | null;
  error: string | null;
  reload: () => void;
}

/** Loads `fetch()` on mount and whenever `key` changes. */
export function useLoad<T>(fetch: () => Promise<T>, key: string): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `fetch` depends on.
  useEffect(() => {
    let current = true;
    fetch().then(
      (loaded) => {
        if (current) {
          setValue(loaded);
          setError(null);
        }
      },
      (failure: unknown) => current && setError(messageOf(failure)),
    );
    return () => {
      current = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { value, error, reload };
}

export function messageOf(failure: unknown): string {
  if (failure instanceof IpcError) return failure.message;
  if (failure instanceof Error) return failure.message;
  return String(failure);
}

export function ErrorNote({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="error" role="alert" data-testid="error">
      {message}
    </p>
  );
}

/** How long a toast stays on screen. */
const TOAST_MS = 10_000;

/**
 * What was just done. A toast fixed on screen (bottom right), so it is seen
 * wherever the page is scrolled, gone after a while; `inline` where it is the
 * page's content (a result).
 */
export function Notice({ message, inline = false }: { message: string | null; inline?: boolean }) {
  const [hidden, setHidden] = useState<string | null>(null);
  useEffect(() => {
    if (inline || !message) return;
    const timer = window.setTimeout(() => setHidden(message), TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [message, inline]);
  if (!message || hidden === message) return null;
  return (
    <p className={inline ? "notice" : "notice toast"} role="status" data-testid="notice">
      {message}
    </p>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is `children`, inside the label.
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="page">
      <header className="page-header">
        <h1>{title}</h1>
        <div className="page-actions">{actions}</div>
      </header>
      {children}
    </section>
  );
}

/** Runs an action, turning a refusal into a message instead of an exception. */
export function useAction(): {
  busy: boolean;
  error: string | null;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}

/** The state of a screen's inline editor: which row is open (or a new one), and what was last done. */
export function useEditing<T extends { id: string }>(reload: () => void) {
  const [editing, setEditing] = useState<T | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return {
    isOpen: editing !== null,
    /** The row being edited; null for a new one. */
    record: editing === "new" ? null : editing,
    formKey: editing === "new" ? "new" : (editing?.id ?? ""),
    notice,
    setNotice,
    open: (target: T | "new") => {
      setEditing(target);
      setNotice(null);
    },
    close: () => setEditing(null),
    done: (message: string) => {
      setEditing(null);
      setNotice(message);
      reload();
    },
  };
}

/** A form's error line and its Save / Cancel buttons. */
export function FormFooter({
  error,
  busy,
  onCancel,
  saveTestId,
}: {
  error: string | null;
  busy: boolean;
  onCancel: () => void;
  saveTestId?: string;
}) {
  return (
    <>
      <ErrorNote message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy} data-testid={saveTestId}>
          Save
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

/** A select of options with an optional empty choice ("–"). */
export function Choice({
  name,
  value,
  options,
  onChange,
  allowEmpty = false,
}: {
  name?: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  allowEmpty?: boolean;
}) {
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
      {allowEmpty && <option value="">–</option>}
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
