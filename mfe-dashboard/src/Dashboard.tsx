import { ApiError, type FragmentContext } from "@platform/sdk";
import { useEffect, useMemo, useState } from "react";
import { createDashboardApi, type Project, type Stats, type StatsFilter } from "./api";
import { Breakdown } from "./Breakdown";
import { FlowChart } from "./Chart";
import { affectsDashboard, formatCount, isoDay, kpis, lastDays } from "./format";
import { TaskList } from "./TaskList";

export const HEADING = "Team dashboard";
const RANGES = [7, 30, 90];

function message(reason: unknown): string {
  return reason instanceof ApiError ? reason.reason : "The figures could not be loaded. Check your connection.";
}

export function Dashboard({ context }: { context: FragmentContext }) {
  const api = useMemo(() => createDashboardApi(context), [context]);
  const today = isoDay(new Date());
  const [filter, setFilter] = useState<StatsFilter>({ project: "", ...lastDays(today, 30) });
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState("connecting");
  const [changes, setChanges] = useState(0);

  useEffect(() => {
    api.projects().then(setProjects, (reason: unknown) => setError(message(reason)));
  }, [api]);

  useEffect(() => {
    const abort = new AbortController();
    api.stats(filter, abort.signal).then(
      (value) => {
        setStats(value);
        setError(null);
      },
      (reason: unknown) => !abort.signal.aborted && setError(message(reason)),
    );
    return () => abort.abort();
  }, [api, filter, changes]);

  // Live updates: refetch (at most every half second) when a task or project changes.
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

  const tiles = stats ? kpis(stats, today) : null;
  const statusSum = stats ? Object.values(stats.by_status).reduce((a, b) => a + b, 0) : 0;
  const you = context.user?.id;
  return (
    <div className="dashboard">
      <header className="head">
        <h1>{HEADING}</h1>
        <p className={`live live-${live}`} role="status">
          <span aria-hidden="true">●</span> {live === "open" ? "Live" : live === "connecting" ? "Connecting…" : "Reconnecting…"}
        </p>
      </header>
      <form className="filters" aria-label="Dashboard filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Project
          <select value={filter.project} onChange={(e) => setFilter({ ...filter, project: e.target.value })}>
            <option value="">All projects</option>
            {(projects ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={filter.from} max={filter.to} required onChange={(e) => e.target.value && setFilter({ ...filter, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={filter.to} min={filter.from} max={today} required onChange={(e) => e.target.value && setFilter({ ...filter, to: e.target.value })} />
        </label>
        <div className="presets" role="group" aria-label="Quick ranges">
          {RANGES.map((days) => (
            <button key={days} type="button" aria-pressed={filter.from === lastDays(today, days).from && filter.to === today} onClick={() => setFilter({ ...filter, ...lastDays(today, days) })}>
              {days} days
            </button>
          ))}
        </div>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!stats && !error && (
        <p role="status" className="loading">
          Loading figures…
        </p>
      )}
      {stats && tiles && (
        <>
          <ul className="kpis" aria-label="Key figures">
            <Tile name="Open" value={formatCount(tiles.open)} id="open" />
            <Tile name="In progress" value={formatCount(tiles.inProgress)} id="in-progress" />
            <Tile name="Done this week" value={formatCount(tiles.doneThisWeek)} id="done-week" />
            <Tile name="Overdue" value={formatCount(tiles.overdue)} id="overdue" warn={tiles.overdue > 0} />
            <Tile name="Median cycle time" value={tiles.medianCycleTime} id="cycle-time" />
          </ul>
          {statusSum === 0 ? (
            <p className="empty panel">No tasks yet in {filter.project ? "this project" : "your projects"}. Tasks created through the API or by your team show up here live.</p>
          ) : (
            <>
              <section className="panel" aria-labelledby="flow-heading">
                <h2 id="flow-heading">Created vs completed</h2>
                <FlowChart days={stats.per_day} />
              </section>
              <div className="grid">
                <Breakdown title="By status" counts={stats.by_status} order={["todo", "in_progress", "done", "cancelled"]} />
                <Breakdown title="By priority" counts={stats.by_priority} order={["urgent", "high", "medium", "low"]} />
                <Breakdown title="Open tasks per assignee" counts={stats.open_by_assignee} limit={10} name={(id) => (id === you ? "You" : `User …${id.slice(-6)}`)} />
              </div>
            </>
          )}
        </>
      )}
      {projects && <TaskList api={api} projects={projects} project={filter.project} refreshKey={changes} />}
    </div>
  );
}

function Tile({ name, value, id, warn = false }: { name: string; value: string; id: string; warn?: boolean }) {
  return (
    <li className={`kpi${warn ? " warn" : ""}`} data-kpi={id}>
      <span className="kpi-name" id={`kpi-${id}`}>
        {name}
      </span>
      <span className="kpi-value" aria-labelledby={`kpi-${id}`}>
        {value}
      </span>
    </li>
  );
}
