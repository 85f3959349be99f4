import { useCallback, useEffect, useState } from "react";
import { errorText } from "./errors";

/**
 * What a section shows from one request: the last good answer, or why loading failed (cleared
 * by the next good answer). `reload` after a change; `setError` for a failed action.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // `deps` name what `load` reads (as for useCallback): a new value reloads.
  const reload = useCallback(
    () =>
      load().then(
        (value) => {
          setData(value);
          setError(null);
        },
        (e: unknown) => setError(errorText(e)),
      ),
    deps,
  );
  useEffect(() => void reload(), [reload]);
  return { data, error, setError, reload };
}
