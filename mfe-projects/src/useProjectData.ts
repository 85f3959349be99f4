import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { eventData, type LiveState, type ProjectsApi } from "./api";
import { problemOf, type Problem } from "./errors";
import { TaskStore } from "./taskStore";
import type { ProjectOut, Task } from "./types";

/** How long a change made by someone else stays highlighted (matches the CSS animation). */
export const FLASH_MS = 1500;

export type Gone = "deleted" | "removed" | null;

/** Ids changed by others, each highlighted for FLASH_MS. */
function useFlash(): [ReadonlySet<string>, (ids: string[]) => void] {
  const [flashing, setFlashing] = useState<ReadonlySet<string>>(new Set());
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  const flash = useCallback((ids: string[]) => {
    if (!ids.length) return;
    setFlashing((old) => new Set([...old, ...ids]));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setFlashing((old) => new Set([...old].filter((id) => !ids.includes(id))));
    }, FLASH_MS);
    timers.current.add(timer);
  }, []);
  return [flashing, flash];
}

/**
 * A project and its tasks, loaded once and then kept current by the project's event stream.
 * The stream opens first; events that arrive while the tasks load wait, and are applied after
 * (the ones older than what the load returned are ignored by version). `stream.reset` (events
 * were lost) loads everything again, once.
 */
export function useProjectData(api: ProjectsApi, projectId: string, you: string | undefined, admin: boolean) {
  const store = useMemo(() => new TaskStore(), [projectId]);
  const tasks = useSyncExternalStore(store.subscribe, store.tasks);
  const [project, setProject] = useState<ProjectOut | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [live, setLive] = useState<LiveState>("connecting");
  const [gone, setGone] = useState<Gone>(null);
  const [flashing, flash] = useFlash();
  const projectRef = useRef<ProjectOut | null>(null);
  projectRef.current = project;

  const takeProject = useCallback((next: ProjectOut) => {
    const held = projectRef.current;
    if (held && held.id === next.id && held.version >= next.version) return false;
    projectRef.current = next;
    setProject(next);
    return true;
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    let waiting: { type: string; data: unknown }[] | null = [];

    const load = async () => {
      waiting ??= [];
      try {
        const [current, all] = await Promise.all([api.project(projectId, abort.signal), api.allTasks(projectId, abort.signal)]);
        if (abort.signal.aborted) return;
        projectRef.current = null;
        takeProject(current);
        store.reset(all);
        setLoaded(true);
        setProblem(null);
      } catch (error) {
        if (!abort.signal.aborted) setProblem(problemOf(error));
      }
      const buffered = waiting ?? [];
      waiting = null;
      for (const event of buffered) apply(event.type, event.data);
    };

    const apply = (type: string, data: unknown) => {
      if (type === "stream.reset") return void load();
      if (type.startsWith("task.")) {
        // Our own change's event can arrive before its answer: only others' changes light up.
        const ours = type === "task.created" && (data as Task | undefined)?.created_by === you;
        const changed = store.apply(type, data, projectId);
        return flash(ours ? [] : changed.filter((id) => !store.hasPending(id)));
      }
      const changed = data as ProjectOut;
      if (!changed || changed.id !== projectId) return;
      if (type === "project.deleted") return setGone("deleted");
      if (type.startsWith("project.") && changed.members && takeProject(changed)) {
        if (!admin && !changed.members.some((m) => m.user_id === you)) setGone("removed");
      }
    };

    void api.events(
      projectId,
      (event) => {
        const data = eventData(event);
        if (waiting && event.type !== "stream.reset") waiting.push({ type: event.type, data });
        else apply(event.type, data);
      },
      setLive,
      abort.signal,
    );
    void load();
    return () => abort.abort();
  }, [api, projectId, store, takeProject, flash, you, admin]);

  return { store, tasks, project, setProject: takeProject, loaded, problem, live, gone, flashing };
}
