import { ApiError, type FragmentContext } from "@platform/sdk";
import { useEffect, useMemo, useState, type MouseEvent, type ReactNode } from "react";
import { createDashboardApi, type Project, type Stats, type StatsFilter } from "./api";
import { Breakdown } from "./Breakdown";
import { FlowChart } from "./Chart";
import { Filters } from "./Filters";
import { assigneeLabel, isoDay, kpis, lastDays, ranked } from "./format";
import { KpiTiles } from "./KpiTiles";
import { TaskList } from "./TaskList";
import { useLiveChanges, type LiveState } from "./useLiveChanges";

export const HEADING = "Team dashboard";
/** The projects fragment's page, where projects are created (`?new=1` opens its form). */
const PROJECTS_PATH = "/projects";
const ASSIGNEES_SHOWN = 10;
const LIVE_TEXT: Record<LiveState, string> = { open: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" };

function message(reason: unknown, what = "figures"): string {
  return reason instanceof ApiError ? reason.reason : `The ${what} could not be loaded. Check your connection.`;
}

export function Dashboard({ context }: { context: FragmentContext }) {
  const api = useMemo(() => createDashboardApi(context), [context]);
  const today = isoDay(new Date());
  const [filter, setFilter] = useState<StatsFilter>({ project: "", ...lastDays(today, 30) });
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  // Apart from the figures' error, which their next answer clears: this one stays.
  const [projectsError, setProjectsError] = useState<string | null>(null);
  const { live, changes } = useLiveChanges(api);
  const you = context.user?.id;

  useEffect(() => {
    api.projects().then(setProjects, (reason: unknown) => setProjectsError(message(reason, "projects")));
  }, [api]);

  useEffect(() => {
    const abort = new AbortController();
    api.stats(filter, abort.signal).then(
      async (value) => {
        // Names come with the figures (cached after the first time), so labels do not flicker.
        const assignees = ranked(value.open_by_assignee).slice(0, ASSIGNEES_SHOWN).map((row) => row.key);
        const found = await api.names(assignees.filter((id) => id !== you));
        if (abort.signal.aborted) return;
        setNames(found);
        setStats(value);
        setError(null);
      },
      (reason: unknown) => !abort.signal.aborted && setError(message(reason)),
    );
    return () => abort.abort();
  }, [api, filter, changes, you]);

  return (
    <div className="dashboard">
      <header className="head">
        <h1>{HEADING}</h1>
        <p className={`live live-${live}`} role="status">
          <span aria-hidden="true">●</span> {LIVE_TEXT[live]}
        </p>
      </header>
      <Filters filter={filter} projects={projects ?? []} today={today} onChange={setFilter} />
      {projectsError && (
        <p className="error" role="alert">
          {projectsError}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!stats && !error && <FiguresLoading />}
      {stats && <Figures stats={stats} today={today} assignee={(id) => assigneeLabel(id, you, names)} empty={<NextStep context={context} projects={projects} project={filter.project} />} />}
      {/* The task panel comes in once the figures above it have, so it never moves down. */}
      {(stats || error) && projects && projects.length > 0 && <TaskList key={filter.project} api={api} projects={projects} project={filter.project} refreshKey={changes} />}
    </div>
  );
}

/** The figures' place while they load: the tiles are already where they will be. */
function FiguresLoading() {
  return (
    <>
      <p role="status" className="visually-hidden">
        Loading figures…
      </p>
      <KpiTiles tiles={null} />
    </>
  );
}

/** What an empty dashboard offers instead of zeros: the step that makes it fill up. */
function NextStep({ context, projects, project }: { context: FragmentContext; projects: Project[] | null; project: string }) {
  // Projects not known (yet, or not listed): no next step rather than a wrong one.
  if (projects === null) return <p className="empty panel">No tasks yet.</p>;
  if (projects.length === 0) {
    return (
      <p className="empty panel">
        No tasks yet: your tasks and your team&apos;s show up here as soon as you have a project.{" "}
        <AppLink context={context} href={`${PROJECTS_PATH}?new=1`}>
          Create your first project
        </AppLink>
      </p>
    );
  }
  return (
    <p className="empty panel">
      No tasks yet in {project ? "this project" : "your projects"}.{" "}
      <AppLink context={context} href={project ? `${PROJECTS_PATH}/${encodeURIComponent(project)}` : PROJECTS_PATH}>
        {project ? "Add a task to this project" : "Add tasks to your projects"}
      </AppLink>
    </p>
  );
}

/** A link to another page of the product: the shell moves there without a reload (a
 * modified click, e.g. to open a new tab, is left to the browser). */
function AppLink({ context, href, children }: { context: FragmentContext; href: string; children: ReactNode }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    context.navigate(href);
  };
  return (
    <a href={href} onClick={follow}>
      {children}
    </a>
  );
}

function Figures({ stats, today, assignee, empty }: { stats: Stats; today: string; assignee: (id: string) => string; empty: ReactNode }) {
  const taskCount = Object.values(stats.by_status).reduce((a, b) => a + b, 0);
  return (
    <>
      <KpiTiles tiles={kpis(stats, today)} />
      {taskCount === 0 ? (
        empty
      ) : (
        <>
          <section className="panel" aria-labelledby="flow-heading">
            <h2 id="flow-heading">Created vs completed</h2>
            <FlowChart days={stats.per_day} />
          </section>
          <div className="grid">
            <Breakdown title="By status" counts={stats.by_status} order={["todo", "in_progress", "done", "cancelled"]} />
            <Breakdown title="By priority" counts={stats.by_priority} order={["urgent", "high", "medium", "low"]} />
            <Breakdown title="Open tasks per assignee" counts={stats.open_by_assignee} limit={ASSIGNEES_SHOWN} name={assignee} />
          </div>
        </>
      )}
    </>
  );
}
