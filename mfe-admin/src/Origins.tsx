import { useEffect, useState } from "react";
import { parseList, type AdminApi, type Fragment } from "./api";
import type { Confirmation } from "./ConfirmDialog";
import { errorText } from "./errors";

/**
 * The origins an admin registers for a fragment's files besides the platform's (a team's own
 * CDN): the registry admits versions published from them, and each page's CSP names them.
 * Removing one is asked first: versions served from it leave users' pages.
 */
export function Origins({ fragment, api, confirm, onChanged }: { fragment: Fragment; api: AdminApi; confirm(c: Confirmation): void; onChanged(): Promise<unknown> }) {
  const saved = fragment.origins.join("\n");
  const [text, setText] = useState(saved);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setText(saved), [saved]);

  const id = `origins-${fragment.name}`;
  const origins = parseList(text);
  const removed = fragment.origins.filter((origin) => !origins.includes(origin));
  const unchanged = origins.join("\n") === saved;
  const save = async () => {
    await api.setOrigins(fragment.name, origins);
    await onChanged();
  };
  return (
    <form
      className="origins"
      onSubmit={async (event) => {
        event.preventDefault();
        setError(null);
        if (removed.length > 0) {
          confirm({
            title: `Remove ${removed.length === 1 ? "an origin" : `${removed.length} origins`} of ${fragment.name}?`,
            body: `Versions served from ${removed.join(", ")} leave users' pages on their next load, unless the platform's own origins include it.`,
            action: "Remove",
            run: save,
          });
          return;
        }
        setBusy(true);
        try {
          await save();
        } catch (reason) {
          setError(errorText(reason));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        Asset origins
        <textarea
          rows={Math.max(2, origins.length + 1)}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="https://cdn.example.com"
          aria-describedby={`${id}-hint`}
          spellCheck={false}
        />
      </label>
      <p className="hint" id={`${id}-hint`}>
        One origin per line (scheme, host and port, no path), besides the platform's own. Versions may be published from them; users' pages load them.
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" disabled={unchanged || busy}>Save origins</button>
    </form>
  );
}
