/**
 * A project's tasks, held once on the client: loaded page by page, then kept current by live
 * events instead of listing again (a sorted page costs 200+ ms on the embedded store).
 *
 * What the server confirmed is kept apart from optimistic changes still in flight: a change
 * is an overlay on the confirmed task until its request settles. A failure drops the overlay,
 * so the task shows the newest confirmed version, including others' changes that arrived
 * meanwhile, rather than a snapshot from before the change.
 */
import type { Task, TaskPatch, TaskStatus } from "./types";

export interface TaskEventData {
  id: string;
  project_id: string;
  version?: number;
  [field: string]: unknown;
}

interface Overlay {
  id: string;
  patch: TaskPatch;
}

export class TaskStore {
  private confirmed = new Map<string, Task>();
  private overlays = new Map<number, Overlay>();
  private nextToken = 1;
  private view: Task[] = [];
  private listeners = new Set<() => void>();

  /** Replaces everything held (a fresh load). */
  reset(tasks: Task[]): void {
    this.confirmed = new Map(tasks.map((task) => [task.id, task]));
    this.changed();
  }

  /** The tasks as shown: confirmed, with optimistic changes applied. Same array until a change. */
  tasks = (): Task[] => this.view;

  get(id: string): Task | undefined {
    const task = this.confirmed.get(id);
    return task && this.overlaid(task);
  }

  /** The version the server last confirmed (what If-Match sends). */
  confirmedVersion(id: string): Task | undefined {
    return this.confirmed.get(id);
  }

  /** True while a change of ours to the task is in flight (its event is no news to us). */
  hasPending(id: string): boolean {
    return [...this.overlays.values()].some((overlay) => overlay.id === id);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Takes a task the server answered with, unless a newer version is held already. */
  confirm(task: Task): boolean {
    const held = this.confirmed.get(task.id);
    if (held && held.version >= task.version) return false;
    this.confirmed.set(task.id, task);
    this.changed();
    return true;
  }

  remove(id: string): boolean {
    if (!this.confirmed.delete(id)) return false;
    for (const [token, overlay] of this.overlays) if (overlay.id === id) this.overlays.delete(token);
    this.changed();
    return true;
  }

  /**
   * Applies a live event; returns the ids it changed (none for an event older than what is
   * held, or for a task of another project).
   */
  apply(type: string, data: unknown, projectId: string): string[] {
    if (type === "task.bulk_updated") return this.applyBulk(data as { project_id: string; status: TaskStatus; ids: string[] }, projectId);
    const task = data as TaskEventData;
    if (!task || task.project_id !== projectId) return [];
    if (type === "task.deleted") return this.remove(task.id) ? [task.id] : [];
    if (type === "task.created" || type === "task.updated") return this.confirm(task as unknown as Task) ? [task.id] : [];
    return [];
  }

  /**
   * A bulk change names the tasks and their new status; each changed task's version went up
   * by exactly one (core-api's bulk route), so the held copy is brought to that version. A
   * task already held in that status has had this change applied (our own bulk's answer).
   */
  private applyBulk(data: { project_id: string; status: TaskStatus; ids: string[] }, projectId: string): string[] {
    if (data.project_id !== projectId) return [];
    const changed: string[] = [];
    for (const id of data.ids) {
      const held = this.confirmed.get(id);
      if (!held || held.status === data.status) continue;
      this.confirmed.set(id, { ...held, status: data.status, version: held.version + 1 });
      changed.push(id);
    }
    if (changed.length) this.changed();
    return changed;
  }

  /** Shows `patch` at once; settle with the server's task (success) or null (failure: rolled back). */
  optimistic(id: string, patch: TaskPatch): (answer: Task | null) => void {
    const token = this.nextToken++;
    this.overlays.set(token, { id, patch });
    this.changed();
    return (answer) => {
      this.overlays.delete(token);
      if (answer) this.confirm(answer);
      this.changed();
    };
  }

  private overlaid(task: Task): Task {
    let shown = task;
    for (const overlay of this.overlays.values()) if (overlay.id === task.id) shown = { ...shown, ...overlay.patch };
    return shown;
  }

  private changed(): void {
    this.view = [...this.confirmed.values()].map((task) => this.overlaid(task));
    for (const listener of [...this.listeners]) listener();
  }
}
