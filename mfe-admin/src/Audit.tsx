import { useEffect, useState } from "react";
import type { AdminApi, AuditEntry, AuditFilter } from "./api";
import { errorText } from "./errors";

const EMPTY: AuditFilter = { actor: "", action: "", target_type: "", since: "", until: "" };

export function Audit({ api }: { api: AdminApi }) {
  const [filter, setFilter] = useState<AuditFilter>(EMPTY);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<{ items: AuditEntry[]; next: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  const emails = useActorEmails(api, page?.items);
  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    api.audit(filter, cursor, abort.signal).then(setPage, (e: unknown) => !abort.signal.aborted && setError(errorText(e)));
    return () => abort.abort();
  }, [api, filter, cursor]);

  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form className="toolbar" aria-label="Audit filters" onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        setCursors([null]);
        setFilter(Object.fromEntries(Object.keys(EMPTY).map((k) => [k, String(form.get(k) ?? "").trim()])) as unknown as AuditFilter);
      }}>
        <label>Actor <input name="actor" defaultValue={filter.actor} /></label>
        <label>Action <input name="action" defaultValue={filter.action} placeholder="fragment.activated" /></label>
        <label>Target type <input name="target_type" defaultValue={filter.target_type} placeholder="task" /></label>
        <label>From <input name="since" type="datetime-local" defaultValue={filter.since} /></label>
        <label>Until <input name="until" type="datetime-local" defaultValue={filter.until} /></label>
        <button type="submit">Apply filters</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {!page && !error && <p role="status">Loading the audit log…</p>}
      {page && page.items.length === 0 && <p className="empty">No entries match.</p>}
      {page && page.items.length > 0 && (
        <table>
          <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Change</th></tr></thead>
          <tbody>
            {page.items.map((entry) => (
              <tr key={entry.id}>
                <td>{new Date(entry.at).toLocaleString()}</td>
                <td>{emails.get(entry.actor) ?? entry.actor}</td>
                <td>{entry.action}</td>
                <td>{entry.target_type} {entry.target_id}</td>
                <td><details><summary>Before / after</summary><pre>{JSON.stringify({ before: entry.before, after: entry.after }, null, 2)}</pre></details></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="Audit pages">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
        <span>Page {cursors.length}</span>
        <button type="button" disabled={!page?.next} onClick={() => page?.next && setCursors([...cursors, page.next])}>Older</button>
      </nav>
    </section>
  );
}

/**
 * E-mail addresses for the actors of a page, asked in one request for the ids not asked about
 * before. An actor without one (a service account "client:<id>", "system:…", a deleted user)
 * maps to null and shows as its id; after a failed look-up the next page asks again.
 */
function useActorEmails(api: AdminApi, entries: AuditEntry[] | undefined): ReadonlyMap<string, string | null> {
  const [emails, setEmails] = useState<ReadonlyMap<string, string | null>>(new Map());
  useEffect(() => {
    const actors = [...new Set(entries?.map((e) => e.actor))].filter((actor) => !emails.has(actor));
    if (actors.length === 0) return;
    const abort = new AbortController();
    api.emails(actors, abort.signal).then(
      (found) => setEmails((known) => new Map([...known, ...actors.map((actor) => [actor, found.get(actor) ?? null] as const)])),
      () => undefined,
    );
    return () => abort.abort();
  }, [api, entries, emails]);
  return emails;
}
