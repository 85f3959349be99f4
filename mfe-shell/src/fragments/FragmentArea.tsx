/**
 * One fragment's area of the page. The fragment renders into a shadow root, so its CSS
 * cannot style the shell or another fragment and theirs cannot style it; its stylesheets are
 * linked inside that root, pinned by integrity, and loaded before it mounts. Loading, failing
 * (404, integrity of the entry or a stylesheet, mount or render errors) and retrying stay
 * inside this area.
 */
import type { FragmentContext, Unmount } from "@platform/sdk";
import { useEffect, useRef, useState } from "react";
import type { ManifestFragment } from "../manifest";
import { usePageTitle } from "../pageTitle";
import { FragmentError, importFragment } from "./loader";
import { fragmentStylesheets, settled } from "./stylesheets";

export type ContextFactory = (fragment: ManifestFragment) => Omit<FragmentContext, "reportError">;

interface Props {
  fragment: ManifestFragment;
  label: string;
  contextFor: ContextFactory;
  /** Called once per attempt: null when the fragment mounted, else why it failed. */
  onOutcome(fragment: ManifestFragment, error: FragmentError | null): void;
}

type State = { status: "loading" } | { status: "ready" } | { status: "failed"; error: FragmentError };

export function FragmentArea({ fragment, label, contextFor, onOutcome }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  usePageTitle(label);

  useEffect(() => {
    const host = hostRef.current!;
    const shadow = host.shadowRoot ?? host.attachShadow({ mode: "open" });
    const container = document.createElement("div");
    const stylesheets = fragmentStylesheets(fragment);
    shadow.replaceChildren(...stylesheets.links, container);
    let cancelled = false;
    let unmount: Unmount | undefined;

    const fail = (error: unknown, kind: "mount" | "runtime") => {
      if (cancelled) return;
      const failure = error instanceof FragmentError ? error : new FragmentError(kind, describe(fragment, error, kind));
      cancelled = true;
      safely(unmount);
      setState({ status: "failed", error: failure });
      onOutcome(fragment, failure);
    };

    setState({ status: "loading" });
    const context: FragmentContext = { ...contextFor(fragment), reportError: (error) => fail(error, "runtime") };
    // A stylesheet refused for its integrity fails the fragment like its entry would, also
    // when that is known only after the wait for stylesheets ended and it was mounted.
    Promise.all(stylesheets.loads).catch((error: unknown) => fail(error, "mount"));
    Promise.all([importFragment(fragment), settled(stylesheets.loads)])
      .then(async ([module]) => {
        if (cancelled) return;
        try {
          unmount = await module.mount(container, context);
        } catch (error) {
          throw new FragmentError("mount", describe(fragment, error, "mount"));
        }
        if (cancelled) safely(unmount);
        else {
          setState({ status: "ready" });
          onOutcome(fragment, null);
        }
      })
      .catch((error: unknown) => fail(error, "mount"));

    return () => {
      cancelled = true;
      safely(unmount);
    };
    // contextFor and onOutcome are stable for the page's life; a new version remounts.
  }, [fragment.name, fragment.version, attempt]);

  return (
    <section className="fragment-area" aria-label={label} aria-busy={state.status === "loading"}>
      {state.status === "loading" && (
        <p className="fragment-loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading {label}…
        </p>
      )}
      {state.status === "failed" && (
        <div className="error-card" role="alert">
          <h2>{label} could not be shown</h2>
          <p>{state.error.message}</p>
          <p className="error-kind">Failure: {state.error.kind}. The rest of the page still works.</p>
          <button type="button" onClick={() => retry(state.error, () => setAttempt((n) => n + 1))}>
            Try again
          </button>
        </div>
      )}
      <div ref={hostRef} className="fragment-host" data-fragment={fragment.name} data-version={fragment.version} hidden={state.status === "failed"} />
    </section>
  );
}

/**
 * A fragment that failed while running is mounted again in place. One whose file failed
 * to load is fetched by a fresh page load: the import map is fixed for the page's life, so
 * only a new page picks up what the registry serves now (say, after a rollback).
 */
function retry(error: FragmentError, remount: () => void): void {
  if (error.kind === "load" || error.kind === "integrity") location.reload();
  else remount();
}

function describe(fragment: ManifestFragment, error: unknown, kind: "mount" | "runtime"): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `${fragment.name} ${fragment.version} ${kind === "mount" ? "failed while starting" : "stopped with an error"}: ${reason}`;
}

function safely(unmount: Unmount | undefined): void {
  try {
    unmount?.();
  } catch (error) {
    console.warn("a fragment failed to unmount", error);
  }
}
