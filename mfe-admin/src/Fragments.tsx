import { useEffect, useState } from "react";
import type { AdminApi, Fragment, FragmentVersion } from "./api";
import type { Confirmation } from "./ConfirmDialog";
import { errorText } from "./errors";
import { Origins } from "./Origins";
import { useLoad } from "./useLoad";

export function Fragments({ api, confirm, refreshKey }: { api: AdminApi; confirm(c: Confirmation): void; refreshKey: number }) {
  const { data: fragments, error, reload: load } = useLoad(() => api.fragments(), [api, refreshKey]);

  return (
    <section aria-labelledby="fragments-heading">
      <h2 id="fragments-heading">Fragments</h2>
      <p className="hint">Changes reach users on their next page load. No shell rebuild or restart is needed.</p>
      {error && <p className="error" role="alert">{error}</p>}
      {!fragments && !error && <p role="status">Loading fragments…</p>}
      {fragments && fragments.length === 0 && <p className="empty">No fragments are registered yet.</p>}
      {fragments?.map((fragment) => (
        <FragmentCard key={fragment.name} fragment={fragment} api={api} confirm={confirm} onChanged={load} refreshKey={refreshKey} />
      ))}
    </section>
  );
}

function FragmentCard({ fragment, api, confirm, onChanged, refreshKey }: { fragment: Fragment; api: AdminApi; confirm(c: Confirmation): void; onChanged(): Promise<unknown>; refreshKey: number }) {
  const [versions, setVersions] = useState<FragmentVersion[] | null>(null);
  const [canaryVersion, setCanaryVersion] = useState("");
  const [percentage, setPercentage] = useState(fragment.canary?.percentage ?? 10);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.versions(fragment.name).then(setVersions, (e: unknown) => setError(errorText(e)));
  }, [api, fragment.name, fragment.updated_at, refreshKey]);

  const act = (work: () => Promise<unknown>) => async () => {
    await work();
    await onChanged();
  };
  const ask = (c: Omit<Confirmation, "run"> & { run(): Promise<unknown> }) => confirm({ ...c, run: act(c.run) });
  const id = `fragment-${fragment.name}`;
  const candidates = (versions ?? []).filter((v) => v.version !== fragment.active_version);
  return (
    <article className="card" aria-labelledby={id} data-fragment={fragment.name}>
      <header className="card-head">
        <h3 id={id}>{fragment.name}</h3>
        <span className={`badge ${fragment.enabled ? "on" : "off"}`}>{fragment.enabled ? "Enabled" : "Disabled"}</span>
      </header>
      <dl className="facts">
        <dt>Active version</dt>
        <dd data-testid="active-version">{fragment.active_version ?? "none"}</dd>
        <dt>Canary</dt>
        <dd>{fragment.canary ? `${fragment.canary.version} for ${fragment.canary.percentage}% of users` : "none"}</dd>
        <dt>Visible to</dt>
        <dd>{fragment.roles.join(", ")}</dd>
      </dl>
      <Origins fragment={fragment} api={api} confirm={confirm} onChanged={onChanged} />
      {error && <p className="error" role="alert">{error}</p>}
      <div className="actions">
        <button type="button" disabled={!fragment.previous_version} onClick={() => ask({
          title: `Roll back ${fragment.name}?`,
          body: `Users get ${fragment.previous_version} again instead of ${fragment.active_version} on their next page load.`,
          action: "Roll back",
          run: () => api.rollback(fragment.name),
        })}>Roll back{fragment.previous_version ? ` to ${fragment.previous_version}` : ""}</button>
        {fragment.enabled ? (
          <button type="button" className="danger" onClick={() => ask({
            title: `Disable ${fragment.name}?`,
            body: "It disappears from every user's page until enabled again.",
            action: "Disable",
            typeToConfirm: fragment.name,
            run: () => api.setEnabled(fragment.name, false),
          })}>Disable</button>
        ) : (
          <button type="button" onClick={act(() => api.setEnabled(fragment.name, true))}>Enable</button>
        )}
      </div>
      {fragment.canary && (
        <div className="canary">
          <button type="button" onClick={() => ask({ title: `Promote canary ${fragment.canary!.version}?`, body: "Every user gets it on their next load.", action: "Promote", run: () => api.promoteCanary(fragment.name) })}>Promote canary</button>
          <button type="button" onClick={() => ask({ title: "Abort the canary?", body: `Users on ${fragment.canary!.version} go back to ${fragment.active_version}.`, action: "Abort canary", run: () => api.abortCanary(fragment.name) })}>Abort canary</button>
        </div>
      )}
      {!fragment.canary && versions && candidates.length === 0 && <p className="hint">Publish another version to try it on a share of users first (a canary).</p>}
      {!fragment.canary && candidates.length > 0 && (
        <form className="canary" onSubmit={(e) => {
          e.preventDefault();
          ask({ title: `Start a canary of ${canaryVersion}?`, body: `${percentage}% of signed-in users get ${canaryVersion} on their next load.`, action: "Start canary", run: () => api.canary(fragment.name, canaryVersion, percentage) });
        }}>
          <label>
            Canary version
            <select value={canaryVersion} onChange={(e) => setCanaryVersion(e.target.value)} required>
              <option value="">Choose…</option>
              {candidates.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
            </select>
          </label>
          <label>
            Share of users: <output>{percentage}%</output>
            <input type="range" min={0} max={100} step={5} value={percentage} onChange={(e) => setPercentage(Number(e.target.value))} />
          </label>
          <button type="submit" disabled={!canaryVersion}>Start canary</button>
        </form>
      )}
      <table>
        <caption>Published versions</caption>
        <thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">Entry</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {(versions ?? []).map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>{v.version}{v.version === fragment.active_version ? " (active)" : ""}</td>
              <td>{new Date(v.created_at).toLocaleString()}</td>
              <td><code className="entry">{v.entry}</code></td>
              <td>
                {v.version !== fragment.active_version && (
                  <button type="button" onClick={() => ask({
                    title: `Activate ${fragment.name} ${v.version}?`,
                    body: `Every user who may see ${fragment.name} gets ${v.version} on their next page load.`,
                    action: "Activate",
                    run: () => api.activate(fragment.name, v.version),
                  })}>Activate {v.version}</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
