import { ApiError } from "@platform/sdk";
import { useEffect, useState } from "react";
import type { DashboardApi, Page, Project, Task, TaskFilter } from "./api";
import { label } from "./format";

const EMPTY_FILTER: TaskFilter = { status: "", priority: "", q: "" };

/** One project's tasks with filters and cursor pagination (Previous keeps the cursors seen). */
export function TaskList({ api, projects, project, refreshKey }: { api: DashboardApi; projects: Project[]; project: string; refreshKey: number }) {
  const [selected, setSelected] = useState(project || projects[0]?.id || "");
  const [filter, setFilter] = useState<TaskFilter>(EMPTY_FILTER);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<Task> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setSelected(project || projects[0]?.id || ""), [project, projects]);
  useEffect(() => setCursors([null]), [selected, filter]);

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    if (!selected) return;
    const abort = new AbortController();
    setError(null);
    api.tasks(selected, filter, cursor, abort.signal).then(setPage, (reason: unknown) => {
      if (!abort.signal.aborted) setError(reason instanceof ApiError ? reason.reason : "The tasks could not be loaded.");
    });
    return () => abort.abort();
  }, [api, selected, filter, cursor, refreshKey]);

  if (projects.length === 0) return null;
  return (
    <section className="panel tasks" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Tasks</h2>
      <form className="filters" role="search" aria-label="Task filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Project
          <select value={selected} onChange={(e) => setSelected(e.target.value)}>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
            <option value="">Any</option>
            {["todo", "in_progress", "done", "cancelled"].map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select value={filter.priority} onChange={(e) => setFilter({ ...filter, priority: e.target.value })}>
            <option value="">Any</option>
            {["urgent", "high", "medium", "low"].map((p) => (
              <option key={p} value={p}>
                {label(p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Title contains
          <input type="search" defaultValue={filter.q} onKeyDown={(e) => e.key === "Enter" && setFilter({ ...filter, q: e.currentTarget.value })} onBlur={(e) => e.currentTarget.value !== filter.q && setFilter({ ...filter, q: e.currentTarget.value })} />
        </label>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!error && !page && <p role="status">Loading tasks…</p>}
      {page && page.items.length === 0 && <p className="empty">No tasks match these filters.</p>}
      {page && page.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Due</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((task) => (
              <tr key={task.id}>
                <td>{task.title}</td>
                <td>
                  <span className={`status status-${task.status}`}>{label(task.status)}</span>
                </td>
                <td>{label(task.priority)}</td>
                <td>{task.due ?? "–"}</td>
                <td>{new Date(task.updated_at).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
