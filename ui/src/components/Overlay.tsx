// What opens over the page: a side panel next to what was clicked (a form) and
// a confirmation for steps that cannot be undone. Both take the focus when they
// open, close on Escape, and stay on screen wherever the page is scrolled. They
// are drawn at the end of the document, above the sticky parts of the grids.
import { type ReactNode, useEffect, useRef } from "react";
import { createPortal } from "react-dom";
import { Field } from "./common";

/** Focuses the first control inside `ref` once, and calls `onClose` on Escape. */
function useOverlay(onClose: () => void) {
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const within = ref.current;
    const first =
      within?.querySelector<HTMLElement>("[data-autofocus]") ??
      within?.querySelector<HTMLElement>("input, select, textarea, button:not(.close)");
    first?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close.current();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return ref;
}

export function SidePanel({
  title,
  onClose,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useOverlay(onClose);
  return createPortal(
    <div className="side-panel" role="dialog" aria-label={title} data-testid={testId} ref={ref}>
      <header>
        <h2>{title}</h2>
        <button type="button" className="link close" aria-label="Close" onClick={onClose} tabIndex={-1}>
          ×
        </button>
      </header>
      {children}
    </div>,
    document.body,
  );
}

/** Asks before an irreversible step, saying what it will do. */
export function Confirm({
  title,
  children,
  confirmLabel,
  busy = false,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useOverlay(onCancel);
  return createPortal(
    <div className="modal-backdrop">
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-label={title}
        data-testid="confirm"
        ref={ref}
      >
        <h2>{title}</h2>
        {children}
        <div className="form-actions">
          <button type="button" className="secondary" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button type="button" disabled={busy} onClick={onConfirm} data-testid="confirm-yes">
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}

/** Asks before cancelling a document (an order, a transfer), with why: `about` says what cancelling it means. */
export function CancelConfirm({
  number,
  what,
  about,
  busy,
  reason,
  onReason,
  onConfirm,
  onCancel,
}: {
  number: string;
  what: string;
  about: string;
  busy: boolean;
  reason: string;
  onReason: (reason: string) => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Confirm
      title={`Cancel ${number}?`}
      confirmLabel={`Cancel the ${what}`}
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>{about} This cannot be undone.</p>
      <Field label="Why">
        <input name="cancel-reason" value={reason} onChange={(e) => onReason(e.target.value)} />
      </Field>
    </Confirm>
  );
}
