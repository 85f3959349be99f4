import { describe, expect, it, vi } from "vitest";
import { TaskStore } from "./taskStore";
import type { Task } from "./types";

const PROJECT = "p1";
const task = (id: string, fields: Partial<Task> = {}): Task => ({
  id,
  project_id: PROJECT,
  title: `Task ${id}`,
  description: "",
  status: "todo",
  priority: "medium",
  assignee: null,
  labels: [],
  due: null,
  created_by: "u1",
  created_at: "2025-03-14T09:00:00Z",
  updated_at: "2025-03-14T09:00:00Z",
  completed_at: null,
  version: 1,
  ...fields,
});

function storeWith(...tasks: Task[]) {
  const store = new TaskStore();
  store.reset(tasks);
  return store;
}

describe("TaskStore events", () => {
  it("adds a created task, replaces an updated one and drops a deleted one", () => {
    const store = storeWith(task("a"), task("b"));
    expect(store.apply("task.created", task("c"), PROJECT)).toEqual(["c"]);
    expect(store.apply("task.updated", task("a", { title: "Renamed", version: 2 }), PROJECT)).toEqual(["a"]);
    expect(store.apply("task.deleted", { id: "b", project_id: PROJECT }, PROJECT)).toEqual(["b"]);
    expect(store.tasks().map((t) => [t.id, t.title])).toEqual([
      ["a", "Renamed"],
      ["c", "Task c"],
    ]);
  });
  it("ignores an event older than, or as old as, the version held", () => {
    const store = storeWith(task("a", { title: "Newest", version: 5 }));
    expect(store.apply("task.updated", task("a", { title: "Old", version: 4 }), PROJECT)).toEqual([]);
    expect(store.apply("task.updated", task("a", { title: "Same", version: 5 }), PROJECT)).toEqual([]);
    expect(store.get("a")?.title).toBe("Newest");
  });
  it("ignores other projects' tasks and unknown event types", () => {
    const store = storeWith();
    expect(store.apply("task.created", { ...task("x"), project_id: "p2" }, PROJECT)).toEqual([]);
    expect(store.apply("project.updated", { id: PROJECT }, PROJECT)).toEqual([]);
    expect(store.tasks()).toEqual([]);
  });
  it("moves every task of a bulk change one version on", () => {
    const store = storeWith(task("a", { version: 3 }), task("b"));
    expect(store.apply("task.bulk_updated", { project_id: PROJECT, status: "done", ids: ["a", "b", "gone"] }, PROJECT)).toEqual(["a", "b"]);
    expect(store.tasks().map((t) => [t.status, t.version])).toEqual([
      ["done", 4],
      ["done", 2],
    ]);
  });
  it("does not apply a bulk change twice (our own answer, then its event)", () => {
    const store = storeWith(task("a", { status: "done", version: 4 }));
    expect(store.apply("task.bulk_updated", { project_id: PROJECT, status: "done", ids: ["a"] }, PROJECT)).toEqual([]);
    expect(store.get("a")?.version).toBe(4);
  });
  it("tells subscribers about each change", () => {
    const store = storeWith(task("a"));
    const listener = vi.fn();
    store.subscribe(listener);
    store.apply("task.updated", task("a", { version: 2 }), PROJECT);
    store.apply("task.updated", task("a", { version: 2 }), PROJECT);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe("TaskStore optimistic changes", () => {
  it("shows a change at once and keeps the server's answer", () => {
    const store = storeWith(task("a"));
    const settle = store.optimistic("a", { status: "in_progress" });
    expect(store.get("a")?.status).toBe("in_progress");
    expect(store.confirmedVersion("a")?.status).toBe("todo");
    settle(task("a", { status: "in_progress", version: 2 }));
    expect(store.get("a")).toMatchObject({ status: "in_progress", version: 2 });
  });
  it("knows which tasks have a change of ours in flight", () => {
    const store = storeWith(task("a"), task("b"));
    const settle = store.optimistic("a", { status: "done" });
    expect([store.hasPending("a"), store.hasPending("b")]).toEqual([true, false]);
    settle(null);
    expect(store.hasPending("a")).toBe(false);
  });
  it("rolls a failed change back", () => {
    const store = storeWith(task("a"));
    const settle = store.optimistic("a", { status: "done", title: "Mine" });
    settle(null);
    expect(store.get("a")).toMatchObject({ status: "todo", title: "Task a" });
  });
  it("rolls back to others' newer version that arrived while the change was in flight", () => {
    const store = storeWith(task("a"));
    const settle = store.optimistic("a", { status: "done" });
    store.apply("task.updated", task("a", { title: "Theirs", version: 2 }), PROJECT);
    expect(store.get("a")).toMatchObject({ status: "done", title: "Theirs" });
    settle(null);
    expect(store.get("a")).toMatchObject({ status: "todo", title: "Theirs", version: 2 });
  });
});
