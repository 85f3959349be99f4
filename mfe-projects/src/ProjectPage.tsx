import { hasRole, type FragmentContext } from "@platform/sdk";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ProjectsApi } from "./api";
import { Board } from "./Board";
import { ConfirmDialog, type Confirmation } from "./ConfirmDialog";
import { ConflictDialog } from "./ConflictDialog";
import { FiltersBar } from "./FiltersBar";
import { MembersPanel } from "./members/MembersPanel";
import { NewTaskDialog } from "./NewTaskDialog";
import { personLabel, useNames } from "./people";
import { ProblemNote } from "./ProblemNote";
import { projectPath, replaceSearch } from "./route";
import { TaskDetail } from "./TaskDetail";
import { TaskTable } from "./TaskTable";
import { STATUSES, STATUS_LABELS, roleOf, type Task, type TaskStatus } from "./types";
import { useProjectData } from "./useProjectData";
import { useTaskActions } from "./useTaskActions";
import { filterTasks, formatView, hasFilters, isoDay, parseView, sortTasks, VIEWS, type View, type ViewState } from "./view";

const VIEW_LABELS: Record<View, string> = { board: "Board", list: "List", members: "Members" };
const LIVE_TEXT = { open: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" } as const;

export interface ProjectPageProps {
  api: ProjectsApi;
  context: FragmentContext;
  projectId: string;
  taskId: string | null;
  search: string;
}

export function ProjectPage({ api, context, projectId, taskId, search }: ProjectPageProps) {
  const you = context.user?.id;
  const admin = hasRole(context.user, "admin");
  const data = useProjectData(api, projectId, you, admin);
  const { project, tasks, store } = data;
  const [announcement, setAnnouncement] = useState("");
  const actions = useTaskActions(api, store, projectId, setAnnouncement);
  const [state, setState] = useState<ViewState>(() => parseView(search));
  useEffect(() => setState(parseView(search)), [search]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [bulkStatus, setBulkStatus] = useState<TaskStatus>("done");

  const members = project?.members ?? [];
  const names = useNames(api, members.map((m) => m.user_id));
  const personOf = useCallback((id: string | null) => personLabel(id, you, names), [you, names]);
  const role = project ? roleOf(project, you) : null;
  const canEdit = admin || role === "owner" || role === "editor";

  const shown = useMemo(() => sortTasks(filterTasks(tasks, state.filters, isoDay(new Date())), state.sort), [tasks, state.filters, state.sort]);
  const labels = useMemo(() => [...new Set(tasks.flatMap((t) => t.labels))].sort(), [tasks]);
  const selectedTasks = shown.filter((task) => selected.has(task.id));

  const here = projectPath(context.basePath, projectId);
  const hrefOf = useCallback((task: Task) => `${projectPath(context.basePath, projectId, task.id)}${formatView(state)}`, [context.basePath, projectId, state]);
  const open = (task: Task) => {
    actions.setProblem(null);
    context.navigate(hrefOf(task));
  };
  const closeDetail = () => context.navigate(`${here}${formatView(state)}`);
  const changeState = (next: ViewState) => {
    setState(next);
    replaceSearch(formatView(next));
  };
  const select = (task: Task, on: boolean) =>
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(task.id);
      else next.delete(task.id);
      return next;
    });
  const askDelete = (task: Task) =>
    setConfirmation({
      title: "Delete this task?",
      body: `“${task.title}” is deleted for everybody in the project. This cannot be undone.`,
      action: "Delete task",
      run: async () => {
        await actions.remove(task);
        if (taskId === task.id) closeDetail();
      },
    });

  if (data.gone) {
    return (
      <div className="projects">
        <h1>{project?.name ?? "Project"}</h1>
        <p role="alert">{data.gone === "deleted" ? "This project was deleted." : "You are no longer a member of this project."}</p>
        <BackLink context={context} />
      </div>
    );
  }
  if (!project) {
    return (
      <div className="projects">
        <BackLink context={context} />
        <ProblemNote problem={data.problem} />
        {!data.problem && <p role="status">Loading the project…</p>}
      </div>
    );
  }

  const shared = { canEdit, selected, flashing: data.flashing, hrefOf, assigneeOf: (t: Task) => personOf(t.assignee), onOpen: open, onSelect: select, onStatus: actions.move };
  return (
    <div className="projects project">
      <BackLink context={context} />
      <header className="head">
        <div>
          <h1>{project.name}</h1>
          <p className="hint">
            <span className="key">{project.key}</span> · your role: {role ?? (admin ? "admin" : "none")}
            {project.description && <> · {project.description}</>}
          </p>
        </div>
        <p className={`live live-${data.live}`} role="status">
          <span aria-hidden="true">●</span> {LIVE_TEXT[data.live]}
        </p>
      </header>
      <div className="toolbar">
        <nav aria-label="Views" className="views">
          {VIEWS.map((view) => (
            <a
              key={view}
              href={`${here}${formatView({ ...state, view })}`}
              aria-current={state.view === view ? "page" : undefined}
              onClick={(event) => {
                event.preventDefault();
                context.navigate(`${here}${formatView({ ...state, view })}`);
              }}
            >
              {VIEW_LABELS[view]}
            </a>
          ))}
        </nav>
        {canEdit && state.view !== "members" && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New task
          </button>
        )}
      </div>
      <ProblemNote problem={actions.problem ?? data.problem} onDismiss={() => actions.setProblem(null)} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>

      {state.view === "members" ? (
        <MembersPanel context={context} project={project} onProjectChange={(next) => data.setProject(next)} />
      ) : (
        <>
          <FiltersBar filters={state.filters} members={members} labels={labels} personOf={personOf} onChange={(filters) => changeState({ ...state, filters })} />
          {selectedTasks.length > 0 && (
            <form
              className="bulk"
              aria-label="Change the selected tasks"
              onSubmit={async (event) => {
                event.preventDefault();
                if (await actions.bulkMove(selectedTasks, bulkStatus)) setSelected(new Set());
              }}
            >
              <span>{selectedTasks.length} selected</span>
              <label>
                New status
                <select value={bulkStatus} onChange={(e) => setBulkStatus(e.target.value as TaskStatus)}>
                  {STATUSES.map((status) => (
                    <option key={status} value={status}>
                      {STATUS_LABELS[status]}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit">Apply to selected</button>
              <button type="button" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </form>
          )}
          {!data.loaded && <p role="status">Loading tasks…</p>}
          {data.loaded && tasks.length === 0 && (
            <div className="empty-state">
              <p>No tasks in this project yet.</p>
              {canEdit && (
                <button type="button" className="primary" onClick={() => setCreating(true)}>
                  New task
                </button>
              )}
            </div>
          )}
          {data.loaded && tasks.length > 0 && shown.length === 0 && hasFilters(state.filters) && <p className="empty">No task matches these filters.</p>}
          {data.loaded &&
            tasks.length > 0 &&
            (state.view === "list" ? (
              <TaskTable {...shared} tasks={shown} sort={state.sort} onSort={(sort) => changeState({ ...state, sort })} onSelectAll={(on) => setSelected(on ? new Set(shown.map((t) => t.id)) : new Set())} />
            ) : (
              <Board {...shared} tasks={shown} />
            ))}
        </>
      )}

      {creating && <NewTaskDialog members={members} personOf={personOf} onCreate={actions.create} onClose={() => setCreating(false)} />}
      {taskId && !actions.stale && (
        <TaskDetail
          key={taskId}
          task={tasks.find((t) => t.id === taskId)}
          changedByOthers={data.flashing.has(taskId)}
          loaded={data.loaded}
          problem={actions.problem}
          members={members}
          canEdit={canEdit}
          personOf={personOf}
          onSave={actions.change}
          onDelete={askDelete}
          onClose={closeDetail}
        />
      )}
      {actions.stale && (
        <ConflictDialog
          edit={actions.stale}
          personOf={personOf}
          onKeepTheirs={(theirs) => {
            store.confirm(theirs);
            actions.setStale(null);
            setAnnouncement("Kept their version");
          }}
          onResolve={(theirs, patch) => {
            actions.setStale(null);
            if (Object.keys(patch).length) void actions.change(theirs, patch);
          }}
        />
      )}
      {confirmation && <ConfirmDialog confirmation={confirmation} onDone={() => setConfirmation(null)} />}
    </div>
  );
}

function BackLink({ context }: { context: FragmentContext }) {
  return (
    <a
      className="back"
      href={context.basePath}
      onClick={(event) => {
        event.preventDefault();
        context.navigate(context.basePath);
      }}
    >
      ← All projects
    </a>
  );
}
