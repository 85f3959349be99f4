import { useEffect, useState } from "react";
import type { DashboardApi } from "./api";
import { affectsDashboard } from "./format";

export type LiveState = "connecting" | "open" | "reconnecting";

/** A change is reported this long after the first event that follows the last report. */
export const GATHER_MS = 500;

/**
 * Follows the event stream: `changes` counts bursts of task and project events, at most one
 * per half second (a bulk import refetches a few times, not a thousand), and at most half a
 * second after an event: a steady stream of events does not put the refresh off for ever.
 */
export function useLiveChanges(api: DashboardApi): { live: LiveState; changes: number } {
  const [live, setLive] = useState<LiveState>("connecting");
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    void api.events(
      (event) => {
        if (!affectsDashboard(event.type)) return;
        timer ??= setTimeout(() => {
          timer = undefined;
          setChanges((n) => n + 1);
        }, GATHER_MS);
      },
      setLive,
      abort.signal,
    );
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [api]);
  return { live, changes };
}
