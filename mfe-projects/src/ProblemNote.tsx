import type { Problem } from "./errors";

/** An error as the fragment shows it: the message, then its code and request id. */
export function ProblemNote({ problem, onDismiss }: { problem: Problem | null; onDismiss?(): void }) {
  if (!problem) return null;
  return (
    <div className="problem" role="alert">
      <p>{problem.message}</p>
      {(problem.code || problem.requestId) && (
        <p className="problem-ids">
          {problem.code && (
            <>
              Code <code>{problem.code}</code>
            </>
          )}
          {problem.requestId && (
            <>
              {" "}
              · Request <code>{problem.requestId}</code>
            </>
          )}
        </p>
      )}
      {onDismiss && (
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
