import { useCallback, useRef, useState } from "react";
import type { ProjectsApi } from "./api";
import type { StaleEdit } from "./conflict";
import { isApiError, problemOf, type Problem } from "./errors";
import type { TaskStore } from "./taskStore";
import { STATUS_LABELS, type Task, type TaskPatch, type TaskStatus } from "./types";

/** What became of a change: saved, handed to the conflict dialog, or refused (shown as a problem). */
export type Outcome = "saved" | "conflict" | "failed";

/**
 * The changes a person makes to tasks. Each shows at once (optimistic) and is rolled back
 * when the server refuses it; every write sends the version it started from as If-Match.
 * A stale version (412) becomes a StaleEdit for the conflict dialog, never a silent loss.
 *
 * Writes to one task go out one after the other: a card dragged and then moved again from
 * the keyboard before the first answer came sends the second from the version the first
 * produced (our own change is not "someone else's").
 */
export function useTaskActions(api: ProjectsApi, store: TaskStore, projectId: string, announce: (text: string) => void) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [stale, setStale] = useState<StaleEdit | null>(null);
  const writing = useRef(new Map<string, Promise<Task | null>>());

  /** Sends `patch` as a change of `base` (the version the person saw). */
  const change = useCallback(
    async (seen: Task, patch: TaskPatch): Promise<Outcome> => {
      const settle = store.optimistic(seen.id, patch);
      let base = seen;
      const write = (async () => {
        const ours = await writing.current.get(seen.id);
        if (ours && ours.version > base.version) base = ours;
        return api.updateTask(base.id, base.version, patch);
      })();
      const queued = write.catch(() => null);
      writing.current.set(seen.id, queued);
      void queued.then(() => writing.current.get(seen.id) === queued && writing.current.delete(seen.id));
      try {
        settle(await write);
        setProblem(null);
        return "saved";
      } catch (error) {
        settle(null);
        if (isApiError(error, "VERSION_MISMATCH")) {
          const theirs = await api.task(base.id).catch(() => null);
          if (theirs) {
            store.confirm(theirs);
            setStale({ base, patch, theirs });
            return "conflict";
          }
        }
        if (isApiError(error, "TASK_NOT_FOUND")) store.remove(base.id);
        setProblem(problemOf(error));
        announce(`Not saved: ${problemOf(error).message}`);
        return "failed";
      }
    },
    [api, store, announce],
  );

  const move = useCallback(
    async (task: Task, status: TaskStatus) => {
      if (task.status === status) return;
      const base = store.confirmedVersion(task.id) ?? task;
      announce(`Moving "${task.title}" to ${STATUS_LABELS[status]}`);
      if ((await change(base, { status })) === "saved") announce(`"${task.title}" moved to ${STATUS_LABELS[status]}`);
    },
    [store, change, announce],
  );

  const bulkMove = useCallback(
    async (tasks: Task[], status: TaskStatus): Promise<boolean> => {
      const bases = tasks.map((task) => store.confirmedVersion(task.id) ?? task);
      const settles = bases.map((task) => store.optimistic(task.id, { status }));
      try {
        await api.bulkStatus(projectId, bases, status);
        // The route answers counts, not tasks: confirm what it did (each changed task moved one version on).
        settles.forEach((settle, i) => settle(bases[i].status === status ? null : { ...bases[i], status, version: bases[i].version + 1 }));
        setProblem(null);
        announce(`${tasks.length} tasks set to ${STATUS_LABELS[status]}`);
        return true;
      } catch (error) {
        settles.forEach((settle) => settle(null));
        setProblem(problemOf(error));
        announce(`Not changed: ${problemOf(error).message}`);
        return false;
      }
    },
    [api, store, projectId, announce],
  );

  const remove = useCallback(
    async (task: Task) => {
      const base = store.confirmedVersion(task.id) ?? task;
      await api.deleteTask(task.id, base.version);
      store.remove(task.id);
      announce(`"${task.title}" deleted`);
    },
    [api, store, announce],
  );

  const create = useCallback(
    async (fields: Parameters<ProjectsApi["createTask"]>[1]) => {
      const task = await api.createTask(projectId, fields);
      store.confirm(task);
      announce(`"${task.title}" created`);
      return task;
    },
    [api, store, projectId, announce],
  );

  return { change, move, bulkMove, remove, create, problem, setProblem, stale, setStale };
}
