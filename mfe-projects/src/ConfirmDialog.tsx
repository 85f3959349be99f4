import { useState } from "react";
import { problemOf, type Problem } from "./errors";
import { Modal } from "./Modal";
import { ProblemNote } from "./ProblemNote";

export interface Confirmation {
  title: string;
  body: string;
  action: string;
  run(): Promise<unknown>;
}

/** Asks before a destructive action; shows its error, with code and request id, if it fails. */
export function ConfirmDialog({ confirmation, onDone }: { confirmation: Confirmation; onDone(): void }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={confirmation.title} onClose={onDone}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            await confirmation.run();
            onDone();
          } catch (reason) {
            setProblem(problemOf(reason));
            setBusy(false);
          }
        }}
      >
        <p>{confirmation.body}</p>
        <ProblemNote problem={problem} />
        <div className="actions">
          <button type="button" onClick={onDone}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={busy}>
            {confirmation.action}
          </button>
        </div>
      </form>
    </Modal>
  );
}
