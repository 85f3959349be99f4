import { ApiError } from "@platform/sdk";
import { useEffect, useState } from "react";
import { TASK_PAGE_SIZE, type DashboardApi, type Project, type Task, type TaskFilter, type TaskPage } from "./api";
import { Choice } from "./Choice";
import { label } from "./format";

const UPDATED = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const EMPTY_FILTER: TaskFilter = { status: "", priority: "", q: "" };
const ANY = { value: "", label: "Any" };
const STATUSES = [ANY, ...["todo", "in_progress", "done", "cancelled"].map((s) => ({ value: s, label: label(s) }))];
const PRIORITIES = [ANY, ...["urgent", "high", "medium", "low"].map((p) => ({ value: p, label: label(p) }))];

/**
 * One project's tasks with filters and cursor pagination (Previous keeps the cursors seen).
 * It starts on the dashboard's project; the dashboard remounts it when that changes.
 */
export function TaskList({ api, projects, project, refreshKey }: { api: DashboardApi; projects: Project[]; project: string; refreshKey: number }) {
  const [query, setQuery] = useState({ project: project || projects[0].id, filter: EMPTY_FILTER });
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<TaskPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { filter } = query;

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    api.tasks(query.project, query.filter, cursor, abort.signal).then(setPage, (reason: unknown) => {
      if (!abort.signal.aborted) setError(reason instanceof ApiError ? reason.reason : "The tasks could not be loaded.");
    });
    return () => abort.abort();
  }, [api, query, cursor, refreshKey]);

  const change = (next: Partial<TaskFilter> & { project?: string }) => {
    const { project: nextProject = query.project, ...rest } = next;
    setQuery({ project: nextProject, filter: { ...filter, ...rest } });
    setCursors([null]);
  };
  return (
    <section className="panel tasks" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Tasks</h2>
      <form className="filters" role="search" aria-label="Task filters" onSubmit={(e) => e.preventDefault()}>
        <Choice label="Project" value={query.project} options={projects.map((p) => ({ value: p.id, label: p.name }))} onChange={(value) => change({ project: value })} />
        <Choice label="Status" value={filter.status} options={STATUSES} onChange={(status) => change({ status })} />
        <Choice label="Priority" value={filter.priority} options={PRIORITIES} onChange={(priority) => change({ priority })} />
        <label>
          Title contains
          <input type="search" defaultValue={filter.q} onKeyDown={(e) => e.key === "Enter" && change({ q: e.currentTarget.value })} onBlur={(e) => e.currentTarget.value !== filter.q && change({ q: e.currentTarget.value })} />
        </label>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!error && !page && (
        <p role="status" className="visually-hidden">
          Loading tasks…
        </p>
      )}
      {page && page.items.length === 0 && <p className="empty">No tasks match these filters.</p>}
      {!error && (!page || page.items.length > 0) && (
        // Scrolls sideways on a narrow screen instead of widening the page; focusable so
        // that keyboard users can scroll it too.
        <div className="table-scroll" role="region" aria-label="Task table" tabIndex={0}>
          <table aria-busy={!page}>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col">Due</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>{page ? page.items.map((task) => <TaskRow key={task.id} task={task} />) : <SkeletonRows />}</tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Task pages">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous
        </button>
        <span>Page {cursors.length}</span>
        <button type="button" disabled={!page?.next} onClick={() => page?.next && setCursors([...cursors, page.next])}>
          Next
        </button>
      </nav>
    </section>
  );
}

function TaskRow({ task }: { task: Task }) {
  return (
    <tr>
      <td>{task.title}</td>
      <td>
        <span className={`status status-${task.status}`}>{label(task.status)}</span>
      </td>
      <td>{label(task.priority)}</td>
      <td>{task.due ?? "–"}</td>
      <td>{UPDATED.format(new Date(task.updated_at))}</td>
    </tr>
  );
}

/** A page's worth of empty rows while the first page loads, so the panel does not grow. */
function SkeletonRows() {
  return Array.from({ length: TASK_PAGE_SIZE }, (_, index) => (
    <tr key={index} className="skeleton" aria-hidden="true">
      <td colSpan={5}>
        <span />
      </td>
    </tr>
  ));
}
