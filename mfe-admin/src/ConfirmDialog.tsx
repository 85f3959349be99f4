import { useEffect, useRef, useState } from "react";
import { confirmationPhrase, isConfirmed } from "./confirm";
import { errorText } from "./errors";
import { rememberFocus, restoreFocus, type FocusMemory } from "./focusReturn";

export interface Confirmation {
  title: string;
  body: string;
  action: string;
  /** When set, the person types "<action> <target>" to confirm (for what cannot be undone quickly). */
  typeToConfirm?: string;
  run(): Promise<unknown>;
}

/** A modal that asks before a destructive action and shows its error if it fails. */
export function ConfirmDialog({ confirmation, onDone }: { confirmation: Confirmation | null; onDone(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const opener = useRef<FocusMemory | null>(null);
  const stopRestoring = useRef(() => {});

  useEffect(() => {
    setTyped("");
    setError(null);
    const element = dialog.current;
    if (!element) return;
    if (confirmation) {
      // Before showModal moves focus into the dialog; the fragment may be in a shadow root.
      stopRestoring.current();
      opener.current = rememberFocus(element.getRootNode() as Document | ShadowRoot);
      element.showModal();
    } else element.close();
  }, [confirmation]);
  useEffect(() => () => stopRestoring.current(), []);

  const closed = () => {
    if (opener.current) stopRestoring.current = restoreFocus(opener.current);
    opener.current = null;
    onDone();
  };

  const target = confirmation?.typeToConfirm;
  const ready = !target || isConfirmed(typed, confirmation.action, target);
  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" onClose={closed}>
      {confirmation && (
        <form
          method="dialog"
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            try {
              await confirmation.run();
              dialog.current?.close();
            } catch (reason) {
              setError(errorText(reason));
            } finally {
              setBusy(false);
            }
          }}
        >
          <h2 id="confirm-title">{confirmation.title}</h2>
          <p>{confirmation.body}</p>
          {target && (
            <label className="field">
              Type <strong>{confirmationPhrase(confirmation.action, target)}</strong> to confirm
              <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
            </label>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="danger" disabled={!ready || busy}>
              {confirmation.action}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
