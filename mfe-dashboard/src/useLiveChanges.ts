import { useEffect, useState } from "react";
import type { DashboardApi } from "./api";
import { affectsDashboard } from "./format";

export type LiveState = "connecting" | "open" | "reconnecting";

/**
 * Follows the event stream: `changes` counts bursts of task and project events (one per half
 * second at most, so a bulk import refetches once, not a thousand times).
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
        clearTimeout(timer);
        timer = setTimeout(() => setChanges((n) => n + 1), 500);
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
